//! Transactions: money moving at the payment processor. A `Payment` transaction shares its
//! payment's id and points at the order; a `PaymentFee` has a **negative** `totalAmount` and
//! points at the payment it was charged on.

use super::enums::TransactionType;
use super::reader::{Obj, RecordReader};
use super::record::{CommerceRecord, DatasetKind};
use super::refs::TransactionSourceRef;
use crate::money::Currency;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

/// A processor transaction: payment, refund, fee, fee refund, payout, failed payout, transfer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub id: String,
    /// Negative for money leaving the merchant (fees, refunds).
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub total_amount: Decimal,
    pub currency: Currency,
    /// Required here: the mapping cannot place a transaction of no type.
    #[serde(rename = "type")]
    pub transaction_type: TransactionType,
    /// Non-standardised type from the commerce software, kept verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_source_ref: Option<TransactionSourceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplemental_data: Option<Map<String, Value>>,
    /// Required here: selects the sync period.
    pub created_date: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_created_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

impl CommerceRecord for Transaction {
    const KIND: DatasetKind = DatasetKind::Transactions;

    fn id(&self) -> &str {
        &self.id
    }
    fn created_date(&self) -> Option<Timestamp> {
        Some(self.created_date)
    }
    fn source_modified_date(&self) -> Option<Timestamp> {
        self.source_modified_date
    }

    fn read(r: &RecordReader, o: &Obj) -> Option<Self> {
        let id = r.id(o, "id");
        let currency = r.currency(o, "currency");
        let currency = r.require(o, "currency", currency);
        let total_amount = r.amount(o, "totalAmount", currency);
        let total_amount = r.require(o, "totalAmount", total_amount);
        let transaction_type = r.enumeration(o, "type");
        let transaction_type = r.require(o, "type", transaction_type);
        let created_date = r.date(o, "createdDate");
        let created_date = r.require(o, "createdDate", created_date);
        let source_ref = match r.object(o, "transactionSourceRef") {
            Some(s) => TransactionSourceRef::read_obj(r, &s).map(Some),
            None => Some(None),
        };
        Some(Transaction {
            sub_type: r.string(o, "subType"),
            supplemental_data: r.free_object(o, "supplementalData"),
            source_created_date: r.date(o, "sourceCreatedDate"),
            modified_date: r.date(o, "modifiedDate"),
            source_modified_date: r.date(o, "sourceModifiedDate"),
            id: id?,
            total_amount: total_amount?,
            currency: currency?,
            transaction_type: transaction_type?,
            transaction_source_ref: source_ref?,
            created_date: created_date?,
        })
    }
}
