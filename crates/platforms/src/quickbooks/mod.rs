//! The QuickBooks Online connector: Accounting API v3 (`/v3/company/{realmId}/…`,
//! `minorversion=75`) with OAuth 2.0 bearer tokens. Every call goes through the connection's
//! rate limiter (500 a minute, 10 in flight) and token source; every write carries a
//! `requestid` made from our key and the key itself in the body (`DocNumber`, `PrivateNote`),
//! and is retried only after looking it up when its outcome is unknown.
//!
//! Bodies are built in [`transformers`]; errors (`Fault`) are read in [`errors`]; reference
//! data is mapped in [`reference`]. `docs/mapping-quickbooks.md` has the table of what each
//! document becomes.

mod client;
pub mod errors;
pub mod reference;
mod refunds;
pub mod transformers;
pub mod wire;

use crate::connector_config::{ConnectorConfig, fitted_key};
use crate::credentials::OAuthTokens;
use crate::error::PlatformError;
use crate::known_ids::{KnownIds, token_source_and_limiter};
use crate::limits::{RateLimiter, Timer};
use crate::platform::{
    AccountPrototype, AccountingPlatform, ContactKind, PlatformLimits, TrackingCategory,
    WrittenDocument,
};
use crate::tokens::{TokenSource, TokenStore};
use async_trait::async_trait;
use client::quoted;
use domain::documents::{Document, DocumentKey, DocumentKind};
use domain::reference_data::{Account, Contact, ReferenceData};
use reqwest::Method;
use serde_json::Value;
use std::sync::atomic::AtomicU32;
use std::sync::{Arc, Mutex};

pub const DEFAULT_API_BASE: &str = "https://quickbooks.api.intuit.com/v3/company";
pub const DEFAULT_TOKEN_URL: &str = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer";
/// The API minor version every call asks for.
pub const MINOR_VERSION: &str = "75";

/// Intuit's published per-company limits and the field sizes we rely on: `requestid` up to
/// 50 characters, `DocNumber` up to 21.
pub const LIMITS: PlatformLimits = PlatformLimits {
    per_minute: 500,
    per_day: None,
    concurrent: 10,
    idempotency_key_len: 50,
    reference_len: 21,
};

/// The QuickBooks connector's configuration: real URLs by default.
pub type QuickBooksConfig = ConnectorConfig<transformers::Options>;

impl QuickBooksConfig {
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self::with_defaults(
            (DEFAULT_API_BASE, DEFAULT_TOKEN_URL),
            client_id,
            client_secret,
        )
    }
}

/// `requestid` for a key: itself when it fits QuickBooks' 50 characters, else a stable hash.
pub fn request_id(key: &str) -> String {
    fitted_key(key, LIMITS.idempotency_key_len, "cs-")
}

/// One QuickBooks Online connection (one company, `realmId`).
pub struct QuickBooksConnector {
    http: reqwest::Client,
    config: QuickBooksConfig,
    realm_id: String,
    tokens: Arc<TokenSource>,
    limiter: Arc<RateLimiter>,
    timer: Arc<dyn Timer>,
    /// QuickBooks ids of documents written or found, by our full key.
    ids: KnownIds,
    /// The Accounts Receivable account refund journals debit, once looked up.
    receivable: Mutex<Option<String>>,
    /// 429s in a row on this connection: each waits twice as long as the one before.
    throttled: AtomicU32,
    /// Whether the company has automated sales tax on (its Preferences), once read.
    automated_sales_tax: tokio::sync::OnceCell<bool>,
}

