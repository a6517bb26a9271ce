//! Double entry from documents: each posted document becomes an [`Entry`] (signed amounts by
//! account: debits positive, credits negative), and the entries add up to a [`TrialBalance`].
//! The platforms' own postings are read from the documents' lines in `xero_ledger` and
//! `quickbooks_ledger`; this file only adds up.

use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One document's postings.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What a person would call the document ("Invoice INV-0001").
    pub what: String,
    /// (account key, amount): debit when positive, credit when negative.
    pub postings: Vec<(String, Decimal)>,
}

impl Entry {
    pub fn new(what: impl Into<String>) -> Self {
        Self {
            what: what.into(),
            postings: Vec::new(),
        }
    }

    /// Adds `amount` to `account` (skipping zero, and lines naming no account).
    pub fn post(&mut self, account: Option<String>, amount: Decimal) {
        if let Some(a) = account
            && !amount.is_zero()
        {
            self.postings.push((a, amount));
        }
    }

    /// Debits minus credits: zero when the document balances.
    pub fn imbalance(&self) -> Decimal {
        self.postings.iter().map(|(_, a)| *a).sum()
    }
}

/// An account's line in the trial balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// How the platform shows the account ("200 Sales", "4000 Sales").
    pub account: String,
    pub debits: Decimal,
    pub credits: Decimal,
}

impl Row {
    /// Debit balance when positive, credit balance when negative.
    pub fn balance(&self) -> Decimal {
        self.debits - self.credits
    }
}

/// Every account the documents touched, with its debit and credit totals.
#[derive(Debug, Clone)]
pub struct TrialBalance {
    pub rows: Vec<Row>,
    pub debits: Decimal,
    pub credits: Decimal,
    /// Documents whose own postings do not balance (what, debits − credits): a sandbox bug.
    pub unbalanced: Vec<(String, Decimal)>,
    pub documents: usize,
}

impl TrialBalance {
    /// Adds up `entries`; `label` turns an account key into (sort key, what a person reads),
    /// so accounts come in the platform's own report order (by code).
    pub fn of(entries: &[Entry], label: impl Fn(&str) -> (String, String)) -> Self {
        let mut by_account: BTreeMap<(String, String), (Decimal, Decimal)> = BTreeMap::new();
        let mut unbalanced = Vec::new();
        for e in entries {
            for (key, amount) in &e.postings {
                let slot = by_account.entry(label(key)).or_default();
                if amount.is_sign_positive() {
                    slot.0 += *amount;
                } else {
                    slot.1 -= *amount;
                }
            }
            if !e.imbalance().is_zero() {
                unbalanced.push((e.what.clone(), e.imbalance()));
            }
        }
        let rows: Vec<Row> = by_account
            .into_iter()
            .map(|((_, account), (debits, credits))| Row {
                account,
                debits,
                credits,
            })
            .collect();
        Self {
            debits: rows.iter().map(|r| r.debits).sum(),
            credits: rows.iter().map(|r| r.credits).sum(),
            rows,
            unbalanced,
            documents: entries.len(),
        }
    }

    pub fn balances(&self) -> bool {
        self.debits == self.credits && self.unbalanced.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn adds_debits_and_credits_per_account_and_finds_lopsided_documents() {
        let mut sale = Entry::new("Invoice 1");
        sale.post(Some("610".into()), d("120"));
        sale.post(Some("200".into()), d("-100"));
        sale.post(Some("820".into()), d("-20"));
        sale.post(None, d("5"));
        let mut paid = Entry::new("Payment");
        paid.post(Some("090".into()), d("120"));
        paid.post(Some("610".into()), d("-120"));
        let label = |k: &str| (k.to_owned(), format!("{k} account"));
        let tb = TrialBalance::of(&[sale.clone(), paid], label);
        assert!(tb.balances());
        assert_eq!((tb.debits, tb.credits), (d("240"), d("240")));
        let ar = tb.rows.iter().find(|r| r.account == "610 account").unwrap();
        assert_eq!(
            (ar.debits, ar.credits, ar.balance()),
            (d("120"), d("120"), d("0"))
        );

        sale.post(Some("200".into()), d("-1"));
        let tb = TrialBalance::of(&[sale], label);
        assert!(!tb.balances());
        assert_eq!(tb.unbalanced, [("Invoice 1".to_owned(), d("-1"))]);
    }
}
