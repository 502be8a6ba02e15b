//! Source locations of profile fields: dotted path -> line and column.
//!
//! Paths look like `connectivity.services[0].authentication`. They are kept so that
//! every diagnostic, and later every finding (SARIF), can point at the line of a fact.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

impl Pos {
    /// The start of a file.
    pub const START: Self = Self { line: 1, column: 1 };
}

/// Maps byte offsets of a text to line and column.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    pub(crate) fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        Pos { line, column }
    }

    /// The text of a 1-based line, without its line break.
    pub(crate) fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(self.text.len(), |&e| e);
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// Where each field of a profile was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Locations {
    map: BTreeMap<String, Pos>,
}

impl Locations {
    /// The position of the key (or array element) at `path`, if written in the file.
    pub fn get(&self, path: &str) -> Option<Pos> {
        self.map.get(path).copied()
    }

    /// The position of `path`, or of its nearest written ancestor, or the file's start.
    pub fn nearest(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.get(p) {
                return pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return Pos::START,
            }
        }
    }

    /// Every recorded path, in order.
    pub fn paths(&self) -> impl Iterator<Item = (&str, Pos)> {
        self.map.iter().map(|(k, v)| (k.as_str(), *v))
    }

    fn insert(&mut self, path: String, pos: Pos) {
        self.map.entry(path).or_insert(pos);
    }
}

pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// Records the key position of every table entry and array element of a TOML document.
pub(crate) fn toml_locations(doc: &DeTable<'_>, index: &LineIndex<'_>) -> Locations {
    fn walk_value(v: &Spanned<DeValue<'_>>, path: &str, idx: &LineIndex<'_>, out: &mut Locations) {
        match v.get_ref() {
            DeValue::Table(t) => walk_table(t, path, idx, out),
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    out.insert(p.clone(), idx.pos(item.span().start));
                    walk_value(item, &p, idx, out);
                }
            }
            _ => {}
        }
    }
    fn walk_table(t: &DeTable<'_>, path: &str, idx: &LineIndex<'_>, out: &mut Locations) {
        for (k, v) in t.iter() {
            let p = join(path, k.get_ref());
            out.insert(p.clone(), idx.pos(k.span().start));
            walk_value(v, &p, idx, out);
        }
    }
    let mut out = Locations::default();
    walk_table(doc, "", index, &mut out);
    out
}

/// Records the key position of every object member and array element of a JSON text
/// that has already been parsed successfully (so this scanner may be lenient).
pub(crate) fn json_locations(text: &str, index: &LineIndex<'_>) -> Locations {
    let mut scanner = JsonScanner {
        bytes: text.as_bytes(),
        i: 0,
        index,
        out: Locations::default(),
    };
    scanner.value("", 0);
    scanner.out
}

struct JsonScanner<'a, 'b> {
    bytes: &'a [u8],
    i: usize,
    index: &'b LineIndex<'a>,
    out: Locations,
}

impl JsonScanner<'_, '_> {
    const MAX_DEPTH: usize = 256;

    fn ws(&mut self) {
        while self.i < self.bytes.len() && self.bytes[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn string(&mut self) -> String {
        // Assumes bytes[i] == b'"'.
        let start = self.i;
        self.i += 1;
        while self.i < self.bytes.len() {
            match self.bytes[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    break;
                }
                _ => self.i += 1,
            }
        }
        let raw = self
            .bytes
            .get(start..self.i.min(self.bytes.len()))
            .unwrap_or(b"\"\"");
        serde_json::from_slice::<String>(raw).unwrap_or_default()
    }

    fn value(&mut self, path: &str, depth: usize) {
        self.ws();
        if depth > Self::MAX_DEPTH {
            return;
        }
        match self.bytes.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                loop {
                    self.ws();
                    match self.bytes.get(self.i) {
                        Some(b'"') => {
                            let pos = self.index.pos(self.i);
                            let key = self.string();
                            let p = join(path, &key);
                            self.out.insert(p.clone(), pos);
                            self.ws();
                            if self.bytes.get(self.i) == Some(&b':') {
                                self.i += 1;
                            }
                            self.value(&p, depth + 1);
                        }
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    match self.bytes.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return;
                        }
                        None => return,
                        Some(_) => {
                            let p = format!("{path}[{n}]");
                            self.out.insert(p.clone(), self.index.pos(self.i));
                            let before = self.i;
                            self.value(&p, depth + 1);
                            if self.i == before {
                                return;
                            }
                            n += 1;
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while self.i < self.bytes.len()
                    && !matches!(self.bytes[self.i], b',' | b'}' | b']')
                    && !self.bytes[self.i].is_ascii_whitespace()
                {
                    self.i += 1;
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters() {
        let idx = LineIndex::new("ab\nçd = 1\n");
        assert_eq!(idx.pos(0), Pos { line: 1, column: 1 });
        assert_eq!(idx.pos(3), Pos { line: 2, column: 1 });
        // 'ç' is two bytes: byte 6 is the third character of line 2.
        assert_eq!(idx.pos(6), Pos { line: 2, column: 3 });
        assert_eq!(idx.line_text(2), "çd = 1");
    }

    #[test]
    fn json_paths_and_positions() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c\": true}]},\n  \"d\": \"x\"\n}";
        let idx = LineIndex::new(text);
        let locs = json_locations(text, &idx);
        assert_eq!(locs.get("a"), Some(Pos { line: 2, column: 3 }));
        assert_eq!(
            locs.get("a.b[1].c"),
            Some(Pos {
                line: 2,
                column: 19
            })
        );
        assert_eq!(locs.get("d"), Some(Pos { line: 3, column: 3 }));
        assert_eq!(
            locs.nearest("a.b[1].zzz"),
            Pos {
                line: 2,
                column: 18
            }
        );
    }
}
