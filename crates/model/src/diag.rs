//! Located diagnostics for input files.

use std::fmt;

use serde::Serialize;

/// One problem in an input file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line (0 when the problem concerns the whole file).
    pub line: usize,
    /// 1-based column in characters (0 when the problem concerns the whole file).
    pub column: usize,
    /// Dotted path of the field concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong, and what would be right.
    pub message: String,
    /// The source line, for display.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        let message = shorten(&self.message, 300);
        match &self.field {
            Some(field) => write!(f, ": field `{}`: {message}", shorten(field, 120))?,
            None => write!(f, ": {message}")?,
        }
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            let (shown, caret_at) = window(src, self.column.saturating_sub(1), 60);
            write!(f, "\n {gutter} | {shown}")?;
            let pad = " ".repeat(gutter.len());
            let caret = " ".repeat(caret_at);
            write!(f, "\n {pad} | {caret}^")?;
        }
        Ok(())
    }
}

/// `text`, its middle replaced by ` ... ` when it has more than `max` characters.
fn shorten(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_owned();
    }
    let half = max / 2;
    let head: String = text.chars().take(half).collect();
    let tail: String = text.chars().skip(n - half).collect();
    format!("{head} ... {tail}")
}

/// The part of a source line around `column` (0-based, in characters): at most `reach`
/// characters either side, with `...` where it was cut; and the caret's column in it.
fn window(line: &str, column: usize, reach: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= 2 * reach + 20 {
        return (line.to_owned(), column);
    }
    let column = column.min(chars.len());
    let start = column.saturating_sub(reach);
    let end = (column + reach).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push_str("...");
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push_str("...");
    }
    (shown, column - start + if start > 0 { 3 } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_line_is_quoted_around_the_problem() {
        let line = format!("{}BAD{}", "a".repeat(5_000_000), "b".repeat(1000));
        let d = Diagnostic {
            file: "big.json".into(),
            line: 1,
            column: 5_000_001,
            field: None,
            message: format!("unknown key `{}`", "k".repeat(10_000)),
            source_line: Some(line),
        };
        let text = d.to_string();
        assert!(text.len() < 1_000, "{}", text.len());
        let lines: Vec<&str> = text.lines().collect();
        let at = lines[2].find('^').unwrap();
        assert_eq!(&lines[1][at..at + 3], "BAD", "{text}");
        assert!(lines[1].contains("...aaa") && lines[1].ends_with("bbb..."));
        assert!(lines[0].contains(" ... "));
    }

    #[test]
    fn a_short_line_is_quoted_whole() {
        assert_eq!(window("abc", 1, 60), ("abc".to_owned(), 1));
        assert_eq!(shorten("abc", 300), "abc");
    }
}
