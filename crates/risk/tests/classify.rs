//! Unit tests of each factor, the CRA placement and the tier rules, on the spec's own
//! example profile (copied into the model crate's fixtures).

use jiff::civil::date;
use riskmark_model::{
    AuthMethod, Category, DataKind, DefaultPassword, Environment, PhysicalEffect, Profile,
    Protocol, Regime, SafetyImpact, Service, UpdateMechanism, load_bytes,
};
use riskmark_risk::{Classification, Context, CraClass, Policy, Tier, classify};

const SPEC: &str = include_str!("../../model/tests/fixtures/spec-example.toml");

fn spec() -> Profile {
    load_bytes("spec.toml", SPEC.as_bytes()).unwrap().profile
}

fn run(p: &Profile) -> Classification {
    classify(
        p,
        &Policy::default_policy(),
        &Context::on(date(2026, 11, 24)),
    )
}

fn factor(c: &Classification, name: &str) -> i32 {
    c.factors
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no factor {name}"))
        .contribution
}

#[test]
fn contributions_explain_the_score() {
    let c = run(&spec());
    let sum: i32 = c.factors.iter().map(|f| f.contribution).sum();
    assert_eq!(sum, i32::try_from(c.score).unwrap());
    assert!(c.factors.iter().all(|f| !f.reason.is_empty()));
}

#[test]
fn spec_smart_plug_is_low_and_default_class() {
    let c = run(&spec());
    assert_eq!(c.tier, Tier::Low);
    assert_eq!(c.cra_class, CraClass::Default);
    // Impact: switch-mains-power and safety `low` are level 1 -> 10 points.
    assert_eq!(c.impact_level, 1);
    assert_eq!(factor(&c, "safety_impact"), 10);
    // Exposure: one unauthenticated http service.
    assert_eq!(factor(&c, "unauthenticated_services"), 4);
    assert_eq!(factor(&c, "internet_reachable"), 0);
    // 250,000 units: bucket from 100,000 -> 6 points.
    assert_eq!(factor(&c, "installed_base"), 6);
    assert_eq!(c.score, 20);
}

#[test]
fn each_exposure_factor_adds_its_points() {
    let base = run(&spec());
    type Change = Box<dyn Fn(&mut Profile)>;
    let cases: Vec<(&str, i32, Change)> = vec![
        (
            "internet_reachable",
            12,
            Box::new(|p| p.connectivity.internet_reachable = Some(true)),
        ),
        ("upnp", 5, Box::new(|p| p.connectivity.upnp = Some(true))),
        (
            "default_password",
            15,
            Box::new(|p| {
                p.identity.as_mut().unwrap().default_password = Some(DefaultPassword::Universal)
            }),
        ),
        (
            "updates",
            12,
            Box::new(|p| p.updates.as_mut().unwrap().mechanism = Some(UpdateMechanism::None)),
        ),
        (
            "updates",
            8,
            Box::new(|p| p.updates.as_mut().unwrap().signed = Some(false)),
        ),
        (
            "support_period",
            10,
            Box::new(|p| {
                p.updates.as_mut().unwrap().support_end =
                    Some(riskmark_model::IsoDate::parse("2020-01-01").unwrap())
            }),
        ),
        (
            "support_period",
            4,
            Box::new(|p| p.updates.as_mut().unwrap().support_end = None),
        ),
        (
            "credential_storage",
            5,
            Box::new(|p| {
                p.identity.as_mut().unwrap().credential_storage =
                    Some(riskmark_model::CredentialStorage::Plaintext)
            }),
        ),
    ];
    for (name, pts, change) in cases {
        let mut p = spec();
        change(&mut p);
        let c = run(&p);
        assert_eq!(factor(&c, name), pts, "{name}");
        assert_eq!(c.score, base.score + u32::try_from(pts).unwrap(), "{name}");
    }
}

