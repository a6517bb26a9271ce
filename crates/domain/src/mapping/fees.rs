//! Payment fees: a bill to the fees supplier for the day's fees, paid in full from the account
//! the fees were taken from; fee refunds as a supplier credit note refunded into that account.
//! A fee leaves the account of the payment it was charged on (card fees the card clearing
//! account, PayPal's the PayPal account); a fee naming no payment, the clearing account. So
//! there is one bill (and one credit note) per account money left from: the clearing
//! account's keep the group's plain key, any other's carry `from=<account>` in theirs.
//! When the fee account is a bank account, spend-money and receive-money bank transactions on
//! that account take their place.

use super::Builder;
use super::refunds::money_kind;
use super::totals::{Bucket, GroupKey, Totals};
use crate::documents::{Document, DocumentKind, DocumentStatus, Line};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const FEES: &str = "Payment fees";
const FEE_REFUNDS: &str = "Payment fee refunds";

/// One fee bucket: refund or not, its expense (or income) account, the account the money
/// moved on, the amount.
struct Fee<'t> {
    refund: bool,
    account: &'t str,
    from: &'t str,
    amount: Decimal,
}

/// Fee documents of one group.
pub fn fee_documents(b: &Builder, group: &GroupKey, totals: &Totals) -> Vec<Document> {
    let fees: Vec<Fee> = totals
        .iter()
        .filter_map(|(bucket, a)| match bucket {
            Bucket::Fee {
                refund,
                account,
                clearing,
                ..
            } => Some(Fee {
                refund: *refund,
                account: account.as_str(),
                from: clearing.as_str(),
                amount: a.net,
            }),
            _ => None,
        })
        .collect();
    if fees.is_empty() {
        return Vec::new();
    }
    let bank = b
        .settings
        .fees
        .as_ref()
        .is_some_and(|f| f.fee_account_is_bank);
    if bank {
        bank_transactions(b, group, &fees)
    } else {
        bills(b, group, &fees)
    }
}

/// The key part of the documents of money that moved on `from`: none for the clearing
/// account (the keys fees always had), `from=<account>` for any other.
fn part(b: &Builder, from: &str, base: Option<&str>) -> Option<String> {
    match (from == b.settings.clearing_account, base) {
        (true, base) => base.map(str::to_owned),
        (false, None) => Some(format!("from={from}")),
        (false, Some(base)) => Some(format!("{base}/from={from}")),
    }
}

fn bills(b: &Builder, group: &GroupKey, fees: &[Fee]) -> Vec<Document> {
    let settings = b.settings.fees.as_ref();
    // (kind, account money moved on) → lines. Fees are a bill, fee refunds a credit note;
    // amounts that went the other way (adjustments) land on the other one.
    let mut by_kind: BTreeMap<(DocumentKind, &str), Vec<Line>> = BTreeMap::new();
    for fee in fees {
        let (natural, opposite, words) = if fee.refund {
            (
                DocumentKind::BillCreditNote,
                DocumentKind::Bill,
                FEE_REFUNDS,
            )
        } else {
            (DocumentKind::Bill, DocumentKind::BillCreditNote, FEES)
        };
        let kind = money_kind(fee.amount, natural, opposite);
        let mut line = b.line(fee.account, words, fee.amount.abs());
        line.tax_rate_id = settings.and_then(|f| f.tax_rate_id.clone());
        line.tax_amount = Some(Decimal::ZERO);
        line.tracking = b.tracking(group);
        by_kind.entry((kind, fee.from)).or_default().push(line);
    }
    let mut docs = Vec::new();
    for ((kind, from), lines) in by_kind {
        let total: Decimal = lines.iter().map(Line::gross).sum();
        let part = part(b, from, None);
        let mut doc = b.document(group, part.as_deref(), kind);
        doc.contact_id = settings.map(|f| f.supplier_id.clone());
        doc.status = Some(DocumentStatus::Submitted);
        doc.total = Some(total);
        doc.lines = lines;
        let pay_kind = match kind {
            DocumentKind::Bill => DocumentKind::BillPayment,
            _ => DocumentKind::BillRefund,
        };
        let mut pay = b.document(group, part.as_deref(), pay_kind);
        pay.contact_id = doc.contact_id.clone();
        pay.account_id = Some(from.to_owned());
        pay.amount = Some(total);
        pay.applies_to = Some(doc.key.clone());
        docs.push(doc);
        docs.push(pay);
    }
    // Bills, bill payments, then credit notes and their refunds (stable: per account within).
    docs.sort_by_key(|d| d.kind);
    docs
}

fn bank_transactions(b: &Builder, group: &GroupKey, fees: &[Fee]) -> Vec<Document> {
    let supplier = b.settings.fees.as_ref().map(|f| f.supplier_id.clone());
    // (refund, account money moved on) → lines.
    let mut by_kind: BTreeMap<(bool, &str), Vec<Line>> = BTreeMap::new();
    for fee in fees {
        let words = if fee.refund { FEE_REFUNDS } else { FEES };
        let mut l = b.line(fee.account, words, fee.amount);
        l.tracking = b.tracking(group);
        by_kind.entry((fee.refund, fee.from)).or_default().push(l);
    }
    let mut docs = Vec::new();
    for ((refund, from), lines) in by_kind {
        let base = if refund { "feeRefunds" } else { "fees" };
        let total: Decimal = lines.iter().map(Line::gross).sum();
        let part = part(b, from, Some(base));
        let mut doc = b.document(group, part.as_deref(), DocumentKind::BankTransaction);
        doc.contact_id = supplier.clone();
        doc.account_id = Some(from.to_owned());
        doc.total = Some(total);
        // Spend money is negative, receive money positive.
        doc.amount = Some(if refund { total } else { -total });
        doc.lines = lines;
        docs.push(doc);
    }
    docs
}
