//! Organisation, Accounts and Contacts: what the mapping pages read, and the account a merchant
//! may create (or archive) from the flow.

use super::refs::{issue, s};
use super::seed;
use crate::money::xero_timestamp;
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use serde_json::{Value, json};

pub fn organisation(t: &Tenant) -> Value {
    let us = t.country == "US";
    json!({
        "OrganisationID": t.id,
        "APIKey": "",
        "Name": t.name,
        "LegalName": t.name,
        "PaysTax": true,
        "Version": if us { "US" } else { "UK" },
        "OrganisationType": "COMPANY",
        "BaseCurrency": t.currency,
        "CountryCode": t.country,
        "IsDemoCompany": true,
        "OrganisationStatus": "ACTIVE",
        "FinancialYearEndDay": 31,
        "FinancialYearEndMonth": if us { 12 } else { 3 },
        "SalesTaxBasis": if us { "ACCRUALS" } else { "ACCRUAL" },
        "SalesTaxPeriod": "QUARTERLY1",
        "PeriodLockDate": t.lock_date.map(crate::money::xero_date),
        "Timezone": if us { "EASTERNSTANDARDTIME" } else { "GMTSTANDARDTIME" },
        "OrganisationEntityType": "COMPANY",
        "ShortCode": format!("!{}", &t.id[..5]),
        "Edition": "BUSINESS",
        "Class": "STANDARD",
    })
}

/// `PUT /Accounts` creates; `POST /Accounts/{id}` updates name, description, status or the
/// payments flag.
pub fn save_account(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: Option<&str>,
) -> Result<Value, Vec<Issue>> {
    let id = id.or_else(|| s(v, "AccountID"));
    if let Some(id) = id {
        return update_account(t, now, v, id);
    }
    let mut issues = Vec::new();
    let code = s(v, "Code").unwrap_or_default();
    let name = s(v, "Name").unwrap_or_default();
    let kind = s(v, "Type").unwrap_or_default();
    if code.is_empty() || code.len() > 10 {
        issues.push(issue("Please enter a Code of at most 10 characters."));
    } else if t.find("Accounts", "Code", code).is_some() {
        issues.push(issue("Please enter a unique Code."));
    }
    if name.is_empty() {
        issues.push(issue("Please enter a Name."));
    } else if t.find("Accounts", "Name", name).is_some() {
        issues.push(issue("Please enter a unique Name."));
    }
    if seed::class_of(kind).is_none() {
        issues.push(issue(format!("'{kind}' is not a valid account Type.")));
    }
    if kind == "BANK" && s(v, "BankAccountNumber").is_none() {
        issues.push(issue("Bank Account Number is required for a bank account."));
    }
    let tax = s(v, "TaxType").unwrap_or("NONE");
    if t.find("TaxRates", "TaxType", tax).is_none() {
        issues.push(issue(format!("The TaxType code '{tax}' does not exist.")));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let payments = v
        .get("EnablePaymentsToAccount")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let spec = seed::NewAccount {
        code,
        name,
        kind,
        tax,
        payments,
        system: None,
    };
    let mut a = seed::account(spec, &t.currency, now);
    if let Some(n) = s(v, "BankAccountNumber") {
        a["BankAccountNumber"] = json!(n);
    }
    if let Some(d) = s(v, "Description") {
        a["Description"] = json!(d);
    }
    t.push("Accounts", a.clone());
    Ok(a)
}

fn update_account(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: &str,
) -> Result<Value, Vec<Issue>> {
    let clash = s(v, "Name")
        .and_then(|n| t.find("Accounts", "Name", n))
        .is_some_and(|a| s(a, "AccountID") != Some(id));
    let Some(a) = t.find_mut("Accounts", "AccountID", id) else {
        return Err(vec![issue(format!(
            "The account '{id}' could not be found."
        ))]);
    };
    let mut issues = Vec::new();
    if clash {
        issues.push(issue("Please enter a unique Name."));
    }
    if let Some(st) = s(v, "Status") {
        if !matches!(st, "ACTIVE" | "ARCHIVED") {
            issues.push(issue(format!("'{st}' is not a valid account Status.")));
        } else if st == "ARCHIVED" && a.get("SystemAccount").is_some() {
            issues.push(issue("System accounts cannot be archived."));
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    for key in [
        "Name",
        "Description",
        "Status",
        "EnablePaymentsToAccount",
        "TaxType",
    ] {
        if let Some(x) = v.get(key) {
            a[key] = x.clone();
        }
    }
    a["UpdatedDateUTC"] = xero_timestamp(now);
    Ok(a.clone())
}

/// `PUT /Contacts` creates (unique name); `POST /Contacts/{id}` updates.
pub fn save_contact(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: Option<&str>,
) -> Result<Value, Vec<Issue>> {
    if let Some(id) = id.or_else(|| s(v, "ContactID")) {
        let Some(c) = t.find_mut("Contacts", "ContactID", id) else {
            return Err(vec![issue(format!(
                "The contact with ContactID '{id}' could not be found."
            ))]);
        };
        for (k, x) in v.as_object().into_iter().flatten() {
            if k != "ContactID" {
                c[k] = x.clone();
            }
        }
        c["UpdatedDateUTC"] = xero_timestamp(now);
        return Ok(c.clone());
    }
    let Some(name) = s(v, "Name") else {
        return Err(vec![issue("The contact name must be specified.")]);
    };
    if t.find("Contacts", "Name", name).is_some() {
        return Err(vec![issue(format!(
            "The contact name {name} is already assigned to another contact. The contact name must be unique across all active contacts."
        ))]);
    }
    let mut c = v.clone();
    c["ContactID"] = json!(uuid::Uuid::new_v4().to_string());
    c["ContactStatus"] = json!("ACTIVE");
    c["UpdatedDateUTC"] = xero_timestamp(now);
    t.push("Contacts", c.clone());
    Ok(c)
}
