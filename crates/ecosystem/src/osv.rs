//! OSV range evaluation (<https://ossf.github.io/osv-schema/>,
//! "Evaluation" of `affected[].ranges[]` and `affected[].versions`).

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::{Ecosystem, RangeError, Scheme, Version};

/// One `affected[].ranges[]` entry; deserializes straight from OSV JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type")]
    pub kind: RangeKind,
    /// The repository of a `GIT` range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// The events, in any order.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// The `type` of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RangeKind {
    /// Versions are SemVer 2.0.0, whatever the ecosystem.
    Semver,
    /// Versions follow the ecosystem's own scheme.
    Ecosystem,
    /// Versions are commit hashes: not evaluable by version.
    Git,
    /// A type this crate does not know; skipped like `GIT`.
    #[serde(other)]
    Unknown,
}

/// One event of a range: `{"introduced": "1.0"}` and so on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The first affected version; `"0"` means "since the beginning".
    Introduced(String),
    /// The first version that is no longer affected.
    Fixed(String),
    /// The last affected version.
    LastAffected(String),
    /// An upper limit on the range (`"*"` for none).
    Limit(String),
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluation {
    /// The version is listed in `versions` or lies in a `SEMVER` or
    /// `ECOSYSTEM` range.
    pub affected: bool,
    /// Ranges that could not be evaluated by version (`GIT` or unknown
    /// types); a caller may want to say so when `affected` is false.
    pub unevaluated_ranges: usize,
}

/// Whether `version` of `ecosystem` is affected, following the OSV schema's
/// evaluation.
///
/// # Errors
/// See [`evaluate`].
pub fn is_affected(
    ecosystem: &Ecosystem,
    version: &str,
    ranges: &[Range],
    versions: &[String],
) -> Result<bool, RangeError> {
    evaluate(ecosystem, version, ranges, versions).map(|e| e.affected)
}

/// Evaluates `version` of `ecosystem` against OSV `ranges` and the explicit
/// `versions` list.
///
/// - A version listed in `versions` (same string, or equal precedence when
///   the entry parses) is affected.
/// - In each `SEMVER`/`ECOSYSTEM` range, the events are taken in version
///   order (`introduced: "0"` first) and walked: an `introduced` at or below
///   the version makes it affected, a `fixed` at or below it or a
///   `last_affected` strictly below it makes it unaffected. Events at the
///   same version take effect `introduced` first, so `introduced` and
///   `fixed` at one version give an empty interval. Instead of sorting (a
///   sort could misbehave on a scheme that is not a strict total order, as
///   `rpmvercmp` is not), the walk keeps the greatest triggered event, which
///   is the same.
/// - When a range has `limit` events, the version must also be below one of
///   them (`"*"` means no limit).
/// - `GIT` ranges and unknown types are counted in
///   [`Evaluation::unevaluated_ranges`].
///
/// # Errors
/// [`RangeError::Version`] when `version` or an event version is not valid
/// in the scheme of the range, [`RangeError::NoIntroduced`] for a version
/// range without `introduced`.
pub fn evaluate(
    ecosystem: &Ecosystem,
    version: &str,
    ranges: &[Range],
    versions: &[String],
) -> Result<Evaluation, RangeError> {
    let mut unevaluated = 0;
    if versions.iter().any(|v| v == version) {
        return Ok(Evaluation {
            affected: true,
            unevaluated_ranges: count_unevaluated(ranges),
        });
    }
    let mut parsed: Option<Version> = None;
    if !versions.is_empty() {
        let v = Version::parse_in(ecosystem, version)?;
        if versions
            .iter()
            .any(|l| Version::parse_in(ecosystem, l).is_ok_and(|l| l == v))
        {
            return Ok(Evaluation {
                affected: true,
                unevaluated_ranges: count_unevaluated(ranges),
            });
        }
        parsed = Some(v);
    }
    let mut affected = false;
    for range in ranges {
        let scheme = match range.kind {
            RangeKind::Semver => Scheme::SemVer,
            RangeKind::Ecosystem => ecosystem.scheme(),
            RangeKind::Git | RangeKind::Unknown => {
                unevaluated += 1;
                continue;
            }
        };
        if affected {
            continue;
        }
        let v = match &parsed {
            Some(p) if p.scheme() == scheme => p.clone(),
            _ => {
                let p = Version::parse(scheme, version)?;
                parsed = Some(p.clone());
                p
            }
        };
        affected = in_range(scheme, &v, &range.events)?;
    }
    Ok(Evaluation {
        affected,
        unevaluated_ranges: unevaluated,
    })
}

fn count_unevaluated(ranges: &[Range]) -> usize {
    ranges
        .iter()
        .filter(|r| matches!(r.kind, RangeKind::Git | RangeKind::Unknown))
        .count()
}

