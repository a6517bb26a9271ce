//! Local stand-ins for Xero and QuickBooks Online: OAuth consent page, token endpoint and the
//! endpoints our connectors call, enforcing the platforms' documented validation rules, rate
//! limits and error shapes, with switchable, seeded faults. Used by tests, the demo and
//! benchmarks, never by production code paths.
//!
//! # Use
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use sandbox::{SandboxOptions, SandboxState};
//! let state = SandboxState::new(SandboxOptions::new("http://127.0.0.1:8080/sandbox"));
//! let app = axum::Router::new().nest("/sandbox", sandbox::router(state));
//! # let _ = app; Ok(()) }
//! ```
//! or [`serve`] a listener with the sandboxes at its root. Inject a [`ManualClock`] through
//! [`SandboxOptions::clock`] to expire tokens or roll the day over without sleeping, and a
//! [`SandboxOptions::seed`] to make fault draws reproducible.
//!
//! # Routes (relative to where the router is nested)
//! Xero, under `/xero`:
//! - OAuth 2.0: `GET|POST /identity/connect/authorize` (consent page; `response_type=code`,
//!   registered `client_id` + `redirect_uri`, non-empty `state`, PKCE `S256` required),
//!   `POST /identity/connect/token` (`authorization_code` with `code_verifier`; `refresh_token`
//!   — rotating: each refresh token works once, then `400 {"error":"invalid_grant"}`); access
//!   tokens live 30 min. `GET /connections`, `DELETE /connections/{id}`.
//! - `/api.xro/2.0/`: `GET Organisation`; `GET|PUT|POST Accounts`, `GET|POST Accounts/{id}`
//!   (archive with `{"Status":"ARCHIVED"}`); `GET TaxRates`, `GET TrackingCategories`;
//!   `GET|PUT|POST Contacts`; `GET|PUT|POST Invoices` (ACCREC, ACCPAY) and `Invoices/{id or
//!   number}` (POST updates status: AUTHORISED, VOIDED, DELETED); the same for `CreditNotes`
//!   (ACCRECCREDIT, ACCPAYCREDIT) plus `PUT CreditNotes/{id}/Allocations`; `GET|PUT Payments`,
//!   `POST Payments/{id}` `{"Status":"DELETED"}`; `GET|PUT BankTransactions` (SPEND, RECEIVE);
//!   `GET|PUT BankTransfers`; `GET|PUT|POST ManualJournals`. Headers `Authorization: Bearer`,
//!   `xero-tenant-id`, `Idempotency-Key` (≤128 chars; same key on the same operation → the
//!   first successful answer again, no second document). Lists take `where` (`==`, `!=`, `<`,
//!   `>`, `Contains`, `AND`, `OR`, `Guid("…")`, `DateTime(y,m,d)`), `IDs`, `InvoiceNumbers`,
//!   `ContactIDs`, `Statuses`, `page`; a connector finds its document by
//!   `where=Reference=="…"`, or `InvoiceNumbers=…`.
//!
//! QuickBooks Online, under `/quickbooks`:
//! - OAuth 2.0: `GET|POST /connect/oauth2` (callback carries `code`, `state`, `realmId`),
//!   `POST /oauth2/v1/tokens/bearer` (1 h access tokens, rotating refresh tokens),
//!   `GET /.well-known/openid_configuration` (absolute URLs from `public_base_url`).
//! - `/v3/company/{realmId}/`: `POST {entity}` creates (`account`, `customer`, `vendor` also
//!   update by `Id` + `SyncToken`), `GET {entity}/{id}` reads, `GET query?query=select …` (or
//!   POST the query as the body) for `companyinfo`, `account`, `taxcode`, `taxrate`,
//!   `customer`, `vendor`, `class`, `department`, `item`, `invoice`, `creditmemo`, `payment`,
//!   `refundreceipt`, `bill`, `vendorcredit`, `billpayment`, `deposit`, `transfer`,
//!   `journalentry`. `POST {entity}?operation=delete` with `{"Id","SyncToken"}` deletes a
//!   transaction (refused while money is applied to it; deleting a payment reopens what it
//!   paid). `requestid` (≤50 chars) makes a write idempotent; `minorversion` is accepted and
//!   ignored.
//!
//! Both, under `/{xero|quickbooks}/_control` (no auth; CONTRACT.md "Sandboxes"):
//! - `POST tenants` with optional `{"name", "country": "GB"|"US"}` (Xero defaults to GB,
//!   QuickBooks to US) → `201 {"tenantId"|"realmId", "accessToken", "refreshToken",
//!   "expiresAt"}`: a seeded tenant (chart of accounts, tax rates, a customer, a supplier).
//! - `GET tenants/{id}/books` → every record of the tenant in the platform's JSON shape, keyed by
//!   type (`Invoices`, `Payments`, …; QuickBooks: `Invoice`, `Payment`, …), reference data too.
//! - `GET tenants.html` and `GET tenants/{id}/books.html`: read-only HTML pages of the tenants
//!   and of one tenant's books (trial balance of the documents written, a table per document
//!   type), styled by `GET books.css`; for people, not programs.
//! - `POST faults` with [`FaultSettings`] (camelCase JSON, every field optional):
//!   `{"tenantId"?: "…", "seed"?: 7, "rate429": 0.1, "rate500": 0.1, "rate500AfterCommit": 0.1,
//!   "rateTimeout": 0.05, "timeoutMs": 30000, "timeoutAfterCommit": false, "latencyMs": 50,
//!   "expireTokens": true}`. Posting replaces the settings of that scope (one tenant, or every
//!   tenant without its own); `{}` clears them. Rates must each lie in [0, 1] and add up to at
//!   most 1. One seeded draw per API call picks at most one fault: `rate429` answers 429 (Xero:
//!   `Retry-After: 1`, `X-Rate-Limit-Problem: minute`); `rate500` answers 500 before the write,
//!   nothing written; `rate500AfterCommit` writes, then answers 500 (what idempotency keys and
//!   look-up-before-retry are for); `rateTimeout` holds the request `timeoutMs` — with
//!   `timeoutAfterCommit` the write lands first and the normal answer comes late, otherwise a
//!   late 504 with nothing written (a client that gives up drops the connection).
//!   `latencyMs` delays every call (inside the concurrency slot). `expireTokens` is one-shot:
//!   every access token in scope expires now. Writes are all-or-nothing: a fault never
//!   half-applies one.
//! - `GET faults` → `{"injected": {"tooManyRequests", "serverErrorBeforeCommit",
//!   "serverErrorAfterCommit", "timeoutBeforeCommit", "timeoutAfterCommit"}}`: how many of each
//!   this platform has injected since the sandbox started (new settings do not reset them), so
//!   a fault test can check its faults fired.
//! - Extension: `PATCH tenants/{id}` with `{"lockDate": "YYYY-MM-DD" | null}` closes the period
//!   up to that day (Xero's period lock date, QuickBooks' books close date).
//!
//! # Limits (per tenant, by the injected clock)
//! Xero 60 calls per rolling minute, 5,000 per UTC day, 5 in flight → 429 with `Retry-After`
//! (seconds) and `X-Rate-Limit-Problem: minute|day|concurrent`; every answer carries
//! `X-MinLimit-Remaining`, `X-DayLimit-Remaining`, `X-AppMinLimit-Remaining`. QuickBooks 500 per
//! minute, 10 in flight → 429 `Fault` code 3001 without `Retry-After`. Refused calls are not
//! counted.
//!
//! # Simplified on purpose
//! Single currency per tenant (the base one); no attachments, no Items/Quotes/Receipts in Xero;
//! tax rounding is half away from zero per line (Xero) and per tax code total (QuickBooks);
//! US QuickBooks "automated sales tax" is one fixed rate (8.875%) on lines marked `TAX`;
//! QuickBooks transactions can be deleted but not updated or voided, and its query endpoint
//! filters on any field (the real one supports fewer); OAuth scopes are recorded but not
//! enforced per endpoint (Xero's granular scopes included); idempotent replays are kept
//! forever and only for successful answers. Error messages follow the platforms' wording where known and are
//! close paraphrases elsewhere.

