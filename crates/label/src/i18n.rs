//! The label's languages: Fluent message files embedded at build time.
//!
//! English is the reference; every language has every message (tested). A message that
//! cannot be formatted in the chosen language falls back to English, so no output ever
//! shows a Fluent placeholder.

use std::cell::RefCell;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// A label language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lang {
    /// English.
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Japanese.
    Ja,
}

impl Lang {
    /// Every language.
    pub const ALL: [Self; 5] = [Self::En, Self::De, Self::Fr, Self::Es, Self::Ja];

    /// The BCP 47 tag (`en`, `de`, `fr`, `es`, `ja`).
    pub const fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Fr => "fr",
            Self::Es => "es",
            Self::Ja => "ja",
        }
    }

    /// The language's Fluent source.
    pub const fn source(self) -> &'static str {
        match self {
            Self::En => include_str!("../i18n/en/label.ftl"),
            Self::De => include_str!("../i18n/de/label.ftl"),
            Self::Fr => include_str!("../i18n/fr/label.ftl"),
            Self::Es => include_str!("../i18n/es/label.ftl"),
            Self::Ja => include_str!("../i18n/ja/label.ftl"),
        }
    }

    /// Parses a tag.
    pub fn from_tag(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.tag() == tag)
    }
}

type Bundle = FluentBundle<FluentResource>;

/// A problem in a message file or a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{lang}: {message}")]
pub struct MessageError {
    /// Language tag.
    pub lang: &'static str,
    /// What is wrong.
    pub message: String,
}

fn bundle(lang: Lang) -> Result<Bundle, MessageError> {
    let err = |message: String| MessageError {
        lang: lang.tag(),
        message,
    };
    let res = FluentResource::try_new(lang.source().to_owned())
        .map_err(|(_, errs)| err(format!("syntax errors: {errs:?}")))?;
    let id = lang
        .tag()
        .parse::<unic_langid::LanguageIdentifier>()
        .map_err(|e| err(e.to_string()))?;
    let mut b = FluentBundle::new(vec![id]);
    // No Unicode isolation marks around arguments: the label font has no glyphs for
    // them and the values are plain dates, numbers and names.
    b.set_use_isolating(false);
    b.add_resource(res)
        .map_err(|errs| err(format!("duplicate messages: {errs:?}")))?;
    Ok(b)
}

/// The message ids of a language, in file order.
pub fn message_ids(lang: Lang) -> Vec<String> {
    lang.source()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

/// The messages of one language, with English as the fallback.
pub struct Messages {
    lang: Lang,
    bundle: Option<Bundle>,
    english: Option<Bundle>,
    problems: RefCell<Vec<String>>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Messages")
            .field("lang", &self.lang)
            .finish()
    }
}

impl Messages {
    /// Loads a language.
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            bundle: bundle(lang).ok(),
            english: bundle(Lang::En).ok(),
            problems: RefCell::new(Vec::new()),
        }
    }

    /// The language.
    pub const fn lang(&self) -> Lang {
        self.lang
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.t_args(id, &[])
    }

    /// A message with string arguments.
    pub fn t_args(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, FluentValue::from(*v));
        }
        if let Some(s) = self.bundle.as_ref().and_then(|b| format(b, id, &fa)) {
            return s;
        }
        self.problems.borrow_mut().push(format!(
            "{}: message `{id}` missing or broken",
            self.lang.tag()
        ));
        self.english
            .as_ref()
            .and_then(|b| format(b, id, &fa))
            .unwrap_or_else(|| id.to_owned())
    }

    /// Messages that had to fall back to English (or to their id) so far.
    pub fn problems(&self) -> Vec<String> {
        self.problems.borrow().clone()
    }
}

fn format(b: &Bundle, id: &str, args: &FluentArgs<'_>) -> Option<String> {
    let msg = b.get_message(id)?;
    let pattern = msg.value()?;
    let mut errors = Vec::new();
    let s = b.format_pattern(pattern, Some(args), &mut errors);
    errors.is_empty().then(|| s.into_owned())
}

/// Checks that a language parses and has exactly the English message ids.
pub fn check(lang: Lang) -> Result<(), MessageError> {
    bundle(lang)?;
    let en = message_ids(Lang::En);
    let ids = message_ids(lang);
    let missing: Vec<&String> = en.iter().filter(|id| !ids.contains(id)).collect();
    let extra: Vec<&String> = ids.iter().filter(|id| !en.contains(id)).collect();
    if missing.is_empty() && extra.is_empty() {
        Ok(())
    } else {
        Err(MessageError {
            lang: lang.tag(),
            message: format!("missing {missing:?}, not in English {extra:?}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sample values for every variable a message uses.
    const ARGS: &[(&str, &str)] = &[
        ("score", "42"),
        ("date", "2031-12-31"),
        ("level", "2"),
        ("tool", "riskmark 0.1.0"),
        ("product", "Acme Smart Plug"),
        ("reason", "sold in the UK"),
        ("pass", "1"),
        ("fail", "2"),
        ("needs", "3"),
        ("na", "4"),
        ("location", "sp100.cdx.json"),
        ("version", "3"),
        ("count", "12"),
    ];

    #[test]
    fn every_language_has_every_message() {
        let en = message_ids(Lang::En);
        assert!(en.len() > 100, "{}", en.len());
        for lang in Lang::ALL {
            check(lang).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn every_message_formats_without_fallback() {
        for lang in Lang::ALL {
            let m = Messages::new(lang);
            for id in message_ids(Lang::En) {
                let s = m.t_args(&id, ARGS);
                assert!(!s.is_empty(), "{lang:?} {id}");
                assert!(!s.contains('{') && !s.contains('}'), "{lang:?} {id}: {s}");
            }
            assert_eq!(m.problems(), Vec::<String>::new(), "{lang:?}");
        }
    }

    #[test]
    fn languages_differ_and_missing_messages_fall_back() {
        let de = Messages::new(Lang::De);
        assert_eq!(de.t("security-updates"), "Sicherheitsupdates");
        assert_eq!(
            Messages::new(Lang::Ja).t("security-updates"),
            "セキュリティ更新"
        );
        assert_eq!(de.t("no-such-message"), "no-such-message");
        assert_eq!(de.problems().len(), 1);
    }
}
