//! The Xero connector: Accounting API 2.0 with OAuth 2.0 bearer tokens and the
//! `xero-tenant-id` header. Every call goes through the connection's rate limiter and token
//! source; every write carries our key as `Idempotency-Key` and in a searchable field, and is
//! retried only after looking it up when its outcome is unknown.
//!
//! Bodies are built in [`transformers`] from the wire types in [`wire`]; errors are read in
//! [`errors`]. `docs/mapping-xero.md` has the table of what each document becomes.

mod client;
pub mod errors;
pub mod reference;
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
use client::{first, items};
use domain::documents::{Document, DocumentKey, DocumentKind};
use domain::reference_data::{Account, Contact, ReferenceData};
use reqwest::Method;
use serde_json::Value;
use std::sync::Arc;
use transformers::Endpoint;

pub const DEFAULT_API_BASE: &str = "https://api.xero.com/api.xro/2.0";
pub const DEFAULT_TOKEN_URL: &str = "https://identity.xero.com/connect/token";

/// Xero's published per-tenant limits and field sizes.
pub const LIMITS: PlatformLimits = PlatformLimits {
    per_minute: 60,
    per_day: Some(5000),
    concurrent: 5,
    idempotency_key_len: 128,
    reference_len: 255,
};

/// The Xero connector's configuration: real URLs by default.
pub type XeroConfig = ConnectorConfig<transformers::Options>;

impl XeroConfig {
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self::with_defaults(
            (DEFAULT_API_BASE, DEFAULT_TOKEN_URL),
            client_id,
            client_secret,
        )
    }
}

/// `Idempotency-Key` for our key: itself when it fits Xero's 128 characters, else a hash.
pub fn idempotency_key(key: &str) -> String {
    fitted_key(key, LIMITS.idempotency_key_len, "cs:sha256:")
}

/// One Xero connection (one tenant).
pub struct XeroConnector {
    http: reqwest::Client,
    config: XeroConfig,
    tenant_id: String,
    tokens: Arc<TokenSource>,
    limiter: Arc<RateLimiter>,
    timer: Arc<dyn Timer>,
    /// Platform ids of documents written or found, by our key: payments look up what they
    /// apply to here before asking Xero.
    ids: KnownIds,
}

impl XeroConnector {
    /// A connector over a connection's shared token source and limiter (one of each per
    /// connection, however many connectors or tasks use it).
    pub fn new(
        config: XeroConfig,
        tenant_id: impl Into<String>,
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
            tenant_id: tenant_id.into(),
            tokens,
            limiter,
            timer,
            ids: KnownIds::default(),
        }
    }

    /// A connector with its own token source (refreshing at `config.token_url`) and limiter.
    pub fn connect(
        config: XeroConfig,
        tenant_id: impl Into<String>,
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
        Self::new(config, tenant_id, source, limiter, timer)
    }

    fn remember(&self, key: &DocumentKey, platform_id: &str) {
        self.ids.remember(key, platform_id);
    }

    /// The platform id of the document a payment, refund or allocation is for.
    async fn platform_id_of(&self, key: &DocumentKey) -> Result<String, PlatformError> {
        self.ids.platform_id_of(self, key).await
    }

    /// Applies `amount` of a written credit note to a written invoice (of the same side).
    /// Idempotent: an allocation already there is found rather than made again.
    pub async fn allocate_credit_note(
        &self,
        credit_note: &DocumentKey,
        invoice: &DocumentKey,
        amount: rust_decimal::Decimal,
        date: jiff::civil::Date,
    ) -> Result<String, PlatformError> {
        let credit_note_id = self.platform_id_of(credit_note).await?;
        let invoice_id = self.platform_id_of(invoice).await?;
        let body = &transformers::allocation(&invoice_id, amount, date);
        let path = &format!("CreditNotes/{credit_note_id}/Allocations");
        let (credit_note_id, invoice_id) = (&credit_note_id, &invoice_id);
        let key = &idempotency_key(&format!(
            "alloc:{}:{}:{amount}",
            credit_note.full(),
            invoice.full()
        ));
        let allocation_id = |v: &Value| {
            v.get("AllocationID")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        self.config
            .retry
            .run_write(
                &*self.timer,
                move || async move {
                    let v = self
                        .call(Method::PUT, path, &[], Some(body), Some(key))
                        .await?;
                    first(&v, "Allocations").map(allocation_id)
                },
                move || async move {
                    let v = self
                        .get(&format!("CreditNotes/{credit_note_id}"), &[])
                        .await?;
                    let note = first(&v, "CreditNotes")?;
                    Ok(note
                        .get("Allocations")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .find(|a| {
                            a.pointer("/Invoice/InvoiceID").and_then(Value::as_str)
                                == Some(invoice_id.as_str())
                                && a.get("Amount").and_then(transformers::decimal) == Some(amount)
                        })
                        .map(allocation_id))
                },
            )
            .await
    }
}

