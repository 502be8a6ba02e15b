//! Writing to the terminal: stdout for results, stderr for problems. A closed pipe
//! (`riskmark ... | head`, `2>&1 | head -c 100`) is not an error and never a panic: what
//! cannot be written is dropped.

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
    problem(&format!("error: {e:#}"));
}

/// Reports a problem that does not stop the command. Unlike `eprintln!`, a closed stderr
/// does not panic.
pub(crate) fn problem(text: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{text}").and_then(|()| err.flush());
}

/// The width text output fits: the terminal's when stdout is one (at least 60 columns),
/// else 80.
pub(crate) fn width() -> usize {
    use std::io::IsTerminal as _;
    if io::stdout().is_terminal()
        && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size()
    {
        return usize::from(w).max(riskmark_report::MIN_WIDTH);
    }
    80
}
