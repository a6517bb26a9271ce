//! What every Xero document checks: referenced accounts, tax rates and contacts, the lock date,
//! and line arithmetic (tax per line at 2 dp, half away from zero, then summed).

use crate::money::{dec, num, parse_date, plain, round2, xero_date, xero_date_string};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

pub fn issue(m: impl Into<String>) -> Issue {
    Issue::new("6000", m)
}

pub fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str).filter(|x| !x.is_empty())
}

/// An account referenced by `{Code}` / `{AccountID}` or by a line's `AccountCode` / `AccountID`.
pub fn account(t: &Tenant, code: Option<&str>, id: Option<&str>) -> Result<Value, Issue> {
    let found = match (code, id) {
        (_, Some(id)) => t.find("Accounts", "AccountID", id),
        (Some(c), None) => t.find("Accounts", "Code", c),
        (None, None) => return Err(issue("Account code must be specified")),
    };
    let label = code.or(id).unwrap_or_default();
    let Some(a) = found else {
        return Err(issue(format!(
            "Account code '{label}' is not a valid code for this document."
        )));
    };
    if s(a, "Status") != Some("ACTIVE") {
        return Err(issue(format!(
            "Account code '{label}' has been archived, or has been deleted. Each line item must reference a valid account."
        )));
    }
    Ok(a.clone())
}

/// A `{Code|AccountID}` object such as a payment's `Account` or a `BankAccount`.
pub fn account_ref(t: &Tenant, r: Option<&Value>) -> Result<Value, Issue> {
    let r = r.unwrap_or(&Value::Null);
    account(t, s(r, "Code"), s(r, "AccountID"))
}

/// The effective rate (percent) of an active tax type.
pub fn tax_rate(t: &Tenant, tax_type: &str) -> Result<Decimal, Issue> {
    t.find("TaxRates", "TaxType", tax_type)
        .filter(|r| s(r, "Status") == Some("ACTIVE"))
        .and_then(|r| r.get("EffectiveRate").and_then(dec))
        .ok_or_else(|| {
            issue(format!(
                "The TaxType code '{tax_type}' does not exist or cannot be used with this type of transaction."
            ))
        })
}

/// A tax rate serves only the account classes its `CanApplyTo…` flags name: Xero refuses an
/// income rate on an expense account (a fee bill at "Zero Rated Income") and the reverse.
/// An unknown tax type is reported by [`tax_rate`].
pub fn rate_applies_to(t: &Tenant, tax_type: &str, account: &Value) -> Result<(), Issue> {
    let flag = match s(account, "Class") {
        Some("REVENUE") => "CanApplyToRevenue",
        Some("EXPENSE") => "CanApplyToExpenses",
        Some("ASSET") => "CanApplyToAssets",
        Some("LIABILITY") => "CanApplyToLiabilities",
        Some("EQUITY") => "CanApplyToEquity",
        _ => return Ok(()),
    };
    let Some(rate) = t.find("TaxRates", "TaxType", tax_type) else {
        return Ok(());
    };
    if rate.get(flag).and_then(Value::as_bool) == Some(false) {
        let code = s(account, "Code").unwrap_or_default();
        return Err(issue(format!(
            "The TaxType code '{tax_type}' cannot be used with account code '{code}'."
        )));
    }
    Ok(())
}

