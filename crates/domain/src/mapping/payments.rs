//! Payments: one per payment type used that day, from that type's clearing or bank account,
//! allocated to the day's invoice; refunds paid out, one per payment type, allocated to the
//! day's credit note. With no invoice (or credit note) that day in the group, the money is
//! left unallocated on the sales customer's account rather than invented a target.

use super::Builder;
use super::refunds::money_kind;
use super::totals::{Bucket, GroupKey, Totals};
use crate::documents::{Document, DocumentKind};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Payment and refund documents of one group; `sales` are the group's sales documents.
pub fn payment_documents(
    b: &Builder,
    group: &GroupKey,
    totals: &Totals,
    sales: &[Document],
) -> Vec<Document> {
    // (kind, payment type, account) → amount, positive. Both sides can land in one kind when
    // adjusting (a payment edited down and a refund edited up are both money going back).
    let mut moves: BTreeMap<(DocumentKind, &str, &str), Decimal> = BTreeMap::new();
    for (bucket, a) in totals.iter() {
        let Bucket::Payment {
            payment_type,
            account,
            ..
        } = bucket
        else {
            continue;
        };
        let kind = money_kind(a.net, DocumentKind::Payment, DocumentKind::Refund);
        *moves.entry((kind, payment_type, account)).or_default() += a.net.abs();
    }
    let target = |kind: DocumentKind| sales.iter().find(|d| d.kind == kind).map(|d| d.key.clone());
    let mut docs = Vec::new();
    for ((kind, payment_type, account), amount) in &moves {
        if amount.is_zero() {
            continue;
        }
        // The same type on two accounts happens only if the settings changed between runs.
        let shared = moves
            .keys()
            .filter(|(k, t, _)| k == kind && t == payment_type)
            .count()
            > 1;
        let part = if shared {
            format!("type={payment_type}/acct={account}")
        } else {
            format!("type={payment_type}")
        };
        let mut doc = b.document(group, Some(&part), *kind);
        doc.contact_id = Some(b.settings.sales_customer_id.clone());
        doc.account_id = Some((*account).to_owned());
        doc.amount = Some(*amount);
        doc.applies_to = target(match kind {
            DocumentKind::Payment => DocumentKind::Invoice,
            _ => DocumentKind::CreditNote,
        });
        docs.push(doc);
    }
    docs
}
