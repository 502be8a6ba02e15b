//! `riskmark policy check FILE`

use std::path::Path;

use riskmark_risk::Policy;

use super::{Outcome, report_load_error};
use crate::output;

pub(crate) fn check(file: &Path) -> anyhow::Result<Outcome> {
    match Policy::from_path(file) {
        Ok(p) => {
            output::out(&format!(
                "ok: {} (policy {} {})\n",
                file.display(),
                p.name,
                p.version
            ))?;
            Ok(Outcome::Success)
        }
        Err(e) => {
            report_load_error(&e);
            Ok(Outcome::InputError)
        }
    }
}
