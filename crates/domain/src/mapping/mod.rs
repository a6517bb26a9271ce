//! The mapping engine: a period's commerce records → the accounting documents that put them
//! in the books the way a good bookkeeper would (DOMAIN.md, "Mapping: what lands in the books").
//!
//! Pure: no clock, no time zone, no I/O. The caller selects the records of one period (one
//! sales day), plus any older record modified or deleted since it was posted, and passes
//! what was already posted ([`SyncedState`]). Each record's effect is computed as a
//! contribution ([`aggregate`]), compared with what was posted for it ([`adjustments`]), and
//! the differences are summed into [`Totals`] from which the documents are built
//! ([`invoices`], [`payments`], [`fees`], [`payouts`], or [`journal`]).

pub mod adjustments;
pub mod aggregate;
pub mod by_day;
pub mod fees;
pub mod invoices;
pub mod journal;
pub mod payments;
pub mod payouts;
pub mod refunds;
pub mod rounding;
pub mod settings;
pub mod totals;

pub use adjustments::{PostedRecord, SyncedState};
pub use by_day::{map_days, split_by_day};
pub use settings::{
    CategoryAccounts, FeeSettings, Grouping, InvoiceStatus, MappingError, MappingSettings,
    OutputMode, SalesAccounts, TaxMapping,
};
pub use totals::{Amounts, Bucket, GroupKey, LineRole, Side, Totals};

use crate::commerce::{
    CommerceChange, CommerceRecord, DatasetKind, Order, Parsed, Payment, PaymentType, Product,
    Transaction,
};
use crate::documents::{Document, DocumentKey, DocumentKind, Line, Tracking, Warning};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// The period being mapped: one sales day normally (`start_date == end_date`), inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodRef {
    pub company_id: String,
    pub start_date: Date,
    pub end_date: Date,
}

impl PeriodRef {
    /// A one-day period.
    pub fn day(company_id: &str, date: Date) -> Self {
        Self {
            company_id: company_id.to_owned(),
            start_date: date,
            end_date: date,
        }
    }

    /// Stable label used in document keys: `2024-05-01` or `2024-05-01..2024-05-03`.
    pub fn label(&self) -> String {
        if self.start_date == self.end_date {
            self.start_date.to_string()
        } else {
            format!("{}..{}", self.start_date, self.end_date)
        }
    }
}

/// The records selected for the period, with the reference data the mapping reads.
#[derive(Debug, Clone, Default)]
pub struct PeriodRecords {
    pub orders: Vec<Order>,
    pub payments: Vec<Payment>,
    pub transactions: Vec<Transaction>,
    /// Products (gift cards, categories); not posted themselves.
    pub products: Vec<Product>,
    /// Records deleted since they were posted: their posting is reversed.
    pub deleted: Vec<(DatasetKind, String)>,
    /// Payment id → type of payments outside these records that their fees name (a fee
    /// charged the day after its payment): a fee leaves the account its payment went into.
    pub payment_types: BTreeMap<String, PaymentType>,
}

impl PeriodRecords {
    /// From parsed pushes: upserts become records, deletes become reversals.
    pub fn from_changes(
        orders: &[Parsed<Order>],
        payments: &[Parsed<Payment>],
        transactions: &[Parsed<Transaction>],
        products: Vec<Product>,
    ) -> Self {
        fn split<T: CommerceRecord + Clone>(
            parsed: &[Parsed<T>],
            deleted: &mut Vec<(DatasetKind, String)>,
        ) -> Vec<T> {
            let mut kept = Vec::new();
            for p in parsed {
                match &p.change {
                    CommerceChange::Upsert(r) => kept.push(r.clone()),
                    CommerceChange::Delete(id) => deleted.push((T::KIND, id.clone())),
                }
            }
            kept
        }
        let mut deleted = Vec::new();
        PeriodRecords {
            orders: split(orders, &mut deleted),
            payments: split(payments, &mut deleted),
            transactions: split(transactions, &mut deleted),
            products,
            deleted,
            payment_types: BTreeMap::new(),
        }
    }
}

/// The documents to write, what to tell the merchant, and the state once they are written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MappingOutput {
    pub documents: Vec<Document>,
    pub warnings: Vec<Warning>,
    /// To be stored once the documents are written; the next run compares against it.
    #[serde(skip)]
    pub state: SyncedState,
}

