//! Journal mode: one balanced journal entry per day and group.
//!
//! Debit the account of each payment type with the money received (credit it for refunds
//! paid), credit sales per tax rate or category, gratuity and tax liability (per tax
//! component where mapped), debit fee expense and credit fee refunds against the clearing
//! account, and move payouts from clearing to the payout account. Lines on the same account
//! net into one (the docs' example: cash 1250 received − 60 fees + 30 fee refunds = Dr 1220).
//! What was sold but not paid that day, or paid but not sold, is the receivable's line, so
//! the entry always balances.

use super::refunds::describe;
use super::settings::{MappingError, MappingSettings};
use super::totals::{Bucket, GroupKey, Side, Totals};
use super::{Builder, LineRole};
use crate::commerce::PaymentType;
use crate::documents::{Document, DocumentKind, Line};
use rust_decimal::Decimal;

/// One movement: debit when positive, credit when negative.
struct Posting {
    account: String,
    /// Lines with a label stay apart (sales per rate); unlabelled ones net per account.
    label: Option<String>,
    reason: &'static str,
    amount: Decimal,
}

fn post(
    out: &mut Vec<Posting>,
    account: &str,
    label: Option<String>,
    reason: &'static str,
    amount: Decimal,
) {
    out.push(Posting {
        account: account.to_owned(),
        label,
        reason,
        amount,
    });
}

/// The journal entry of one group, or `None` when everything nets to nothing.
pub fn journal_entry(
    b: &Builder,
    group: &GroupKey,
    totals: &Totals,
) -> Result<Option<Document>, MappingError> {
    let mut postings = Vec::new();
    for (bucket, a) in totals.iter() {
        let p = &mut postings;
        match bucket {
            Bucket::Sales {
                side,
                role,
                account,
                percentage,
                ..
            } => {
                let label = match role {
                    LineRole::Residue => "Rounding".to_owned(),
                    _ => describe(*side, *role, *percentage),
                };
                post(p, account, Some(label), "Sales", -a.net);
            }
            Bucket::TaxLiability { side, account, .. } => {
                let label = match side {
                    Side::Sale => "Tax",
                    Side::Refund => "Tax refunded",
                };
                post(p, account, Some(label.to_owned()), "Tax", -a.net);
            }
            Bucket::Payment { side, account, .. } => {
                let reason = match side {
                    Side::Sale => "Payments received",
                    Side::Refund => "Refunds paid",
                };
                post(p, account, None, reason, a.net);
            }
            Bucket::Fee {
                refund,
                account,
                clearing,
                ..
            } => {
                let (words, sign) = if *refund {
                    ("Payment fee refunds", Decimal::NEGATIVE_ONE)
                } else {
                    ("Payment fees", Decimal::ONE)
                };
                post(p, account, Some(words.to_owned()), words, sign * a.net);
                post(p, clearing, None, words, -sign * a.net);
            }
            Bucket::Payout {
                failed, from, to, ..
            } => {
                let (words, sign) = if *failed {
                    ("Failed payouts", Decimal::NEGATIVE_ONE)
                } else {
                    ("Payouts", Decimal::ONE)
                };
                post(p, to, None, words, sign * a.net);
                post(p, from, None, words, -sign * a.net);
            }
        }
    }
    let unbalanced: Decimal = postings.iter().map(|p| p.amount).sum();
    if !unbalanced.is_zero() {
        let account = receivable(b.settings).ok_or_else(|| MappingError::MissingAccount {
            role: "receivable",
            record_id: group.path(),
        })?;
        post(&mut postings, &account, None, "Receivable", -unbalanced);
    }
    let lines = net_lines(b, group, postings);
    if lines.is_empty() {
        return Ok(None);
    }
    let mut doc = b.document(group, None, DocumentKind::JournalEntry);
    doc.total = Some(lines.iter().filter_map(|l| l.debit).sum());
    doc.lines = lines;
    Ok(Some(doc))
}

fn receivable(s: &MappingSettings) -> Option<String> {
    s.receivable_account
        .clone()
        .or_else(|| s.payment_account(PaymentType::Invoice).map(str::to_owned))
}

/// Nets postings per (account, label), in order of first appearance; debits first.
fn net_lines(b: &Builder, group: &GroupKey, postings: Vec<Posting>) -> Vec<Line> {
    let mut netted: Vec<(String, Option<String>, Vec<&'static str>, Decimal)> = Vec::new();
    for p in postings {
        match netted
            .iter_mut()
            .find(|(a, l, _, _)| *a == p.account && *l == p.label)
        {
            Some((_, _, reasons, amount)) => {
                if !reasons.contains(&p.reason) {
                    reasons.push(p.reason);
                }
                *amount += p.amount;
            }
            None => netted.push((p.account, p.label, vec![p.reason], p.amount)),
        }
    }
    let mut lines: Vec<Line> = netted
        .into_iter()
        .filter(|(_, _, _, amount)| !amount.is_zero())
        .map(|(account, label, reasons, amount)| Line {
            account_id: account,
            description: label.unwrap_or_else(|| reasons.join(", ")),
            debit: amount.is_sign_positive().then_some(amount),
            credit: amount.is_sign_negative().then_some(-amount),
            tracking: b.tracking(group),
            ..Line::default()
        })
        .collect();
    lines.sort_by_key(|l| l.debit.is_none());
    lines
}
