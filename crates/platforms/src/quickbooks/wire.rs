//! QuickBooks Online's JSON, the parts we read: reference entities and the `Fault` envelope.
//! Request bodies are built in `transformers.rs` and checked against Intuit's XSDs by the
//! contract tests.

use rust_decimal::Decimal;
use serde::Deserialize;

/// `{"value": "1", "name": "Checking"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Ref {
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompanyInfo {
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub country: Option<String>,
}

/// The company's preferences; only the sales tax ones are read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Preferences {
    pub tax_prefs: TaxPrefs,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TaxPrefs {
    /// Automated sales tax (US): QuickBooks computes sales tax itself.
    pub partner_tax_enabled: bool,
}

fn active() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Account {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub acct_num: Option<String>,
    #[serde(default)]
    pub classification: Option<String>,
    #[serde(default)]
    pub account_type: Option<String>,
    #[serde(default)]
    pub account_sub_type: Option<String>,
    #[serde(default = "active")]
    pub active: bool,
    #[serde(default)]
    pub currency_ref: Option<Ref>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaxRateDetail {
    pub tax_rate_ref: Ref,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaxRateList {
    #[serde(default)]
    pub tax_rate_detail: Vec<TaxRateDetail>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaxCode {
    pub id: String,
    pub name: String,
    #[serde(default = "active")]
    pub active: bool,
    #[serde(default)]
    pub sales_tax_rate_list: TaxRateList,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaxRate {
    pub id: String,
    pub name: String,
    #[serde(default, with = "rust_decimal::serde::arbitrary_precision_option")]
    pub rate_value: Option<Decimal>,
}

/// A customer or vendor.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Name {
    pub id: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default = "active")]
    pub active: bool,
}

/// A class or department.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tracking {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub fully_qualified_name: Option<String>,
    #[serde(default = "active")]
    pub active: bool,
}

/// One error of a `Fault`. Authentication faults come in lower case (`fault.error[].message`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FaultError {
    #[serde(default, alias = "message")]
    #[serde(rename = "Message")]
    pub message: String,
    #[serde(default, alias = "detail")]
    #[serde(rename = "Detail")]
    pub detail: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub element: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Fault {
    #[serde(default, rename = "Error", alias = "error")]
    pub errors: Vec<FaultError>,
    #[serde(default, rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FaultBody {
    #[serde(rename = "Fault", alias = "fault")]
    pub fault: Option<Fault>,
}
