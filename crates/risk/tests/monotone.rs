//! Property tests: the score and tier are monotone in exposure, default passwords and
//! installed base, and the tier floors always hold.

use jiff::civil::date;
use proptest::prelude::*;
use riskmark_model::{
    AuthMethod, Category, DataKind, DefaultPassword, Environment, PhysicalEffect, Profile,
    Protocol, SafetyImpact, Service, UpdateMechanism, load_bytes,
};
use riskmark_risk::{Classification, Context, CraClass, Policy, Tier, classify};

const SPEC: &str = include_str!("../../model/tests/fixtures/spec-example.toml");

fn run(p: &Profile) -> Classification {
    classify(
        p,
        &Policy::default_policy(),
        &Context::on(date(2026, 11, 24)),
    )
}

fn opt<T: Clone + std::fmt::Debug + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![Just(None), s.prop_map(Some)].boxed()
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> BoxedStrategy<T> {
    proptest::sample::select(all).boxed()
}

prop_compose! {
    fn profile()(
        category in pick(Category::ALL),
        env in opt(pick(Environment::ALL)),
        safety in opt(pick(SafetyImpact::ALL)),
        effects in opt(proptest::collection::vec(pick(PhysicalEffect::ALL), 0..3)),
        data in opt(proptest::collection::vec(pick(DataKind::ALL), 0..3)),
        children in opt(any::<bool>()),
        security_function in opt(any::<bool>()),
        reachable in opt(any::<bool>()),
        upnp in opt(any::<bool>()),
        open_ports in 0u16..5,
        dp in opt(pick(DefaultPassword::ALL)),
        mech in opt(pick(UpdateMechanism::ALL)),
        signed in opt(any::<bool>()),
        units in opt(0u64..20_000_000),
    ) -> Profile {
        let mut p = load_bytes("spec.toml", SPEC.as_bytes()).unwrap().profile;
        p.product.category = category;
        p.product.units_in_market = units;
        p.use_.environment = env;
        p.use_.safety_impact = safety;
        p.use_.physical_effects = effects;
        p.use_.data = data;
        p.use_.children = children;
        p.use_.security_function = security_function;
        p.connectivity.internet_reachable = reachable;
        p.connectivity.upnp = upnp;
        p.connectivity.services = Some((0..open_ports).map(|i| Service {
            port: 8000 + i, protocol: Some(Protocol::Tcp), name: None,
            authentication: Some(AuthMethod::None), purpose: None,
        }).collect());
        let id = p.identity.as_mut().unwrap();
        id.default_password = dp;
        let up = p.updates.as_mut().unwrap();
        up.mechanism = mech;
        up.signed = signed;
        p
    }
}

fn assert_not_lower(before: &Profile, after: &Profile) -> Result<(), TestCaseError> {
    let (a, b) = (run(before), run(after));
    prop_assert!(
        b.score >= a.score,
        "score fell from {} to {}",
        a.score,
        b.score
    );
    prop_assert!(b.tier >= a.tier, "tier fell from {} to {}", a.tier, b.tier);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn internet_exposure_never_lowers(p in profile()) {
        let mut q = p.clone();
        q.connectivity.internet_reachable = Some(true);
        assert_not_lower(&p, &q)?;
    }

    #[test]
    fn upnp_never_lowers(p in profile()) {
        let mut q = p.clone();
        q.connectivity.upnp = Some(true);
        assert_not_lower(&p, &q)?;
    }

    #[test]
    fn an_open_service_never_lowers(p in profile()) {
        let mut q = p.clone();
        q.connectivity.services.get_or_insert_with(Vec::new).push(Service {
            port: 23, protocol: Some(Protocol::Tcp), name: Some("telnet".into()),
            authentication: Some(AuthMethod::None), purpose: None,
        });
        assert_not_lower(&p, &q)?;
    }

    #[test]
    fn a_universal_default_password_never_lowers(p in profile()) {
        let mut q = p.clone();
        q.identity.as_mut().unwrap().default_password = Some(DefaultPassword::Universal);
        assert_not_lower(&p, &q)?;
    }

    #[test]
    fn a_larger_installed_base_never_lowers(p in profile(), extra in 1u64..50_000_000) {
        let mut q = p.clone();
        q.product.units_in_market = Some(p.product.units_in_market.unwrap_or(0) + extra);
        let mut p = p;
        p.product.units_in_market.get_or_insert(0);
        assert_not_lower(&p, &q)?;
    }

    #[test]
    fn floors_hold_and_contributions_add_up(p in profile()) {
        let c = run(&p);
        prop_assert!(c.score <= 100);
        let sum: i32 = c.factors.iter().map(|f| f.contribution).sum();
        prop_assert_eq!(sum, i32::try_from(c.score).unwrap());
        if p.use_.safety_impact == Some(SafetyImpact::LifeCritical) {
            prop_assert_eq!(c.tier, Tier::Critical);
        }
        match c.cra_class {
            CraClass::ImportantI => prop_assert!(c.tier >= Tier::Medium),
            CraClass::ImportantIi => prop_assert!(c.tier >= Tier::High),
            CraClass::Critical => prop_assert_eq!(c.tier, Tier::Critical),
            _ => {}
        }
    }
}

