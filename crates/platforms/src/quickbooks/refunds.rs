//! Refunds in QuickBooks, as Codat writes them: a journal entry (debit Accounts Receivable
//! for the credit memo's customer, credit the account the money left) and a zero-value
//! payment linking that journal to the credit memo. Two writes for one document: each is
//! looked for before it is made, so a run that stopped between them is completed, not
//! repeated, and `find` counts the refund as written only once both are there.

use super::{QuickBooksConnector, errors, request_id, transformers};
use crate::error::PlatformError;
use crate::platform::WrittenDocument;
use domain::documents::Document;
use serde_json::Value;

impl QuickBooksConnector {
    /// The company's (first active) Accounts Receivable account.
    pub(super) async fn receivable_account(&self) -> Result<String, PlatformError> {
        if let Some(id) = self.receivable.lock().expect("lock").clone() {
            return Ok(id);
        }
        let rows = self
            .query("Account", Some("AccountType = 'Accounts Receivable'"))
            .await?;
        let id = rows
            .iter()
            .find(|a| a.get("Active").and_then(Value::as_bool) != Some(false))
            .and_then(|a| a.get("Id").and_then(Value::as_str))
            .map(str::to_owned)
            .ok_or_else(|| {
                PlatformError::validation(
                    errors::PLATFORM,
                    "The company has no active Accounts Receivable account.",
                )
            })?;
        *self.receivable.lock().expect("lock") = Some(id.clone());
        Ok(id)
    }

    /// The refund's journal, then the zero-value payment linking it to the credit memo; each
    /// taken as it is when already there (a run that stopped between the two), so the link is
    /// made exactly once whatever happened before.
    pub(super) async fn write_refund(
        &self,
        document: &Document,
        resolved: transformers::Resolved,
        journal: &Value,
    ) -> Result<WrittenDocument, PlatformError> {
        let key = &document.key;
        let full = key.full();
        let written = match self.find_in("JournalEntry", key).await? {
            Some(j) => j,
            None => {
                self.create("JournalEntry", journal, key, &request_id(&full))
                    .await?
            }
        };
        self.remember(key, &written.platform_id);
        if self.find_in("Payment", key).await?.is_none() {
            let customer = document
                .contact_id
                .clone()
                .or(resolved.contact)
                .unwrap_or_default();
            let memo = resolved.applies_to.unwrap_or_default();
            let link = transformers::refund_link(document, &customer, &memo, &written.platform_id)?;
            let link_id = request_id(&format!("{full}:link"));
            self.create("Payment", &link, key, &link_id).await?;
        }
        Ok(written)
    }
}