impl QuickBooksConnector {
    /// Names are unique in QuickBooks (accounts by `Name`, customers and vendors by
    /// `DisplayName`): one already there under `name` (a retry, or made by hand) is answered
    /// rather than refused.
    async fn create_by_name(
        &self,
        entity: &str,
        name_field: &str,
        name: &str,
        body: &Value,
    ) -> Result<Value, PlatformError> {
        let rid = &request_id(&format!("{}:{name}", entity.to_ascii_lowercase()));
        let by_name = &format!("{name_field} = {}", quoted(name));
        let path = &entity.to_ascii_lowercase();
        let lookup = move || async move {
            let rows = self.query(entity, Some(by_name)).await?;
            Ok(rows
                .into_iter()
                .find(|a| a.get(name_field).and_then(Value::as_str) == Some(name)))
        };
        let created = self
            .config
            .retry
            .run_write(
                &*self.timer,
                move || async move {
                    let v = self
                        .call(Method::POST, path, &[], Some(body), Some(rid))
                        .await?;
                    v.get(entity).cloned().ok_or_else(|| {
                        PlatformError::OutcomeUnknown(format!("QuickBooks' answer has no {entity}"))
                    })
                },
                lookup,
            )
            .await;
        match created {
            // 6240: duplicate name.
            Err(PlatformError::Validation {
                platform_message, ..
            }) if platform_message.contains("(code 6240)") => lookup()
                .await?
                .ok_or_else(|| PlatformError::validation(errors::PLATFORM, platform_message)),
            other => other,
        }
    }

    /// A connector over a connection's shared token source and limiter.
    pub fn new(
        config: QuickBooksConfig,
        realm_id: impl Into<String>,
        tokens: Arc<TokenSource>,
        limiter: Arc<RateLimiter>,
        timer: Arc<dyn Timer>,
    ) -> Self {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .expect("a TLS client can be built");
        Self {
            http,
            config,
            realm_id: realm_id.into(),
            tokens,
            limiter,
            timer,
            ids: KnownIds::default(),
            receivable: Mutex::new(None),
            throttled: AtomicU32::new(0),
            automated_sales_tax: tokio::sync::OnceCell::new(),
        }
    }

    /// Automated sales tax (US): QuickBooks works the tax out, lines are marked `TAX`/`NON`.
    /// Read from the company's Preferences once per connector (a company cannot turn it off).
    async fn automated_sales_tax(&self) -> Result<bool, PlatformError> {
        self.automated_sales_tax
            .get_or_try_init(|| async {
                let preferences: Vec<wire::Preferences> = self.list("Preferences").await?;
                Ok(preferences
                    .first()
                    .is_some_and(|p| p.tax_prefs.partner_tax_enabled))
            })
            .await
            .copied()
    }

    /// A connector with its own token source (refreshing at `config.token_url`) and limiter.
    pub fn connect(
        config: QuickBooksConfig,
        realm_id: impl Into<String>,
        tokens: OAuthTokens,
        store: Arc<dyn TokenStore>,
        timer: Arc<dyn Timer>,
    ) -> Self {
        let (source, limiter) = token_source_and_limiter(
            (&config.token_url, &config.client_id, &config.client_secret),
            LIMITS,
            tokens,
            store,
            timer.clone(),
        );
        Self::new(config, realm_id, source, limiter, timer)
    }

    fn remember(&self, key: &DocumentKey, platform_id: &str) {
        self.ids.remember(key, platform_id);
    }

    /// The platform id of the document a payment, refund or allocation is for.
    async fn platform_id_of(&self, key: &DocumentKey) -> Result<String, PlatformError> {
        self.ids.platform_id_of(self, key).await
    }

    /// What the transformation needs from the books: the target's id and, when the document
    /// names no customer or vendor, the target's.
    async fn resolve(&self, document: &Document) -> Result<transformers::Resolved, PlatformError> {
        use DocumentKind::*;
        let mut resolved = transformers::Resolved::default();
        if document.kind == JournalEntry {
            self.resolve_journal_accounts(document, &mut resolved)
                .await?;
        }
        let Some(target) = &document.applies_to else {
            return Ok(resolved);
        };
        if !matches!(document.kind, Payment | Refund | BillPayment) {
            return Ok(resolved);
        }
        let id = self.platform_id_of(target).await?;
        if document.contact_id.is_none() {
            let entity = transformers::entity(target.kind);
            let v = self.read(entity, &id).await?;
            resolved.contact = ["CustomerRef", "VendorRef"]
                .iter()
                .find_map(|r| v.pointer(&format!("/{r}/value")).and_then(Value::as_str))
                .map(str::to_owned);
        }
        resolved.applies_to = Some(id);
        if document.kind == Refund {
            resolved.receivable_account = Some(self.receivable_account().await?);
        }
        Ok(resolved)
    }

