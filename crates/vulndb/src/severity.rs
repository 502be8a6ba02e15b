//! Severity: CVSS base scores through the `cvss` crate, and the qualitative
//! ratings advisories carry when they have no vector.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The qualitative rating of a finding (CVSS v3.1 specification, section 5,
/// "Qualitative Severity Rating Scale"; the same bands in v4.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// CVSS 0.1-3.9, or an advisory rated "low".
    Low,
    /// CVSS 4.0-6.9, or "moderate"/"medium".
    Medium,
    /// CVSS 7.0-8.9, or "high".
    High,
    /// CVSS 9.0-10.0, or "critical".
    Critical,
}

impl Severity {
    /// The lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// The band of a CVSS score; `None` for 0.0 (CVSS "None").
    #[must_use]
    pub fn from_score(score: f64) -> Option<Self> {
        if score >= 9.0 {
            Some(Self::Critical)
        } else if score >= 7.0 {
            Some(Self::High)
        } else if score >= 4.0 {
            Some(Self::Medium)
        } else if score > 0.0 {
            Some(Self::Low)
        } else {
            None
        }
    }

    /// Reads a qualitative rating as advisories write it: `LOW`, `MODERATE`,
    /// `MEDIUM`, `HIGH`, `CRITICAL` (GitHub, OSV `database_specific`,
    /// Ubuntu), case-insensitively. `negligible`/`none` give `None`.
    #[must_use]
    pub fn from_label(label: &str) -> Option<Self> {
        match label.trim().to_ascii_lowercase().as_str() {
            "low" => Some(Self::Low),
            "moderate" | "medium" => Some(Self::Medium),
            "high" | "important" => Some(Self::High),
            "critical" => Some(Self::Critical),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_label(s).ok_or_else(|| format!("unknown severity {s:?}"))
    }
}

/// A CVSS vector and the base score computed from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    /// The vector as the advisory writes it (`CVSS:3.1/AV:N/...`).
    pub vector: String,
    /// The base score computed by the `cvss` crate (v2, v3.0, v3.1, v4.0).
    pub score: f64,
}

impl Cvss {
    /// Parses a vector and computes its score; `None` when the `cvss` crate
    /// rejects the vector.
    #[must_use]
    pub fn from_vector(vector: &str) -> Option<Self> {
        let parsed = cvss::Cvss::from_str(vector.trim()).ok()?;
        let score = parsed.score();
        score.is_finite().then(|| Self {
            vector: vector.trim().to_owned(),
            score,
        })
    }

    /// The qualitative band of the score.
    #[must_use]
    pub fn severity(&self) -> Option<Severity> {
        Severity::from_score(self.score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference scores from the FIRST CVSS v3.1 specification's examples
    /// and NVD's published base scores for well-known CVEs.
    #[test]
    fn scores_match_published_values() {
        for (vector, score) in [
            // CVE-2014-0160 (Heartbleed), NVD v3.1: 7.5
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5),
            // CVE-2023-38545 (curl SOCKS5), NVD v3.1: 9.8
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            // CVE-2022-0847 (Dirty Pipe), NVD v3.1: 7.8
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
            // RUSTSEC-2023-0090 (wasmtime), GHSA: 9.9
            ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9),
            // CVE-2020-25684 (DNSpooq), NVD v3.1: 3.7
            ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N", 3.7),
        ] {
            let c = Cvss::from_vector(vector);
            assert_eq!(c.as_ref().map(|c| c.score), Some(score), "{vector}");
        }
        assert_eq!(Cvss::from_vector("CVSS:3.1/AV:X"), None);
        assert_eq!(Cvss::from_vector(""), None);
    }

    #[test]
    fn bands() {
        assert_eq!(Severity::from_score(9.8), Some(Severity::Critical));
        assert_eq!(Severity::from_score(7.0), Some(Severity::High));
        assert_eq!(Severity::from_score(6.9), Some(Severity::Medium));
        assert_eq!(Severity::from_score(0.1), Some(Severity::Low));
        assert_eq!(Severity::from_score(0.0), None);
        assert_eq!(Severity::from_label("MODERATE"), Some(Severity::Medium));
        assert_eq!(Severity::from_label("negligible"), None);
    }
}
