use domain::SourceType;
use domain::integration::Integration;
use serde::Serialize;
use utoipa::ToSchema;

/// An integration (Codat `Integration`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationBody {
    pub key: &'static str,
    pub logo_url: String,
    pub name: &'static str,
    pub enabled: bool,
    #[schema(value_type = String, format = Uuid)]
    pub source_id: String,
    #[schema(value_type = String, example = "Accounting")]
    pub source_type: SourceType,
    #[schema(value_type = String, format = Uuid)]
    pub integration_id: String,
    pub is_offline_connector: bool,
    pub is_beta: bool,
    pub data_provided_by: &'static str,
}

/// URL of the logo we serve for an integration.
pub fn logo_url(public_url: &str, key: &str, shape: &str) -> String {
    format!("{public_url}/static/logos/{key}-{shape}.svg")
}

impl IntegrationBody {
    pub fn new(integration: &Integration, public_url: &str) -> Self {
        Self {
            key: integration.key,
            logo_url: logo_url(public_url, integration.key, "square"),
            name: integration.name,
            enabled: true,
            source_id: integration.source_id.to_string(),
            source_type: integration.source_type,
            integration_id: integration.integration_id.to_string(),
            is_offline_connector: false,
            is_beta: false,
            data_provided_by: integration.data_provided_by,
        }
    }
}

/// Codat `Branding`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BrandingBody {
    pub logo: BrandingPair,
    pub button: BrandingPair,
    #[schema(value_type = String, format = Uuid)]
    pub source_id: String,
}

/// Two images: `full` and `square` for logos, `default` and `hover` for buttons.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingPair {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full: Option<BrandingImage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub square: Option<BrandingImage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<BrandingImage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hover: Option<BrandingImage>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingImage {
    pub image: ImageReference,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImageReference {
    pub src: String,
    pub alt: String,
}

impl BrandingBody {
    pub fn new(integration: &Integration, public_url: &str) -> Self {
        let image = |shape: &str, what: &str| {
            Some(BrandingImage {
                image: ImageReference {
                    src: logo_url(public_url, integration.key, shape),
                    alt: format!("{} {what}", integration.name),
                },
            })
        };
        Self {
            logo: BrandingPair {
                full: image("full", "full logo"),
                square: image("square", "square logo"),
                default: None,
                hover: None,
            },
            button: BrandingPair {
                full: None,
                square: None,
                default: image("button", "button"),
                hover: image("button-hover", "button (hover)"),
            },
            source_id: integration.source_id.to_string(),
        }
    }
}
