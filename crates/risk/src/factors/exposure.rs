//! Exposure and device weaknesses: reachability, UPnP, unauthenticated services, default
//! passwords, updates, support period, brute-force protection, credential storage.

use riskmark_model::{AuthMethod, CredentialStorage, DefaultPassword, Profile, UpdateMechanism};
use serde_json::{Value, json};

use super::{Factor, FactorGroup, points};
use crate::{Context, Policy};

fn push(out: &mut Vec<Factor>, name: &str, value: Value, declared: bool, pts: u32, reason: String) {
    out.push(Factor {
        name: name.into(),
        group: FactorGroup::Exposure,
        value,
        declared,
        contribution: points(pts),
        reason,
    });
}

/// Pushes the exposure factors.
pub(crate) fn factors(p: &Profile, policy: &Policy, ctx: &Context, out: &mut Vec<Factor>) {
    let e = &policy.exposure;
    let c = &p.connectivity;

    let (pts, why) = match c.internet_reachable {
        Some(true) => (
            e.internet_reachable,
            "reachable from the internet without the user's action",
        ),
        Some(false) => (
            0,
            "not reachable from the internet without the user's action",
        ),
        None => (
            e.internet_reachable_undeclared,
            "internet reachability not declared",
        ),
    };
    push(
        out,
        "internet_reachable",
        c.internet_reachable.map_or(Value::Null, Value::Bool),
        c.internet_reachable.is_some(),
        pts,
        why.into(),
    );

    let (pts, why) = match c.upnp {
        Some(true) => (e.upnp, "UPnP can open ports on the user's router"),
        Some(false) => (0, "UPnP disabled"),
        None => (e.upnp_undeclared, "UPnP use not declared"),
    };
    push(
        out,
        "upnp",
        c.upnp.map_or(Value::Null, Value::Bool),
        c.upnp.is_some(),
        pts,
        why.into(),
    );

    let services = c.services.as_deref().unwrap_or_default();
    let open: Vec<String> = services
        .iter()
        .filter(|s| s.authentication == Some(AuthMethod::None))
        .map(|s| {
            let name = s.name.as_deref().unwrap_or("service");
            format!("{name}/{}", s.port)
        })
        .collect();
    let n = u32::try_from(open.len()).unwrap_or(u32::MAX);
    let pts = n
        .saturating_mul(e.unauthenticated_service)
        .min(e.unauthenticated_service_max);
    let (pts, why) = if open.is_empty() {
        match &c.services {
            Some(_) => (
                0,
                "no listening service is declared unauthenticated".to_owned(),
            ),
            None => (
                e.services_undeclared,
                "listening services not declared".to_owned(),
            ),
        }
    } else {
        (
            pts,
            format!(
                "{} listening service(s) without authentication: {} ({} points each, at most {})",
                open.len(),
                open.join(", "),
                e.unauthenticated_service,
                e.unauthenticated_service_max
            ),
        )
    };
    push(
        out,
        "unauthenticated_services",
        json!(open),
        c.services.is_some(),
        pts,
        why,
    );

    let identity = p.identity.as_ref();
    let dp = identity.and_then(|i| i.default_password);
    let (pts, why) = match dp {
        Some(DefaultPassword::Universal) => (
            e.universal_default_password,
            "the same default password on every unit (forbidden by EN 303 645 5.1-1 and UK PSTI)",
        ),
        Some(DefaultPassword::UniquePerDevice) => (0, "default passwords are unique per device"),
        Some(DefaultPassword::UserSetAtSetup) => (0, "the user sets the password at setup"),
        Some(DefaultPassword::None) => (0, "the product uses no passwords"),
        None => (
            e.default_password_undeclared,
            "default password practice not declared",
        ),
    };
    push(
        out,
        "default_password",
        super::json(&dp),
        dp.is_some(),
        pts,
        why.into(),
    );

    let updates = p.updates.as_ref();
    let mech = updates.and_then(|u| u.mechanism);
    let signed = updates.and_then(|u| u.signed);
    let (pts, why) = match (mech, signed) {
        (Some(UpdateMechanism::None), _) => (
            e.no_update_mechanism,
            "the product cannot be updated".to_owned(),
        ),
        (None, _) => (
            e.updates_undeclared,
            "update mechanism not declared".to_owned(),
        ),
        (Some(m), Some(false)) => (
            e.unsigned_updates,
            format!("{m} updates, but images are not authenticated before install"),
        ),
        (Some(m), None) => (
            e.updates_undeclared,
            format!("{m} updates; whether images are signed is not declared"),
        ),
        (Some(m), Some(true)) => (0, format!("{m}, signed updates")),
    };
    push(
        out,
        "updates",
        json!({"mechanism": super::json(&mech), "signed": signed}),
        mech.is_some(),
        pts,
        why,
    );

    let end = updates.and_then(|u| u.support_end);
    let (pts, why) = match end {
        Some(d) if d.0 < ctx.as_of => (
            e.support_expired,
            format!("security support ended on {d}, before {}", ctx.as_of),
        ),
        Some(d) => {
            let days = (d.0 - ctx.as_of).get_days();
            (
                0,
                format!(
                    "security updates guaranteed until {d} ({days} days after {})",
                    ctx.as_of
                ),
            )
        }
        None => (
            e.support_end_undeclared,
            "no support end date declared".to_owned(),
        ),
    };
    push(
        out,
        "support_period",
        end.map_or(Value::Null, |d| json!(d.to_string())),
        end.is_some(),
        pts,
        why,
    );

    let auth = identity
        .and_then(|i| i.authentication.as_deref())
        .unwrap_or_default();
    let uses_secrets = auth
        .iter()
        .any(|a| matches!(a, AuthMethod::Password | AuthMethod::Pin))
        || matches!(
            dp,
            Some(
                DefaultPassword::Universal
                    | DefaultPassword::UniquePerDevice
                    | DefaultPassword::UserSetAtSetup
            )
        );
    let bf = identity.and_then(|i| i.brute_force_protection);
    let (pts, why) = match (bf, uses_secrets) {
        (Some(false), true) => (
            e.no_brute_force_protection,
            "passwords or PINs without brute-force protection",
        ),
        (Some(false), false) => (
            0,
            "no brute-force protection, but no passwords or PINs are declared",
        ),
        (Some(true), _) => (0, "authentication attempts are limited"),
        (None, true) => (
            e.brute_force_protection_undeclared,
            "brute-force protection not declared, while passwords or PINs are in use",
        ),
        (None, false) => (
            0,
            "brute-force protection not declared, and no passwords or PINs are declared",
        ),
    };
    push(
        out,
        "brute_force_protection",
        bf.map_or(Value::Null, Value::Bool),
        bf.is_some(),
        pts,
        why.into(),
    );

    let cs = identity.and_then(|i| i.credential_storage);
    let (pts, why) = match cs {
        Some(CredentialStorage::Plaintext) => (
            e.plaintext_credentials,
            "credentials stored in plaintext".to_owned(),
        ),
        Some(s) => (
            0,
            format!(
                "credentials stored {}",
                match s {
                    CredentialStorage::Hashed => "hashed",
                    CredentialStorage::Encrypted => "encrypted",
                    _ => "in a secure element",
                }
            ),
        ),
        None => (
            e.credential_storage_undeclared,
            "credential storage not declared".to_owned(),
        ),
    };
    push(
        out,
        "credential_storage",
        super::json(&cs),
        cs.is_some(),
        pts,
        why,
    );
}