#[test]
fn brute_force_counts_only_with_passwords() {
    let mut p = spec();
    p.identity.as_mut().unwrap().brute_force_protection = Some(false);
    assert_eq!(
        factor(&run(&p), "brute_force_protection"),
        4,
        "unique default passwords exist"
    );
    p.identity.as_mut().unwrap().default_password = Some(DefaultPassword::None);
    p.identity.as_mut().unwrap().authentication = Some(vec![AuthMethod::AppPairing]);
    assert_eq!(factor(&run(&p), "brute_force_protection"), 0);
}

#[test]
fn unauthenticated_services_are_capped() {
    let mut p = spec();
    let svc = |port| Service {
        port,
        protocol: Some(Protocol::Tcp),
        name: None,
        authentication: Some(AuthMethod::None),
        purpose: None,
    };
    p.connectivity.services = Some((1..=10).map(svc).collect());
    assert_eq!(factor(&run(&p), "unauthenticated_services"), 12);
}

#[test]
fn not_declared_costs_less_than_a_declared_weakness_and_more_than_a_strength() {
    let mut declared_bad = spec();
    declared_bad.connectivity.internet_reachable = Some(true);
    let mut undeclared = spec();
    undeclared.connectivity.internet_reachable = None;
    let good = run(&spec());
    let (bad, und) = (run(&declared_bad), run(&undeclared));
    assert!(good.score < und.score && und.score < bad.score);
    let f = und
        .factors
        .iter()
        .find(|f| f.name == "internet_reachable")
        .unwrap();
    assert!(!f.declared && f.value.is_null());
}

#[test]
fn impact_uses_highest_dimension_plus_breadth() {
    let mut p = spec();
    p.use_.data = Some(vec![DataKind::Video, DataKind::Audio]);
    p.use_.security_function = Some(true);
    let c = run(&p);
    // data (video) level 2 is the highest -> 20; security function level 2 adds breadth 3.
    assert_eq!(c.impact_level, 2);
    assert_eq!(factor(&c, "data"), 20);
    assert_eq!(factor(&c, "security_function"), 3);
    assert_eq!(factor(&c, "safety_impact"), 0);
}

#[test]
fn undeclared_use_falls_back_to_the_category_catalogue() {
    let mut p = spec();
    p.product.category = Category::SmartLock;
    p.use_.physical_effects = None;
    p.use_.security_function = None;
    let c = run(&p);
    let f = c
        .factors
        .iter()
        .find(|f| f.name == "physical_effects")
        .unwrap();
    assert!(!f.declared);
    assert!(f.reason.contains("open-or-lock-door"), "{}", f.reason);
    let f = c
        .factors
        .iter()
        .find(|f| f.name == "security_function")
        .unwrap();
    assert!(
        f.reason.contains("typically a security function"),
        "{}",
        f.reason
    );
}

#[test]
fn life_critical_means_critical() {
    let mut p = spec();
    p.use_.safety_impact = Some(SafetyImpact::LifeCritical);
    let c = run(&p);
    assert_eq!(c.tier, Tier::Critical);
    assert!(c.tier_reasons.iter().any(|r| r.contains("life-critical")));
}

#[test]
fn largest_installed_base_raises_one_step() {
    let mut p = spec();
    p.product.units_in_market = Some(5_000_000);
    let c = run(&p);
    assert_eq!(factor(&c, "installed_base"), 10);
    assert_eq!(c.tier, Tier::Medium, "{:?}", c.tier_reasons);
}

