//! `riskmark label PROFILE --out DIR`, `riskmark keygen --out PREFIX` and
//! `riskmark verify LABEL.json --pub PREFIX.pub` (see the `riskmark-label` crate).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use riskmark_engine::{Database, Inputs};
use riskmark_label::Lang;
use riskmark_label::sign::VerifyError;

use super::{Outcome, report_engine_error, report_warnings};
use crate::output;

/// A label language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LangArg {
    /// English.
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Japanese.
    Ja,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::En => Self::En,
            LangArg::De => Self::De,
            LangArg::Fr => Self::Fr,
            LangArg::Es => Self::Es,
            LangArg::Ja => Self::Ja,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct LabelArgs {
    /// Profile file (TOML or JSON).
    #[arg(value_name = "PROFILE")]
    profile: PathBuf,
    /// Directory to write label.svg, label.png, label.pdf, label.html and label.json into
    /// (created when missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Language of the label.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
    /// Registry base URL; the QR code encodes it followed by the device id.
    #[arg(long, value_name = "URL", default_value = riskmark_label::DEFAULT_REGISTRY_URL)]
    registry_url: String,
    /// Ed25519 private key (PKCS#8 PEM, from `riskmark keygen`) to sign label.json with.
    #[arg(long, value_name = "FILE")]
    sign_key: Option<PathBuf>,
    /// SBOM to scan for known vulnerabilities (default: the profile's `disclosure.sbom`
    /// when it names a local file).
    #[arg(long, value_name = "FILE")]
    sbom: Option<PathBuf>,
    /// Vulnerability database directory (default: the per-user one, else the embedded set).
    #[arg(long, value_name = "DIR")]
    db: Option<PathBuf>,
    /// VEX document (OpenVEX, CycloneDX or CSAF) whose `not_affected`/`fixed` statements
    /// suppress findings of the SBOM (repeatable).
    #[arg(long, value_name = "FILE")]
    vex: Vec<PathBuf>,
    /// Firmware image of the product: its SBOM is scanned (unless --sbom is given) and
    /// its weaknesses become verified verdicts the label reflects (see `riskmark firmware`).
    #[arg(long, value_name = "IMAGE")]
    firmware: Option<PathBuf>,
    /// Signed evidence from `riskmark probe --out` (repeatable): the checks it decides
    /// become verified verdicts the label reflects.
    #[arg(long, value_name = "FILE")]
    evidence: Vec<PathBuf>,
    /// Accept evidence only when signed by this key (PREFIX.pub from `riskmark keygen`).
    #[arg(long, value_name = "FILE")]
    evidence_pub: Option<PathBuf>,
    /// Risk policy file (default: the shipped policy, `riskmark policy show`).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Date the assessment speaks for, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct KeygenArgs {
    /// Writes PREFIX.key (private, PKCS#8 PEM, mode 0600) and PREFIX.pub (public, SPKI PEM).
    #[arg(long, value_name = "PREFIX")]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// A signed label.json.
    #[arg(value_name = "LABEL")]
    label: PathBuf,
    /// The signer's public key (PREFIX.pub from `riskmark keygen`).
    #[arg(long = "pub", value_name = "FILE")]
    public: PathBuf,
}

