//! `encryption-in-transit`: Data in transit is encrypted.
//!
//! ## What it checks
//!
//! Whether every declared channel is protected (`data_protection.encryption_in_transit`):
//! `none` fails, TLS 1.2+, DTLS 1.2+ or link-layer encryption pass, and only TLS 1.0/1.1
//! fails.
//!
//! ## Why it matters
//!
//! Unencrypted traffic exposes credentials and personal data to anyone on the path and
//! lets them alter commands.
//!
//! ## Serves
//!
//! - EN 303 645 5.5-1
//! - EN 303 645 5.5-7
//! - EN 303 645 5.8-1
//! - EN 303 645 5.8-2
//! - CRA Annex I(2)(e)
//! - NIST IR 8425 Data Protection 2
//! - EN 18031-1 SCM-3
//! - IEC 62443-4-2 CR 4.1
//!
//! ## Remediation
//!
//! Use TLS 1.2 or 1.3 (or DTLS) with certificate validation for every channel; use link-
//! layer security for local radios.
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.5-1 and 5.8-2; EN 18031-1 SCM.

use riskmark_model::TransitEncryption;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .data_protection
        .as_ref()
        .and_then(|d| d.encryption_in_transit.clone());
    b.fact("data_protection.encryption_in_transit", &v);
    let Some(list) = v else {
        return b.needs("`data_protection.encryption_in_transit` is not declared");
    };
    if list.is_empty() {
        return b.needs("no transport protection is declared");
    }
    if list.contains(&TransitEncryption::None) {
        return b.fail("some channel carries data without encryption (`none`)");
    }
    let strong = list.iter().any(|t| {
        matches!(
            t,
            TransitEncryption::Tls1_2
                | TransitEncryption::Tls1_3
                | TransitEncryption::Dtls1_2
                | TransitEncryption::Dtls1_3
                | TransitEncryption::LinkLayer
        )
    });
    if strong {
        b.pass(format!(
            "channels protected by {}",
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    } else {
        b.fail("only deprecated TLS versions are declared")
    }
}