#[test]
fn cra_classes_follow_annex_iii_and_iv() {
    let cases = [
        (Category::SmartLock, CraClass::ImportantI, "point 17"),
        (Category::HomeRouter, CraClass::ImportantI, "point 12"),
        (Category::SmartSpeaker, CraClass::ImportantI, "point 16"),
        (
            Category::AccessControlReader,
            CraClass::ImportantI,
            "point 1",
        ),
        (
            Category::Firewall,
            CraClass::ImportantIi,
            "class II, point 2",
        ),
        (
            Category::SmartMeterGateway,
            CraClass::Critical,
            "Annex IV, point 2",
        ),
        (
            Category::SecureElement,
            CraClass::Critical,
            "Annex IV, point 3",
        ),
        (Category::InfusionPump, CraClass::OutOfScope, "Art. 2(2)(a)"),
        (Category::VehicleEcu, CraClass::OutOfScope, "Art. 2(2)(c)"),
        (Category::SmartTv, CraClass::Default, "none"),
        (Category::Thermostat, CraClass::Default, "none"),
    ];
    for (cat, class, entry) in cases {
        let mut p = spec();
        p.product.category = cat;
        let c = run(&p);
        assert_eq!(c.cra_class, class, "{cat}");
        assert!(c.cra_entry.contains(entry), "{cat}: {}", c.cra_entry);
    }
}

#[test]
fn conditional_class_i_entries_depend_on_facts() {
    let mut toy = spec();
    toy.product.category = Category::ConnectedToy;
    toy.use_.data = Some(vec![DataKind::Usage]);
    assert_eq!(run(&toy).cra_class, CraClass::Default);
    toy.use_.data = Some(vec![DataKind::Audio]);
    assert_eq!(run(&toy).cra_class, CraClass::ImportantI);

    let mut watch = spec();
    watch.product.category = Category::Smartwatch;
    watch.use_.data = Some(vec![DataKind::Usage]);
    assert_eq!(run(&watch).cra_class, CraClass::Default);
    watch.use_.children = Some(true);
    assert_eq!(run(&watch).cra_class, CraClass::ImportantI);

    let mut home_security = spec();
    home_security.product.category = Category::Other;
    home_security.use_.security_function = Some(true);
    home_security.use_.environment = Some(Environment::Home);
    assert_eq!(
        run(&home_security).cra_entry,
        "Annex III, class I, point 17"
    );
}

#[test]
fn declared_regimes_exclude_from_scope() {
    let mut p = spec();
    p.product.category = Category::VehicleTelematics;
    assert_eq!(run(&p).cra_class, CraClass::Default);
    p.product.regulated_under = Some(vec![Regime::VehicleTypeApproval]);
    let c = run(&p);
    assert_eq!(c.cra_class, CraClass::OutOfScope);
    assert!(c.cra_reason.contains("2019/2144"));
}

#[test]
fn cra_class_floors_the_tier() {
    let mut p = spec();
    p.product.category = Category::Firewall;
    assert_eq!(run(&p).tier, Tier::High);
    p.product.category = Category::SmartMeterGateway;
    assert_eq!(run(&p).tier, Tier::Critical);
    p.product.category = Category::SmartLock;
    assert_eq!(run(&p).tier, Tier::Medium);
}

#[test]
fn car_sits_well_above_smart_plug() {
    let plug = run(&spec());
    let mut car = spec();
    car.product.category = Category::VehicleEcu;
    car.use_.environment = Some(Environment::Vehicle);
    car.use_.physical_effects = Some(vec![PhysicalEffect::SteerOrBrake]);
    car.use_.safety_impact = Some(SafetyImpact::LifeCritical);
    car.use_.data = Some(vec![DataKind::Location]);
    let car = run(&car);
    assert_eq!(car.tier, Tier::Critical);
    assert!(
        car.score >= plug.score + 30,
        "car {} plug {}",
        car.score,
        plug.score
    );
}

#[test]
fn cost_benefit_is_recorded_never_a_waiver() {
    let mut cheap = spec();
    cheap.product.price_usd = Some(1.0);
    let mut dear = spec();
    dear.product.price_usd = Some(5000.0);
    let (a, b) = (run(&cheap), run(&dear));
    assert_eq!(a.score, b.score);
    assert_eq!(factor(&a, "cost_benefit"), 0);
    assert!(
        a.factors
            .iter()
            .any(|f| f.name == "cost_benefit" && f.reason.contains("never waives"))
    );
}

