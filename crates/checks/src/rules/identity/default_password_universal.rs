//! `default-password-universal`: No universal default password.
//!
//! ## What it checks
//!
//! Whether every unit ships with the same default password (`identity.default_password =
//! "universal"`). Unique per-device passwords, passwords the user sets at setup, or no
//! passwords at all pass. Not applicable when the product uses no passwords or PINs at
//! all (EN 303 645 condition 1 / feature (a)).
//!
//! ## Why it matters
//!
//! Shared default passwords are published in manuals and scanned for at scale; they were
//! the entry point of the Mirai botnets. The UK bans them outright.
//!
//! ## Serves
//!
//! - EN 303 645 5.1-1
//! - EN 303 645 5.1-2
//! - UK PSTI Sch. 1 para 1
//! - CRA Annex I(2)(d)
//! - NIST IR 8425 Interface Access Control 1b
//! - EN 18031-1 AUM-5
//! - IEC 62443-4-2 CR 1.5
//!
//! ## Remediation
//!
//! Give each unit its own random password (printed on the label), or make the user set
//! one during setup before the device reaches the network.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.1-1; UK PSTI Regulations 2023 Schedule 1 paragraph 1; NIST
//! IR 8425.

use riskmark_model::DefaultPassword;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let id = ctx.profile.identity.as_ref();
    let dp = id.and_then(|i| i.default_password);
    b.fact("identity.default_password", &dp);
    match dp {
        Some(DefaultPassword::Universal) => {
            b.fail("the same default password is set on every unit")
        }
        Some(DefaultPassword::None) if !ctx.uses_passwords() => {
            b.na("the product uses no passwords or PINs")
        }
        Some(DefaultPassword::None) => {
            b.pass("no default password is set; passwords are created by the user")
        }
        Some(DefaultPassword::UniquePerDevice) => b.pass("default passwords are unique per device"),
        Some(DefaultPassword::UserSetAtSetup) => b.pass("the user sets the password at setup"),
        None => b.needs("`identity.default_password` is not declared"),
    }
}
