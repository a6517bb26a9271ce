//! QuickBooks' reference data → ours: company info, chart of accounts, tax codes (with the
//! rates they charge), customers, vendors, and classes / departments as tracking categories.

use super::wire;
use crate::platform::{TrackingCategory, TrackingOption};
use domain::reference_data::{
    Account, AccountType, CompanyInfo, Contact, RecordStatus, TaxRate, TaxRateComponent,
};
use std::collections::HashMap;

fn status(active: bool) -> RecordStatus {
    if active {
        RecordStatus::Active
    } else {
        RecordStatus::Archived
    }
}

/// The books' currency: QuickBooks' CompanyInfo has none, the accounts carry it.
pub fn company(c: wire::CompanyInfo, accounts: &[wire::Account]) -> CompanyInfo {
    let country = c.country.filter(|c| !c.is_empty());
    let from_accounts = accounts
        .iter()
        .find_map(|a| a.currency_ref.as_ref().map(|r| r.value.clone()))
        .filter(|c| !c.is_empty());
    let base_currency = from_accounts.unwrap_or_else(|| {
        match country.as_deref() {
            Some("GB") => "GBP",
            Some("CA") => "CAD",
            Some("AU") => "AUD",
            _ => "USD",
        }
        .to_owned()
    });
    CompanyInfo {
        name: c.company_name,
        base_currency,
        country,
    }
}

/// Whether money can sit in an account of this QuickBooks type (Codat's "cash at bank and
/// in hand": payments and deposits land there).
pub fn holds_money(account_type: &str) -> bool {
    matches!(account_type, "Bank" | "Other Current Asset")
}

pub fn account(a: wire::Account) -> Account {
    let account_type = match a.classification.as_deref() {
        Some("Asset") => AccountType::Asset,
        Some("Liability") => AccountType::Liability,
        Some("Revenue") => AccountType::Income,
        Some("Expense") => AccountType::Expense,
        Some("Equity") => AccountType::Equity,
        _ => AccountType::Unknown,
    };
    let kind = a.account_type.clone().unwrap_or_default();
    let category = a
        .account_sub_type
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| Some(kind.replace(' ', "")).filter(|s| !s.is_empty()));
    Account {
        id: a.id,
        name: a.name,
        nominal_code: a.acct_num.filter(|c| !c.is_empty()),
        account_type,
        fully_qualified_category: category.map(|c| format!("{account_type:?}.{c}")),
        is_bank_account: kind == "Bank",
        status: status(a.active),
        payments_allowed: holds_money(&kind),
        currency: a.currency_ref.map(|r| r.value).filter(|c| !c.is_empty()),
    }
}

/// Tax codes are what lines name; each charges the sum of its sales rates.
pub fn tax_rates(codes: Vec<wire::TaxCode>, rates: Vec<wire::TaxRate>) -> Vec<TaxRate> {
    let by_id: HashMap<String, wire::TaxRate> =
        rates.into_iter().map(|r| (r.id.clone(), r)).collect();
    codes
        .into_iter()
        .map(|c| {
            let components: Vec<TaxRateComponent> = c
                .sales_tax_rate_list
                .tax_rate_detail
                .iter()
                .filter_map(|d| by_id.get(&d.tax_rate_ref.value))
                .map(|r| TaxRateComponent {
                    name: Some(r.name.clone()),
                    rate: r.rate_value,
                    is_compound: false,
                })
                .collect();
            let effective_rate = if components.is_empty() {
                None
            } else {
                Some(components.iter().filter_map(|x| x.rate).sum())
            };
            TaxRate {
                id: c.id.clone(),
                name: c.name,
                code: Some(c.id),
                effective_rate,
                components,
                status: status(c.active),
            }
        })
        .collect()
}

pub fn contact(n: wire::Name) -> Contact {
    Contact {
        id: n.id,
        name: n.display_name,
        status: status(n.active),
    }
}

/// Classes or departments as one tracking category named `name`.
pub fn tracking(id: &str, name: &str, list: Vec<wire::Tracking>) -> TrackingCategory {
    TrackingCategory {
        id: id.to_owned(),
        name: name.to_owned(),
        status: RecordStatus::Active,
        options: list
            .into_iter()
            .map(|t| TrackingOption {
                id: t.id,
                name: t
                    .fully_qualified_name
                    .filter(|n| !n.is_empty())
                    .unwrap_or(t.name),
                status: status(t.active),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use serde_json::json;

    #[test]
    fn accounts_and_tax_codes_map_to_ours() {
        let a: wire::Account = serde_json::from_value(json!({"Id": "2", "Name": "Card Clearing", "AcctNum": "1010",
            "Classification": "Asset", "AccountType": "Other Current Asset", "AccountSubType": "OtherCurrentAssets",
            "Active": false, "CurrencyRef": {"value": "USD"}})).unwrap();
        let a = account(a);
        assert_eq!(a.account_type, AccountType::Asset);
        assert_eq!(a.status, RecordStatus::Archived);
        assert!(a.payments_allowed && !a.is_bank_account);
        assert_eq!(
            a.fully_qualified_category.as_deref(),
            Some("Asset.OtherCurrentAssets")
        );
        let codes = vec![
            serde_json::from_value(json!({"Id": "3", "Name": "20.0% S", "Active": true,
            "SalesTaxRateList": {"TaxRateDetail": [{"TaxRateRef": {"value": "1"}}]}}))
            .unwrap(),
        ];
        let rates = vec![
            serde_json::from_value(json!({"Id": "1", "Name": "20.0% S (Sales)", "RateValue": 20}))
                .unwrap(),
        ];
        let t = tax_rates(codes, rates);
        assert_eq!(t[0].id, "3");
        assert_eq!(t[0].effective_rate, Some(Decimal::from(20)));
    }
}
