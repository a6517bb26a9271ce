//! The `AccountingPlatform` trait: everything the engine and the Sync Flow ask of the books.
//! A connector states what differs; the defaults cover what a platform does not offer.

use crate::error::PlatformError;
use async_trait::async_trait;
use domain::documents::{Document, DocumentKey, DocumentKind};
use domain::reference_data::{Account, AccountType, Contact, ReferenceData};
use rust_decimal::Decimal;
use serde::Serialize;

/// A document as it landed in the books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WrittenDocument {
    pub kind: DocumentKind,
    /// Our key (`DocumentKey::full()`), as stored in the platform's searchable field.
    pub key: String,
    /// The platform's id (Xero `InvoiceID`, `PaymentID`, …).
    pub platform_id: String,
    /// The platform's document number, when it has one (Xero `INV-0001`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The platform's status word (Xero `AUTHORISED`, `PAID`, `POSTED`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The total the platform computed, when the object has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Decimal>,
}

/// What a platform allows per connection, and the sizes of its fields we rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlatformLimits {
    pub per_minute: u32,
    pub per_day: Option<u32>,
    pub concurrent: u32,
    /// Longest idempotency key accepted; longer keys are hashed.
    pub idempotency_key_len: usize,
    /// Longest value of the field our key is stored in.
    pub reference_len: usize,
}

/// An account the merchant asks us to create from the Sync Flow (Codat `accountPrototype`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccountPrototype {
    pub name: String,
    pub nominal_code: Option<String>,
    pub description: Option<String>,
    pub account_type: AccountType,
    /// e.g. `Income.Revenue`, `Asset.Bank`, `Liability.CurrentLiability`: refines the type.
    pub fully_qualified_category: Option<String>,
    pub is_bank_account: bool,
    /// Required by some platforms for bank accounts (Xero).
    pub bank_account_number: Option<String>,
    /// Whether payments may be recorded against it (Xero "enable payments").
    pub payments_allowed: bool,
    pub currency: Option<String>,
    /// Default tax rate id for the account, when the platform needs one.
    pub tax_rate_id: Option<String>,
}

pub use domain::reference_data::{TrackingCategory, TrackingOption};

/// Which side of the books a contact is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKind {
    /// Sales invoices are raised to it.
    Customer,
    /// Fee bills are raised to it.
    Supplier,
}

impl ContactKind {
    pub fn noun(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Supplier => "supplier",
        }
    }
}

/// One connection's way into its accounting platform. Implementations own rate limiting,
/// token refresh and retries for their calls, so callers see a finished outcome.
#[async_trait]
pub trait AccountingPlatform: Send + Sync {
    /// The platform's name for messages ("Xero").
    fn name(&self) -> &'static str;

    /// What the platform allows.
    fn limits(&self) -> PlatformLimits;

    /// Whether this connector can write documents of `kind`.
    fn supports(&self, kind: DocumentKind) -> bool {
        let _ = kind;
        true
    }

    /// Company info, accounts, tax rates, customers and suppliers.
    async fn reference_data(&self) -> Result<ReferenceData, PlatformError>;

    /// Tracking categories (locations, channels); none when the platform has no such thing.
    async fn tracking_categories(&self) -> Result<Vec<TrackingCategory>, PlatformError> {
        Ok(Vec::new())
    }

    /// Creates an account from the merchant's prototype.
    async fn create_account(&self, prototype: &AccountPrototype) -> Result<Account, PlatformError> {
        let _ = prototype;
        Err(PlatformError::Unsupported("creating accounts".into()))
    }

    /// Creates a customer or supplier named `name`; one already there under that name (a
    /// retry, or made by hand) is answered rather than duplicated.
    async fn create_contact(
        &self,
        kind: ContactKind,
        name: &str,
    ) -> Result<Contact, PlatformError> {
        let _ = (kind, name);
        Err(PlatformError::Unsupported(format!(
            "creating {}s",
            kind.noun()
        )))
    }

    /// Writes a document exactly once: idempotent on its key, and when an attempt's outcome is
    /// unknown the document is looked up by its key before it is written again.
    async fn write(&self, document: &Document) -> Result<WrittenDocument, PlatformError>;

    /// The live (not voided or deleted) document carrying our key, if any.
    /// The key carries the document's kind, which tells where to look.
    async fn find(&self, key: &DocumentKey) -> Result<Option<WrittenDocument>, PlatformError>;
}
