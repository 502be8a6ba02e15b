//! Writing to the terminal: stdout for results, stderr for problems. A closed pipe
//! (`riskmark ... | head`) is not an error.

#![allow(clippy::print_stderr)]

use std::io::{self, Write};

/// Writes a result to stdout; a broken pipe ends quietly.
pub(crate) fn out(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Reports an error that stops the command.
pub(crate) fn error(e: &anyhow::Error) {
    eprintln!("error: {e:#}");
}

/// Reports a problem that does not stop the command.
pub(crate) fn problem(text: &str) {
    eprintln!("{text}");
}
