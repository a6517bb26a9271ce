//! The OpenAPI document, generated from the handlers' annotations.

use crate::error::{ErrorBody, Validation, ValidationItem};
use crate::routes::{
    accounting_data, accounting_push, companies, configuration, connections, integrations, preview,
    push, push_items, redirect_origins, reference_data, syncs, ui_branding, ui_text,
    visible_accounts, webhooks,
};
use crate::wire::{company::CompanyBody, connection::ConnectionBody, integration::IntegrationBody};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "commerce-sync", description = "Sync for Commerce compatible API: companies, connections, integrations, configuration; beyond Codat: reference data, preview and signed webhooks. \
        Authenticate with `Authorization: Basic base64(API key)` (or `Bearer API key`)."),
    paths(
        companies::list, companies::create, companies::get, companies::replace, companies::update, companies::delete,
        connections::list, connections::create, connections::get, connections::update, connections::delete,
        connections::authorize,
        integrations::list, integrations::branding,
        push::push_sales, push::post_records, push::put_records, push::status,
        configuration::get, configuration::set, reference_data::put, reference_data::get,
        accounting_data::data_status, accounting_data::refresh_all, accounting_data::refresh_type,
        accounting_data::pull_operation_status, accounting_data::accounts, accounting_data::account,
        accounting_data::info, accounting_push::push, visible_accounts::get, visible_accounts::set,
        redirect_origins::get, redirect_origins::set,
        ui_text::get, ui_text::patch, ui_branding::get, ui_branding::set,
        crate::pages::flow::start::url_with_platform, crate::pages::flow::start::url_choosing_platform,
        preview::preview,
        syncs::latest, syncs::historic, syncs::status, syncs::sync_status, syncs::list, syncs::retry,
        push_items::list, push_items::get, push_items::retry,
        webhooks::create, webhooks::list, webhooks::get, webhooks::update, webhooks::delete,
        webhooks::rotate_secret, webhooks::deliveries, webhooks::delivery, webhooks::redeliver,
    ),
    components(schemas(accounting_data::DataStatus, accounting_data::PullOperation, visible_accounts::VisibleAccounts, redirect_origins::RedirectOrigins, push::DatasetBody, ErrorBody, Validation, ValidationItem, CompanyBody, ConnectionBody, IntegrationBody,
        webhooks::WebhookEndpointBody, webhooks::WebhookDeliveryBody, webhooks::DeliveryAttemptBody)),
    modifiers(&Security),
    security(("auth_header" = [])),
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "auth_header",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("Authorization"))),
        );
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
