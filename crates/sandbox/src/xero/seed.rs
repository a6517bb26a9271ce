//! A new Xero organisation: a realistic demo chart of accounts (Xero's default codes where they
//! exist), the country's tax rates, one customer, one supplier and a tracking category.

use crate::money::xero_timestamp;
use crate::tenant::Tenant;
use jiff::Timestamp;
use serde_json::{Value, json};

/// Xero's account `Class` for an account `Type`.
pub fn class_of(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "BANK" | "CURRENT" | "FIXED" | "INVENTORY" | "NONCURRENT" | "PREPAYMENT" => "ASSET",
        "CURRLIAB" | "LIABILITY" | "TERMLIAB" | "PAYG" => "LIABILITY",
        "EQUITY" => "EQUITY",
        "DEPRECIATN" | "DIRECTCOSTS" | "EXPENSE" | "OVERHEADS" => "EXPENSE",
        "OTHERINCOME" | "REVENUE" | "SALES" => "REVENUE",
        _ => return None,
    })
}

/// What defines an account in the chart.
#[derive(Clone, Copy)]
pub struct NewAccount<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub tax: &'a str,
    pub payments: bool,
    pub system: Option<&'a str>,
}

const fn row<'a>(
    code: &'a str,
    name: &'a str,
    kind: &'a str,
    tax: &'a str,
    payments: bool,
    system: Option<&'a str>,
) -> NewAccount<'a> {
    NewAccount {
        code,
        name,
        kind,
        tax,
        payments,
        system,
    }
}

pub fn account(n: NewAccount<'_>, currency: &str, now: Timestamp) -> Value {
    let NewAccount {
        code,
        name,
        kind,
        tax,
        payments,
        system,
    } = n;
    let mut a = json!({
        "AccountID": uuid::Uuid::new_v4().to_string(),
        "Code": code,
        "Name": name,
        "Status": "ACTIVE",
        "Type": kind,
        "TaxType": tax,
        "Class": class_of(kind),
        "EnablePaymentsToAccount": payments,
        "ShowInExpenseClaims": false,
        "BankAccountType": if kind == "BANK" { "BANK" } else { "" },
        "ReportingCode": "",
        "HasAttachments": false,
        "AddToWatchlist": false,
        "UpdatedDateUTC": xero_timestamp(now),
    });
    if kind == "BANK" {
        a["BankAccountNumber"] = json!(format!("20-00-00 {}", 10_000_000 + code.len() * 7));
        a["CurrencyCode"] = json!(currency);
    }
    if let Some(s) = system {
        a["SystemAccount"] = json!(s);
    }
    a
}

/// Which account classes a tax rate serves (Xero's `CanApplyTo…` flags).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Income rates: revenue accounts (and, as in Xero, assets, equity and liabilities).
    Revenue,
    /// Expense rates: every class but revenue.
    Expenses,
    /// "No VAT" / "Tax Exempt": any account.
    Any,
}

fn tax_rate(kind: &str, name: &str, rate: &str, side: Side, report: &str) -> Value {
    json!({
        "Name": name,
        "TaxType": kind,
        "ReportTaxType": report,
        "CanApplyToAssets": true,
        "CanApplyToEquity": true,
        "CanApplyToExpenses": side != Side::Revenue,
        "CanApplyToLiabilities": true,
        "CanApplyToRevenue": side != Side::Expenses,
        "DisplayTaxRate": serde_json::from_str::<Value>(rate).unwrap_or(Value::Null),
        "EffectiveRate": serde_json::from_str::<Value>(rate).unwrap_or(Value::Null),
        "Status": "ACTIVE",
        "TaxComponents": [{"Name": name, "Rate": serde_json::from_str::<Value>(rate).unwrap_or(Value::Null), "IsCompound": false, "IsNonRecoverable": false}],
    })
}

fn contact(name: &str, customer: bool, now: Timestamp) -> Value {
    json!({
        "ContactID": uuid::Uuid::new_v4().to_string(),
        "ContactStatus": "ACTIVE",
        "Name": name,
        "IsCustomer": customer,
        "IsSupplier": !customer,
        "Addresses": [],
        "Phones": [],
        "UpdatedDateUTC": xero_timestamp(now),
        "HasAttachments": false,
    })
}