pub(crate) fn label(args: &LabelArgs) -> anyhow::Result<Outcome> {
    let as_of = super::classify::parse_as_of(args.as_of.as_deref())?;
    // Read the key first: a bad key should stop before anything is written.
    let key = match &args.sign_key {
        Some(file) => match read_text(file).map(|t| riskmark_label::sign::read_private(&t)) {
            Some(Ok(k)) => Some(k),
            Some(Err(e)) => {
                output::problem(&format!("error: {}: {e}", file.display()));
                return Ok(Outcome::InputError);
            }
            None => return Ok(Outcome::InputError),
        },
        None => None,
    };
    let (mut image_sbom, mut verified) = (None, Vec::new());
    if let Some(image) = &args.firmware {
        let Some((sbom, checks)) = super::firmware::evidence(image, as_of)? else {
            return Ok(Outcome::InputError);
        };
        (image_sbom, verified) = (Some(sbom), checks);
    }
    match super::probe::evidence(&args.evidence, args.evidence_pub.as_deref(), as_of) {
        Some(checks) => verified.extend(checks),
        None => return Ok(Outcome::InputError),
    }
    let inputs = Inputs {
        sbom: args.sbom.as_deref().map(super::doc).or(image_sbom),
        verified,
        vex: args.vex.iter().map(|p| super::doc(p)).collect(),
        policy: args.policy.clone(),
        database: Database::from_flag(args.db.as_deref()),
        ..Inputs::new(super::profile_doc(&args.profile), as_of)
    };
    let e = match riskmark_engine::evaluate(&inputs) {
        Ok(e) => e,
        Err(e) => return Ok(report_engine_error(&e)),
    };
    report_warnings(&e.warnings);
    let (a, loaded) = (&e.assessment, &e.loaded);
    let lopts = riskmark_label::Options {
        lang: args.lang.into(),
        registry_url: args.registry_url.clone(),
    };
    let mut label = riskmark_label::build(a, &loaded.profile, &lopts);
    warn_missing_glyphs(&label, &args.profile);
    if let Some(k) = &key {
        label = riskmark_label::sign::sign(&label, k);
    }
    let r = match riskmark_label::render(&label, a, &loaded.profile) {
        Ok(r) => r,
        Err(e @ riskmark_label::Error::Qr { .. }) => {
            output::problem(&format!("error: --registry-url: {e}"));
            return Ok(Outcome::InputError);
        }
        Err(e) => return Err(e.into()),
    };
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    for (name, bytes) in [
        ("label.svg", r.svg.as_bytes()),
        ("label.png", &r.png),
        ("label.pdf", &r.pdf),
        ("label.html", r.html.as_bytes()),
        ("label.json", r.json.as_bytes()),
    ] {
        let path = args.out.join(name);
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    output::problem(&format!(
        "wrote label.svg, label.png, label.pdf, label.html, label.json{} to {} (device id {})",
        if key.is_some() { " (signed)" } else { "" },
        args.out.display(),
        label.device_id
    ));
    Ok(Outcome::Success)
}

/// Warns about characters of the profile's strings that the embedded label fonts lack
/// (they render blank in the PNG and PDF; the HTML uses the reader's fonts).
fn warn_missing_glyphs(label: &riskmark_label::Label, profile: &Path) {
    let p = &label.product;
    let fields = [
        ("product.manufacturer", Some(&p.manufacturer)),
        ("product.name", Some(&p.name)),
        ("product.model", Some(&p.model)),
        ("product.firmware_version", p.firmware_version.as_ref()),
        ("disclosure.contact", label.vulnerability_contact.as_ref()),
    ];
    for (field, value) in fields {
        let Some(value) = value else { continue };
        let missing = riskmark_label::fonts::missing(value);
        if !missing.is_empty() {
            let list: Vec<String> = missing
                .iter()
                .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
                .collect();
            output::problem(&format!(
                "warning: {}: {field}: the label fonts have no glyph for {}; they print blank \
                 in label.png and label.pdf (crates/label/fonts/subset.sh widens the fonts)",
                profile.display(),
                list.join(", ")
            ));
        }
    }
}

/// Reads a text file, reporting a problem (and returning None) when it cannot.
fn read_text(file: &Path) -> Option<String> {
    match super::read_text(file) {
        Ok(t) => Some(t),
        Err(e) => {
            output::problem(&format!("error: {}: {e}", file.display()));
            None
        }
    }
}

fn with_suffix(prefix: &Path, suffix: &str) -> PathBuf {
    let mut s = prefix.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

pub(crate) fn keygen(args: &KeygenArgs) -> anyhow::Result<Outcome> {
    let key_path = with_suffix(&args.out, ".key");
    let pub_path = with_suffix(&args.out, ".pub");
    for p in [&key_path, &pub_path] {
        if p.exists() {
            output::problem(&format!(
                "error: {} exists; riskmark never overwrites a key (choose another --out)",
                p.display()
            ));
            return Ok(Outcome::InputError);
        }
    }
    let key = riskmark_label::sign::generate()?;
    let private = riskmark_label::sign::private_pem(&key)?;
    let public = riskmark_label::sign::public_pem(&key.verifying_key())?;
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(&key_path)
        .with_context(|| format!("creating {}", key_path.display()))?;
    f.write_all(private.as_bytes())
        .with_context(|| format!("writing {}", key_path.display()))?;
    fs::write(&pub_path, public).with_context(|| format!("writing {}", pub_path.display()))?;
    output::problem(&format!(
        "wrote {} and {} (key id {})",
        key_path.display(),
        pub_path.display(),
        riskmark_label::sign::key_id(&key.verifying_key())
    ));
    Ok(Outcome::Success)
}

pub(crate) fn verify(args: &VerifyArgs) -> anyhow::Result<Outcome> {
    let Some(pem) = read_text(&args.public) else {
        return Ok(Outcome::InputError);
    };
    let key = match riskmark_label::sign::read_public(&pem) {
        Ok(k) => k,
        Err(e) => {
            output::problem(&format!("error: {}: {e}", args.public.display()));
            return Ok(Outcome::InputError);
        }
    };
    let Some(text) = read_text(&args.label) else {
        return Ok(Outcome::InputError);
    };
    match riskmark_label::sign::verify(&text, &key) {
        Ok(()) => {
            output::out(&format!(
                "{}: valid signature by key {}\n",
                args.label.display(),
                riskmark_label::sign::key_id(&key)
            ))?;
            Ok(Outcome::Success)
        }
        Err(e @ VerifyError::Mismatch(_)) => {
            output::problem(&format!("{}: {e}", args.label.display()));
            Ok(Outcome::Findings)
        }
        Err(e) => {
            output::problem(&format!("error: {}: {e}", args.label.display()));
            Ok(Outcome::InputError)
        }
    }
}
