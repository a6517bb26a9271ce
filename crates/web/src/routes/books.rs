//! The books a company's configuration is built on: the reference data read from its linked
//! accounting platform, which platform that is, and the options offered from them and from
//! what the client pushed. The configuration API and the Sync Flow pages both start here.
//!
//! Never a dead end: without reference data the answer is a 409 that says what is happening
//! and what to do — a read is running (ask again, `Retry-After`), a read failed (the platform's
//! reason, and how to read again), or the merchant still has to connect or link a platform. A
//! linked connection with no read on record gets one queued at once.

use crate::AppState;
use crate::error::ApiError;
use axum::http::StatusCode;
use domain::config::options::narrow_to_visible;
use domain::config::{ConfigDocument, OfferSpec, offer};
use domain::preview::Platform;
use domain::reference_data::ReferenceData;
use domain::{ClientId, CompanyId, Connection, ConnectionStatus};
use engine::connectors::live_accounting;
use engine::reference_read::{ReadState, queue_read, read_state};
use store::StoredConfig;

/// Seconds a client should wait before asking again while a read runs.
const READ_RETRY_AFTER: u32 = 2;

/// A company's books as the configuration sees them.
pub struct Books {
    pub reference: ReferenceData,
    /// The accounting platform, when a connection names one.
    pub platform: Option<Platform>,
    /// The accounting connection the books were read through, when there is one.
    pub connection: Option<Connection>,
}

/// The company's books, or 404 (unknown company) / 409 (not read yet: why, and what to do).
pub async fn books_of(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
) -> Result<Books, ApiError> {
    state
        .store
        .company(client, company)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    let connections = state
        .store
        .list_connections(client, company)
        .await?
        .unwrap_or_default();
    let accounting = live_accounting(&connections).cloned();
    let platform = accounting
        .as_ref()
        .and_then(|c| Platform::parse(c.platform_key.key()));
    if let Some(stored) = state.store.reference_data(client, company).await? {
        return Ok(Books {
            reference: stored.data,
            platform,
            connection: accounting,
        });
    }
    let Some(accounting) = accounting else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "accounting_not_connected",
            format!(
                "Company {company} has no accounting platform yet, so there are no accounts to choose from: create a connection (POST /companies/{company}/connections with platformKey gbol, qhyg or hldg) and have the merchant open its linkUrl"
            ),
        ));
    };
    let name = accounting.platform_key.integration().name;
    if accounting.status == ConnectionStatus::Deauthorized {
        let why = accounting.error.as_ref().map_or("", |e| e.message.as_str());
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "accounting_deauthorized",
            format!(
                "{name} no longer lets us in (connection {} is Deauthorized: {why}): the merchant must link it again through the connection's linkUrl",
                accounting.id
            ),
        ));
    }
    if accounting.status != ConnectionStatus::Linked {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "accounting_not_linked",
            format!(
                "{name} is not linked yet (connection {} is {:?}): the merchant opens the connection's linkUrl to authorize it, then its accounts are read",
                accounting.id, accounting.status
            ),
        ));
    }
    match read_state(state.store.as_ref(), company).await? {
        ReadState::Failed(job) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "reference_data_read_failed",
            format!(
                "Reading the accounts, tax rates and contacts from {name} failed: {}. Fix the cause, then read again with POST /companies/{company}/data/all",
                job.last_error.as_deref().unwrap_or("no reason was given")
            ),
        )),
        read => {
            if !read.in_progress() {
                queue_read(
                    state.store.as_ref(),
                    company,
                    accounting.id,
                    state.clock.now(),
                )
                .await?;
            }
            let last = read
                .job()
                .and_then(|j| j.last_error.as_deref())
                .filter(|_| read.in_progress())
                .map(|e| format!(" (the last attempt failed: {e}; it is retried)"))
                .unwrap_or_default();
            Err(ApiError::new(
                StatusCode::CONFLICT,
                "reference_data_reading",
                format!(
                    "The accounts, tax rates and contacts of {name} are being read{last}; ask again in a few seconds"
                ),
            )
            .retry_after(READ_RETRY_AFTER))
        }
    }
}

/// The configuration document offered to the merchant: options from its books and pushed
/// data, narrowed to the slots the client shows, with `stored`'s selections carried over.
pub async fn offered(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
    books: &Books,
    stored: Option<&StoredConfig>,
) -> Result<ConfigDocument, ApiError> {
    let pushed =
        engine::pushed_facts::pushed_facts(state.store.as_ref(), company, state.clock.now())
            .await?;
    let previous = stored.map(|s| &s.document);
    let spec =
        OfferSpec::for_merchant(company, &books.reference, books.platform, &pushed, previous);
    let mut document = offer(&books.reference, &spec, previous);
    let platform = books.connection.as_ref().map(|c| c.platform_key);
    if let Some(platform) = platform
        && let Some(visible) =
            super::visible_accounts::visible_slots(state, client, platform).await?
    {
        narrow_to_visible(&mut document, &visible);
    }
    Ok(document)
}
