//! The HTTP surface of commerce-sync: the Codat-compatible client API, its OpenAPI
//! document, authentication, errors and request logging, and the pages (Sync Flow, Sync
//! Health).

pub mod auth;
pub mod body;
pub mod error;
pub mod link_grant;
mod middleware;
pub mod openapi;
pub mod pages;
pub mod passwords;
pub mod routes;
pub mod serve;
pub mod throttle;
pub mod wire;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use domain::PlatformKey;
use error::ApiError;
use pages::flow::{
    accounting as flow_accounting, create as flow_create, mapping as flow_mapping,
    settings as flow_settings, start as flow_start,
};
use platforms::TokenCipher;
use platforms::authorize::OAuthApp;
use routes::{
    accounting_data, accounting_push, companies, configuration, connections, health, integrations,
    link, metrics, preview, push, push_items, redirect_origins, reference_data, syncs, ui_branding,
    ui_text, visible_accounts, webhooks,
};
use std::collections::HashMap;
use std::sync::Arc;
use store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// Stores pushed datasets in the background.
    pub ingest: engine::Ingest,
    pub cipher: Arc<TokenCipher>,
    /// Base of the links we hand out (no trailing slash).
    pub public_url: Arc<str>,
    /// Our OAuth apps, per accounting platform; a platform without one cannot be linked by
    /// the merchant (its credentials can still be handed over through the API).
    pub oauth: Arc<HashMap<PlatformKey, OAuthApp>>,
    /// "Now" for sync requests (injected by tests).
    pub clock: Arc<dyn domain::clock::Clock>,
    /// Connectors for what the API asks of the books at once (creating an account).
    pub connectors: Arc<engine::Connectors>,
    /// Wrong API keys per client address.
    pub throttle: Arc<throttle::Throttle>,
    /// Failed Sync Health sign-ins per email and per address.
    pub sign_in: Arc<pages::health::signin::SignInThrottle>,
    /// Where user-given URLs (webhooks, hledger) may point.
    pub outbound: platforms::outbound::Outbound,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, cipher: TokenCipher, public_url: &str) -> Self {
        let cipher = Arc::new(cipher);
        Self {
            ingest: engine::Ingest::new(store.clone()),
            connectors: Arc::new(engine::Connectors::new(
                store.clone(),
                cipher.clone(),
                engine::ConnectorSettings::default(),
                Arc::new(platforms::SystemTimer),
            )),
            store,
            cipher,
            public_url: public_url.trim_end_matches('/').into(),
            oauth: Arc::new(HashMap::new()),
            clock: Arc::new(domain::clock::SystemClock),
            throttle: Arc::default(),
            sign_in: Arc::default(),
            outbound: platforms::outbound::Outbound::default(),
        }
    }

    /// The same state reaching the platforms (or their sandboxes) as `settings` say.
    pub fn with_connectors(mut self, settings: engine::ConnectorSettings) -> Self {
        self.connectors = Arc::new(engine::Connectors::new(
            self.store.clone(),
            self.cipher.clone(),
            settings,
            Arc::new(platforms::SystemTimer),
        ));
        self
    }

    /// The same state with this policy for user-given URLs.
    pub fn with_outbound(mut self, outbound: platforms::outbound::Outbound) -> Self {
        self.outbound = outbound;
        self
    }

    /// The same state reading time from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn domain::clock::Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The same state with these OAuth apps.
    pub fn with_oauth(mut self, apps: impl IntoIterator<Item = OAuthApp>) -> Self {
        self.oauth = Arc::new(apps.into_iter().map(|app| (app.platform, app)).collect());
        self
    }
}