/// `{ContactID}`, `{ContactNumber}` or `{Name}`; an unknown name creates the contact (Xero does).
pub fn contact(t: &mut Tenant, r: Option<&Value>, now: jiff::Timestamp) -> Result<Value, Issue> {
    let r = r.unwrap_or(&Value::Null);
    let found = if let Some(id) = s(r, "ContactID") {
        Some(
            t.find("Contacts", "ContactID", id)
                .cloned()
                .ok_or_else(|| {
                    issue(format!(
                        "The contact with ContactID '{id}' could not be found."
                    ))
                })?,
        )
    } else if let Some(n) = s(r, "ContactNumber") {
        t.find("Contacts", "ContactNumber", n).cloned()
    } else if let Some(n) = s(r, "Name") {
        match t.find("Contacts", "Name", n).cloned() {
            Some(c) => Some(c),
            None => {
                let c = json!({
                    "ContactID": uuid::Uuid::new_v4().to_string(),
                    "ContactStatus": "ACTIVE",
                    "Name": n,
                    "UpdatedDateUTC": crate::money::xero_timestamp(now),
                });
                t.push("Contacts", c.clone());
                Some(c)
            }
        }
    } else {
        None
    };
    let c =
        found.ok_or_else(|| issue("A Contact must be specified for this type of transaction"))?;
    if s(&c, "ContactStatus") == Some("ARCHIVED") {
        return Err(issue("The contact has been archived and cannot be used."));
    }
    Ok(json!({"ContactID": c["ContactID"], "Name": c["Name"]}))
}

/// The document date (today if absent), refused on or before the lock date.
pub fn date(
    t: &Tenant,
    v: &Value,
    key: &str,
    now: jiff::Timestamp,
    issues: &mut Vec<Issue>,
) -> Date {
    let d = match v.get(key) {
        None | Some(Value::Null) => now.to_zoned(jiff::tz::TimeZone::UTC).date(),
        Some(x) => match parse_date(x) {
            Some(d) => d,
            None => {
                issues.push(issue(format!("{key} is not a valid date")));
                return now.to_zoned(jiff::tz::TimeZone::UTC).date();
            }
        },
    };
    if let Some(lock) = t.lock_date
        && d <= lock
    {
        issues.push(issue(format!(
            "The document date cannot be before the period lock date ({}).",
            lock.strftime("%d %b %Y")
        )));
    }
    d
}

pub fn put_date(m: &mut Map<String, Value>, key: &str, d: Date) {
    m.insert(key.into(), xero_date(d));
    m.insert(format!("{key}String"), xero_date_string(d));
}

/// Lines with amounts and tax worked out, and the document totals.
pub struct Lines {
    pub lines: Vec<Value>,
    pub sub_total: Decimal,
    pub total_tax: Decimal,
    pub total: Decimal,
}

