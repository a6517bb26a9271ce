//! The accounting platform's reference data held for a company: what the merchant's choices in
//! the configuration document are offered from, and what every run re-checks them against.
//!
//! Pulled from the accounting platform before configuration (company info, accounts, tax rates,
//! customers, suppliers) and stored as is; serde is camelCase so the same value can be stored
//! and returned through the API.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Everything the configuration's options are built from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceData {
    pub company: CompanyInfo,
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub tax_rates: Vec<TaxRate>,
    #[serde(default)]
    pub customers: Vec<Customer>,
    #[serde(default)]
    pub suppliers: Vec<Supplier>,
    /// Xero tracking categories, QuickBooks classes and departments: where locations can be
    /// tagged. Empty for platforms without them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracking_categories: Vec<TrackingCategory>,
    /// Commodities (currency symbols) the ledger declares; hledger only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commodities: Vec<String>,
}

impl ReferenceData {
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    pub fn tax_rate(&self, id: &str) -> Option<&TaxRate> {
        self.tax_rates.iter().find(|t| t.id == id)
    }

    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers.iter().find(|c| c.id == id)
    }

    pub fn supplier(&self, id: &str) -> Option<&Supplier> {
        self.suppliers.iter().find(|s| s.id == id)
    }

    /// How the books take tax on sales, which decides what the merchant is asked.
    pub fn tax_model(&self) -> TaxModel {
        if self.company.automated_sales_tax {
            TaxModel::Automated
        } else if self.tax_rates.is_empty() {
            TaxModel::LiabilityAccount
        } else {
            TaxModel::PerRate
        }
    }
}

/// How a ledger records sales tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxModel {
    /// Each commerce rate is mapped to one of the platform's tax rates (Xero, QuickBooks GB).
    PerRate,
    /// The platform computes the tax itself (QuickBooks US automated sales tax): no tax rate is
    /// sent, so none is asked for.
    Automated,
    /// The ledger has no tax-rate objects (hledger): tax is owed on a liability account.
    LiabilityAccount,
}

/// The company as the accounting platform knows it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyInfo {
    pub name: String,
    /// ISO 4217 code of the books' base currency.
    pub base_currency: String,
    /// ISO 3166-1 alpha-2 country code, when the platform tells us.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The platform's own id of the books reached: Xero tenant id, QuickBooks realm id,
    /// hledger base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_ref: Option<String>,
    /// Cash or accrual basis for tax, when the platform says (Xero `SalesTaxBasis`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_basis: Option<String>,
    /// QuickBooks Online US automated sales tax: the platform computes sales tax itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub automated_sales_tax: bool,
}

/// The top-level class of an account (Codat's `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum AccountType {
    Asset,
    Liability,
    Income,
    Expense,
    Equity,
    #[default]
    Unknown,
}

/// Lifecycle status shared by accounts, tax rates, customers and suppliers. Only `Active`
/// records may be chosen or written to (`Pending` exists for accounts only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum RecordStatus {
    Active,
    Archived,
    Pending,
    #[default]
    Unknown,
}

impl RecordStatus {
    pub fn is_active(self) -> bool {
        self == Self::Active
    }
}

/// One account of the chart of accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: String,
    pub name: String,
    /// Not unique on every platform, so never used as a key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominal_code: Option<String>,
    #[serde(rename = "type", default)]
    pub account_type: AccountType,
    /// e.g. `Income.Revenue`, `Liability.Current`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fully_qualified_category: Option<String>,
    #[serde(default)]
    pub is_bank_account: bool,
    #[serde(default)]
    pub status: RecordStatus,
    /// Whether payments may be recorded against it (Xero's "enable payments"; always true for
    /// bank accounts). Payment accounts must allow this.
    #[serde(default)]
    pub payments_allowed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl Account {
    /// Can money be received into or paid from it?
    pub fn accepts_payments(&self) -> bool {
        self.is_bank_account || self.payments_allowed
    }
}

/// One tax rate of the accounting platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxRate {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Percentage, e.g. `20` for 20 %; compared with the commerce `taxPercentage`.
    #[serde(
        default,
        with = "rust_decimal::serde::arbitrary_precision_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_rate: Option<Decimal>,
    #[serde(default)]
    pub components: Vec<TaxRateComponent>,
    #[serde(default)]
    pub status: RecordStatus,
    /// Whether the rate may be used on sales documents (Xero `CanApplyToRevenue`); `None`
    /// when the platform does not say, which allows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to_sales: Option<bool>,
    /// Whether the rate may be used on purchases (Xero `CanApplyToExpenses`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to_purchases: Option<bool>,
}

impl TaxRate {
    /// Active and usable on sales invoices, credit notes and sales journals.
    pub fn fits_sales(&self) -> bool {
        self.status.is_active() && self.applies_to_sales != Some(false)
    }

    /// Active and usable on bills and spend money (fees).
    pub fn fits_purchases(&self) -> bool {
        self.status.is_active() && self.applies_to_purchases != Some(false)
    }
}

/// One component of a (possibly compound) tax rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxRateComponent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        with = "rust_decimal::serde::arbitrary_precision_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub rate: Option<Decimal>,
    #[serde(default)]
    pub is_compound: bool,
}

/// A tracking category (Xero) or class / department (QuickBooks), with its options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingCategory {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: RecordStatus,
    #[serde(default)]
    pub options: Vec<TrackingOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingOption {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: RecordStatus,
}

