//! Totals: additive amounts per bucket (group, side, account, tax rate, payment type, …).
//!
//! Every record's effect on the books is a `Totals` (its *contribution*), with accounts and
//! tax rates already resolved. A day is the sum of its records' contributions; an adjustment
//! is the difference between what a record contributes now and what was posted for it. The
//! document builders only ever read `Totals`, so both paths produce documents the same way.

use crate::money::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What splits documents: the currency always, the location or country when chosen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupKey {
    pub currency: Currency,
    pub location: Option<String>,
    pub country: Option<String>,
}

impl GroupKey {
    pub fn currency_only(currency: Currency) -> Self {
        Self {
            currency,
            location: None,
            country: None,
        }
    }

    /// The group part of document keys: `GBP`, `GBP/loc=shop-1`, `EUR/country=FRA`.
    pub fn path(&self) -> String {
        let mut path = self.currency.code().to_owned();
        if let Some(l) = &self.location {
            path.push_str("/loc=");
            path.push_str(l);
        }
        if let Some(c) = &self.country {
            path.push_str("/country=");
            path.push_str(c);
        }
        path
    }
}

/// Whether an amount was a sale or a refund in the commerce data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Side {
    Sale,
    Refund,
}

/// What a sales amount is, which decides its line and description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LineRole {
    Product,
    ServiceCharge,
    Gratuity,
    Prepaid,
    /// An order's total minus its parts: rounding done by the commerce platform.
    Residue,
}

/// One place an amount lands. Accounts are resolved when the contribution is computed, so
/// a reversal undoes exactly what was posted even if the settings changed since.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Bucket {
    /// Signed sales amounts (refunds negative), net and tax.
    Sales {
        group: GroupKey,
        side: Side,
        role: LineRole,
        account: String,
        tax_rate_id: Option<String>,
        /// Normalized commerce percentage, when known.
        percentage: Option<Decimal>,
    },
    /// Journal mode: tax owed per liability account (signed like its sales).
    TaxLiability {
        group: GroupKey,
        side: Side,
        account: String,
    },
    /// Money received (positive) or paid back (negative) per payment type.
    Payment {
        group: GroupKey,
        payment_type: String,
        account: String,
        side: Side,
    },
    /// Payment fees charged (positive) or fee refunds received (positive, `refund`).
    Fee {
        group: GroupKey,
        refund: bool,
        account: String,
        /// Where the money left (fees) or came back to (fee refunds): the account of the
        /// payment the fee belongs to, else the clearing account. Named `clearing` in the
        /// stored state of earlier runs, so the name stays.
        clearing: String,
    },
    /// Money moved from clearing to the payout account (a failed payout moves it back).
    Payout {
        group: GroupKey,
        failed: bool,
        from: String,
        to: String,
    },
}

impl Bucket {
    pub fn group(&self) -> &GroupKey {
        match self {
            Bucket::Sales { group, .. }
            | Bucket::TaxLiability { group, .. }
            | Bucket::Payment { group, .. }
            | Bucket::Fee { group, .. }
            | Bucket::Payout { group, .. } => group,
        }
    }
}

/// A net amount and its tax (zero outside sales).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Amounts {
    pub net: Decimal,
    pub tax: Decimal,
}

impl Amounts {
    pub fn new(net: Decimal, tax: Decimal) -> Self {
        Self { net, tax }
    }

    pub fn gross(&self) -> Decimal {
        self.net + self.tax
    }

    pub fn is_zero(&self) -> bool {
        self.net.is_zero() && self.tax.is_zero()
    }

    fn checked_add(self, o: Amounts) -> Option<Amounts> {
        Some(Amounts {
            net: self.net.checked_add(o.net)?,
            tax: self.tax.checked_add(o.tax)?,
        })
    }

    fn checked_neg(self) -> Amounts {
        Amounts {
            net: -self.net,
            tax: -self.tax,
        }
    }
}

/// Amounts per bucket; zero entries are dropped so equal effects compare equal.
///
/// Kept as a vector sorted by bucket, each bucket once: a record's contribution has one to
/// four buckets, and every posted record keeps its own in the synced state, so a map's fixed
/// node (eleven bucket slots) would cost several times the memory and the time to fill it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "Vec<(Bucket, Amounts)>", into = "Vec<(Bucket, Amounts)>")]
pub struct Totals(Vec<(Bucket, Amounts)>);

