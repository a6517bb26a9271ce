//! Realistic sales, generated deterministically from the order's number: each order has 3
//! lines at two VAT rates (20% and 5%), one card payment for its total and the processor's
//! fee on that payment as a `PaymentFee` transaction. About 1.5 kB, 0.3 kB and 0.3 kB of JSON.
//! Generated a dataset at a time, so memory does not grow with the volume.

use domain::commerce::DatasetKind;
use jiff::Timestamp;
use std::fmt::Write;
use store::RecordChange;

/// 2026-01-01T00:00:00Z; orders follow every 7 seconds.
const FIRST_SECOND: i64 = 1_767_225_600;

/// The three kinds pushed for each order, in push order.
pub const KINDS: [DatasetKind; 3] = [
    DatasetKind::Orders,
    DatasetKind::Payments,
    DatasetKind::Transactions,
];

/// The records of orders `first .. first + count`, as JSON text per kind.
pub struct Batch {
    first: u64,
    records: [Vec<String>; 3],
}

/// A cheap deterministic mix of the order number (splitmix64).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Pence as pounds, e.g. -123 → "-1.23"; written where it is used, without a string of its
/// own (the clients' generating shares the cores with the server being measured).
#[derive(Clone, Copy)]
struct Money(i64);

fn money(pence: i64) -> Money {
    Money(pence)
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", self.0.abs() / 100, self.0.abs() % 100)
    }
}

fn created(i: u64) -> Timestamp {
    Timestamp::from_second(FIRST_SECOND + 7 * i as i64).expect("in range")
}

fn modified(i: u64) -> Timestamp {
    Timestamp::from_second(FIRST_SECOND + 7 * i as i64 + 60).expect("in range")
}

/// Order `i`, its payment and its fee transaction.
fn sale(i: u64) -> [String; 3] {
    let r = mix(i);
    let (created, modified) = (created(i), modified(i));
    let mut lines = String::with_capacity(1200);
    let (mut total, mut tax_total) = (0i64, 0i64);
    for l in 0..3u64 {
        let bits = r >> (l * 16);
        let unit = 150 + (bits % 4850) as i64; // £1.50 to £49.99 net
        let quantity = 1 + ((bits >> 12) % 3) as i64;
        let (rate, component) = if l == 2 { (5, "vat-5") } else { (20, "vat-20") };
        let net = unit * quantity;
        let tax = (net * rate + 50) / 100;
        total += net + tax;
        tax_total += tax;
        let product = (bits >> 4) % 500;
        if l > 0 {
            lines.push(',');
        }
        let _ = write!(
            lines,
            r#"{{"id":"order-{i}-line-{l}","quantity":{quantity},"unitPrice":{unit_price},"taxPercentage":{rate},"totalAmount":{line_total},"totalTaxAmount":{tax},"taxes":[{{"taxComponentRef":{{"id":"{component}","name":"VAT {rate}%"}},"rate":{tax}}}],"productRef":{{"id":"prod-{product}","name":"Product {product}"}},"productVariantRef":{{"id":"prod-{product}-std","name":"Standard"}},"discountAllocations":[]}}"#,
            unit_price = money(unit),
            line_total = money(net + tax),
            tax = money(tax),
        );
    }
    let fee = -(total * 14 / 1000 + 20); // 1.4% + 20p
    let (total_text, location) = (money(total), r % 12);
    let order = format!(
        r#"{{"id":"order-{i}","orderNumber":"{number}","country":"GBR","currency":"GBP","createdDate":"{created}","closedDate":"{created}","totalAmount":{total_text},"totalRefund":0.00,"totalTaxAmount":{tax_total},"totalDiscount":0.00,"totalGratuity":0.00,"orderLineItems":[{lines}],"payments":[{{"id":"pay-{i}","amount":{total_text},"currency":"GBP","type":"Card","status":"Paid","paymentProvider":"Stripe","createdDate":"{created}"}}],"serviceCharges":[],"locationRef":{{"id":"loc-{location}","name":"Shop {location}"}},"customerRef":{{"id":"cust-{customer}"}},"modifiedDate":"{modified}","sourceModifiedDate":"{modified}"}}"#,
        number = 100_000 + i,
        tax_total = money(tax_total),
        lines = lines,
        customer = (r >> 48) % 20_000,
    );
    let payment = format!(
        r#"{{"id":"pay-{i}","amount":{total_text},"currency":"GBP","type":"Card","status":"Paid","paymentProvider":"Stripe","dueDate":"{created}","createdDate":"{created}","modifiedDate":"{modified}","sourceModifiedDate":"{modified}"}}"#
    );
    let transaction = format!(
        r#"{{"id":"fee-{i}","totalAmount":{fee},"currency":"GBP","type":"PaymentFee","subType":"stripe_fee","transactionSourceRef":{{"id":"pay-{i}","type":"Payment"}},"createdDate":"{created}","sourceCreatedDate":"{created}","modifiedDate":"{modified}","sourceModifiedDate":"{modified}"}}"#,
        fee = money(fee)
    );
    [order, payment, transaction]
}

impl Batch {
    pub fn generate(first: u64, count: u64) -> Self {
        let mut records: [Vec<String>; 3] = Default::default();
        for i in first..first + count {
            for (kind, text) in sale(i).into_iter().enumerate() {
                records[kind].push(text);
            }
        }
        Self { first, records }
    }

    fn index(kind: DatasetKind) -> usize {
        KINDS.iter().position(|k| *k == kind).expect("a sales kind")
    }

    /// The push body: `{"orders": [...]}` (or payments, transactions).
    pub fn body(&self, kind: DatasetKind) -> String {
        let records = &self.records[Self::index(kind)];
        // Sized up front: a 1.5 MB body grown by doubling is copied and faulted in again
        // and again, on the cores the server being measured runs on.
        let size = records.iter().map(String::len).sum::<usize>() + records.len() + 32;
        let mut body = String::with_capacity(size);
        body.push_str("{\"");
        body.push_str(kind.json_key());
        body.push_str("\":[");
        for (n, record) in records.iter().enumerate() {
            if n > 0 {
                body.push(',');
            }
            body.push_str(record);
        }
        body.push_str("]}");
        body
    }

    /// The same records as rows to insert straight into the database.
    pub fn changes(&self, kind: DatasetKind) -> Vec<RecordChange> {
        let prefix = ["order", "pay", "fee"][Self::index(kind)];
        self.records[Self::index(kind)]
            .iter()
            .zip(self.first..)
            .map(|(text, i)| RecordChange {
                id: format!("{prefix}-{i}"),
                created_date: Some(created(i)),
                source_modified_date: Some(modified(i)),
                canonical_json: text.clone(),
                delete: false,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generated_record_is_valid() {
        let batch = Batch::generate(0, 200);
        for kind in KINDS {
            let body: serde_json::Value = serde_json::from_str(&batch.body(kind)).unwrap();
            let (records, prefix) = engine::ingest::records_of(kind, body).unwrap();
            let (changes, errors) = engine::ingest::parse(kind, &records, &prefix);
            assert!(errors.is_empty(), "{kind:?}: {:?}", errors.first());
            assert_eq!(changes.len(), 200);
            assert_eq!(changes[7].id, batch.changes(kind)[7].id);
        }
    }
}