    /// Which of a journal's accounts are receivable or payable.
    async fn resolve_journal_accounts(
        &self,
        document: &Document,
        resolved: &mut transformers::Resolved,
    ) -> Result<(), PlatformError> {
        let ids: Vec<String> = document
            .lines
            .iter()
            .map(|l| quoted(&l.account_id))
            .collect();
        let filter = format!("Id IN ({})", ids.join(", "));
        for a in self.query("Account", Some(&filter)).await? {
            let id = a
                .get("Id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            match a.get("AccountType").and_then(Value::as_str) {
                Some("Accounts Receivable") => resolved.receivable_accounts.push(id),
                Some("Accounts Payable") => resolved.payable_accounts.push(id),
                _ => {}
            }
        }
        Ok(())
    }

    /// Creates `body` as an `entity` exactly once: `requestid` on every attempt, and a look-up
    /// by our key before any retry whose outcome is unknown.
    async fn create(
        &self,
        entity: &'static str,
        body: &Value,
        key: &DocumentKey,
        request_id: &str,
    ) -> Result<WrittenDocument, PlatformError> {
        let path = &entity.to_ascii_lowercase();
        self.config
            .retry
            .run_write(
                &*self.timer,
                move || async move {
                    let v = self
                        .call(Method::POST, path, &[], Some(body), Some(request_id))
                        .await?;
                    let item = v.get(entity).ok_or_else(|| {
                        PlatformError::OutcomeUnknown(format!("QuickBooks' answer has no {entity}"))
                    })?;
                    Ok(written(item, key))
                },
                move || self.find_in(entity, key),
            )
            .await
    }

    /// The `entity` carrying our key: queried by `DocNumber` (the compact key), then matched
    /// exactly on `PrivateNote` (the full key), so a hand-made document with the same number
    /// is never taken for ours.
    async fn find_in(
        &self,
        entity: &str,
        key: &DocumentKey,
    ) -> Result<Option<WrittenDocument>, PlatformError> {
        let filter = format!("DocNumber = {}", quoted(&key.compact()));
        let rows = self.query(entity, Some(&filter)).await?;
        let full = key.full();
        Ok(rows
            .iter()
            .find(|r| r.get("PrivateNote").and_then(Value::as_str) == Some(full.as_str()))
            .map(|r| written(r, key)))
    }
}

