//! `riskmark validate PROFILE...`

use std::path::PathBuf;

use serde_json::json;

use super::{Outcome, report_load_error};
use crate::cli::TextJson;
use crate::output;

pub(crate) fn run(profiles: &[PathBuf], format: TextJson) -> anyhow::Result<Outcome> {
    let mut results = Vec::new();
    let mut text = String::new();
    let mut failed = false;
    for path in profiles {
        match super::load_profile(path) {
            Ok(p) => {
                let pr = &p.profile.product;
                text.push_str(&format!(
                    "ok: {} ({} {} {}, {})\n",
                    p.file, pr.manufacturer, pr.name, pr.model, pr.category
                ));
                results.push(json!({ "file": p.file, "valid": true, "diagnostics": [] }));
            }
            Err(e) => {
                failed = true;
                if format == TextJson::Text {
                    report_load_error(&e);
                }
                results.push(json!({
                    "file": path.display().to_string(),
                    "valid": false,
                    "diagnostics": e.diagnostics(),
                }));
            }
        }
    }
    match format {
        TextJson::Text => output::out(&text)?,
        TextJson::Json => {
            let doc = json!({ "valid": !failed, "files": results });
            output::out(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        }
    }
    Ok(if failed {
        Outcome::InputError
    } else {
        Outcome::Success
    })
}
