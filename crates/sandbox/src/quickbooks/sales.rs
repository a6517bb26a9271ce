//! Sales documents: Invoice, CreditMemo, RefundReceipt. Lines name an item (and optionally the
//! account it posts to); tax is computed by QuickBooks, not sent: US companies use automated
//! sales tax (lines marked `TAX`/`NON`, one rate on the taxable total), others put a VAT code
//! on every line (tax per code on the code's total).

use super::refs::{self, business, ref_id, s};
use super::seed::AST_RATE;
use crate::money::{dec, num, round2};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::str::FromStr;

/// Lines with tax worked out.
pub struct Taxed {
    pub lines: Vec<Value>,
    pub tax_detail: Value,
    pub total: Decimal,
}

/// The rate of a tax code (percent) via its first sales rate.
fn code_rate(t: &Tenant, code: &Value) -> Decimal {
    let rate_id = code["SalesTaxRateList"]["TaxRateDetail"][0]["TaxRateRef"]["value"]
        .as_str()
        .unwrap_or_default();
    t.find("TaxRate", "Id", rate_id)
        .and_then(|r| r.get("RateValue").and_then(dec))
        .unwrap_or_default()
}

/// Works out item lines (`SalesItemLineDetail`) or, with `expense`, account lines
/// (`AccountBasedExpenseLineDetail`).
pub fn lines(t: &Tenant, v: &Value, expense: bool, issues: &mut Vec<Issue>) -> Taxed {
    let us = t.country == "US";
    let calc = s(v, "GlobalTaxCalculation").unwrap_or(if expense && us {
        "NotApplicable"
    } else {
        "TaxExcluded"
    });
    if !matches!(calc, "TaxExcluded" | "TaxInclusive" | "NotApplicable") {
        issues.push(business(format!(
            "GlobalTaxCalculation '{calc}' is not valid."
        )));
    }
    if us && calc == "TaxInclusive" {
        issues.push(business(
            "Tax-inclusive amounts are not supported with automated sales tax.",
        ));
    }
    let input = v
        .get("Line")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let wanted = if expense {
        "AccountBasedExpenseLineDetail"
    } else {
        "SalesItemLineDetail"
    };
    let mut out = Vec::new();
    let mut per_code: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new(); // code → (rate, amount)
    let mut sum = Decimal::ZERO;
    for (i, l) in input.iter().enumerate() {
        let n = i + 1;
        match s(l, "DetailType") {
            Some("SubTotalLineDetail") => continue,
            Some("DescriptionOnly") => {
                out.push(l.clone());
                continue;
            }
            Some(d) if d == wanted => {}
            other => {
                issues.push(business(format!(
                    "Line[{n}]: DetailType {} is not supported here; use {wanted}.",
                    other.unwrap_or("(missing)")
                )));
                continue;
            }
        }
        let detail = l.get(wanted).cloned().unwrap_or_else(|| json!({}));
        let amount = refs::line_amount(l, Some(&detail), n, issues);
        sum += amount;
        let mut line = l.as_object().cloned().unwrap_or_default();
        let mut det = detail.as_object().cloned().unwrap_or_default();
        if expense {
            match refs::account(t, &detail, "AccountRef", true) {
                Ok(Some(a)) => {
                    det.insert("AccountRef".into(), refs::short(&a));
                }
                Ok(None) => {}
                Err(e) => issues.push(e),
            }
        } else {
            let item = if ref_id(&detail, "ItemRef").is_some() {
                refs::entity(t, &detail, "ItemRef", "Item", "Item", true)
            } else {
                Ok(t.find("Item", "Id", "1").cloned())
            };
            match item {
                Ok(Some(it)) => {
                    det.insert("ItemRef".into(), refs::short(&it));
                }
                Ok(None) => {}
                Err(e) => issues.push(e),
            }
            if let Err(e) = refs::account(t, &detail, "ItemAccountRef", false) {
                issues.push(e);
            }
        }
        if calc != "NotApplicable" {
            let code = ref_id(&detail, "TaxCodeRef");
            match (us, code.as_deref()) {
                (true, None | Some("NON")) => {}
                (true, Some("TAX")) => {
                    let e = per_code.entry("TAX".into()).or_insert((Decimal::from_str(AST_RATE).unwrap_or_default(), Decimal::ZERO));
                    e.1 += amount;
                }
                (true, Some(other)) => issues.push(business(format!(
                    "Line[{n}]: tax code '{other}' cannot be used; with automated sales tax mark lines TAX or NON."
                ))),
                (false, None) => issues.push(business(format!("Line[{n}]: Make sure all your transactions have a VAT rate before you save."))),
                (false, Some(id)) => match t.find("TaxCode", "Id", id) {
                    None => issues.push(Issue::new("2500", format!("Invalid Reference Id : TaxCode element id {id} not found"))),
                    Some(c) => {
                        let e = per_code.entry(id.into()).or_insert((code_rate(t, c), Decimal::ZERO));
                        e.1 += amount;
                    }
                },
            }
        }
        line.insert(wanted.into(), Value::Object(det));
        line.insert("Id".into(), json!(n.to_string()));
        line.insert("LineNum".into(), json!(n));
        line.insert("Amount".into(), num(amount));
        out.push(Value::Object(line));
    }
    if input.is_empty() {
        issues.push(refs::missing("Line"));
    }
    let mut tax = Decimal::ZERO;
    let mut tax_lines = Vec::new();
    for (code, (rate, amount)) in &per_code {
        let (line_tax, taxable) = if calc == "TaxInclusive" {
            let x = round2(*amount * rate / (Decimal::ONE_HUNDRED + rate));
            (x, *amount - x)
        } else {
            (round2(*amount * rate / Decimal::ONE_HUNDRED), *amount)
        };
        tax += line_tax;
        let rate_ref = if code == "TAX" {
            "1".to_owned()
        } else {
            t.find("TaxCode", "Id", code)
                .map(|c| c["SalesTaxRateList"]["TaxRateDetail"][0]["TaxRateRef"]["value"].clone())
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        tax_lines.push(json!({"Amount": num(line_tax), "DetailType": "TaxLineDetail", "TaxLineDetail": {
            "TaxRateRef": {"value": rate_ref}, "PercentBased": true, "TaxPercent": crate::money::plain(*rate), "NetAmountTaxable": num(taxable)}}));
    }
    if !expense || !out.is_empty() {
        out.push(json!({"Amount": num(sum), "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}}));
    }
    let total = if calc == "TaxInclusive" {
        sum
    } else {
        sum + tax
    };
    let mut detail = json!({"TotalTax": num(tax), "TaxLine": tax_lines});
    if us && !per_code.is_empty() {
        detail["TxnTaxCodeRef"] = json!({"value": "2"});
    }
    Taxed {
        lines: out,
        tax_detail: detail,
        total,
    }
}

/// What differs between the three sales documents.
#[derive(Clone, Copy)]
pub enum Sale {
    Invoice,
    CreditMemo,
    RefundReceipt,
}

pub fn create(t: &mut Tenant, now: Timestamp, v: &Value, kind: Sale) -> Result<Value, Vec<Issue>> {
    let mut issues = Vec::new();
    let name = match kind {
        Sale::Invoice => "Invoice",
        Sale::CreditMemo => "CreditMemo",
        Sale::RefundReceipt => "RefundReceipt",
    };
    let customer = refs::entity(
        t,
        v,
        "CustomerRef",
        "Customer",
        "Names",
        !matches!(kind, Sale::RefundReceipt),
    )
    .map_err(|e| issues.push(e))
    .ok()
    .flatten();
    let date = refs::txn_date(t, v, now, &mut issues);
    let deposit = if let Sale::RefundReceipt = kind {
        match refs::account(t, v, "DepositToAccountRef", true) {
            Ok(Some(a)) if refs::is_cash(&a) => Some(a),
            Ok(Some(a)) => {
                issues.push(business(format!(
                    "The account {} must be a bank or other current asset account to refund from.",
                    s(&a, "Name").unwrap_or_default()
                )));
                None
            }
            Ok(None) => None,
            Err(e) => {
                issues.push(e);
                None
            }
        }
    } else {
        None
    };
    let taxed = lines(t, v, false, &mut issues);
    refs::check_total(v, taxed.total, &mut issues);
    let doc_number = s(v, "DocNumber").map(str::to_owned);
    if let Some(n) = &doc_number
        && let Some(other) = t.find(name, "DocNumber", n)
    {
        issues.push(Issue::new("6140", format!(
            "You must specify a different number. This number has already been used. DocNumber={n} is assigned to TxnType={name} with TxnId={}",
            s(other, "Id").unwrap_or_default()
        )));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let number = doc_number.unwrap_or_else(|| (1000 + t.next(&format!("doc:{name}"))).to_string());
    let mut m: Map<String, Value> = Map::new();
    m.insert("DocNumber".into(), json!(number));
    m.insert("TxnDate".into(), json!(date.to_string()));
    if let Some(c) = &customer {
        m.insert("CustomerRef".into(), refs::short(c));
    }
    m.insert("CurrencyRef".into(), refs::currency(t));
    m.insert("Line".into(), Value::Array(taxed.lines));
    m.insert("TxnTaxDetail".into(), taxed.tax_detail);
    m.insert("TotalAmt".into(), num(taxed.total));
    m.insert(
        "GlobalTaxCalculation".into(),
        json!(s(v, "GlobalTaxCalculation").unwrap_or("TaxExcluded")),
    );
    for key in ["PrivateNote", "CustomerMemo", "ClassRef", "DepartmentRef"] {
        if let Some(x) = v.get(key) {
            m.insert(key.into(), x.clone());
        }
    }
    match kind {
        Sale::Invoice => {
            let due = v
                .get("DueDate")
                .and_then(crate::money::parse_date)
                .unwrap_or(date);
            m.insert("DueDate".into(), json!(due.to_string()));
            m.insert("Balance".into(), num(taxed.total));
            m.insert("EmailStatus".into(), json!("NotSet"));
            m.insert("LinkedTxn".into(), json!([]));
        }
        Sale::CreditMemo => {
            m.insert("Balance".into(), num(taxed.total));
            m.insert("RemainingCredit".into(), num(taxed.total));
        }
        Sale::RefundReceipt => {
            m.insert("Balance".into(), num(Decimal::ZERO));
            if let Some(a) = &deposit {
                m.insert("DepositToAccountRef".into(), refs::short(a));
            }
            if let Some(pm) = v.get("PaymentMethodRef") {
                m.insert("PaymentMethodRef".into(), pm.clone());
            }
        }
    }
    let doc = refs::stamp(t, m, now);
    t.push(name, doc.clone());
    Ok(doc)
}