/// Works out `LineItems` (or journal lines when `journal`) under `LineAmountTypes`.
pub fn lines(
    t: &Tenant,
    input: &[Value],
    amount_types: &str,
    need_accounts: bool,
    journal: bool,
    issues: &mut Vec<Issue>,
) -> Lines {
    let (mut sub, mut tax_sum, mut gross) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut out = Vec::new();
    for (i, l) in input.iter().enumerate() {
        let n = i + 1;
        let qty = l.get("Quantity").and_then(dec).unwrap_or(Decimal::ONE);
        let unit = l.get("UnitAmount").and_then(dec);
        let given = l.get("LineAmount").and_then(dec);
        let discount = l.get("DiscountRate").and_then(dec).unwrap_or(Decimal::ZERO);
        let amount = match (unit, given) {
            _ if journal => given.unwrap_or_else(|| {
                issues.push(issue(format!("Journal line {n}: LineAmount is required")));
                Decimal::ZERO
            }),
            (Some(u), g) => {
                let expected =
                    round2(qty * u * (Decimal::ONE_HUNDRED - discount) / Decimal::ONE_HUNDRED);
                if let Some(g) = g
                    && round2(g) != expected
                {
                    issues.push(issue(format!(
                        "Line {n}: the LineAmount ({g}) does not equal Quantity × UnitAmount ({expected})."
                    )));
                }
                expected
            }
            (None, Some(g)) => round2(g),
            (None, None) => Decimal::ZERO,
        };
        let mut line = l.as_object().cloned().unwrap_or_default();
        let acc = match (s(l, "AccountCode"), s(l, "AccountID")) {
            (None, None) if !need_accounts && !journal => None,
            (c, id) => match account(t, c, id) {
                Ok(a) => Some(a),
                Err(e) => {
                    issues.push(e);
                    None
                }
            },
        };
        let tax_type = s(l, "TaxType")
            .map(str::to_owned)
            .or_else(|| {
                acc.as_ref()
                    .and_then(|a| s(a, "TaxType"))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "NONE".into());
        let rate = if amount_types == "NoTax" {
            Decimal::ZERO
        } else {
            if let Some(a) = &acc
                && let Err(e) = rate_applies_to(t, &tax_type, a)
            {
                issues.push(e);
            }
            tax_rate(t, &tax_type).unwrap_or_else(|e| {
                issues.push(e);
                Decimal::ZERO
            })
        };
        let computed = match amount_types {
            "Inclusive" => round2(amount * rate / (Decimal::ONE_HUNDRED + rate)),
            "Exclusive" => round2(amount * rate / Decimal::ONE_HUNDRED),
            _ => Decimal::ZERO,
        };
        // Xero lets a caller override a line's tax; we take it as given.
        let tax = l
            .get("TaxAmount")
            .and_then(dec)
            .map(round2)
            .unwrap_or(computed);
        match amount_types {
            "Inclusive" => {
                sub += amount - tax;
                gross += amount;
            }
            _ => {
                sub += amount;
                gross += amount + tax;
            }
        }
        tax_sum += tax;
        if !journal {
            line.insert("LineItemID".into(), json!(uuid::Uuid::new_v4().to_string()));
            line.insert("Quantity".into(), plain(qty));
            line.insert(
                "UnitAmount".into(),
                unit.map(plain)
                    .unwrap_or_else(|| plain(amount / qty.max(Decimal::ONE))),
            );
        }
        line.insert("LineAmount".into(), num(amount));
        line.insert(
            "TaxType".into(),
            json!(if amount_types == "NoTax" {
                "NONE"
            } else {
                &tax_type
            }),
        );
        line.insert("TaxAmount".into(), num(tax));
        if let Some(a) = &acc {
            line.insert("AccountCode".into(), a["Code"].clone());
            line.insert("AccountID".into(), a["AccountID"].clone());
        }
        line.entry("Tracking").or_insert_with(|| json!([]));
        out.push(Value::Object(line));
    }
    Lines {
        lines: out,
        sub_total: sub,
        total_tax: tax_sum,
        total: gross,
    }
}

/// `LineAmountTypes`, defaulting as Xero does.
pub fn amount_types(v: &Value, default: &str, issues: &mut Vec<Issue>) -> String {
    match s(v, "LineAmountTypes") {
        None => default.into(),
        Some(x @ ("Exclusive" | "Inclusive" | "NoTax")) => x.into(),
        Some(x) => {
            issues.push(issue(format!(
                "'{x}' is not a valid LineAmountTypes value."
            )));
            default.into()
        }
    }
}

/// Refuses a document whose stated totals disagree with its lines.
pub fn check_totals(v: &Value, l: &Lines, issues: &mut Vec<Issue>) {
    for (key, computed) in [
        ("SubTotal", l.sub_total),
        ("TotalTax", l.total_tax),
        ("Total", l.total),
    ] {
        if let Some(given) = v.get(key).and_then(dec)
            && round2(given) != round2(computed)
        {
            issues.push(issue(format!(
                "The {key} ({given}) does not equal the sum of the line items ({}).",
                round2(computed)
            )));
        }
    }
}

/// The tenant's currency unless another is stated (multi-currency is not enabled).
pub fn currency(t: &Tenant, v: &Value, issues: &mut Vec<Issue>) -> String {
    match s(v, "CurrencyCode") {
        Some(c) if c != t.currency => {
            issues.push(issue(format!(
                "The currency '{c}' is not available for this organisation."
            )));
            c.into()
        }
        _ => t.currency.clone(),
    }
}
