//! The totals both sides of the comparison must agree on, named the way the documents show
//! them: per merchant, the net of each sales line (currency, document, account, tax rate),
//! tips, each sales document's total, the money per payment type, fees and payouts.
//!
//! The engine's figures are read off the documents it writes; the baseline's come from its
//! GROUP BY rows ([`crate::baseline::Rows::figures`]). Equal figures mean the baseline did
//! the same aggregation, so timing it against the engine is a fair comparison.

use domain::documents::DocumentKind;
use domain::mapping::{MappingOutput, MappingSettings};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// (merchant, figure name) → amount; zero amounts are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures(BTreeMap<(u32, String), Decimal>);

impl Figures {
    /// Adds to a figure.
    pub fn add(&mut self, merchant: u32, name: String, amount: Decimal) {
        *self.0.entry((merchant, name)).or_default() += amount;
    }

    /// Drops figures that added up to zero (neither side writes a zero document).
    pub fn without_zeros(mut self) -> Self {
        self.0.retain(|_, a| !a.is_zero());
        self
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A readable list of the first differences, or `None` when both agree.
    pub fn differences(&self, other: &Figures) -> Option<String> {
        let mut out = Vec::new();
        for (key, a) in &self.0 {
            if other.0.get(key) != Some(a) {
                out.push(format!("{key:?}: {a} vs {:?}", other.0.get(key)));
            }
        }
        for (key, b) in &other.0 {
            if !self.0.contains_key(key) {
                out.push(format!("{key:?}: missing vs {b}"));
            }
        }
        if out.is_empty() {
            return None;
        }
        let count = out.len();
        out.truncate(10);
        Some(format!("{count} figures differ, e.g.\n{}", out.join("\n")))
    }

    /// Reads the figures off one merchant's documents.
    pub fn add_output(
        &mut self,
        merchant: u32,
        settings: &MappingSettings,
        output: &MappingOutput,
    ) {
        let gratuity = settings.accounts.gratuity.as_deref();
        for d in &output.documents {
            let cur = d.currency.code();
            let kind = d.kind.as_str();
            match d.kind {
                DocumentKind::Invoice | DocumentKind::CreditNote => {
                    for l in &d.lines {
                        let net = l.net_amount.unwrap_or_default();
                        if Some(l.account_id.as_str()) == gratuity {
                            self.add(merchant, tips(cur, kind), net);
                        } else if l.description != "Rounding" {
                            let rate = l.tax_rate_id.as_deref().unwrap_or("-");
                            self.add(merchant, sales(cur, kind, &l.account_id, rate), net);
                        }
                    }
                    self.add(merchant, total(cur, kind), d.total.unwrap_or_default());
                }
                DocumentKind::Payment | DocumentKind::Refund => {
                    let account = d.account_id.as_deref().unwrap_or("-");
                    self.add(
                        merchant,
                        money(cur, kind, account),
                        d.amount.unwrap_or_default(),
                    );
                }
                DocumentKind::Bill => self.add(merchant, fees(cur), d.total.unwrap_or_default()),
                DocumentKind::Transfer => {
                    self.add(merchant, payouts(cur), d.amount.unwrap_or_default())
                }
                _ => {}
            }
        }
    }
}

// Figure names, shared by both sides so they cannot drift apart.

pub fn sales(currency: &str, kind: &str, account: &str, tax_rate: &str) -> String {
    format!("{currency} {kind} {account} {tax_rate} net")
}

pub fn tips(currency: &str, kind: &str) -> String {
    format!("{currency} {kind} tips")
}

pub fn total(currency: &str, kind: &str) -> String {
    format!("{currency} {kind} total")
}

pub fn money(currency: &str, kind: &str, account: &str) -> String {
    format!("{currency} {kind} {account}")
}

pub fn fees(currency: &str) -> String {
    format!("{currency} fees")
}

pub fn payouts(currency: &str) -> String {
    format!("{currency} payouts")
}