mod clock;
mod control;
mod faults;
mod limits;
mod money;
mod oauth;
mod pages;
mod pipeline;
mod quickbooks;
mod state;
mod tenant;
mod xero;

pub use clock::{Clock, ManualClock, SystemClock};
pub use faults::FaultSettings;
pub use state::{OAuthClient, PlatformKind, SandboxOptions, SandboxState};

/// A tenant made through [`SandboxState::create_tenant`]: its id (Xero tenantId, QuickBooks
/// realmId) and tokens.
#[derive(Debug, Clone)]
pub struct TenantCredentials {
    pub id: String,
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: jiff::Timestamp,
}

impl SandboxState {
    /// Same as `POST /{platform}/_control/tenants`, in-process (for the demo's seeding).
    pub fn create_tenant(
        &self,
        platform: PlatformKind,
        name: Option<String>,
        country: Option<String>,
    ) -> TenantCredentials {
        let (id, t) = control::new_tenant(self, platform, name, country);
        TenantCredentials {
            id,
            access_token: t.access_token,
            refresh_token: t.refresh_token,
            expires_at: t.expires_at,
        }
    }
}

/// The sandboxes' routes, relative: `/xero/...` and `/quickbooks/...` (nest under `/sandbox`).
pub fn router(state: SandboxState) -> axum::Router {
    axum::Router::new()
        .nest("/xero", xero::routes())
        .nest("/quickbooks", quickbooks::routes())
        .with_state(state)
}

/// Serves the sandboxes at the root of `listener`, with default options (wall clock, random
/// seed, public URL `http://{local address}`), until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let base = format!("http://{}", listener.local_addr()?);
    serve_with(listener, SandboxState::new(SandboxOptions::new(base))).await
}

/// Serves the sandboxes at the root of `listener` with the given state.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: SandboxState,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}
