//! A new QuickBooks Online company: demo chart of accounts, items that post to it, tax codes
//! (US: automated sales tax with the `TAX`/`NON` pseudo codes; GB: VAT codes), a customer, a
//! vendor, a class and a department.

use super::refs::{currency, time};
use crate::tenant::Tenant;
use jiff::Timestamp;
use serde_json::{Value, json};

/// The combined rate the US sandbox's "automated sales tax" charges everywhere.
pub const AST_RATE: &str = "8.875";

fn meta(now: Timestamp) -> Value {
    json!({"CreateTime": time(now), "LastUpdatedTime": time(now)})
}

pub fn account(
    t: &Tenant,
    id: &str,
    num: &str,
    name: &str,
    kind: &str,
    sub: &str,
    now: Timestamp,
) -> Value {
    let classification = match kind {
        "Bank" | "Accounts Receivable" | "Other Current Asset" | "Fixed Asset" | "Other Asset" => {
            "Asset"
        }
        "Accounts Payable" | "Credit Card" | "Other Current Liability" | "Long Term Liability" => {
            "Liability"
        }
        "Equity" => "Equity",
        "Income" | "Other Income" => "Revenue",
        _ => "Expense",
    };
    json!({
        "Id": id, "Name": name, "AcctNum": num, "FullyQualifiedName": name, "SubAccount": false,
        "Active": true, "Classification": classification, "AccountType": kind, "AccountSubType": sub,
        "CurrentBalance": 0, "CurrentBalanceWithSubAccounts": 0, "CurrencyRef": currency(t),
        "domain": "QBO", "sparse": false, "SyncToken": "0", "MetaData": meta(now),
    })
}

fn named(id: &str, name: &str, now: Timestamp) -> Value {
    json!({"Id": id, "DisplayName": name, "Active": true, "Balance": 0, "domain": "QBO", "sparse": false,
        "SyncToken": "0", "MetaData": meta(now), "PrintOnCheckName": name, "CompanyName": name})
}

fn item(id: &str, name: &str, account: &Value, now: Timestamp) -> Value {
    json!({"Id": id, "Name": name, "FullyQualifiedName": name, "Type": "Service", "Active": true, "Taxable": true,
        "IncomeAccountRef": {"value": account["Id"], "name": account["Name"]},
        "domain": "QBO", "sparse": false, "SyncToken": "0", "MetaData": meta(now)})
}

