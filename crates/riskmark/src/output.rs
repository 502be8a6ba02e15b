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
    let _ = writeln!(err, "{}", bounded(text)).and_then(|()| err.flush());
}

/// The longest line of a problem report; a message quoting a huge input line (a
/// 2 MB component name) keeps its start and end (#14).
const MAX_PROBLEM_LINE: usize = 1000;

/// `text` with each line longer than [`MAX_PROBLEM_LINE`] characters cut in the
/// middle, saying how much was left out.
fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    if text.lines().all(|l| l.len() <= MAX_PROBLEM_LINE) {
        return text.into();
    }
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            let n = l.chars().count();
            if n <= MAX_PROBLEM_LINE {
                return l.to_owned();
            }
            let head: String = l.chars().take(MAX_PROBLEM_LINE * 3 / 4).collect();
            let tail: String = l.chars().skip(n - MAX_PROBLEM_LINE / 4).collect();
            let left_out = n - MAX_PROBLEM_LINE;
            format!("{head}[... {left_out} characters left out ...]{tail}")
        })
        .collect();
    lines.join("\n").into()
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

#[cfg(test)]
mod tests {
    #[test]
    fn huge_lines_are_cut_in_the_middle() {
        let long = format!("warning: f.json: name `{}` odd", "x".repeat(2_000_000));
        let b = super::bounded(&long);
        assert!(b.chars().count() < 1100, "{}", b.len());
        assert!(b.starts_with("warning: f.json: name `xxx"));
        assert!(b.ends_with("xxx` odd"));
        assert!(b.contains("characters left out"));
        assert_eq!(super::bounded("short\nlines"), "short\nlines");
    }
}
