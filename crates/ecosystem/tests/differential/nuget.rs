//! NuGet against `NuGet.Versioning`'s own test vectors and docs.

use super::*;

/// NuGet: no `NuGet.Versioning` runs here. Debian bookworm packages no .NET
/// SDK; its `nuget` package is NuGet 2.8 on Mono, whose `SemanticVersion`
/// predates SemVer 2 ordering (dotted labels compared as one string); the
/// npm and PyPI packages claiming NuGet semantics (`@snyk/nuget-semver`,
/// `ps-version`) order Maven-style or drop dotted labels. So these vectors
/// come from the reference's own tests and docs:
/// - NuGet.Client `test/NuGet.Core.Tests/NuGet.Versioning.Test/`
///   (`VersionComparerTests.cs`, `NuGetVersionTest.cs`,
///   `VersionParsingTests.cs`), marked [T];
/// - <https://learn.microsoft.com/nuget/concepts/package-versioning>
///   (pre-release order, normalized version numbers), marked [D];
/// - our reading of `VersionComparer.CompareRelease` (`int.TryParse` decides
///   which labels are numeric) and `SemanticVersion.IsValidPart` (no leading
///   zeros in numeric labels), marked [S].
#[test]
fn nuget_matches_nuget_versioning_vectors() {
    use Ordering::{Equal, Greater, Less};
    let vectors = [
        // [T] VersionComparisonDefaultEqual
        ("1.0.0", Equal, "1.0.0"),
        ("1.0.0-BETA", Equal, "1.0.0-beta"),
        ("1.0.0-BETA+AA", Equal, "1.0.0-beta+aa"),
        (
            "1.0.0-BETA.X.y.5.77.0+AA",
            Equal,
            "1.0.0-beta.x.y.5.77.0+aa",
        ),
        // [T] VersionComparisonDefaultLess
        ("0.0.0", Less, "1.0.0"),
        ("1.0.0", Less, "1.1.0"),
        ("1.0.0", Less, "1.0.1"),
        ("1.999.9999", Less, "2.1.1"),
        ("1.0.0-BETA", Less, "1.0.0-beta2"),
        ("1.0.0-beta+AA", Less, "1.0.0+aa"),
        ("1.0.0-BETA", Less, "1.0.0-beta.1+AA"),
        ("1.0.0-BETA.X.y.5.77.0+AA", Less, "1.0.0-beta.x.y.5.79.0+aa"),
        (
            "1.0.0-BETA.X.y.5.79.0+AA",
            Less,
            "1.0.0-beta.x.y.5.790.0+abc",
        ),
        // [T] SemVerLessThanAndGreaterThanOperatorsWorks
        ("1.0", Less, "1.0.1"),
        ("1.23", Less, "1.231"),
        ("1.4.5.6", Less, "1.45.6"),
        ("1.4.5.6", Less, "1.4.5.60"),
        ("1.01", Less, "1.10"),
        ("1.01-alpha", Less, "1.10-beta"),
        ("1.01.0-RC-1", Less, "1.10.0-rc-2"),
        ("1.01-RC-1", Less, "1.01"),
        ("1.01", Less, "1.2-preview"),
        // [T] SemVerEqualsOperatorWorks
        ("1.0", Equal, "1.0.0.0"),
        ("1.23.01", Equal, "1.23.1"),
        ("1.45.6", Equal, "1.45.6.0"),
        ("1.45.6-Alpha", Equal, "1.45.6-Alpha"),
        ("1.6.2-BeTa", Equal, "1.6.02-beta"),
        ("22.3.07     ", Equal, "22.3.07"),
        // [T] VersionLength, ParseReadsLegacyStyleVersionNumbers,
        // ParseIgnoresLeadingAndTrailingWhitespace, ToStringReturnsNormalizedForSemVer2
        ("2", Equal, "2.0.0"),
        ("2.0", Equal, "2.0.0"),
        ("2.0.0.0", Equal, "2.0.0"),
        ("1.022", Equal, "1.22.0.0"),
        ("23.2.3", Equal, "23.2.3.0"),
        ("  1.022-Beta", Equal, "1.22.0.0-Beta"),
        (
            "    1.3.42.10133-PreRelease  ",
            Equal,
            "1.3.42.10133-PreRelease",
        ),
        ("1.0+A", Equal, "1.0.0"),
        ("1.0-1.1+B.B", Equal, "1.0.0-1.1"),
        ("1.0.0009.01-1.1+A", Equal, "1.0.9.1-1.1"),
        // [D] pre-release order, lowest first
        ("1.0.1-aaa", Less, "1.0.1-alpha10"),
        ("1.0.1-alpha10", Less, "1.0.1-alpha2"),
        ("1.0.1-alpha2", Less, "1.0.1-beta"),
        ("1.0.1-beta", Less, "1.0.1-open"),
        ("1.0.1-open", Less, "1.0.1-rc.2"),
        ("1.0.1-rc.2", Less, "1.0.1-rc.10"),
        ("1.0.1-rc.10", Less, "1.0.1-zzz"),
        ("1.0.1-zzz", Less, "1.0.1"),
        // [D] normalized version numbers
        ("1.00", Equal, "1.0"),
        ("1.01.1", Equal, "1.1.1"),
        ("1.00.0.1", Equal, "1.0.0.1"),
        ("1.0.0.0", Equal, "1.0.0"),
        ("1.0.01.0", Equal, "1.0.1"),
        ("1.0.7+r3456", Equal, "1.0.7"),
        // [S] labels that int.TryParse reads are numeric, others ordinal
        ("1.0.0-2147483647", Less, "1.0.0-2147483648"),
        ("1.0.0-10000000000", Less, "1.0.0-3000000000"),
        ("1.0.0-2147483648", Less, "1.0.0-a"),
        ("1.0.0-a.-1", Less, "1.0.0-a.0"),
        ("1.0.0--2", Less, "1.0.0--1"),
        ("1.0.0-a.-0", Equal, "1.0.0-a.0"),
        ("1.0.0-0A", Greater, "1.0.0-999"),
    ];
    let checked = check_vectors(Scheme::NuGet, &vectors);
    assert_eq!(checked, vectors.len());
    let valid = [
        // [T] NuGetVersionParseStrict, FullVersionParsing, TryParseStrictParsesStrictVersion
        "1.0.0",
        "0.0.1",
        "1.2.3-X.y.3+Meta-2",
        "1.2.3-X.yZ.3.234.243.3242342+METADATA",
        "1.2.3-X.y3+0",
        "1.2.3-X+0",
        "1.2.3+0",
        "1.2.3-0",
        "1.0.0-RC.X.35.A.3455+Meta-A-B-C",
        "1.3.2-CTP-2-Refresh-Alpha",
        "3.4.0.3-RC-3",
        "2.1.4.3-pre-1",
        "01.42.0-alpha+metadata",
        // [D] version basics
        "6.11.1231",
        "4.3.1-rc",
        "2.2.44-beta.1",
        // [S] metadata may have leading zeros; Int32 limits
        "1.0.0+01",
        "2147483647.0",
    ];
    for v in valid {
        assert!(Version::parse(Scheme::NuGet, v).is_ok(), "{v:?} is valid");
    }
    let invalid = [
        // [T] ParseThrowsIfStringIsNullOrEmpty, ParseThrowsIfStringIsNotAValidSemVer
        "",
        "1beta",
        "$version$",
        "1.2Av^c",
        "1.2..",
        "1.2.3.4.5",
        "1.2.3.Beta",
        "1.2.3.4This version is full of awesomeness!!",
        "So.is.this",
        "1.34.2Alpha",
        "1.34.2Release Candidate",
        "1.4.7-",
        "1.4.7-*",
        "1.4.7+*",
        "1.4.7-AA.01^",
        "1.4.7-AA.0A^",
        "1.4.7-A^A",
        "1.4.7+AA.01^",
        // [S] leading zeros in a numeric label; beyond Int32
        "1.0.0-01",
        "1.0.0-a.00",
        "2147483648.0",
    ];
    for v in invalid {
        assert!(
            Version::parse(Scheme::NuGet, v).is_err(),
            "{v:?} is invalid"
        );
    }
}
