//! The client API's routes, one file per resource.

pub mod accounting_data;
pub mod accounting_push;
pub mod books;
pub mod companies;
pub mod configuration;
pub mod connections;
pub mod health;
pub mod integrations;
pub mod link;
pub mod metrics;
pub mod preview;
pub mod push;
pub mod push_items;
pub mod redirect_origins;
pub mod reference_data;
pub mod syncs;
pub mod ui_branding;
pub mod ui_text;
pub mod visible_accounts;
pub mod webhooks;

use crate::error::{ApiError, ValidationItem};
use domain::{CompanyId, ConnectionId};

/// A company id from the path; a malformed one is named, an unknown one is a 404 later.
pub fn company_id(raw: &str) -> Result<CompanyId, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::invalid(vec![ValidationItem::parameter(
            "companyId",
            format!("companyId must be a UUID, found {raw:?}"),
        )])
    })
}

pub fn connection_id(raw: &str) -> Result<ConnectionId, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::invalid(vec![ValidationItem::parameter(
            "connectionId",
            format!("connectionId must be a UUID, found {raw:?}"),
        )])
    })
}
