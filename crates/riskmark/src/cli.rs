//! The command line: every subcommand, flag and value, with its help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// riskmark: risk-based, checkable, visible IoT cybersecurity.
///
/// Declare a connected product's security facts once in a device profile (with its SBOM
/// and VEX), then categorize its risk (tier, score, EU CRA class) with every point
/// explained, check it against many frameworks at once with who is responsible, find the
/// SBOM's known vulnerabilities offline, and publish what people need: consumer labels,
/// reports and standard files (OSCAL, SARIF, CSAF, security.txt, MUD).
///
/// Exit codes: 0 success; 1 findings at or above a --fail-on threshold; 2 usage or
/// input error (the message names the file, line, column and field).
#[derive(Debug, Parser)]
#[command(
    name = "riskmark",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check device profiles against the format (all problems, located).
    Validate {
        /// Profile files (TOML or JSON).
        #[arg(required = true, value_name = "PROFILE")]
        profiles: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextJson::Text)]
        format: TextJson,
    },
    /// Categorize a product's risk: tier, score, factors, EU CRA class, assurance.
    Classify {
        /// Profile file (TOML or JSON).
        #[arg(value_name = "PROFILE")]
        profile: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextJson::Text)]
        format: TextJson,
        /// Risk policy file replacing the shipped default (see `riskmark policy show`).
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Date the assessment speaks for, YYYY-MM-DD (default: today, UTC).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// SBOM whose known vulnerabilities count in the score (default: the profile's
        /// `disclosure.sbom` when it names a local file), as in `assess` and `label`.
        #[arg(long, value_name = "FILE")]
        sbom: Option<PathBuf>,
        /// Vulnerability database directory (default: $RISKMARK_DB, else the per-user data
        /// directory, else the embedded curated set).
        #[arg(long, value_name = "DIR")]
        db: Option<PathBuf>,
        /// VEX document applied to the SBOM's findings (repeatable).
        #[arg(long, value_name = "FILE")]
        vex: Vec<PathBuf>,
    },
    /// Check a profile against many frameworks at once, tailored to its risk.
    ///
    /// Evaluates every framework (or those named with --framework): which apply follows
    /// the profile's markets, users and category; recommended controls become expected
    /// at high and critical tiers. Every control verdict names who is responsible.
    Assess {
        /// Profile file (TOML or JSON).
        #[arg(value_name = "PROFILE")]
        profile: PathBuf,
        /// Only these frameworks (repeatable; see `riskmark frameworks list`).
        #[arg(long = "framework", value_name = "ID")]
        frameworks: Vec<String>,
        /// A user framework: an OSCAL catalog whose controls map to check codes (repeatable).
        #[arg(long = "catalog", value_name = "FILE")]
        catalogs: Vec<PathBuf>,
        /// Custom checks in Rego: a file or a directory of `*.rego` files (repeatable);
        /// their verdicts join the built-in ones and `--catalog` controls may map to them.
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// SBOM to scan for known vulnerabilities (default: the profile's `disclosure.sbom`
        /// when it names a local file).
        #[arg(long, value_name = "FILE")]
        sbom: Option<PathBuf>,
        /// Vulnerability database directory (default: the per-user one, else the embedded set).
        #[arg(long, value_name = "DIR")]
        db: Option<PathBuf>,
        /// VEX document applied to the SBOM's findings (repeatable).
        #[arg(long, value_name = "FILE")]
        vex: Vec<PathBuf>,
        /// Firmware image of the product: its SBOM is scanned (unless --sbom is given)
        /// and its weaknesses become verified verdicts (see `riskmark firmware`).
        #[arg(long, value_name = "IMAGE")]
        firmware: Option<PathBuf>,
        /// Signed evidence from `riskmark probe --out` (repeatable): the checks it decides
        /// become verified verdicts.
        #[arg(long, value_name = "FILE")]
        evidence: Vec<PathBuf>,
        /// Accept evidence only when signed by this key (PREFIX.pub from `riskmark keygen`).
        #[arg(long, value_name = "FILE")]
        evidence_pub: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = AssessFormat::Text)]
        format: AssessFormat,
        /// Exit 1 when a required control of an applicable framework fails (or needs evidence).
        #[arg(long, value_enum, value_name = "LEVEL")]
        fail_on: Option<FailOnArg>,
        /// Risk policy file replacing the shipped default.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Date the assessment speaks for, YYYY-MM-DD (default: today, UTC).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// The frameworks riskmark knows (embedded OSCAL catalogs).
    Frameworks {
        #[command(subcommand)]
        command: FrameworksCommand,
    },
    /// The atomic checks that frameworks map their controls to.
    Checks {
        #[command(subcommand)]
        command: ChecksCommand,
    },
    /// Print the JSON Schema of the device profile format (generated from the types).
    Schema,
    /// Work with risk policies.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// List the product category catalogue.
    Categories {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextJson::Text)]
        format: TextJson,
    },
    /// The local, offline vulnerability database.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Known vulnerabilities of an SBOM's components, from the offline database, with VEX.
    ///
    /// Without --db and without a database at the default location, the curated set
    /// embedded in the binary is used (real advisories for common firmware components).
    Vulns {
        /// SBOM file: CycloneDX 1.2-1.6 (JSON or XML), SPDX 2.2/2.3 (JSON or tag-value), SPDX 3.0.
        #[arg(value_name = "SBOM")]
        sbom: PathBuf,
        /// Database directory (default: $RISKMARK_DB, else the per-user data directory).
        #[arg(long, value_name = "DIR")]
        db: Option<PathBuf>,
        /// VEX document (OpenVEX, CycloneDX VEX or CSAF VEX); repeatable.
        #[arg(long, value_name = "FILE")]
        vex: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = VulnsFormat::Table)]
        format: VulnsFormat,
        /// Exit 1 when an unsuppressed finding reaches this severity (or is in CISA KEV).
        #[arg(long, value_enum, value_name = "LEVEL")]
        fail_on: Option<VulnFailOn>,
        /// Also list findings that VEX suppresses (not_affected, fixed).
        #[arg(long)]
        show_suppressed: bool,
    },
    /// Disclosure files from a profile: RFC 9116 security.txt, CSAF 2.0 VEX, RFC 8520 MUD.
    Disclose {
        #[command(subcommand)]
        command: crate::cmd::disclose::DiscloseCommand,
    },
    /// Write a layered consumer security label: SVG, PNG, PDF (primary layer with a QR
    /// code to the registry page), HTML (secondary layer) and JSON (optionally signed).
    Label(crate::cmd::label::LabelArgs),
    /// Run the registry: the API manufacturers submit to and the public pages labels'
    /// QR codes lead to.
    Serve(crate::cmd::serve::ServeArgs),
    /// Rank an estate of devices by risk, with the actions that remove the most.
    ///
    /// Each distinct model (profile, firmware, SBOM) is assessed once through the same
    /// engine as `assess`, in parallel, and fanned out to its instances; actions (update
    /// the firmware, replace, isolate, change a default password, ask the vendor) are
    /// ranked by the risk points they remove, weighted by each device's criticality.
    /// Exit 2 when inventory rows could not be used (each named by line and column; the
    /// rest is still reported).
    Fleet(crate::cmd::fleet::FleetArgs),
    /// What a firmware image ships: components (a CycloneDX SBOM) and weaknesses.
    ///
    /// Unpacks squashfs, cpio, tar, gzip/xz/zstd, uImage and raw flash layouts in memory;
    /// finds published default passwords, private keys, telnet at boot, unsigned or
    /// plain-HTTP updates. `assess --firmware IMAGE` turns them into verified verdicts.
    Firmware(crate::cmd::firmware::FirmwareArgs),
    /// Probe a live device on the bench against its profile's claims.
    ///
    /// Only the host named (a local range only with --i-own-this-network), bounded in rate,
    /// concurrency and time: open ports (declared plus a small IoT list) and banners, TLS
    /// versions by raw ClientHellos and the certificate, SSH algorithms, HTTP/telnet/MQTT
    /// authentication, UPnP, and default credentials when asked. Findings name the claim
    /// they contradict; `--out` writes signed evidence for `assess --evidence`. Exit 1 when
    /// the device contradicts its profile.
    Probe(crate::cmd::probe::ProbeArgs),
    /// Judge candidate products against a buyer's requirements (a procurement gate).
    ///
    /// Each profile is assessed through the same engine as `assess`; every requirement of
    /// the `riskmark/requirements/v1` file (support years after purchase, frameworks met,
    /// maximum risk tier or CRA class, no KEV-listed vulnerability, SBOM, VEX, signed
    /// updates, no universal default password, evidence level of chosen claims) is
    /// `pass`, `fail` or `needs-evidence`, with the facts that decided it; candidates
    /// side by side. Exit 1 when a mandatory requirement fails for any profile
    /// (needs-evidence is not a failure), 2 for a requirements file or profile with an
    /// error.
    Procure(crate::cmd::procure::ProcureArgs),
    /// Sign a lab's attestation: which checks it verified on a registered device
    /// (DSSE envelope on stdout; POST it to /api/v1/devices/ID/attestations).
    Attest(crate::cmd::serve::AttestArgs),
    /// Administer the registry: organizations, API tokens and signing keys.
    Registry {
        #[command(subcommand)]
        command: crate::cmd::serve::RegistryCommand,
    },
    /// Make an Ed25519 key pair for signing labels (PREFIX.key, PREFIX.pub; PEM).
    Keygen(crate::cmd::label::KeygenArgs),
    /// Verify a signed label.json: exit 0 valid, 1 signature or content mismatch, 2 input error.
    Verify(crate::cmd::label::VerifyArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or with --out write one page per command and subcommand
    /// (riskmark.1, riskmark-assess.1, riskmark-db-import.1, ...).
    Man {
        /// Directory to write every page into (created when missing).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum FrameworksCommand {
    /// List the frameworks.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextJson::Text)]
        format: TextJson,
    },
    /// Show one framework's controls, their checks and who is responsible.
    Show {
        /// Framework id.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextJson::Text)]
        format: TextJson,
    },
    /// How the controls of two frameworks relate (shared checks and published mappings).
    Crosswalk {
        /// First framework id.
        from: String,
        /// Second framework id.
        to: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextJson::Text)]
        format: TextJson,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ChecksCommand {
    /// List the checks.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextJson::Text)]
        format: TextJson,
        /// Also list the custom checks of these Rego files or directories (repeatable).
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
    },
    /// Show a check's documentation.
    Show {
        /// Check code.
        code: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AssessFormat {
    /// Human-readable text.
    Text,
    /// JSON (a stable contract).
    Json,
    /// Markdown report.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// SARIF 2.1.0, pointing at the profile lines of the facts.
    Sarif,
    /// OSCAL assessment results.
    Oscal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOnArg {
    /// A required control fails.
    Fail,
    /// A required control fails or needs evidence.
    NeedsEvidence,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Import OSV archives (zip) or directories, OSV JSON files, the CISA KEV JSON, EPSS CSV.
    ///
    /// Re-importing is idempotent; an interrupted or failed import leaves the previous
    /// database untouched.
    Import {
        /// Inputs; the kind of each is detected from its content.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Database directory (default: $RISKMARK_DB, else the per-user data directory).
        #[arg(long, value_name = "DIR")]
        db: Option<PathBuf>,
    },
    /// Show what the database holds, when it was built and from which sources.
    Stats {
        /// Database directory.
        #[arg(long, value_name = "DIR")]
        db: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextJson::Text)]
        format: TextJson,
        /// Also the bytes of every table and index (reads the whole file).
        #[arg(long)]
        tables: bool,
    },
    /// Download the public feeds (OSV, CISA KEV, EPSS; NVD on request) and import them.
    ///
    /// Downloads go to DIR/downloads and are resumed, retried and conditional (an
    /// unchanged feed is not downloaded again); then everything new is imported in one
    /// transaction. A source that stays unreachable exits 2, naming it, and nothing is
    /// imported. Only this command uses the network.
    Sync {
        /// Feed to sync (repeatable; default: osv, kev and epss).
        #[arg(long = "source", value_enum, value_name = "SOURCE")]
        sources: Vec<SyncSource>,
        /// Database directory (default: $RISKMARK_DB, else the per-user data directory).
        #[arg(long, value_name = "DIR")]
        db: Option<PathBuf>,
        /// OSV ecosystem (repeatable; default: Debian, Alpine, Ubuntu, PyPI, npm, Go,
        /// crates.io, Maven).
        #[arg(long = "ecosystem", value_name = "NAME")]
        ecosystems: Vec<String>,
        /// Fetch every source from this mirror: it replaces the scheme and host of each
        /// official URL and keeps the path (default: $RISKMARK_MIRROR).
        #[arg(long, value_name = "URL")]
        mirror: Option<String>,
        /// Retries of a failed download (exponential backoff from 1 s, Retry-After honoured).
        #[arg(long, value_name = "N", default_value_t = 4,
              value_parser = clap::value_parser!(u32).range(0..=20))]
        retries: u32,
        /// Download every OSV ecosystem's whole archive, even where its modified-id list
        /// would name the few records that changed since the last sync.
        #[arg(long)]
        full: bool,
    },
}

/// A feed that `riskmark db sync` downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub(crate) enum SyncSource {
    /// OSV's per-ecosystem archives.
    Osv,
    /// CISA's Known Exploited Vulnerabilities catalog.
    Kev,
    /// FIRST's EPSS scores.
    Epss,
    /// NVD's CVE API 2.0 (paged, rate-limited; NVD_API_KEY raises the limit).
    Nvd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum VulnsFormat {
    /// A table, readable at 80 columns.
    Table,
    /// JSON (a stable contract).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// CycloneDX 1.6 VEX.
    CyclonedxVex,
    /// OpenVEX 0.2.0.
    Openvex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub(crate) enum VulnFailOn {
    /// Low or worse.
    Low,
    /// Medium or worse.
    Medium,
    /// High or worse.
    High,
    /// Critical.
    Critical,
    /// In CISA's Known Exploited Vulnerabilities catalog.
    Kev,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PolicyCommand {
    /// Print the shipped default policy (a starting point for your own).
    Show,
    /// Validate a policy file.
    Check {
        /// Policy file (TOML or JSON).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TextJson {
    /// Human-readable text.
    Text,
    /// JSON (a stable contract).
    Json,
}