/// The whole API.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/companies", get(companies::list).post(companies::create))
        .route(
            "/companies/{companyId}",
            get(companies::get)
                .put(companies::replace)
                .patch(companies::update)
                .delete(companies::delete),
        )
        .route(
            "/companies/{companyId}/connections",
            get(connections::list).post(connections::create),
        )
        .route(
            "/companies/{companyId}/connections/{connectionId}",
            get(connections::get)
                .patch(connections::update)
                .delete(connections::delete),
        )
        .route(
            "/companies/{companyId}/connections/{connectionId}/authorization",
            put(connections::authorize),
        )
        // v1 aliases, kept for clients written against the older API.
        .route("/meta/companies", get(companies::list))
        .route("/meta/companies/sync", post(companies::create))
        .route(
            "/meta/companies/{companyId}/connections",
            get(connections::list).post(connections::create),
        )
        .route(
            "/meta/companies/{companyId}/connections/{connectionId}",
            patch(connections::update),
        )
        .route(
            "/data/companies/{companyId}/sync/{dataType}",
            post(push::push_sales),
        )
        .route(
            "/companies/{companyId}/data/{dataType}",
            post(push::post_records).put(push::put_records),
        )
        .route(
            "/meta/companies/{companyId}/pull/history/{datasetId}",
            get(push::status),
        )
        .route(
            "/companies/{companyId}/dataStatus",
            get(accounting_data::data_status),
        )
        .route(
            "/companies/{companyId}/data/all",
            post(accounting_data::refresh_all),
        )
        .route(
            "/companies/{companyId}/data/queue/{dataType}",
            post(accounting_data::refresh_type),
        )
        .route(
            "/companies/{companyId}/data/history/{datasetId}",
            get(accounting_data::pull_operation_status),
        )
        .route(
            "/companies/{companyId}/data/accounts",
            get(accounting_data::accounts),
        )
        .route(
            "/companies/{companyId}/data/accounts/{accountId}",
            get(accounting_data::account),
        )
        .route(
            "/companies/{companyId}/data/info",
            get(accounting_data::info),
        )
        .route(
            "/companies/{companyId}/connections/{connectionId}/push/{dataType}",
            post(accounting_push::push),
        )
        .route(
            "/companies/{companyId}/reference-data",
            get(reference_data::get).put(reference_data::put),
        )
        .route(
            "/companies/{companyId}/sync/commerce/latest",
            post(syncs::latest),
        )
        .route(
            "/meta/companies/{companyId}/sync/commerce/historic",
            post(syncs::historic),
        )
        .route(
            "/meta/companies/{companyId}/sync/commerce/status",
            get(syncs::status),
        )
        .route(
            "/companies/{companyId}/sync/commerce/syncs/list/status",
            get(syncs::list),
        )
        .route(
            "/companies/{companyId}/sync/commerce/syncs/{syncId}/status",
            get(syncs::sync_status),
        )
        .route(
            "/companies/{companyId}/sync/commerce/syncs/{syncId}/retry",
            post(syncs::retry),
        )
        .route("/companies/{companyId}/push", get(push_items::list))
        .route(
            "/companies/{companyId}/push/{pushOperationKey}",
            get(push_items::get),
        )
        .route(
            "/companies/{companyId}/push/{pushOperationKey}/retry",
            post(push_items::retry),
        )
        .route(
            "/companies/{companyId}/sync/commerce/preview",
            post(preview::preview),
        )
        .route(
            "/config/companies/{companyId}/sync/commerce",
            get(configuration::get).post(configuration::set),
        )
        .route(
            "/clients/{clientId}/config/ui/accounts/platform/{platformKey}",
            get(visible_accounts::get),
        )
        .route(
            "/sync/commerce/config/ui/accounts/platform/{platformKey}",
            post(visible_accounts::set),
        )
        .route(
            "/clients/{clientId}/config/redirect-origins",
            get(redirect_origins::get).put(redirect_origins::set),
        )
        .route("/config/integrations", get(integrations::list))
        .route(
            "/config/integrations/{platformKey}/branding",
            get(integrations::branding),
        )
        .route("/static/logos/{file}", get(integrations::logo))
        .route(
            "/sync-flow/companies/{companyId}/connections/{connectionId}/start",
            get(link::start),
        )
        .route("/oauth/callback", get(link::callback))
        .route(
            "/config/sync/commerce/{commerceKey}/{accountingKey}/start",
            get(flow_start::url_with_platform),
        )
        .route(
            "/config/sync/commerce/{commerceKey}/start",
            get(flow_start::url_choosing_platform),
        )
        .route(
            "/sync/commerce/config/ui/text",
            get(ui_text::get).patch(ui_text::patch),
        )
        .route(
            "/clients/{clientId}/config/ui/branding",
            get(ui_branding::get).put(ui_branding::set),
        )
        .route("/assets/pages.css", get(pages::assets::stylesheet))
        .route("/assets/pages.js", get(pages::assets::script))
        .route("/sync-flow/start", get(flow_start::redeem_page))
        .route(
            "/sync-flow/branding/{clientId}/logo",
            get(ui_branding::logo),
        )
        .route(
            "/sync-flow/branding/{clientId}/colours.css",
            get(ui_branding::colours),
        )
        .route("/sync-flow/companies/{companyId}", get(flow_start::entry))
        .route(
            "/sync-flow/companies/{companyId}/commerce",
            get(flow_accounting::commerce_page),
        )
        .route(
            "/sync-flow/companies/{companyId}/accounting",
            get(flow_accounting::accounting_page).post(flow_accounting::accounting_submit),
        )
        .route(
            "/sync-flow/companies/{companyId}/settings",
            get(flow_settings::settings_page),
        )
        .route(
            "/sync-flow/companies/{companyId}/settings/{action}",
            post(flow_settings::settings_action),
        )
        .route(
            "/sync-flow/companies/{companyId}/create/{dataType}",
            post(flow_create::create),
        )
        .route(
            "/sync-flow/companies/{companyId}/{stage}",
            get(flow_mapping::stage_page).post(flow_mapping::stage_submit),
        )
        .route(
            "/webhooks/endpoints",
            get(webhooks::list).post(webhooks::create),
        )
        .route(
            "/webhooks/endpoints/{endpointId}",
            get(webhooks::get)
                .patch(webhooks::update)
                .delete(webhooks::delete),
        )
        .route(
            "/webhooks/endpoints/{endpointId}/rotate-secret",
            post(webhooks::rotate_secret),
        )
        .route("/webhooks/deliveries", get(webhooks::deliveries))
        .route("/webhooks/deliveries/{deliveryId}", get(webhooks::delivery))
        .route(
            "/webhooks/deliveries/{deliveryId}/redeliver",
            post(webhooks::redeliver),
        )
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/openapi.json", get(health::openapi));
    // Sync Health: every page route comes from the one list the ownership test walks.
    let mut api = api;
    for route in pages::health::ROUTES {
        api = api.route(route.path, (route.handler)());
    }
    let api = api.route("/health/{*rest}", get(pages::health::unknown));
    api.fallback(|| async {
        ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            "No such endpoint",
        )
    })
    .method_not_allowed_fallback(|| async {
        ApiError::new(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This endpoint does not accept that method",
        )
    })
    .layer(DefaultBodyLimit::max(body::MAX_BODY_BYTES))
    .layer(axum::middleware::from_fn(middleware::request_context))
    .layer(tower_http::catch_panic::CatchPanicLayer::custom(
        middleware::panic_response,
    ))
    .with_state(state)
}
