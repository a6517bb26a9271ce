//! The sandboxes' books read back as a bookkeeper would check them against the pushed week:
//! sales per tax rate (net and tax), money per payment account, fee bills, payouts.

use super::week::WeekTotals;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;

pub fn dec(v: &Value) -> Decimal {
    v.to_string().trim_matches('"').parse().unwrap_or_default()
}

/// Live documents of `collection`, of Xero `Type` `kind` when given.
pub fn docs<'b>(books: &'b Value, collection: &str, kind: Option<&str>) -> Vec<&'b Value> {
    books[collection]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| kind.is_none_or(|k| d["Type"] == k))
        .filter(|d| !matches!(d["Status"].as_str(), Some("VOIDED" | "DELETED")))
        .collect()
}

/// Sales lines per Xero tax type: (net, tax), credit notes deducted.
pub fn xero_sales_by_tax_type(books: &Value) -> BTreeMap<String, (Decimal, Decimal)> {
    let mut out: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for (collection, kind, sign) in [
        ("Invoices", "ACCREC", Decimal::ONE),
        ("CreditNotes", "ACCRECCREDIT", Decimal::NEGATIVE_ONE),
    ] {
        for doc in docs(books, collection, Some(kind)) {
            assert_eq!(doc["LineAmountTypes"], "Exclusive", "{doc}");
            for line in doc["LineItems"].as_array().unwrap() {
                let entry = out
                    .entry(line["TaxType"].as_str().unwrap_or_default().to_owned())
                    .or_default();
                entry.0 += sign * dec(&line["LineAmount"]);
                entry.1 += sign * dec(&line["TaxAmount"]);
            }
        }
    }
    out
}

/// Money received per account code (refunds paid out deducted).
pub fn xero_payments_by_account(books: &Value) -> BTreeMap<String, Decimal> {
    let mut out: BTreeMap<String, Decimal> = BTreeMap::new();
    for p in docs(books, "Payments", None) {
        let sign = match p["PaymentType"].as_str() {
            Some("ACCRECPAYMENT") => Decimal::ONE,
            Some("ARCREDITPAYMENT") => Decimal::NEGATIVE_ONE,
            _ => continue,
        };
        let code = p["Account"]["Code"].as_str().unwrap_or_default().to_owned();
        *out.entry(code).or_default() += sign * dec(&p["Amount"]);
    }
    out
}

pub fn xero_total(books: &Value, collection: &str, kind: &str) -> Decimal {
    docs(books, collection, Some(kind))
        .iter()
        .map(|d| dec(&d["Total"]))
        .sum()
}

pub fn check_xero_books(books: &Value, t: &WeekTotals, doc: &Value) {
    let rate_id = |key: &str| {
        doc["configuration"]["sales"]["taxRates"][key]["selectedTaxRateId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let by_type = xero_sales_by_tax_type(books);
    for key in ["20", "5"] {
        assert_eq!(
            by_type.get(&rate_id(key)),
            t.by_rate.get(key),
            "sales at {key}%: {by_type:?}"
        );
    }
    assert_eq!(
        by_type.get(&rate_id("0")),
        Some(&(t.gratuity, Decimal::ZERO)),
        "tips: {by_type:?}"
    );
    assert_eq!(
        by_type.len(),
        3,
        "no other tax types (no rounding line): {by_type:?}"
    );
    let account_code = |section: &str, key: &str, name: &str| {
        let slot = &doc["configuration"][section]["accounts"][key];
        let id = slot["selectedAccountId"].as_str().unwrap();
        let option = slot["accountOptions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap();
        assert_eq!(option["name"], name);
        option["nominalCode"].as_str().unwrap().to_owned()
    };
    let payments = xero_payments_by_account(books);
    for (key, kind, name) in [
        ("card", "Card", "Card Clearing"),
        ("cash", "Cash", "Cash Takings"),
        ("paypal", "Paypal", "PayPal"),
    ] {
        assert_eq!(
            payments.get(&account_code("payments", key, name)),
            t.by_payment_type.get(kind),
            "{kind} payments into {name}: {payments:?}"
        );
    }
    let fees =
        xero_total(books, "Invoices", "ACCPAY") - xero_total(books, "CreditNotes", "ACCPAYCREDIT");
    assert_eq!(fees, t.fees, "fee bills");
    let payouts: Decimal = docs(books, "BankTransfers", None)
        .iter()
        .map(|d| dec(&d["Amount"]))
        .sum();
    assert_eq!(payouts, t.payouts, "payouts");
}

/// QuickBooks' documents of `entity` in the books.
pub fn qbo_docs<'b>(books: &'b Value, entity: &str) -> Vec<&'b Value> {
    books[entity].as_array().into_iter().flatten().collect()
}

/// Sales per QuickBooks tax rate: (net taxable, tax), credit memos deducted.
pub fn qbo_sales_by_tax_rate(books: &Value) -> BTreeMap<String, (Decimal, Decimal)> {
    let mut out: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for (entity, sign) in [
        ("Invoice", Decimal::ONE),
        ("CreditMemo", Decimal::NEGATIVE_ONE),
    ] {
        for doc in qbo_docs(books, entity) {
            for line in doc["TxnTaxDetail"]["TaxLine"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let detail = &line["TaxLineDetail"];
                let rate = detail["TaxRateRef"]["value"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let entry = out.entry(rate).or_default();
                entry.0 += sign * dec(&detail["NetAmountTaxable"]);
                entry.1 += sign * dec(&line["Amount"]);
            }
        }
    }
    out
}

pub fn check_quickbooks_books(books: &Value, t: &WeekTotals, doc: &Value) {
    // QuickBooks reports tax per tax *rate* (the code's rate detail): 20.0% S is rate 1, 5.0% R rate 2.
    let by_rate = qbo_sales_by_tax_rate(books);
    for (key, rate) in [("20", "1"), ("5", "2")] {
        assert_eq!(
            by_rate.get(rate),
            t.by_rate.get(key),
            "sales at {key}%: {by_rate:?}"
        );
    }
    check_quickbooks_money(books, t, doc);
}

/// Money received per payment account, fee bills and payouts, to the cent.
pub fn check_quickbooks_money(books: &Value, t: &WeekTotals, doc: &Value) {
    let account_id = |key: &str| {
        doc["configuration"]["payments"]["accounts"][key]["selectedAccountId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let mut received: BTreeMap<String, Decimal> = BTreeMap::new();
    for p in qbo_docs(books, "Payment") {
        let account = p["DepositToAccountRef"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        *received.entry(account).or_default() += dec(&p["TotalAmt"]);
    }
    for (key, kind) in [("card", "Card"), ("cash", "Cash"), ("paypal", "Paypal")] {
        assert_eq!(
            received.get(&account_id(key)),
            t.received_by_payment_type.get(kind),
            "{kind}: {received:?}"
        );
    }
    let fees: Decimal = qbo_docs(books, "Bill")
        .iter()
        .map(|b| dec(&b["TotalAmt"]))
        .sum();
    assert_eq!(fees, t.fees, "fee bills");
    let payouts: Decimal = qbo_docs(books, "Transfer")
        .iter()
        .map(|b| dec(&b["Amount"]))
        .sum();
    assert_eq!(payouts, t.payouts, "payouts");
}
