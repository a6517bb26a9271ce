//! The day's sales invoice and refunds credit note, to the sales customer.
//!
//! One line per (account, tax rate) the day traded at, so category accounts, gratuity and gift
//! cards get their own lines; tax per line as the ledger computes it; and an untaxed rounding
//! line when the lines do not add up to the day's true total (the sum of the orders' totals
//! and tips it stands for).

use super::refunds::{describe, sales_kind};
use super::rounding::{ledger_tax, rounding_difference};
use super::totals::{Bucket, GroupKey, LineRole, Side, Totals};
use super::{Builder, InvoiceStatus};
use crate::documents::{Document, DocumentKind, DocumentStatus, Line};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A sales bucket with its net and tax as the document shows them (sign applied).
type Part<'a> = (&'a Bucket, Decimal, Decimal);

/// Sales documents of one group: at most one invoice and one credit note.
pub fn sales_documents(b: &Builder, group: &GroupKey, totals: &Totals) -> Vec<Document> {
    // Which kind each side becomes, from its signed true total.
    let mut side_totals: BTreeMap<Side, Decimal> = BTreeMap::new();
    for (bucket, a) in totals.iter() {
        if let Bucket::Sales { side, .. } = bucket {
            *side_totals.entry(*side).or_default() += a.gross();
        }
    }
    let mut by_kind: BTreeMap<DocumentKind, (Decimal, Vec<Part>)> = BTreeMap::new();
    for (bucket, a) in totals.iter() {
        let Bucket::Sales { side, .. } = bucket else {
            continue;
        };
        let (kind, sign) = sales_kind(*side, side_totals[side]);
        let entry = by_kind.entry(kind).or_default();
        entry.0 += sign * a.gross();
        entry.1.push((bucket, sign * a.net, sign * a.tax));
    }
    by_kind
        .into_iter()
        .map(|(kind, (true_total, parts))| sales_document(b, group, kind, true_total, &parts))
        .collect()
}

fn sales_document(
    b: &Builder,
    group: &GroupKey,
    kind: DocumentKind,
    true_total: Decimal,
    parts: &[Part],
) -> Document {
    let s = b.settings;
    let mut lines: Vec<Line> = Vec::new();
    for (bucket, net, tax) in parts {
        let Bucket::Sales {
            side,
            role,
            account,
            tax_rate_id,
            percentage,
            ..
        } = bucket
        else {
            continue;
        };
        // The platform's own rounding is folded into the rounding line below.
        if *role == LineRole::Residue {
            continue;
        }
        let tax = ledger_tax(*net, *percentage, *tax, group.currency, s.rounding);
        lines.push(Line {
            account_id: account.clone(),
            tax_rate_id: tax_rate_id.clone(),
            description: describe(*side, *role, *percentage),
            net_amount: Some(*net),
            tax_amount: Some(tax),
            tracking: b.tracking(group),
            ..Line::default()
        });
    }
    let lines_total: Decimal = lines.iter().map(Line::gross).sum();
    let difference = rounding_difference(true_total, lines_total);
    if !difference.is_zero() {
        lines.push(Line {
            account_id: s.rounding_account().to_owned(),
            tax_rate_id: s.tax.default_zero_rate.clone(),
            description: "Rounding".to_owned(),
            net_amount: Some(difference),
            tax_amount: Some(Decimal::ZERO),
            tracking: b.tracking(group),
            ..Line::default()
        });
    }
    let mut doc = b.document(group, None, kind);
    doc.contact_id = Some(s.sales_customer_id.clone());
    doc.status = Some(match s.invoice_status {
        InvoiceStatus::Submitted => DocumentStatus::Submitted,
        InvoiceStatus::Draft => DocumentStatus::Draft,
    });
    doc.total = Some(true_total);
    doc.lines = lines;
    doc
}
