//! Payment fees: a bill to the fees supplier for the day's fees, paid in full from the clearing
//! account the processor took them from; fee refunds as a supplier credit note refunded into
//! the clearing account. When the fee account is a bank account, spend-money and receive-money
//! bank transactions on the clearing account take their place.

use super::Builder;
use super::refunds::money_kind;
use super::totals::{Bucket, GroupKey, Totals};
use crate::documents::{Document, DocumentKind, DocumentStatus, Line};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const FEES: &str = "Payment fees";
const FEE_REFUNDS: &str = "Payment fee refunds";

/// Fee documents of one group.
pub fn fee_documents(b: &Builder, group: &GroupKey, totals: &Totals) -> Vec<Document> {
    let fees: Vec<(bool, &str, &str, Decimal)> = totals
        .iter()
        .filter_map(|(bucket, a)| match bucket {
            Bucket::Fee {
                refund,
                account,
                clearing,
                ..
            } => Some((*refund, account.as_str(), clearing.as_str(), a.net)),
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

fn bills(b: &Builder, group: &GroupKey, fees: &[(bool, &str, &str, Decimal)]) -> Vec<Document> {
    let settings = b.settings.fees.as_ref();
    // Kind → (clearing account, lines). Fees are a bill, fee refunds a credit note; amounts
    // that went the other way (adjustments) land on the other one.
    let mut by_kind: BTreeMap<DocumentKind, (&str, Vec<Line>)> = BTreeMap::new();
    for (refund, account, clearing, amount) in fees {
        let (natural, opposite, words) = if *refund {
            (
                DocumentKind::BillCreditNote,
                DocumentKind::Bill,
                FEE_REFUNDS,
            )
        } else {
            (DocumentKind::Bill, DocumentKind::BillCreditNote, FEES)
        };
        let kind = money_kind(*amount, natural, opposite);
        let mut line = b.line(account, words, amount.abs());
        line.tax_rate_id = settings.and_then(|f| f.tax_rate_id.clone());
        line.tax_amount = Some(Decimal::ZERO);
        line.tracking = b.tracking(group);
        let entry = by_kind.entry(kind).or_insert((clearing, Vec::new()));
        entry.1.push(line);
    }
    let mut docs = Vec::new();
    for (kind, (clearing, lines)) in by_kind {
        let total: Decimal = lines.iter().map(Line::gross).sum();
        let mut doc = b.document(group, None, kind);
        doc.contact_id = settings.map(|f| f.supplier_id.clone());
        doc.status = Some(DocumentStatus::Submitted);
        doc.total = Some(total);
        doc.lines = lines;
        let pay_kind = match kind {
            DocumentKind::Bill => DocumentKind::BillPayment,
            _ => DocumentKind::BillRefund,
        };
        let mut pay = b.document(group, None, pay_kind);
        pay.contact_id = doc.contact_id.clone();
        pay.account_id = Some(clearing.to_owned());
        pay.amount = Some(total);
        pay.applies_to = Some(doc.key.clone());
        docs.push(doc);
        docs.push(pay);
    }
    // Bill, bill payment, then credit note and its refund.
    docs.sort_by_key(|d| d.kind);
    docs
}

fn bank_transactions(
    b: &Builder,
    group: &GroupKey,
    fees: &[(bool, &str, &str, Decimal)],
) -> Vec<Document> {
    let supplier = b.settings.fees.as_ref().map(|f| f.supplier_id.clone());
    let mut docs = Vec::new();
    for refund in [false, true] {
        let mine: Vec<_> = fees.iter().filter(|f| f.0 == refund).collect();
        let Some(first) = mine.first() else {
            continue;
        };
        let (part, words) = if refund {
            ("feeRefunds", FEE_REFUNDS)
        } else {
            ("fees", FEES)
        };
        let lines: Vec<Line> = mine
            .iter()
            .map(|(_, account, _, amount)| {
                let mut l = b.line(account, words, *amount);
                l.tracking = b.tracking(group);
                l
            })
            .collect();
        let total: Decimal = lines.iter().map(Line::gross).sum();
        let mut doc = b.document(group, Some(part), DocumentKind::BankTransaction);
        doc.contact_id = supplier.clone();
        doc.account_id = Some(first.2.to_owned());
        doc.total = Some(total);
        // Spend money is negative, receive money positive.
        doc.amount = Some(if refund { total } else { -total });
        doc.lines = lines;
        docs.push(doc);
    }
    docs
}
