//! The embedded label fonts (Noto Sans CJK JP Regular and Bold, subset; SIL OFL 1.1, see
//! `fonts/PROVENANCE.md`), text measurement for line wrapping, and the renderer's font
//! database. System fonts are never used, so the PNG and PDF look the same everywhere.

use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb;

/// Noto Sans CJK JP Regular, subset.
pub const REGULAR: &[u8] = include_bytes!("../fonts/NotoSansCJKjp-Regular-subset.otf");
/// Noto Sans CJK JP Bold, subset.
pub const BOLD: &[u8] = include_bytes!("../fonts/NotoSansCJKjp-Bold-subset.otf");
/// The family name both files carry.
pub const FAMILY: &str = "Noto Sans CJK JP";

/// A font database holding only the embedded fonts; every generic family maps to them.
pub fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

struct Metrics {
    units_per_em: f32,
    advances: Vec<(char, u16)>,
    fallback: u16,
}

fn metrics(bold: bool) -> Option<&'static Metrics> {
    static REG: OnceLock<Option<Metrics>> = OnceLock::new();
    static BLD: OnceLock<Option<Metrics>> = OnceLock::new();
    let (cell, data) = if bold { (&BLD, BOLD) } else { (&REG, REGULAR) };
    cell.get_or_init(|| {
        let face = ttf_parser::Face::parse(data, 0).ok()?;
        let mut advances = Vec::new();
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables {
                if !sub.is_unicode() {
                    continue;
                }
                sub.codepoints(|cp| {
                    if let Some(c) = char::from_u32(cp)
                        && let Some(g) = sub.glyph_index(cp)
                        && let Some(adv) = face.glyph_hor_advance(g)
                    {
                        advances.push((c, adv));
                    }
                });
            }
        }
        advances.sort_unstable();
        advances.dedup_by_key(|(c, _)| *c);
        Some(Metrics {
            units_per_em: f32::from(face.units_per_em()),
            advances,
            fallback: face.units_per_em(),
        })
    })
    .as_ref()
}

/// The characters of `text` that the embedded fonts have no glyph for (they would render
/// as blanks), each once, in order of first appearance. Control characters are ignored.
pub fn missing(text: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in text.chars().filter(|c| !c.is_control()) {
        let covered = [false, true].iter().all(|&bold| {
            metrics(bold).is_some_and(|m| m.advances.binary_search_by_key(&c, |(k, _)| *k).is_ok())
        });
        if !covered && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The width of `text` set in the label font at `size` (no kerning: a slight
/// overestimate, which is the safe side for wrapping).
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    let Some(m) = metrics(bold) else {
        // Cannot happen with the embedded fonts; a wide estimate keeps layout safe.
        return text.chars().count() as f32 * size;
    };
    let units: u32 = text
        .chars()
        .map(|c| {
            let adv = m
                .advances
                .binary_search_by_key(&c, |(k, _)| *k)
                .map_or(m.fallback, |i| m.advances[i].1);
            u32::from(adv)
        })
        .sum();
    units as f32 * size / m.units_per_em
}

/// Breaks `text` into lines no wider than `max`: at spaces, and inside words (CJK text
/// has none) where a word alone is too wide.
pub fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, bold) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if width(word, size, bold) <= max {
            line = word.to_owned();
            continue;
        }
        for c in word.chars() {
            line.push(c);
            if width(&line, size, bold) > max && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_of_every_language_has_its_glyphs() {
        for (lang, text) in [
            ("de", include_str!("../i18n/de/label.ftl")),
            ("en", include_str!("../i18n/en/label.ftl")),
            ("es", include_str!("../i18n/es/label.ftl")),
            ("fr", include_str!("../i18n/fr/label.ftl")),
            ("ja", include_str!("../i18n/ja/label.ftl")),
        ] {
            let text: String = text.lines().filter(|l| !l.starts_with('#')).collect();
            assert_eq!(missing(&text), Vec::<char>::new(), "{lang}");
        }
    }

    #[test]
    fn fonts_parse_and_cover_every_message_character() {
        for data in [REGULAR, BOLD] {
            let face = ttf_parser::Face::parse(data, 0).expect("embedded font parses");
            for lang in crate::Lang::ALL {
                for c in lang.source().chars().filter(|c| !c.is_control()) {
                    assert!(
                        face.glyph_index(c).is_some(),
                        "{lang:?}: no glyph for {c:?}"
                    );
                }
            }
        }
        assert_eq!(database().len(), 2);
    }

    #[test]
    fn common_kanji_greek_and_cyrillic_are_covered_rare_characters_are_reported() {
        // Product names as Japanese, Greek and Russian manufacturers write them.
        assert_eq!(
            missing("スマート電源タップ 東京電機株式会社"),
            Vec::<char>::new()
        );
        assert_eq!(
            missing("Умная розетка ΣΥΣΚΕΥΗ Größe Ærø"),
            Vec::<char>::new()
        );
        // Not in Noto Sans CJK at all (Greek with tonos, some Latin Extended-A), or not in
        // the subset (a JIS level-2 kanji, an emoji): each named once.
        assert_eq!(
            missing("Έξυπνη πρίζα Ŝtopilo 𠮷野家 😀 😀"),
            vec!['Έ', 'ί', 'Ŝ', '𠮷', '😀']
        );
    }

    #[test]
    fn measures_and_wraps() {
        assert!(width("WWW", 12.0, false) > width("iii", 12.0, false));
        assert!(width("abc", 24.0, false) > 1.9 * width("abc", 12.0, false));
        let lines = wrap("Installed when you start them", 12.0, false, 80.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 12.0, false) <= 80.0));
        assert_eq!(lines.join(" "), "Installed when you start them");
        let ja = wrap("利用者が開始したときにインストール", 12.0, false, 60.0);
        assert!(ja.len() > 2, "{ja:?}");
        assert_eq!(ja.concat(), "利用者が開始したときにインストール");
    }
}