/// A new organisation; `country` is `GB` (default) or `US`.
pub fn tenant(name: Option<String>, country: Option<String>, now: Timestamp) -> Tenant {
    let us = country.as_deref() == Some("US");
    let (country, currency) = if us { ("US", "USD") } else { ("GB", "GBP") };
    let id = uuid::Uuid::new_v4().to_string();
    let name = name.unwrap_or_else(|| format!("Demo Company ({country}) {}", &id[..8]));
    let mut t = Tenant::new(id, name, country.into(), currency.into());
    let (out, inp, none) = if us {
        ("OUTPUT", "INPUT", "NONE")
    } else {
        ("OUTPUT2", "INPUT2", "NONE")
    };
    let rates = if us {
        vec![
            tax_rate("OUTPUT", "Tax on Sales", "8.8750", Side::Revenue, "OUTPUT"),
            tax_rate(
                "INPUT",
                "Tax on Purchases",
                "8.8750",
                Side::Expenses,
                "INPUT",
            ),
            tax_rate("NONE", "Tax Exempt", "0.0000", Side::Any, "NONE"),
        ]
    } else {
        vec![
            tax_rate(
                "OUTPUT2",
                "20% (VAT on Income)",
                "20.0000",
                Side::Revenue,
                "OUTPUT",
            ),
            tax_rate(
                "RROUTPUT",
                "5% (VAT on Income)",
                "5.0000",
                Side::Revenue,
                "OUTPUT",
            ),
            tax_rate(
                "ZERORATEDOUTPUT",
                "Zero Rated Income",
                "0.0000",
                Side::Revenue,
                "OUTPUT",
            ),
            tax_rate(
                "EXEMPTOUTPUT",
                "Exempt Income",
                "0.0000",
                Side::Revenue,
                "EXEMPTOUTPUT",
            ),
            tax_rate(
                "INPUT2",
                "20% (VAT on Expenses)",
                "20.0000",
                Side::Expenses,
                "INPUT",
            ),
            tax_rate(
                "ZERORATEDINPUT",
                "Zero Rated Expenses",
                "0.0000",
                Side::Expenses,
                "INPUT",
            ),
            tax_rate(
                "EXEMPTINPUT",
                "Exempt Expenses",
                "0.0000",
                Side::Expenses,
                "EXEMPTINPUT",
            ),
            tax_rate("NONE", "No VAT", "0.0000", Side::Any, "NONE"),
        ]
    };
    for r in rates {
        t.push("TaxRates", r);
    }
    let tax_liability = if us { "Sales Tax Payable" } else { "VAT" };
    let chart = [
        row("090", "Business Bank Account", "BANK", none, false, None),
        row("091", "Card Clearing", "BANK", none, false, None),
        row("092", "Cash Takings", "CURRENT", none, true, None),
        row("093", "Gift Card Redemptions", "CURRENT", none, false, None),
        row("200", "Sales", "REVENUE", out, false, None),
        row("210", "Sales Refunds", "REVENUE", out, false, None),
        row("250", "Old Sales (archived)", "REVENUE", out, false, None),
        row("260", "Other Revenue", "REVENUE", out, false, None),
        row(
            "270",
            "Payment Fee Refunds",
            "OTHERINCOME",
            none,
            false,
            None,
        ),
        row("310", "Cost of Goods Sold", "DIRECTCOSTS", inp, false, None),
        row(
            "404",
            "Payment Processing Fees",
            "OVERHEADS",
            none,
            false,
            None,
        ),
        row("429", "General Expenses", "OVERHEADS", inp, false, None),
        row(
            "610",
            "Accounts Receivable",
            "CURRENT",
            none,
            false,
            Some("DEBTORS"),
        ),
        row(
            "800",
            "Accounts Payable",
            "CURRLIAB",
            none,
            false,
            Some("CREDITORS"),
        ),
        row("820", tax_liability, "CURRLIAB", none, false, Some("GST")),
        row("830", "Gratuities Payable", "CURRLIAB", none, false, None),
        row("840", "Gift Card Liability", "CURRLIAB", none, false, None),
        row("860", "Rounding", "CURRLIAB", none, false, Some("ROUNDING")),
        row(
            "970",
            "Owner A Funds Introduced",
            "EQUITY",
            none,
            false,
            None,
        ),
    ];
    for n in chart {
        let mut a = account(n, currency, now);
        if n.code == "250" {
            a["Status"] = json!("ARCHIVED");
        }
        t.push("Accounts", a);
    }
    t.push("Contacts", contact("Commerce Sales", true, now));
    t.push("Contacts", contact("Payment Processor Ltd", false, now));
    t.push(
        "TrackingCategories",
        json!({
            "TrackingCategoryID": uuid::Uuid::new_v4().to_string(),
            "Name": "Location",
            "Status": "ACTIVE",
            "Options": [
                {"TrackingOptionID": uuid::Uuid::new_v4().to_string(), "Name": "High Street", "Status": "ACTIVE"},
                {"TrackingOptionID": uuid::Uuid::new_v4().to_string(), "Name": "Online", "Status": "ACTIVE"},
            ],
        }),
    );
    t
}
