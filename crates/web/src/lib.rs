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
use axum::routing::{MethodRouter, delete, get, patch, post, put};
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

/// One method on one path of the client API.
pub struct ApiRoute {
    pub method: &'static str,
    /// The path template as the router has it (`{companyId}`, …).
    pub path: &'static str,
    pub handler: fn() -> MethodRouter<AppState>,
}

/// Every route of the client API (everything that needs a client's key, but the Sync Flow and
/// Sync Health pages). Add a route here and nowhere else: the router is built from this list
/// and the ownership test (`tests/ownership.rs`) fails until it visits the new entry with
/// another client's key.
pub const API_ROUTES: &[ApiRoute] = &[
    ApiRoute {
        method: "GET",
        path: "/companies",
        handler: || get(companies::list),
    },
    ApiRoute {
        method: "POST",
        path: "/companies",
        handler: || post(companies::create),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}",
        handler: || get(companies::get),
    },
    ApiRoute {
        method: "PUT",
        path: "/companies/{companyId}",
        handler: || put(companies::replace),
    },
    ApiRoute {
        method: "PATCH",
        path: "/companies/{companyId}",
        handler: || patch(companies::update),
    },
    ApiRoute {
        method: "DELETE",
        path: "/companies/{companyId}",
        handler: || delete(companies::delete),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/connections",
        handler: || get(connections::list),
    },
    ApiRoute {
        method: "POST",
        path: "/companies/{companyId}/connections",
        handler: || post(connections::create),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/connections/{connectionId}",
        handler: || get(connections::get),
    },
    ApiRoute {
        method: "PATCH",
        path: "/companies/{companyId}/connections/{connectionId}",
        handler: || patch(connections::update),
    },
    ApiRoute {
        method: "DELETE",
        path: "/companies/{companyId}/connections/{connectionId}",
        handler: || delete(connections::delete),
    },
    ApiRoute {
        method: "PUT",
        path: "/companies/{companyId}/connections/{connectionId}/authorization",
        handler: || put(connections::authorize),
    },
    ApiRoute {
        method: "GET",
        path: "/meta/companies",
        handler: || get(companies::list),
    },
    ApiRoute {
        method: "POST",
        path: "/meta/companies/sync",
        handler: || post(companies::create),
    },
    ApiRoute {
        method: "GET",
        path: "/meta/companies/{companyId}/connections",
        handler: || get(connections::list),
    },
    ApiRoute {
        method: "POST",
        path: "/meta/companies/{companyId}/connections",
        handler: || post(connections::create),
    },
    ApiRoute {
        method: "PATCH",
        path: "/meta/companies/{companyId}/connections/{connectionId}",
        handler: || patch(connections::update),
    },
    ApiRoute {
        method: "POST",
        path: "/data/companies/{companyId}/sync/{dataType}",
        handler: || post(push::push_sales),
    },
    ApiRoute {
        method: "POST",
        path: "/companies/{companyId}/data/{dataType}",
        handler: || post(push::post_records),
    },
    ApiRoute {
        method: "PUT",
        path: "/companies/{companyId}/data/{dataType}",
        handler: || put(push::put_records),
    },
    ApiRoute {
        method: "GET",
        path: "/meta/companies/{companyId}/pull/history/{datasetId}",
        handler: || get(push::status),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/dataStatus",
        handler: || get(accounting_data::data_status),
    },
    ApiRoute {
        method: "POST",
        path: "/companies/{companyId}/data/all",
        handler: || post(accounting_data::refresh_all),
    },
    ApiRoute {
        method: "POST",
        path: "/companies/{companyId}/data/queue/{dataType}",
        handler: || post(accounting_data::refresh_type),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/data/history/{datasetId}",
        handler: || get(accounting_data::pull_operation_status),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/data/accounts",
        handler: || get(accounting_data::accounts),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/data/accounts/{accountId}",
        handler: || get(accounting_data::account),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/data/info",
        handler: || get(accounting_data::info),
    },
    ApiRoute {
        method: "POST",
        path: "/companies/{companyId}/connections/{connectionId}/push/{dataType}",
        handler: || post(accounting_push::push),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/reference-data",
        handler: || get(reference_data::get),
    },
    ApiRoute {
        method: "PUT",
        path: "/companies/{companyId}/reference-data",
        handler: || put(reference_data::put),
    },
    ApiRoute {
        method: "POST",
        path: "/companies/{companyId}/sync/commerce/latest",
        handler: || post(syncs::latest),
    },
    ApiRoute {
        method: "POST",
        path: "/meta/companies/{companyId}/sync/commerce/historic",
        handler: || post(syncs::historic),
    },
    ApiRoute {
        method: "GET",
        path: "/meta/companies/{companyId}/sync/commerce/status",
        handler: || get(syncs::status),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/sync/commerce/syncs/list/status",
        handler: || get(syncs::list),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/sync/commerce/syncs/{syncId}/status",
        handler: || get(syncs::sync_status),
    },
    ApiRoute {
        method: "POST",
        path: "/companies/{companyId}/sync/commerce/syncs/{syncId}/retry",
        handler: || post(syncs::retry),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/push",
        handler: || get(push_items::list),
    },
    ApiRoute {
        method: "GET",
        path: "/companies/{companyId}/push/{pushOperationKey}",
        handler: || get(push_items::get),
    },
    ApiRoute {
        method: "POST",
        path: "/companies/{companyId}/push/{pushOperationKey}/retry",
        handler: || post(push_items::retry),
    },
    ApiRoute {
        method: "POST",
        path: "/companies/{companyId}/sync/commerce/preview",
        handler: || post(preview::preview),
    },
    ApiRoute {
        method: "GET",
        path: "/config/companies/{companyId}/sync/commerce",
        handler: || get(configuration::get),
    },
    ApiRoute {
        method: "POST",
        path: "/config/companies/{companyId}/sync/commerce",
        handler: || post(configuration::set),
    },
    ApiRoute {
        method: "GET",
        path: "/clients/{clientId}/config/ui/accounts/platform/{platformKey}",
        handler: || get(visible_accounts::get),
    },
    ApiRoute {
        method: "POST",
        path: "/sync/commerce/config/ui/accounts/platform/{platformKey}",
        handler: || post(visible_accounts::set),
    },
    ApiRoute {
        method: "GET",
        path: "/clients/{clientId}/config/redirect-origins",
        handler: || get(redirect_origins::get),
    },
    ApiRoute {
        method: "PUT",
        path: "/clients/{clientId}/config/redirect-origins",
        handler: || put(redirect_origins::set),
    },
    ApiRoute {
        method: "GET",
        path: "/config/integrations",
        handler: || get(integrations::list),
    },
    ApiRoute {
        method: "GET",
        path: "/config/integrations/{platformKey}/branding",
        handler: || get(integrations::branding),
    },
    ApiRoute {
        method: "GET",
        path: "/config/sync/commerce/{commerceKey}/{accountingKey}/start",
        handler: || get(flow_start::url_with_platform),
    },
    ApiRoute {
        method: "GET",
        path: "/config/sync/commerce/{commerceKey}/start",
        handler: || get(flow_start::url_choosing_platform),
    },
    ApiRoute {
        method: "GET",
        path: "/sync/commerce/config/ui/text",
        handler: || get(ui_text::get),
    },
    ApiRoute {
        method: "PATCH",
        path: "/sync/commerce/config/ui/text",
        handler: || patch(ui_text::patch),
    },
    ApiRoute {
        method: "GET",
        path: "/clients/{clientId}/config/ui/branding",
        handler: || get(ui_branding::get),
    },
    ApiRoute {
        method: "PUT",
        path: "/clients/{clientId}/config/ui/branding",
        handler: || put(ui_branding::set),
    },
    ApiRoute {
        method: "GET",
        path: "/webhooks/endpoints",
        handler: || get(webhooks::list),
    },
    ApiRoute {
        method: "POST",
        path: "/webhooks/endpoints",
        handler: || post(webhooks::create),
    },
    ApiRoute {
        method: "GET",
        path: "/webhooks/endpoints/{endpointId}",
        handler: || get(webhooks::get),
    },
    ApiRoute {
        method: "PATCH",
        path: "/webhooks/endpoints/{endpointId}",
        handler: || patch(webhooks::update),
    },
    ApiRoute {
        method: "DELETE",
        path: "/webhooks/endpoints/{endpointId}",
        handler: || delete(webhooks::delete),
    },
    ApiRoute {
        method: "POST",
        path: "/webhooks/endpoints/{endpointId}/rotate-secret",
        handler: || post(webhooks::rotate_secret),
    },
    ApiRoute {
        method: "GET",
        path: "/webhooks/deliveries",
        handler: || get(webhooks::deliveries),
    },
    ApiRoute {
        method: "GET",
        path: "/webhooks/deliveries/{deliveryId}",
        handler: || get(webhooks::delivery),
    },
    ApiRoute {
        method: "POST",
        path: "/webhooks/deliveries/{deliveryId}/redeliver",
        handler: || post(webhooks::redeliver),
    },
];

/// The whole API.
pub fn router(state: AppState) -> Router {
    let mut api = Router::new();
    // The client API: every route from the one table the ownership test walks.
    for route in API_ROUTES {
        api = api.route(route.path, (route.handler)());
    }
    // Public routes and the Sync Flow pages, which answer without a client's key.
    let api = api
        .route("/static/logos/{file}", get(integrations::logo))
        .route(
            "/sync-flow/companies/{companyId}/connections/{connectionId}/start",
            get(link::start),
        )
        .route("/oauth/callback", get(link::callback))
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
