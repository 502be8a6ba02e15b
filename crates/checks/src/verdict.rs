//! What a check says: status, reasons, the facts it used, and how they are known.

use riskmark_model::{Practice, Profile, UpdateMechanism};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The declared facts meet the check.
    Pass,
    /// The declared facts contradict it.
    Fail,
    /// A fact the check needs is not declared: never a pass.
    NeedsEvidence,
    /// The standard's own applicability conditions exclude it for this product.
    NotApplicable,
}

/// How the facts behind a verdict are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Stated by the manufacturer only.
    Declared,
    /// Backed by third-party evidence (test report, certificate, probe).
    Verified,
    /// The facts are missing.
    None,
}

/// Who is responsible for a control (shared responsibility).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The manufacturer placing the product on the market.
    Manufacturer,
    /// Whoever develops the software (in-house or supplier).
    SoftwareDeveloper,
    /// The operator or integrator running the product.
    Operator,
    /// The end user.
    User,
}

/// A profile fact a verdict used, with where it lives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactRef {
    /// Dotted profile path (e.g. `identity.default_password`).
    pub path: String,
    /// Its value (`null` when not declared).
    pub value: Value,
}

/// One check's verdict on one product.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The check's stable code.
    pub code: &'static str,
    /// The status.
    pub status: Status,
    /// Why, in words.
    pub reasons: Vec<String>,
    /// The facts used.
    pub facts: Vec<FactRef>,
    /// Declared, verified or none.
    pub evidence: Basis,
    /// Who is responsible.
    pub responsible: Vec<Role>,
}

/// Builds a verdict while recording the facts it reads.
pub(crate) struct Builder<'a> {
    profile: &'a Profile,
    facts: Vec<FactRef>,
}

impl<'a> Builder<'a> {
    pub(crate) fn new(profile: &'a Profile) -> Self {
        Self {
            profile,
            facts: Vec::new(),
        }
    }

    /// Records a fact (any serializable value; `None` is recorded as not declared).
    pub(crate) fn fact<T: Serialize>(&mut self, path: &str, value: &T) -> &mut Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.facts.push(FactRef {
            path: path.to_owned(),
            value,
        });
        self
    }

    fn basis(&self) -> Basis {
        let declared: Vec<&FactRef> = self.facts.iter().filter(|f| !f.value.is_null()).collect();
        if declared.is_empty() {
            Basis::None
        } else if declared.iter().all(|f| self.profile.is_verified(&f.path)) {
            Basis::Verified
        } else {
            Basis::Declared
        }
    }

    pub(crate) fn verdict(&mut self, status: Status, reason: impl Into<String>) -> Verdict {
        Verdict {
            code: "",
            status,
            reasons: vec![reason.into()],
            evidence: self.basis(),
            facts: std::mem::take(&mut self.facts),
            responsible: Vec::new(),
        }
    }

    pub(crate) fn pass(&mut self, reason: impl Into<String>) -> Verdict {
        self.verdict(Status::Pass, reason)
    }

    pub(crate) fn fail(&mut self, reason: impl Into<String>) -> Verdict {
        self.verdict(Status::Fail, reason)
    }

    pub(crate) fn needs(&mut self, reason: impl Into<String>) -> Verdict {
        self.verdict(Status::NeedsEvidence, reason)
    }

    pub(crate) fn na(&mut self, reason: impl Into<String>) -> Verdict {
        self.verdict(Status::NotApplicable, reason)
    }

    /// Whether `practice` is among the declared development practices.
    pub(crate) fn practice(
        &mut self,
        practices: Option<&[Practice]>,
        practice: Practice,
    ) -> Verdict {
        self.fact("development.practices", &practices);
        match practices {
            None => self.needs("`development.practices` is not declared"),
            Some(p) if p.contains(&practice) => self.pass(format!("declared practice: {practice}")),
            Some(_) => self.fail(format!("`{practice}` is not among the declared practices")),
        }
    }

    /// A yes/no fact about updates, not applicable when the product cannot be updated.
    pub(crate) fn update_flag(
        &mut self,
        mechanism: Option<UpdateMechanism>,
        path: &str,
        value: Option<bool>,
        yes: &str,
        no: &str,
    ) -> Verdict {
        if mechanism == Some(UpdateMechanism::None) {
            self.fact("updates.mechanism", &mechanism);
            return self.na("the product has no update mechanism");
        }
        self.flag(path, value, yes, no)
    }

    /// The common shape of a yes/no fact: `true` passes, `false` fails, missing needs evidence.
    pub(crate) fn flag(&mut self, path: &str, value: Option<bool>, yes: &str, no: &str) -> Verdict {
        self.fact(path, &value);
        match value {
            Some(true) => self.pass(yes),
            Some(false) => self.fail(no),
            None => self.needs(format!("`{path}` is not declared")),
        }
    }
}