/// A customer or supplier: only identity and status matter to the configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: RecordStatus,
}

/// A customer of the books; the daily sales invoices are raised to one of them.
pub type Customer = Contact;
/// A supplier of the books; the daily fee bills are raised to one of them.
pub type Supplier = Contact;

/// Reads reference data sent by a client, reporting every bad part with its JSON pointer
/// (`/accounts/3`), not only serde's first error. Ids must be non-blank and unique per list.
pub fn parse_reference_data(
    value: &serde_json::Value,
) -> Result<ReferenceData, Vec<(String, String)>> {
    use serde::de::DeserializeOwned;
    use serde_json::Value;
    fn one<T: DeserializeOwned>(
        v: &Value,
        at: String,
        errors: &mut Vec<(String, String)>,
    ) -> Option<T> {
        T::deserialize(v)
            .map_err(|e| errors.push((at, e.to_string())))
            .ok()
    }
    fn list<T: DeserializeOwned>(
        root: &serde_json::Map<String, Value>,
        key: &str,
        id_of: fn(&T) -> &str,
        errors: &mut Vec<(String, String)>,
    ) -> Vec<T> {
        let items = match root.get(key) {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                errors.push((format!("/{key}"), format!("`{key}` must be an array")));
                return Vec::new();
            }
        };
        let mut out: Vec<T> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some(parsed) = one::<T>(item, format!("/{key}/{i}"), errors) else {
                continue;
            };
            let id = id_of(&parsed);
            if id.trim().is_empty() {
                errors.push((format!("/{key}/{i}/id"), "`id` must not be empty".into()));
            } else if out.iter().any(|o| id_of(o) == id) {
                errors.push((
                    format!("/{key}/{i}/id"),
                    format!("id {id:?} appears twice in `{key}`"),
                ));
            } else {
                out.push(parsed);
            }
        }
        out
    }
    let Some(root) = value.as_object() else {
        return Err(vec![(
            String::new(),
            "reference data must be a JSON object".into(),
        )]);
    };
    let mut errors = Vec::new();
    let company = match root.get("company") {
        None | Some(Value::Null) => {
            errors.push((
                "/company".into(),
                "`company` is required: {name, baseCurrency, country?}".into(),
            ));
            None
        }
        Some(v) => one::<CompanyInfo>(v, "/company".into(), &mut errors),
    };
    let data = ReferenceData {
        company: company.unwrap_or_default(),
        accounts: list(root, "accounts", |a: &Account| &a.id, &mut errors),
        tax_rates: list(root, "taxRates", |t: &TaxRate| &t.id, &mut errors),
        customers: list(root, "customers", |c: &Contact| &c.id, &mut errors),
        suppliers: list(root, "suppliers", |c: &Contact| &c.id, &mut errors),
        tracking_categories: list(
            root,
            "trackingCategories",
            |t: &TrackingCategory| &t.id,
            &mut errors,
        ),
        commodities: match root.get("commodities") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => one(v, "/commodities".into(), &mut errors).unwrap_or_default(),
        },
    };
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_camel_case_with_exact_rates() {
        let value = json!({
            "company": {"name": "Demo Coffee Ltd", "baseCurrency": "GBP", "country": "GB"},
            "accounts": [{"id": "a1", "name": "Sales", "nominalCode": "200", "type": "Income",
                          "isBankAccount": false, "status": "Active", "paymentsAllowed": false}],
            "taxRates": [{"id": "OUTPUT2", "name": "20% (VAT on Income)", "effectiveRate": 20.125,
                          "components": [{"name": "VAT", "rate": 20.125, "isCompound": false}],
                          "status": "Archived"}],
            "customers": [{"id": "c1", "name": "Daily sales", "status": "Active"}],
            "suppliers": [{"id": "s1", "name": "PSP", "status": "Archived"}]
        });
        let data: ReferenceData = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(
            data.tax_rate("OUTPUT2").unwrap().effective_rate,
            Some(Decimal::new(20125, 3))
        );
        assert!(!data.tax_rate("OUTPUT2").unwrap().status.is_active());
        assert_eq!(
            data.account("a1").unwrap().account_type,
            AccountType::Income
        );
        assert!(data.supplier("nope").is_none());
        assert_eq!(serde_json::to_value(&data).unwrap(), value);
    }

    #[test]
    fn bank_accounts_accept_payments() {
        let mut account: Account = serde_json::from_value(
            serde_json::json!({"id": "b", "name": "Bank", "type": "Asset", "isBankAccount": true}),
        )
        .unwrap();
        assert!(account.accepts_payments());
        account.is_bank_account = false;
        assert!(!account.accepts_payments());
        assert_eq!(account.status, RecordStatus::Unknown);
    }

    #[test]
    fn every_bad_part_is_named() {
        let errors = parse_reference_data(&json!({
            "accounts": [{"id": "a", "name": "A"}, {"id": "a", "name": "again"}, {"name": "no id"}],
            "taxRates": {},
            "customers": [{"id": " ", "name": "blank"}]
        }))
        .unwrap_err();
        let pointers: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/company",
                "/accounts/1/id",
                "/accounts/2",
                "/taxRates",
                "/customers/0/id"
            ]
        );
        let good = json!({"company": {"name": "Demo", "baseCurrency": "GBP"}});
        assert_eq!(parse_reference_data(&good).unwrap().company.name, "Demo");
    }
}