/// An event that applies to the version, with its place in the walk.
struct Triggered {
    /// `None` for `introduced: "0"`.
    at: Option<Version>,
    /// 0 for `introduced`, 1 for `fixed` and `last_affected`.
    rank: u8,
}

impl Triggered {
    fn after(&self, other: &Self) -> bool {
        let by_version = match (&self.at, &other.at) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(a), Some(b)) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
        };
        by_version.then(self.rank.cmp(&other.rank)) == Ordering::Greater
    }
}

/// The range's events read as the listed `introduced`/`fixed` (or `last_affected`)
/// pairs when they are listed out of order: a version of a later event is lower than
/// one before it (`introduced 0.13.0, fixed 0.14.0rc1, introduced 0.12.2, fixed
/// 0.13.0`). The union of those intervals is what such advisories' texts say ("0.12.2
/// to 0.12.6, 0.13.0 to 0.13.2 are vulnerable") and how Trivy reads them; the walk of
/// the OSV schema over the sorted events would end the first interval at the second's
/// start. `None` when the events are in order or do not form pairs (each `introduced`
/// followed by one `fixed` or `last_affected`, the last one possibly open): the walk
/// decides then.
fn listed_pairs(scheme: Scheme, v: &Version, events: &[Event]) -> Option<bool> {
    let at = |e: &Event| -> Option<Option<Version>> {
        match e {
            Event::Introduced(i) if i == "0" => Some(None),
            Event::Introduced(x) | Event::Fixed(x) | Event::LastAffected(x) => {
                Version::parse(scheme, x).ok().map(Some)
            }
            Event::Limit(_) => None,
        }
    };
    let bounds: Vec<(&Event, Option<Version>)> = events
        .iter()
        .filter(|e| !matches!(e, Event::Limit(_)))
        .map(|e| at(e).map(|a| (e, a)))
        .collect::<Option<_>>()?;
    let out_of_order = bounds.windows(2).any(|w| match (&w[0].1, &w[1].1) {
        (Some(a), Some(b)) => b < a,
        (Some(_), None) => true,
        _ => false,
    });
    if !out_of_order {
        return None;
    }
    let mut affected = false;
    let mut it = bounds.iter();
    while let Some((first, from)) = it.next() {
        if !matches!(first, Event::Introduced(_)) {
            return None;
        }
        let above = from.as_ref().is_none_or(|f| v >= f);
        match it.next() {
            None => affected |= above,
            Some((Event::Fixed(_), Some(to))) => affected |= above && v < to,
            Some((Event::LastAffected(_), Some(to))) => affected |= above && v <= to,
            Some(_) => return None,
        }
    }
    Some(affected)
}

fn in_range(scheme: Scheme, v: &Version, events: &[Event]) -> Result<bool, RangeError> {
    if let Some(affected) = listed_pairs(scheme, v, events) {
        return within_limits(scheme, v, events).map(|below| below && affected);
    }
    let mut has_introduced = false;
    let mut last: Option<Triggered> = None;
    let mut limits = Vec::new();
    for event in events {
        let triggered = match event {
            Event::Introduced(i) => {
                has_introduced = true;
                if i == "0" {
                    Some(Triggered { at: None, rank: 0 })
                } else {
                    let i = Version::parse(scheme, i)?;
                    (v >= &i).then_some(Triggered {
                        at: Some(i),
                        rank: 0,
                    })
                }
            }
            Event::Fixed(f) => {
                let f = Version::parse(scheme, f)?;
                (v >= &f).then_some(Triggered {
                    at: Some(f),
                    rank: 1,
                })
            }
            Event::LastAffected(l) => {
                let l = Version::parse(scheme, l)?;
                (v > &l).then_some(Triggered {
                    at: Some(l),
                    rank: 1,
                })
            }
            Event::Limit(l) => {
                limits.push(l);
                None
            }
        };
        if let Some(t) = triggered
            && last.as_ref().is_none_or(|l| t.after(l))
        {
            last = Some(t);
        }
    }
    if !has_introduced {
        return Err(RangeError::NoIntroduced);
    }
    if !limits.is_empty() && !within_limits(scheme, v, events)? {
        return Ok(false);
    }
    Ok(last.is_some_and(|t| t.rank == 0))
}

/// Whether the version is below one of the range's `limit`s (always, without one or
/// with `*`).
fn within_limits(scheme: Scheme, v: &Version, events: &[Event]) -> Result<bool, RangeError> {
    let mut limits = events.iter().filter_map(|e| match e {
        Event::Limit(l) => Some(l),
        _ => None,
    });
    let mut any = false;
    let mut below = false;
    for l in limits.by_ref() {
        any = true;
        if l == "*" || v < &Version::parse(scheme, l)? {
            below = true;
        }
    }
    Ok(!any || below)
}