impl From<Vec<(Bucket, Amounts)>> for Totals {
    fn from(entries: Vec<(Bucket, Amounts)>) -> Self {
        let mut t = Totals::default();
        for (b, a) in entries {
            // Stored state was produced by us and fits; an overflow would drop the entry.
            let _ = t.add(b, a);
        }
        t
    }
}

impl From<Totals> for Vec<(Bucket, Amounts)> {
    fn from(t: Totals) -> Self {
        t.0
    }
}

impl Totals {
    /// Where `bucket` is, or where it would go.
    fn find(&self, bucket: &Bucket) -> Result<usize, usize> {
        self.0.binary_search_by(|(b, _)| b.cmp(bucket))
    }

    /// Adds to the entry at `i`, dropping it if it cancels out (`None` on overflow).
    fn add_at(&mut self, i: usize, amounts: Amounts) -> Option<()> {
        let sum = self.0[i].1.checked_add(amounts)?;
        if sum.is_zero() {
            self.0.remove(i);
        } else {
            self.0[i].1 = sum;
        }
        Some(())
    }

    /// Adds `amounts` to `bucket`; `None` on decimal overflow.
    pub fn add(&mut self, bucket: Bucket, amounts: Amounts) -> Option<()> {
        match self.find(&bucket) {
            Ok(i) => self.add_at(i, amounts),
            Err(i) => {
                if !amounts.is_zero() {
                    self.0.insert(i, (bucket, amounts));
                }
                Some(())
            }
        }
    }

    /// Adds every entry of `other` (`None` on overflow).
    pub fn merge(&mut self, other: &Totals) -> Option<()> {
        for (b, a) in &other.0 {
            // Most buckets are already there: add in place, cloning the key only when new.
            match self.find(b) {
                Ok(i) => self.add_at(i, *a)?,
                Err(i) => {
                    if !a.is_zero() {
                        self.0.insert(i, (b.clone(), *a));
                    }
                }
            }
        }
        Some(())
    }

    /// `self − other`, entry by entry (`None` on overflow).
    pub fn minus(&self, other: &Totals) -> Option<Totals> {
        let mut out = self.clone();
        for (b, a) in &other.0 {
            out.add(b.clone(), a.checked_neg())?;
        }
        Some(out)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, in bucket order.
    pub fn iter(&self) -> impl Iterator<Item = (&Bucket, &Amounts)> {
        self.0.iter().map(|(b, a)| (b, a))
    }

    /// The groups present, in order.
    pub fn groups(&self) -> Vec<GroupKey> {
        let mut groups: Vec<GroupKey> = self.0.iter().map(|(b, _)| b.group().clone()).collect();
        groups.sort();
        groups.dedup();
        groups
    }

    /// Only the entries of one group.
    pub fn of_group(&self, group: &GroupKey) -> Totals {
        Totals(
            self.0
                .iter()
                .filter(|(b, _)| b.group() == group)
                .cloned()
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(account: &str) -> Bucket {
        Bucket::Payment {
            group: GroupKey::currency_only(Currency::from_code("GBP").unwrap()),
            payment_type: "Cash".into(),
            account: account.into(),
            side: Side::Sale,
        }
    }

    #[test]
    fn entries_that_cancel_out_disappear() {
        let mut t = Totals::default();
        t.add(
            bucket("1000"),
            Amounts::new(Decimal::new(1250, 2), Decimal::ZERO),
        );
        t.add(
            bucket("1100"),
            Amounts::new(Decimal::new(5, 0), Decimal::ZERO),
        );
        let mut other = Totals::default();
        other.add(
            bucket("1000"),
            Amounts::new(Decimal::new(125, 1), Decimal::ZERO),
        );
        let rest = t.minus(&other).unwrap();
        assert_eq!(rest.iter().count(), 1);
        assert!(rest.minus(&rest).unwrap().is_empty());
        assert_eq!(rest.minus(&rest).unwrap(), Totals::default());
        t.add(bucket("9"), Amounts::default());
        assert_eq!(t.iter().count(), 2, "zero amounts are not stored");
    }

    #[test]
    fn overflow_is_reported_not_panicked() {
        let mut t = Totals::default();
        t.add(bucket("1"), Amounts::new(Decimal::MAX, Decimal::ZERO));
        assert_eq!(
            t.add(bucket("1"), Amounts::new(Decimal::MAX, Decimal::ZERO)),
            None
        );
    }
}
