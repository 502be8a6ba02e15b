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

/// Writes to stdout through `write` as output is made (a buffered writer); a closed
/// pipe is not an error.
pub(crate) fn out_stream(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match write(&mut w).and_then(|()| w.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes a value as pretty JSON to stdout as it is serialized (an estate's report is
/// too large to build in memory first); a closed pipe is not an error.
pub(crate) fn out_json<T: serde::Serialize>(value: &T) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut w, value)
        .map_err(io::Error::from)
        .and_then(|()| w.write_all(b"\n"))
        .and_then(|()| w.flush());
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
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
