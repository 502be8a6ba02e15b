//! Turning raw bytes into text: byte-order marks, UTF-16, invalid UTF-8.

use std::borrow::Cow;

use crate::model::{Warning, WarningKind};

/// Decodes `bytes` to text. UTF-8 (with or without BOM) is borrowed;
/// UTF-16 (with BOM, or recognised by its zero bytes) is transcoded.
/// Invalid sequences are replaced by U+FFFD and reported as a warning.
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<Warning>) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, true);
    }
    // UTF-16 without a BOM: an ASCII first character next to a zero byte.
    if bytes.len() >= 4 && bytes.len().is_multiple_of(2) {
        if bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[1].is_ascii() {
            return utf16(bytes, true);
        }
        if bytes[0] != 0 && bytes[1] == 0 && bytes[3] == 0 && bytes[0].is_ascii() {
            return utf16(bytes, false);
        }
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> (Cow<'_, str>, Option<Warning>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), None),
        Err(e) => {
            let (line, column) = line_col(bytes, e.valid_up_to());
            let warning = Warning {
                kind: WarningKind::Encoding,
                message: "input is not valid UTF-8; invalid bytes were replaced by U+FFFD"
                    .to_owned(),
                location: format!("line {line}, column {column}"),
            };
            (String::from_utf8_lossy(bytes), Some(warning))
        }
    }
}

fn utf16(bytes: &[u8], big_endian: bool) -> (Cow<'_, str>, Option<Warning>) {
    let units = bytes.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut bad = 0usize;
    for ch in char::decode_utf16(units) {
        match ch {
            Ok(c) => out.push(c),
            Err(_) => {
                bad += 1;
                out.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    if bytes.len() % 2 == 1 {
        bad += 1;
    }
    let warning = (bad > 0).then(|| Warning {
        kind: WarningKind::Encoding,
        message: format!("{bad} invalid UTF-16 code unit(s) were replaced by U+FFFD"),
        location: "document".to_owned(),
    });
    (Cow::Owned(out), warning)
}

/// 1-based line and column (in characters) of byte `offset` in `bytes`.
/// A lone `\r` counts as a line end, like `\n` and `\r\n`.
pub(crate) fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let mut line = 1;
    let mut line_start = 0;
    let mut i = 0;
    while i < before.len() {
        match before[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\r' if before.get(i + 1) != Some(&b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Splits text into lines on `\n`, `\r\n` or a lone `\r`.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        // memchr2 scans for both line ends a word at a time; `str::find`
        // with a char array pattern tests them char by char.
        match memchr::memchr2(b'\n', b'\r', s.as_bytes()) {
            Some(i) => {
                let line = &s[..i];
                let skip = if s[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&s[i + skip..]);
                Some(line)
            }
            None => {
                rest = None;
                if s.is_empty() { None } else { Some(s) }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_stripped() {
        let (text, w) = decode(b"\xEF\xBB\xBF{}");
        assert_eq!(text, "{}");
        assert!(w.is_none());
    }

    #[test]
    fn utf16_le_with_and_without_bom() {
        let mut with_bom = vec![0xFF, 0xFE];
        let mut without = Vec::new();
        for u in "{\"a\": \"é\"}".encode_utf16() {
            with_bom.extend_from_slice(&u.to_le_bytes());
            without.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&with_bom).0, "{\"a\": \"é\"}");
        assert_eq!(decode(&without).0, "{\"a\": \"é\"}");
    }

    #[test]
    fn utf16_be() {
        let mut bytes = vec![0xFE, 0xFF];
        for u in "<bom/>".encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&bytes).0, "<bom/>");
    }

    #[test]
    fn invalid_utf8_is_replaced_with_a_warning() {
        let (text, w) = decode(b"ab\nc\xFFd");
        assert_eq!(text, "ab\nc\u{FFFD}d");
        let w = w.expect("warning");
        assert_eq!(w.location, "line 2, column 2");
    }

    #[test]
    fn lines_split_on_all_line_ends() {
        let v: Vec<_> = lines("a\r\nb\rc\nd").collect();
        assert_eq!(v, ["a", "b", "c", "d"]);
        assert_eq!(line_col(b"a\rb\r\nc", 5), (3, 1));
    }
}