/// A fact in three states: the strength declared, not declared, the weakness declared.
type Edit = fn(&mut Profile);

/// The contribution of factor `name` after `edit`.
fn contribution(p: &Profile, name: &str, edit: Edit) -> i32 {
    let mut q = p.clone();
    edit(&mut q);
    run(&q)
        .factors
        .iter()
        .find(|f| f.name == name)
        .map_or_else(|| panic!("no factor {name}"), |f| f.contribution)
}

/// Every exposure fact: (factor, strength, undeclared, weakness).
fn exposure_facts() -> Vec<(&'static str, Edit, Edit, Edit)> {
    use riskmark_model::CredentialStorage;
    vec![
        (
            "internet_reachable",
            |p| p.connectivity.internet_reachable = Some(false),
            |p| p.connectivity.internet_reachable = None,
            |p| p.connectivity.internet_reachable = Some(true),
        ),
        (
            "upnp",
            |p| p.connectivity.upnp = Some(false),
            |p| p.connectivity.upnp = None,
            |p| p.connectivity.upnp = Some(true),
        ),
        (
            "unauthenticated_services",
            |p| p.connectivity.services = Some(Vec::new()),
            |p| p.connectivity.services = None,
            |p| {
                p.connectivity.services = Some(vec![Service {
                    port: 23,
                    protocol: Some(Protocol::Tcp),
                    name: Some("telnet".into()),
                    authentication: Some(AuthMethod::None),
                    purpose: None,
                }]);
            },
        ),
        (
            "default_password",
            |p| {
                p.identity.as_mut().unwrap().default_password =
                    Some(DefaultPassword::UniquePerDevice)
            },
            |p| p.identity.as_mut().unwrap().default_password = None,
            |p| p.identity.as_mut().unwrap().default_password = Some(DefaultPassword::Universal),
        ),
        (
            "updates",
            |p| {
                let u = p.updates.as_mut().unwrap();
                u.mechanism = Some(UpdateMechanism::Automatic);
                u.signed = Some(true);
            },
            |p| {
                let u = p.updates.as_mut().unwrap();
                u.mechanism = None;
                u.signed = None;
            },
            |p| {
                let u = p.updates.as_mut().unwrap();
                u.mechanism = Some(UpdateMechanism::Automatic);
                u.signed = Some(false);
            },
        ),
        (
            "support_period",
            |p| {
                p.updates.as_mut().unwrap().support_end =
                    riskmark_model::IsoDate::parse("2030-01-01").ok()
            },
            |p| p.updates.as_mut().unwrap().support_end = None,
            |p| {
                p.updates.as_mut().unwrap().support_end =
                    riskmark_model::IsoDate::parse("2020-01-01").ok()
            },
        ),
        (
            "brute_force_protection",
            |p| p.identity.as_mut().unwrap().brute_force_protection = Some(true),
            |p| p.identity.as_mut().unwrap().brute_force_protection = None,
            |p| p.identity.as_mut().unwrap().brute_force_protection = Some(false),
        ),
        (
            "credential_storage",
            |p| p.identity.as_mut().unwrap().credential_storage = Some(CredentialStorage::Hashed),
            |p| p.identity.as_mut().unwrap().credential_storage = None,
            |p| {
                p.identity.as_mut().unwrap().credential_storage = Some(CredentialStorage::Plaintext)
            },
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The README's promise: a fact that is not declared costs fewer points than the
    /// declared weakness and more than the declared strength (never the same as either
    /// when the two differ), for every exposure fact of every profile.
    #[test]
    fn an_undeclared_fact_costs_between_strength_and_weakness(p in profile()) {
        for (name, strength, undeclared, weakness) in exposure_facts() {
            let s = contribution(&p, name, strength);
            let u = contribution(&p, name, undeclared);
            let w = contribution(&p, name, weakness);
            prop_assert!(s <= u && u <= w, "{name}: strength {s}, undeclared {u}, weakness {w}");
            if s < w {
                prop_assert!(s < u && u < w, "{name}: strength {s}, undeclared {u}, weakness {w}");
            }
        }
    }
}