/// What we keep of a written object.
fn written(v: &Value, endpoint: &Endpoint, kind: DocumentKind, key: String) -> WrittenDocument {
    let text = |field: &str| {
        v.get(field)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    WrittenDocument {
        kind,
        key,
        platform_id: text(endpoint.id_field).unwrap_or_default(),
        number: endpoint.number_field.and_then(text),
        status: text("Status"),
        total: v
            .get("Total")
            .or_else(|| v.get("Amount"))
            .and_then(transformers::decimal),
    }
}

/// The `where` filter that finds our key. Xero's filter language has no escape we can rely
/// on, so a key holding `"` or a backslash is searched by its prefix up to that character and
/// matched exactly afterwards.
fn key_clause(endpoint: &Endpoint, full: &str) -> String {
    let field = endpoint.key_field;
    let safe = full.split(['"', '\\']).next().unwrap_or_default();
    let clause = if safe.len() == full.len() {
        format!("{field}==\"{full}\"")
    } else {
        format!("{field}.StartsWith(\"{safe}\")")
    };
    match endpoint.xero_type {
        Some(t) => format!("Type==\"{t}\" AND {clause}"),
        None => clause,
    }
}

fn is_live(v: &Value) -> bool {
    !matches!(
        v.get("Status").and_then(Value::as_str),
        Some("DELETED" | "VOIDED")
    )
}

#[async_trait]
impl AccountingPlatform for XeroConnector {
    fn name(&self) -> &'static str {
        errors::PLATFORM
    }

    fn limits(&self) -> PlatformLimits {
        self.limiter.limits()
    }

    async fn reference_data(&self) -> Result<ReferenceData, PlatformError> {
        let answer = self.get("Organisation", &[]).await?;
        let organisation = items::<wire::Organisation>(&answer, "Organisations")?
            .into_iter()
            .next()
            .ok_or_else(|| PlatformError::Protocol("Xero returned no organisation".into()))?;
        let accounts: Vec<wire::Account> = self.list("Accounts", &[]).await?;
        let tax_rates: Vec<wire::TaxRate> = self.list("TaxRates", &[]).await?;
        // Contacts come 100 a page; archived ones too, so a re-check can name them.
        let mut contacts: Vec<wire::Contact> = Vec::new();
        for page in 1.. {
            let batch: Vec<wire::Contact> = self
                .list(
                    "Contacts",
                    &[
                        ("page", page.to_string()),
                        ("includeArchived", "true".into()),
                    ],
                )
                .await?;
            let done = batch.len() < 100;
            contacts.extend(batch);
            if done {
                break;
            }
        }
        let (customers, suppliers) = reference::contacts(contacts);
        Ok(ReferenceData {
            company: reference::company(organisation, &self.tenant_id),
            accounts: accounts.into_iter().map(reference::account).collect(),
            tax_rates: tax_rates.into_iter().map(reference::tax_rate).collect(),
            customers,
            suppliers,
            tracking_categories: self.tracking_categories().await?,
            commodities: Vec::new(),
        })
    }

    async fn tracking_categories(&self) -> Result<Vec<TrackingCategory>, PlatformError> {
        let list: Vec<wire::TrackingCategory> = self
            .list("TrackingCategories", &[("includeArchived", "true".into())])
            .await?;
        Ok(list.into_iter().map(reference::tracking_category).collect())
    }

    async fn create_account(&self, prototype: &AccountPrototype) -> Result<Account, PlatformError> {
        let body = &reference::new_account(prototype);
        let code = body["Code"].as_str().unwrap_or_default().to_owned();
        let key = &idempotency_key(&format!("account:{code}:{}", prototype.name));
        let by_code = &[("where", format!("Code==\"{code}\""))];
        let found: wire::Account = self
            .config
            .retry
            .run_write(
                &*self.timer,
                move || async move {
                    let v = self
                        .call(Method::PUT, "Accounts", &[], Some(body), Some(key))
                        .await?;
                    items::<wire::Account>(&v, "Accounts")?
                        .into_iter()
                        .next()
                        .ok_or_else(|| PlatformError::Protocol("no account in the answer".into()))
                },
                move || async move {
                    let list: Vec<wire::Account> = self.list("Accounts", by_code).await?;
                    Ok(list.into_iter().find(|a| a.name == prototype.name))
                },
            )
            .await?;
        Ok(reference::account(found))
    }

    /// Xero flags a contact customer or supplier only once it has a transaction, so a new
    /// contact is created by name and looked up by name on a retry.
    async fn create_contact(
        &self,
        kind: ContactKind,
        name: &str,
    ) -> Result<Contact, PlatformError> {
        let body = &serde_json::json!({"Contacts": [{"Name": name}]});
        let key = &idempotency_key(&format!("{}:{name}", kind.noun()));
        let by_name = &[("where", format!("Name==\"{}\"", name.replace('"', "")))];
        let found: wire::Contact = self
            .config
            .retry
            .run_write(
                &*self.timer,
                move || async move {
                    let v = self
                        .call(Method::PUT, "Contacts", &[], Some(body), Some(key))
                        .await?;
                    items::<wire::Contact>(&v, "Contacts")?
                        .into_iter()
                        .next()
                        .ok_or_else(|| PlatformError::Protocol("no contact in the answer".into()))
                },
                move || async move {
                    let list: Vec<wire::Contact> = self.list("Contacts", by_name).await?;
                    Ok(list.into_iter().find(|c| c.name == name))
                },
            )
            .await?;
        let (customers, suppliers) = reference::contacts(vec![found]);
        let side = match kind {
            ContactKind::Customer => customers,
            ContactKind::Supplier => suppliers,
        };
        side.into_iter()
            .next()
            .ok_or_else(|| PlatformError::Protocol("the new contact is on neither side".into()))
    }

    async fn write(&self, document: &Document) -> Result<WrittenDocument, PlatformError> {
        use DocumentKind::*;
        let applies_to = match (document.kind, &document.applies_to) {
            (Payment | Refund | BillPayment | BillRefund, Some(target)) => {
                Some(self.platform_id_of(target).await?)
            }
            _ => None,
        };
        let request = transformers::request(document, applies_to.as_deref(), &self.config.options)?;
        let endpoint = request.endpoint;
        let full = &document.key.full();
        let key = &idempotency_key(full);
        let query = &[("summarizeErrors", "true".to_owned())];
        let body = &request.body;
        let found = self
            .config
            .retry
            .run_write(
                &*self.timer,
                move || async move {
                    let v = self
                        .call(
                            Method::PUT,
                            endpoint.collection,
                            query,
                            Some(body),
                            Some(key),
                        )
                        .await?;
                    let item = first(&v, endpoint.collection)?;
                    Ok(written(item, &endpoint, document.kind, full.clone()))
                },
                || self.find(&document.key),
            )
            .await?;
        self.remember(&document.key, &found.platform_id);
        Ok(found)
    }

    async fn find(&self, key: &DocumentKey) -> Result<Option<WrittenDocument>, PlatformError> {
        let endpoint = transformers::endpoint(key.kind);
        let full = key.full();
        let clause = key_clause(&endpoint, &full);
        let v = self.get(endpoint.collection, &[("where", clause)]).await?;
        let found = v
            .get(endpoint.collection)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            // Xero's == ignores case; our keys do not.
            .filter(|d| d.get(endpoint.key_field).and_then(Value::as_str) == Some(&full))
            .find(|d| is_live(d))
            .map(|d| written(d, &endpoint, key.kind, full.clone()));
        if let Some(f) = &found {
            self.remember(key, &f.platform_id);
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::{idempotency_key, key_clause, transformers::endpoint};
    use domain::documents::DocumentKind;

    #[test]
    fn keys_are_searched_exactly_or_by_a_safe_prefix() {
        let invoices = endpoint(DocumentKind::Invoice);
        assert_eq!(
            key_clause(&invoices, "cs:co:d:GBP:invoice:r0"),
            r#"Type=="ACCREC" AND Reference=="cs:co:d:GBP:invoice:r0""#
        );
        let journals = endpoint(DocumentKind::JournalEntry);
        assert_eq!(
            key_clause(&journals, r#"cs:co:d:GBP/loc=a"b:journalEntry:r0"#),
            r#"Narration.StartsWith("cs:co:d:GBP/loc=a")"#
        );
    }

    #[test]
    fn keys_that_fit_are_sent_as_they_are_and_longer_ones_hashed_stably() {
        let short = "cs:co:2026-11-25:GBP:invoice:r0";
        assert_eq!(idempotency_key(short), short);
        let long = format!("cs:co:2026-11-25:{}:invoice:r0", "G".repeat(200));
        let hashed = idempotency_key(&long);
        assert!(hashed.len() <= 128 && hashed.starts_with("cs:sha256:"));
        assert_eq!(hashed, idempotency_key(&long));
        assert_ne!(hashed, idempotency_key(&long.replace("r0", "r1")));
    }
}