fn tax_code(id: &str, name: &str, taxable: bool, rate: Option<&str>, now: Timestamp) -> Value {
    let details: Vec<Value> = rate
        .map(|r| json!({"TaxRateRef": {"value": r}, "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0}))
        .into_iter()
        .collect();
    json!({"Id": id, "Name": name, "Description": name, "Active": true, "Taxable": taxable, "TaxGroup": rate.is_some(),
        "SalesTaxRateList": {"TaxRateDetail": details.clone()}, "PurchaseTaxRateList": {"TaxRateDetail": details},
        "domain": "QBO", "sparse": false, "SyncToken": "0", "MetaData": meta(now)})
}

fn tax_rate(id: &str, name: &str, value: &str, now: Timestamp) -> Value {
    json!({"Id": id, "Name": name, "Description": name, "Active": true,
        "RateValue": serde_json::from_str::<Value>(value).unwrap_or(Value::Null),
        "AgencyRef": {"value": "1"}, "DisplayType": "ReadOnly", "SpecialTaxType": "NONE",
        "domain": "QBO", "sparse": false, "SyncToken": "0", "MetaData": meta(now)})
}

/// A new company; `country` is `US` (default) or `GB`.
pub fn tenant(name: Option<String>, country: Option<String>, now: Timestamp) -> Tenant {
    let gb = country.as_deref() == Some("GB");
    let (country, cur) = if gb { ("GB", "GBP") } else { ("US", "USD") };
    let realm = (9_130_000_000_000_000u64 + rand::random::<u32>() as u64).to_string();
    let name = name.unwrap_or_else(|| format!("Sandbox Company_{country}_{}", &realm[12..]));
    let mut t = Tenant::new(realm, name, country.into(), cur.into());
    let tax_payable = if gb {
        ("VAT Control", "GlobalTaxPayable")
    } else {
        ("Sales Tax Payable", "SalesTaxPayable")
    };
    let chart = [
        ("1", "1000", "Checking", "Bank", "Checking"),
        (
            "2",
            "1010",
            "Card Clearing",
            "Other Current Asset",
            "OtherCurrentAssets",
        ),
        ("3", "1020", "Cash on Hand", "Bank", "CashOnHand"),
        (
            "4",
            "1100",
            "Accounts Receivable (A/R)",
            "Accounts Receivable",
            "AccountsReceivable",
        ),
        (
            "5",
            "1200",
            "Undeposited Funds",
            "Other Current Asset",
            "UndepositedFunds",
        ),
        ("6", "4000", "Sales", "Income", "SalesOfProductIncome"),
        ("7", "4010", "Refunds", "Income", "DiscountsRefundsGiven"),
        (
            "8",
            "4100",
            "Payment Fee Refunds",
            "Other Income",
            "OtherMiscellaneousIncome",
        ),
        ("9", "4900", "Old Sales", "Income", "SalesOfProductIncome"),
        (
            "10",
            "2000",
            "Accounts Payable (A/P)",
            "Accounts Payable",
            "AccountsPayable",
        ),
        (
            "11",
            "2100",
            "Gratuity Liability",
            "Other Current Liability",
            "OtherCurrentLiabilities",
        ),
        (
            "12",
            "2110",
            "Gift Card Liability",
            "Other Current Liability",
            "OtherCurrentLiabilities",
        ),
        (
            "13",
            "2200",
            tax_payable.0,
            "Other Current Liability",
            tax_payable.1,
        ),
        (
            "14",
            "6000",
            "Payment Processing Fees",
            "Expense",
            "BankCharges",
        ),
        (
            "15",
            "3000",
            "Opening Balance Equity",
            "Equity",
            "OpeningBalanceEquity",
        ),
    ];
    for (id, num, n, kind, sub) in chart {
        let mut a = account(&t, id, num, n, kind, sub, now);
        if id == "9" {
            a["Active"] = json!(false);
            a["Name"] = json!("Old Sales (deleted)");
        }
        t.push("Account", a);
    }
    let acc = |t: &Tenant, id: &str| t.find("Account", "Id", id).cloned().unwrap_or_default();
    for (id, n, a) in [
        ("1", "Services", "6"),
        ("2", "Sales", "6"),
        ("3", "Gratuity", "11"),
        ("4", "Gift Card", "12"),
        ("5", "Refunds", "7"),
    ] {
        let i = item(id, n, &acc(&t, a), now);
        t.push("Item", i);
    }
    if gb {
        for (id, n, v) in [
            ("1", "20.0% S (Sales)", "20"),
            ("2", "5.0% R (Sales)", "5"),
            ("3", "0.0% Z (Sales)", "0"),
            ("4", "20.0% S (Purchases)", "20"),
        ] {
            t.push("TaxRate", tax_rate(id, n, v, now));
        }
        for (id, n, r) in [
            ("3", "20.0% S", "1"),
            ("4", "5.0% R", "2"),
            ("5", "0.0% Z", "3"),
            ("6", "20.0% S (Purchases)", "4"),
        ] {
            t.push("TaxCode", tax_code(id, n, true, Some(r), now));
        }
        t.push("TaxCode", tax_code("7", "No VAT", false, None, now));
    } else {
        t.push(
            "TaxRate",
            tax_rate("1", "Automated Sales Tax", AST_RATE, now),
        );
        t.push(
            "TaxCode",
            tax_code("2", "Automated Sales Tax", true, Some("1"), now),
        );
        t.push("TaxCode", tax_code("TAX", "TAX", true, None, now));
        t.push("TaxCode", tax_code("NON", "NON", false, None, now));
    }
    t.push("Customer", named("1", "Commerce Sales", now));
    t.push("Vendor", named("2", "Payment Processor Inc", now));
    t.push("Class", json!({"Id": "1", "Name": "Online", "FullyQualifiedName": "Online", "Active": true, "SubClass": false, "SyncToken": "0", "MetaData": meta(now)}));
    t.push("Department", json!({"Id": "1", "Name": "Main Street", "FullyQualifiedName": "Main Street", "Active": true, "SubDepartment": false, "SyncToken": "0", "MetaData": meta(now)}));
    // US companies have automated sales tax on (QuickBooks computes the tax; the tax codes
    // above exist but a sale names none), as every new US company since 2017.
    t.push(
        "Preferences",
        json!({"Id": "1", "TaxPrefs": {"UsingSalesTax": true, "PartnerTaxEnabled": !gb},
            "CurrencyPrefs": {"HomeCurrency": {"value": cur}, "MultiCurrencyEnabled": false},
            "SyncToken": "0", "MetaData": meta(now)}),
    );
    // Ids of entities created later start above the seeded ones.
    t.push(
        "CompanyInfo",
        json!({"Id": "1", "CompanyName": t.name, "LegalName": t.name, "Country": country,
            "CompanyAddr": {"Country": country}, "FiscalYearStartMonth": if gb { "April" } else { "January" },
            "SupportedLanguages": "en", "NameValue": [{"Name": "NeoEnabled", "Value": "true"}, {"Name": "IsQbdtMigrated", "Value": "false"}],
            "domain": "QBO", "sparse": false, "SyncToken": "0", "MetaData": meta(now)}),
    );
    t
}
