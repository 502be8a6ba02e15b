//! The `riskmark` command: a thin layer over the library crates.

mod cli;
mod cmd;
mod output;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the registry's pages and the fleet's estates allocate from many threads at
/// once, where glibc's allocator spent half the time of a page render in `malloc` and
/// its consolidation (measured with perf on `riskmark serve`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cmd::run(cli.command) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            output::error(&e);
            ExitCode::from(2)
        }
    }
}
