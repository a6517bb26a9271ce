//! The hledger connector: a journal file behind `hledger-web --serve-api` (JSON API of
//! hledger-web 1.25: `GET /version`, `/accountnames`, `/commodities`, `/transactions`, and
//! `PUT /add`). hledger is a journal: it takes journal entries only, each one transaction
//! whose comment carries our key as the tag `cs-key:<key>`.
//!
//! Bodies are built and checked in [`transformers`] from the wire types in [`wire`]; errors are
//! read in [`errors`]; accounts and company in [`reference`]. `docs/mapping-hledger.md` shows
//! what a journal entry becomes in the journal file.

mod client;
pub mod errors;
pub mod reference;
pub mod transformers;
pub mod wire;

use crate::connector_config::ConnectorConfig;
use crate::credentials::Credentials;
use crate::error::PlatformError;
use crate::limits::{RateLimiter, Timer};
use crate::platform::{AccountingPlatform, PlatformLimits, WrittenDocument};
use async_trait::async_trait;
use domain::documents::{Document, DocumentKey, DocumentKind};
use domain::reference_data::ReferenceData;
use reqwest::Method;
use std::collections::BTreeSet;
use std::sync::Arc;

/// hledger-web has no limits of its own. One call at a time, since every write appends to
/// the same file and hledger-web does not lock it; a generous minute for a local server. Our
/// key (at most 255 characters) is kept whole in its tag.
pub const LIMITS: PlatformLimits = PlatformLimits {
    per_minute: 600,
    per_day: None,
    concurrent: 1,
    idempotency_key_len: 255,
    reference_len: 255,
};

/// The hledger connector's configuration: `api_base` is hledger-web's URL; there is no OAuth
/// app, so the token fields stay empty.
pub type HledgerConfig = ConnectorConfig<transformers::Options>;

impl HledgerConfig {
    /// hledger-web at `base_url` (the connection's `baseUrl`).
    pub fn new(base_url: &str) -> Self {
        Self::with_defaults((base_url.trim_end_matches('/'), ""), "", "")
    }

    /// From a connection's credentials, when they are hledger's.
    pub fn from_credentials(credentials: &Credentials) -> Option<Self> {
        match credentials {
            Credentials::Hledger { base_url } => Some(Self::new(base_url)),
            _ => None,
        }
    }
}

/// One hledger connection (one journal served by one hledger-web).
pub struct HledgerConnector {
    http: reqwest::Client,
    config: HledgerConfig,
    limiter: Arc<RateLimiter>,
    timer: Arc<dyn Timer>,
}

impl HledgerConnector {
    /// A connector over a connection's shared limiter.
    pub fn new(config: HledgerConfig, limiter: Arc<RateLimiter>, timer: Arc<dyn Timer>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            // The base URL is the merchant's: resolved to allowed addresses only, at every
            // request, and never followed elsewhere.
            .dns_resolver(config.outbound.resolver())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a TLS client can be built");
        Self {
            http,
            config,
            limiter,
            timer,
        }
    }

    /// A connector with its own limiter.
    pub fn connect(config: HledgerConfig, timer: Arc<dyn Timer>) -> Self {
        let limiter = Arc::new(RateLimiter::new(LIMITS, timer.clone()));
        Self::new(config, limiter, timer)
    }

    /// hledger-web's version (`"1.25"`): answers when the server is up.
    pub async fn version(&self) -> Result<String, PlatformError> {
        self.get("version").await
    }