/// Maps one period. Fails only on configuration errors (an unmapped payment type or tax rate,
/// a missing account), which stop the sync with a message naming what to fix.
pub fn map_period(
    settings: &MappingSettings,
    period: &PeriodRef,
    records: &PeriodRecords,
    already_synced: &SyncedState,
) -> Result<MappingOutput, MappingError> {
    if settings.output == OutputMode::Documents
        && settings.sync_payments
        && settings.invoice_status == InvoiceStatus::Draft
    {
        return Err(MappingError::PaymentsNeedSubmittedInvoices);
    }
    if settings.payout_account.as_deref() == Some(settings.clearing_account.as_str()) {
        return Err(MappingError::PayoutAccountIsClearing);
    }
    let label = period.label();
    let (delta, mut state, mut warnings) =
        adjustments::delta(settings, &label, records, already_synced)?;
    if !within_limits(&delta) {
        return Err(MappingError::Overflow {
            record_id: label.clone(),
        });
    }
    let mut documents = Vec::new();
    if !delta.is_empty() {
        let revision = already_synced.next_revision(&label);
        state.revisions.insert(label.clone(), revision);
        let b = Builder {
            settings,
            company_id: &period.company_id,
            period: label,
            date: period.end_date,
            revision,
        };
        for group in delta.groups() {
            let totals = delta.of_group(&group);
            match settings.output {
                OutputMode::Documents => {
                    let sales = invoices::sales_documents(&b, &group, &totals);
                    let pays = payments::payment_documents(&b, &group, &totals, &sales);
                    documents.extend(sales);
                    documents.extend(pays);
                    documents.extend(fees::fee_documents(&b, &group, &totals));
                    documents.extend(payouts::payout_documents(&b, &group, &totals));
                }
                OutputMode::Journal => {
                    documents.extend(journal::journal_entry(&b, &group, &totals)?);
                }
            }
        }
    }
    warnings.extend(allocation_warnings(&documents));
    warnings.sort_by(|a, b| (&a.code, &a.message).cmp(&(&b.code, &b.message)));
    warnings.dedup();
    Ok(MappingOutput {
        documents,
        warnings,
        state,
    })
}

/// Money allocated beyond a document's total is refused by ledgers (Xero, QuickBooks). It
/// happens when a day's payments include another day's sales; say so, naming the document,
/// rather than guess which payment belongs where.
fn allocation_warnings(documents: &[Document]) -> Vec<Warning> {
    // Amounts here are already in minor units: the rounding rule never applies.
    let show = |d: &Document, x| d.currency.format(x, crate::money::Rounding::HalfEven);
    let mut warnings = Vec::new();
    for target in documents.iter().filter(|d| d.total.is_some()) {
        let allocated: rust_decimal::Decimal = documents
            .iter()
            .filter(|d| d.applies_to.as_ref() == Some(&target.key))
            .filter_map(|d| d.amount)
            .sum();
        let total = target.total.unwrap_or_default();
        if allocated > total {
            warnings.push(Warning {
                code: "overAllocated".to_owned(),
                message: format!(
                    "{} {} is {} but {} is allocated to it: the ledger will refuse the excess \
                     (payments for another day's sales?)",
                    target.kind.as_str(),
                    target.key,
                    show(target, total),
                    show(target, allocated),
                ),
                record_id: None,
            });
        }
    }
    warnings
}

/// Builders add, negate and take rates of these amounts; if all of them together stay well
/// inside a decimal's range, none of that can overflow (and so never panics).
fn within_limits(delta: &Totals) -> bool {
    let limit = rust_decimal::Decimal::MAX / rust_decimal::Decimal::from(8);
    let mut sum = rust_decimal::Decimal::ZERO;
    for (_, a) in delta.iter() {
        match sum
            .checked_add(a.net.abs())
            .and_then(|s| s.checked_add(a.tax.abs()))
        {
            Some(s) if s <= limit => sum = s,
            _ => return false,
        }
    }
    true
}

/// What every document of one run shares.
pub struct Builder<'a> {
    pub settings: &'a MappingSettings,
    pub company_id: &'a str,
    pub period: String,
    pub date: Date,
    pub revision: u32,
}

impl Builder<'_> {
    pub fn key(&self, group_path: String, kind: DocumentKind) -> DocumentKey {
        DocumentKey {
            company_id: self.company_id.to_owned(),
            period: self.period.clone(),
            group: group_path,
            kind,
            revision: self.revision,
        }
    }

    /// A document with nothing but its identity filled in.
    pub fn document(&self, group: &GroupKey, part: Option<&str>, kind: DocumentKind) -> Document {
        let path = match part {
            Some(p) => format!("{}/{p}", group.path()),
            None => group.path(),
        };
        Document {
            kind,
            key: self.key(path, kind),
            date: self.date,
            currency: group.currency,
            contact_id: None,
            status: None,
            total: None,
            lines: Vec::new(),
            account_id: None,
            amount: None,
            applies_to: None,
        }
    }

    /// Lines of a location's documents carry the location as tracking.
    pub fn tracking(&self, group: &GroupKey) -> Option<Tracking> {
        group.location.as_ref().map(|l| Tracking {
            location_id: Some(l.clone()),
        })
    }

    /// A plain line of one account and amount.
    pub fn line(&self, account: &str, description: &str, net: rust_decimal::Decimal) -> Line {
        Line {
            account_id: account.to_owned(),
            description: description.to_owned(),
            net_amount: Some(net),
            ..Line::default()
        }
    }
}

#[cfg(test)]
mod tests;
