//! Payouts: money leaving the processor for the merchant's bank is a transfer from the clearing
//! account to the payout account; a failed payout moves it back. A negative adjustment of
//! either runs the transfer the other way.

use super::Builder;
use super::totals::{Bucket, GroupKey, Totals};
use crate::documents::{Document, DocumentKind};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Transfer documents of one group: one for payouts, one for failed payouts.
pub fn payout_documents(b: &Builder, group: &GroupKey, totals: &Totals) -> Vec<Document> {
    // (failed, from, to) → amount moved from `from` to `to`.
    let mut moves: BTreeMap<(bool, &str, &str), Decimal> = BTreeMap::new();
    for (bucket, a) in totals.iter() {
        if let Bucket::Payout {
            failed, from, to, ..
        } = bucket
        {
            let (from, to) = if *failed { (to, from) } else { (from, to) };
            *moves.entry((*failed, from, to)).or_default() += a.net;
        }
    }
    let mut docs = Vec::new();
    for failed in [false, true] {
        let mine: Vec<_> = moves.iter().filter(|((f, _, _), _)| *f == failed).collect();
        for ((_, from, to), amount) in &mine {
            if amount.is_zero() {
                continue;
            }
            let (from, to) = if amount.is_sign_negative() {
                (to, from)
            } else {
                (from, to)
            };
            let mut part = if failed { "failedPayout" } else { "payout" }.to_owned();
            if mine.len() > 1 {
                // Accounts changed between runs: keep the keys apart.
                part = format!("{part}/from={from}/to={to}");
            }
            let mut doc = b.document(group, Some(&part), DocumentKind::Transfer);
            let words = if failed { "Failed payout" } else { "Payout" };
            doc.account_id = Some((*from).to_owned());
            doc.amount = Some(amount.abs());
            doc.lines = vec![b.line(to, words, amount.abs())];
            docs.push(doc);
        }
    }
    docs
}