/// What we keep of a written object.
fn written(v: &Value, key: &DocumentKey) -> WrittenDocument {
    let text = |field: &str| {
        v.get(field)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    WrittenDocument {
        kind: key.kind,
        key: key.full(),
        platform_id: text("Id").unwrap_or_default(),
        number: text("DocNumber"),
        // QuickBooks has no status word; an open balance is what tells.
        status: v
            .get("Balance")
            .and_then(transformers::decimal)
            .map(|b| if b.is_zero() { "Paid" } else { "Open" }.to_owned()),
        total: v
            .get("TotalAmt")
            .or_else(|| v.get("Amount"))
            .and_then(transformers::decimal),
    }
}

#[async_trait]
impl AccountingPlatform for QuickBooksConnector {
    fn name(&self) -> &'static str {
        errors::PLATFORM
    }

    fn limits(&self) -> PlatformLimits {
        self.limiter.limits()
    }

    async fn reference_data(&self) -> Result<ReferenceData, PlatformError> {
        let company: wire::CompanyInfo = self
            .list("CompanyInfo")
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| PlatformError::Protocol("QuickBooks returned no CompanyInfo".into()))?;
        let accounts: Vec<wire::Account> = self.list("Account").await?;
        let codes: Vec<wire::TaxCode> = self.list("TaxCode").await?;
        let rates: Vec<wire::TaxRate> = self.list("TaxRate").await?;
        let customers: Vec<wire::Name> = self.list("Customer").await?;
        let vendors: Vec<wire::Name> = self.list("Vendor").await?;
        let mut info = reference::company(company, &accounts);
        info.platform_ref = Some(self.realm_id.clone());
        info.automated_sales_tax = self.automated_sales_tax().await?;
        Ok(ReferenceData {
            company: info,
            accounts: accounts.into_iter().map(reference::account).collect(),
            tax_rates: reference::tax_rates(codes, rates),
            customers: customers.into_iter().map(reference::contact).collect(),
            suppliers: vendors.into_iter().map(reference::contact).collect(),
            tracking_categories: self.tracking_categories().await?,
            commodities: Vec::new(),
        })
    }

    async fn tracking_categories(&self) -> Result<Vec<TrackingCategory>, PlatformError> {
        let classes: Vec<wire::Tracking> = self.list("Class").await?;
        let departments: Vec<wire::Tracking> = self.list("Department").await?;
        Ok(vec![
            reference::tracking("Class", "Class", classes),
            reference::tracking("Department", "Location", departments),
        ])
    }

    async fn create_account(&self, prototype: &AccountPrototype) -> Result<Account, PlatformError> {
        let body = &reference::new_account(prototype);
        let found = self
            .create_by_name("Account", "Name", &prototype.name, body)
            .await?;
        serde_json::from_value::<wire::Account>(found)
            .map(reference::account)
            .map_err(|e| PlatformError::Protocol(format!("unreadable Account: {e}")))
    }

    async fn create_contact(
        &self,
        kind: ContactKind,
        name: &str,
    ) -> Result<Contact, PlatformError> {
        let entity = match kind {
            ContactKind::Customer => "Customer",
            ContactKind::Supplier => "Vendor",
        };
        let body = &serde_json::json!({"DisplayName": name});
        let found = self
            .create_by_name(entity, "DisplayName", name, body)
            .await?;
        serde_json::from_value::<wire::Name>(found)
            .map(reference::contact)
            .map_err(|e| PlatformError::Protocol(format!("unreadable {entity}: {e}")))
    }

    async fn write(&self, document: &Document) -> Result<WrittenDocument, PlatformError> {
        let resolved = self.resolve(document).await?;
        let mut options = self.config.options.clone();
        options.automated_sales_tax |= self.automated_sales_tax().await?;
        let body = transformers::request(document, &resolved, &options)?;
        let entity = transformers::entity(document.kind);
        let key = &document.key;
        let full = key.full();
        if document.kind == DocumentKind::Refund {
            return self.write_refund(document, resolved, &body).await;
        }
        let found = self.create(entity, &body, key, &request_id(&full)).await?;
        self.remember(key, &found.platform_id);
        Ok(found)
    }

    /// A refund is written when both its journal and its link payment are there.
    async fn find(&self, key: &DocumentKey) -> Result<Option<WrittenDocument>, PlatformError> {
        let found = self.find_in(transformers::entity(key.kind), key).await?;
        if let Some(f) = &found {
            self.remember(key, &f.platform_id);
            if key.kind == DocumentKind::Refund && self.find_in("Payment", key).await?.is_none() {
                return Ok(None);
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::request_id;

    #[test]
    fn request_ids_fit_fifty_characters_and_are_stable() {
        let short = "cs:co:2026-11-25:USD:invoice:r0";
        assert_eq!(request_id(short), short);
        let long = format!(
            "cs:company-1:2026-11-25:{}:invoice:r0",
            "USD/loc=a".repeat(5)
        );
        let hashed = request_id(&long);
        assert_eq!(hashed.len(), 50);
        assert_eq!(hashed, request_id(&long));
        assert_ne!(hashed, request_id(&long.replace("r0", "r1")));
    }
}