#[test]
fn score_is_capped_with_an_explicit_adjustment() {
    let mut p = spec();
    p.use_.safety_impact = Some(SafetyImpact::LifeCritical);
    p.use_.data = Some(vec![DataKind::Biometric, DataKind::Video]);
    p.use_.children = Some(true);
    p.use_.security_function = Some(true);
    p.use_.environment = Some(Environment::CriticalInfrastructure);
    p.connectivity.internet_reachable = Some(true);
    p.connectivity.upnp = Some(true);
    p.identity.as_mut().unwrap().default_password = Some(DefaultPassword::Universal);
    p.updates.as_mut().unwrap().mechanism = Some(UpdateMechanism::None);
    p.updates.as_mut().unwrap().support_end = None;
    p.product.units_in_market = Some(10_000_000);
    let c = run(&p);
    assert_eq!(c.score, 100);
    assert!(factor(&c, "score_cap") < 0);
    let sum: i32 = c.factors.iter().map(|f| f.contribution).sum();
    assert_eq!(sum, 100);
}

#[test]
fn a_user_policy_changes_the_weights() {
    let text = riskmark_risk::DEFAULT_POLICY.replace("upnp = 5", "upnp = 30");
    let policy = Policy::from_bytes("mine.toml", text.as_bytes()).unwrap();
    let mut p = spec();
    p.connectivity.upnp = Some(true);
    let c = classify(&p, &policy, &Context::on(date(2026, 11, 24)));
    assert_eq!(factor(&c, "upnp"), 30);
}

#[test]
fn known_vulnerabilities_raise_exposure_monotonically() {
    use riskmark_risk::KnownVulns;
    let p = spec();
    let score = |v: Option<KnownVulns>| {
        classify(
            &p,
            &Policy::default_policy(),
            &Context {
                as_of: date(2026, 11, 24),
                vulnerabilities: v,
            },
        )
        .score
    };
    let none = score(None);
    let clean = score(Some(KnownVulns::default()));
    assert_eq!(none, clean, "a clean scan adds nothing");
    let one_high = score(Some(KnownVulns {
        total: 1,
        high: 1,
        ..Default::default()
    }));
    let kev = score(Some(KnownVulns {
        total: 1,
        high: 1,
        kev: 1,
        ..Default::default()
    }));
    let two_kev = score(Some(KnownVulns {
        total: 2,
        high: 2,
        kev: 2,
        ..Default::default()
    }));
    let epss = score(Some(KnownVulns {
        total: 2,
        high: 2,
        kev: 2,
        high_epss: 2,
        ..Default::default()
    }));
    assert_eq!(one_high, clean + 2);
    assert_eq!(kev, one_high + 10);
    assert!(clean < one_high && one_high < kev && kev < two_kev && two_kev < epss);
}

/// Policy files written before the `*_undeclared` points of services, brute-force
/// protection and credential storage keep loading, with the shipped points; a policy
/// that charges more for not declaring a fact than for declaring the weakness is refused
/// (declaring the weakness would lower the score), naming the field and line.
#[test]
fn undeclared_points_default_and_never_exceed_the_weakness() {
    let old: String = riskmark_risk::DEFAULT_POLICY
        .lines()
        .filter(|l| {
            !l.starts_with("services_undeclared")
                && !l.starts_with("brute_force_protection_undeclared")
                && !l.starts_with("credential_storage_undeclared")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(old, riskmark_risk::DEFAULT_POLICY);
    let p = Policy::from_bytes("old.toml", old.as_bytes()).unwrap();
    assert_eq!(p, Policy::default_policy());

    let bad = riskmark_risk::DEFAULT_POLICY.replace(
        "credential_storage_undeclared = 2",
        "credential_storage_undeclared = 9",
    );
    let e = Policy::from_bytes("bad.toml", bad.as_bytes()).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("bad.toml:")
            && text.contains("exposure.credential_storage_undeclared")
            && text.contains("plaintext_credentials"),
        "{text}"
    );
}
