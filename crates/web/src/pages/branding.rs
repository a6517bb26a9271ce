//! The client's look on its merchants' pages: its name, logo and colours. The logo is kept as
//! a `data:` URL and served by us, so the pages load nothing from elsewhere.

use crate::AppState;
use crate::error::ApiError;
use base64::Engine;
use domain::ClientId;
use serde::{Deserialize, Serialize};

/// The client setting holding its branding.
pub const SETTING: &str = "branding";
/// Largest logo accepted, decoded.
pub const MAX_LOGO_BYTES: usize = 100 * 1024;
/// Image types a logo may be.
pub const LOGO_TYPES: [&str; 4] = ["image/png", "image/svg+xml", "image/jpeg", "image/webp"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Branding {
    /// The name merchants know the client by (else the client's own name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `data:image/png;base64,…`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// `#rrggbb`: buttons, links and the progress bar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_colour: Option<String>,
}

impl Branding {
    pub async fn load(state: &AppState, client: ClientId) -> Result<Self, ApiError> {
        Ok(state
            .store
            .client_setting(client, SETTING)
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default())
    }

    /// The CSS custom properties that apply the client's colour, with a text colour that
    /// keeps AA contrast on it.
    pub fn css_variables(&self) -> Option<String> {
        let primary = self.primary_colour.as_deref().and_then(parse_colour)?;
        let on = if contrast(primary, (255, 255, 255)) >= 4.5 {
            "#ffffff"
        } else {
            "#111111"
        };
        let hex = format!("#{:02x}{:02x}{:02x}", primary.0, primary.1, primary.2);
        // Links sit on white: use the brand colour only when it reads well there.
        let link = if contrast(primary, (255, 255, 255)) >= 4.5 {
            hex.as_str()
        } else {
            "#1a4d8f"
        };
        Some(format!(
            ":root{{--brand:{hex};--on-brand:{on};--link:{link}}}"
        ))
    }
}

/// `#rrggbb` as its channels.
pub fn parse_colour(raw: &str) -> Option<(u8, u8, u8)> {
    let hex = raw.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A logo's type and bytes from its `data:` URL, when it is one we accept.
pub fn decode_logo(data_url: &str) -> Option<(&'static str, Vec<u8>)> {
    let rest = data_url.strip_prefix("data:")?;
    let (kind, payload) = rest.split_once(";base64,")?;
    let kind = LOGO_TYPES.into_iter().find(|t| *t == kind)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .ok()?;
    (bytes.len() <= MAX_LOGO_BYTES).then_some((kind, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_the_brand_colour_keeps_its_contrast() {
        let dark = Branding {
            primary_colour: Some("#123456".into()),
            ..Branding::default()
        };
        assert!(dark.css_variables().unwrap().contains("--on-brand:#ffffff"));
        let light = Branding {
            primary_colour: Some("#ffe066".into()),
            ..Branding::default()
        };
        let css = light.css_variables().unwrap();
        assert!(css.contains("--on-brand:#111111"), "{css}");
        assert!(
            css.contains("--link:#1a4d8f"),
            "a pale colour is not used for links: {css}"
        );
        assert_eq!(parse_colour("#12345"), None);
        assert_eq!(parse_colour("red"), None);
    }

    #[test]
    fn only_small_images_are_logos() {
        assert!(decode_logo("data:image/png;base64,iVBORw0KGgo=").is_some());
        assert!(decode_logo("data:text/html;base64,PGI+").is_none());
        assert!(decode_logo("https://cdn.example/logo.png").is_none());
    }
}