    /// Refuses an entry naming an account the journal does not have. hledger would take it
    /// and open the account silently, and `hledger check --strict` would then fail on the
    /// undeclared account; the merchant chose accounts from this list, so one missing was
    /// renamed or deleted since.
    async fn check_accounts(&self, t: &wire::Transaction) -> Result<(), PlatformError> {
        let names: BTreeSet<String> = self
            .get::<Vec<String>>("accountnames")
            .await?
            .into_iter()
            .collect();
        let missing: Vec<&str> = t
            .tpostings
            .iter()
            .map(|p| p.paccount.as_str())
            .filter(|a| !names.contains(*a))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(PlatformError::validation(
            errors::PLATFORM,
            format!(
                "account {} does not exist in the journal (renamed or deleted since it was chosen?)",
                missing
                    .iter()
                    .map(|a| format!("{a:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }
}

/// What we keep of a transaction found in the journal. Its platform id is its position in
/// the journal (`tindex`), which holds until someone inserts a transaction above it.
fn written(t: &wire::Listed, key: &DocumentKey) -> WrittenDocument {
    WrittenDocument {
        kind: key.kind,
        key: key.full(),
        platform_id: t.tindex.to_string(),
        number: None,
        status: None,
        total: transformers::total(t),
    }
}

#[async_trait]
impl AccountingPlatform for HledgerConnector {
    fn name(&self) -> &'static str {
        errors::PLATFORM
    }

    fn limits(&self) -> PlatformLimits {
        self.limiter.limits()
    }

    fn supports(&self, kind: DocumentKind) -> bool {
        kind == DocumentKind::JournalEntry
    }

    async fn reference_data(&self) -> Result<ReferenceData, PlatformError> {
        let names: Vec<String> = self.get("accountnames").await?;
        let commodities: Vec<String> = self.get("commodities").await?;
        let mut company = reference::company(&self.config.options, &commodities);
        company.platform_ref = Some(self.config.api_base.clone());
        Ok(ReferenceData {
            company,
            accounts: names.iter().map(|n| reference::account(n)).collect(),
            commodities,
            ..ReferenceData::default()
        })
    }

    async fn write(&self, document: &Document) -> Result<WrittenDocument, PlatformError> {
        // Checked before anything is sent: hledger-web appends whatever it gets.
        let transaction = transformers::transaction(document)?;
        // Exactly once. hledger-web takes no idempotency key and `PUT /add` appends every time
        // it is called, so the journal itself is the only record of an earlier write whose
        // answer was lost (a timeout, a dropped connection, our process stopped between
        // sending and recording): look the key up first and write only when it is absent.
        if let Some(found) = self.find(&document.key).await? {
            return Ok(found);
        }
        self.check_accounts(&transaction).await?;
        let body = &serde_json::to_value(&transaction)
            .map_err(|e| PlatformError::Protocol(format!("unserializable transaction: {e}")))?;
        let key = &document.key;
        self.config
            .retry
            .run_write(
                &*self.timer,
                move || async move {
                    // See `Options::settle`: the append must fall in a later file-time tick
                    // than hledger-web's last read, or the look-up below would not see it.
                    self.timer.sleep(self.config.options.settle).await;
                    self.call(Method::PUT, "add", Some(body)).await?;
                    // Added: from here on the outcome is known to be a write, so a failure to
                    // read it back must not lead to writing it again.
                    match self.find(key).await {
                        Ok(Some(found)) => Ok(found),
                        Ok(None) => Err(PlatformError::Protocol(format!(
                            "hledger-web accepted journal entry {} but the journal does not show \
                             it: the journal file may no longer parse (run `hledger check`), or \
                             its file system's times are coarser than the connector's settle",
                            key.full()
                        ))),
                        Err(e) => Err(PlatformError::OutcomeUnknown(e.to_string())),
                    }
                },
                || self.find(key),
            )
            .await
    }

    async fn find(&self, key: &DocumentKey) -> Result<Option<WrittenDocument>, PlatformError> {
        if key.kind != DocumentKind::JournalEntry {
            return Ok(None);
        }
        let tag = transformers::key_tag_value(&key.full());
        let listed: Vec<wire::Listed> = self.get("transactions").await?;
        Ok(listed
            .iter()
            .find(|t| transformers::has_key(t, &tag))
            .map(|t| written(t, key)))
    }
}
