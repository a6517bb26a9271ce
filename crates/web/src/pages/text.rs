//! The words on the merchant's pages, in the merchant's language: our defaults
//! ([`super::text_catalog`]) with the client's own replacements laid over them.

use super::text_catalog::CATALOG;
use crate::AppState;
use crate::error::ApiError;
use domain::ClientId;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The languages the pages speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    EnUs,
    FrFr,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::EnUs, Locale::FrFr];

    pub fn code(self) -> &'static str {
        match self {
            Locale::EnUs => "en-us",
            Locale::FrFr => "fr-fr",
        }
    }

    /// The `lang` attribute of the pages.
    pub fn html_lang(self) -> &'static str {
        match self {
            Locale::EnUs => "en",
            Locale::FrFr => "fr",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(raw))
    }

    /// The browser's preference (`Accept-Language`), English unless French comes first.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let first = header
            .and_then(|h| h.split(',').next())
            .map(|l| l.trim().to_ascii_lowercase());
        match first {
            Some(l) if l.starts_with("fr") => Locale::FrFr,
            _ => Locale::EnUs,
        }
    }

    pub fn other(self) -> Self {
        match self {
            Locale::EnUs => Locale::FrFr,
            Locale::FrFr => Locale::EnUs,
        }
    }

    fn default_text(self, key: &str) -> Option<&'static str> {
        CATALOG
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, en, fr)| match self {
                Locale::EnUs => *en,
                Locale::FrFr => *fr,
            })
    }
}

/// The client setting holding its replacements for a locale.
pub fn setting_name(locale: Locale) -> String {
    format!("uiText.{}", locale.code())
}

/// Whether `key` names a text of the pages.
pub fn is_key(key: &str) -> bool {
    CATALOG.iter().any(|(k, _, _)| *k == key)
}

/// The client's replacements for `locale` (key → text).
pub async fn overrides(
    state: &AppState,
    client: ClientId,
    locale: Locale,
) -> Result<Map<String, Value>, ApiError> {
    Ok(
        match state
            .store
            .client_setting(client, &setting_name(locale))
            .await?
        {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        },
    )
}

/// Every text for one merchant's pages.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    pub locale: Locale,
    replaced: HashMap<String, String>,
}

impl Texts {
    pub async fn load(
        state: &AppState,
        client: ClientId,
        locale: Locale,
    ) -> Result<Self, ApiError> {
        let replaced = overrides(state, client, locale)
            .await?
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|t| (k, t.to_owned())))
            .collect();
        Ok(Self { locale, replaced })
    }

    /// Our defaults only (a page shown before we know the client).
    pub fn defaults(locale: Locale) -> Self {
        Self {
            locale,
            replaced: HashMap::new(),
        }
    }

    /// The text for `key`; the key itself when unknown, so a missing text is visible, not blank.
    pub fn t(&self, key: &str) -> String {
        self.replaced
            .get(key)
            .cloned()
            .or_else(|| self.locale.default_text(key).map(str::to_owned))
            .unwrap_or_else(|| key.to_owned())
    }

    /// The text for `key` with its `{name}` values filled in.
    pub fn f(&self, key: &str, values: &[(&str, &str)]) -> String {
        values.iter().fold(self.t(key), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
    }

    /// The text for `key` when the catalog has it.
    pub fn maybe(&self, key: &str) -> Option<String> {
        (self.replaced.contains_key(key) || is_key(key)).then(|| self.t(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_locales_and_keeps_its_placeholders() {
        let mut seen = std::collections::HashSet::new();
        for (key, en, fr) in CATALOG {
            assert!(seen.insert(key), "{key} is listed twice");
            assert!(!en.is_empty() && !fr.is_empty(), "{key} is empty");
            let names = |s: &str| {
                let mut v: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(names(en), names(fr), "{key}: the placeholders differ");
        }
    }

    #[test]
    fn values_fill_placeholders_and_replacements_win() {
        let mut texts = Texts::defaults(Locale::FrFr);
        assert_eq!(
            texts.f("accounting.connect", &[("platform", "Xero")]),
            "Se connecter à Xero"
        );
        texts
            .replaced
            .insert("accounting.connect".into(), "Relier {platform}".into());
        assert_eq!(
            texts.f("accounting.connect", &[("platform", "Xero")]),
            "Relier Xero"
        );
        assert_eq!(texts.t("no.such.key"), "no.such.key");
    }

    #[test]
    fn the_browser_language_picks_french_only_when_first() {
        assert_eq!(
            Locale::from_accept_language(Some("fr-FR,fr;q=0.9,en;q=0.8")),
            Locale::FrFr
        );
        assert_eq!(
            Locale::from_accept_language(Some("en-GB,fr;q=0.5")),
            Locale::EnUs
        );
        assert_eq!(Locale::from_accept_language(None), Locale::EnUs);
    }
}
