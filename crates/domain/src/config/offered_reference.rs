//! Reference data read back from a document's own options.
//!
//! A GET answer always carries the options it was built from (`accountOptions`,
//! `taxRateOptions`, `customerOptions`, `supplierOptions`…), so a saved answer is enough to
//! preview with: every option offered is taken as an active record of the books. Only what
//! the options say is known: an account's type is `Unknown`, `classification: "bank"` makes it
//! a bank account, and the base currency is unknown (empty).

use super::document::*;
use crate::reference_data::{
    Account, AccountType, CompanyInfo, Contact, RecordStatus, ReferenceData, TaxRate,
};

/// The reference data the document's options stand for (each id once, first seen wins).
pub fn reference_from_options(doc: &ConfigDocument) -> ReferenceData {
    let c = &doc.configuration;
    let mut data = ReferenceData {
        company: CompanyInfo {
            name: doc
                .accounting_software_company_name
                .clone()
                .unwrap_or_default(),
            base_currency: String::new(),
            country: c.country_code.clone(),
            ..CompanyInfo::default()
        },
        ..ReferenceData::default()
    };
    let account_maps = [
        c.sales.as_ref().and_then(|s| s.accounts.as_ref()),
        c.payments.as_ref().and_then(|p| p.accounts.as_ref()),
        c.new_payments.as_ref().and_then(|p| p.accounts.as_ref()),
        c.fees.as_ref().and_then(|f| f.accounts.as_ref()),
    ];
    for (_, slot) in account_maps.into_iter().flatten().flat_map(|m| m.iter()) {
        for option in slot.account_options.iter().flatten() {
            if data.account(&option.id).is_none() {
                let bank = option.classification.as_deref() == Some("bank");
                data.accounts.push(Account {
                    id: option.id.clone(),
                    name: option.name.clone().unwrap_or_default(),
                    nominal_code: option.nominal_code.clone(),
                    account_type: AccountType::Unknown,
                    fully_qualified_category: None,
                    is_bank_account: bank,
                    status: RecordStatus::Active,
                    payments_allowed: bank,
                    currency: None,
                });
            }
        }
    }
    let sales = c.sales.as_ref();
    let new = sales.and_then(|s| s.new_tax_rates.as_ref());
    let rate_lists = sales
        .and_then(|s| s.tax_rates.as_ref())
        .into_iter()
        .flat_map(|t| t.iter().map(|(_, r)| r.tax_rate_options.as_ref()))
        .chain([
            new.and_then(|n| n.accounting_tax_rate_options.as_ref()),
            new.and_then(|n| n.default_zero_tax_rate_options.as_ref()),
        ]);
    for option in rate_lists.flatten().flatten() {
        if data.tax_rate(&option.id).is_none() {
            data.tax_rates.push(TaxRate {
                id: option.id.clone(),
                name: option.name.clone().unwrap_or_default(),
                code: None,
                effective_rate: None,
                components: Vec::new(),
                status: RecordStatus::Active,
                applies_to_sales: None,
                applies_to_purchases: None,
            });
        }
    }
    let customers = sales
        .and_then(|s| s.sales_customer.as_ref())
        .and_then(|x| x.customer_options.as_ref());
    data.customers = contacts(customers);
    let suppliers = c
        .fees
        .as_ref()
        .and_then(|f| f.fees_supplier.as_ref())
        .and_then(|x| x.supplier_options.as_ref());
    data.suppliers = contacts(suppliers);
    data
}

fn contacts(options: Option<&Vec<ConfigOption>>) -> Vec<Contact> {
    let mut out: Vec<Contact> = Vec::new();
    for o in options.into_iter().flatten() {
        if !out.iter().any(|c| c.id == o.id) {
            out.push(Contact {
                id: o.id.clone(),
                name: o.name.clone().unwrap_or_default(),
                status: RecordStatus::Active,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::shapes::parse_str;
    use crate::mapping::MappingSettings;

    #[test]
    fn a_saved_document_resolves_against_its_own_options() {
        let doc = parse_str(include_str!("testdata/example.json"))
            .unwrap()
            .document;
        let data = reference_from_options(&doc);
        assert_eq!(data.company.name, "Demo Coffee Ltd");
        assert!(data.account("b1-090").unwrap().is_bank_account);
        assert!(!data.account("a1-404").unwrap().is_bank_account);
        assert_eq!(data.accounts.iter().filter(|a| a.id == "a1-200").count(), 1);
        assert!(data.tax_rate("REDUCED").is_some());
        assert!(data.customer("c-001").is_some() && data.supplier("s-psp").is_some());
        let settings = MappingSettings::from_config(&doc, &data).unwrap();
        assert_eq!(settings.clearing_account, "b1-090");
        // An id that is not among the options does not resolve.
        let mut doc = doc;
        let sales = doc.configuration.sales.as_mut().unwrap();
        sales.sales_customer.as_mut().unwrap().selected_customer_id = Some("c-x".into());
        let errors = MappingSettings::from_config(&doc, &data).unwrap_err();
        assert_eq!(
            errors[0].pointer,
            "/configuration/sales/salesCustomer/selectedCustomerId"
        );
    }

    #[test]
    fn a_get_answer_previews_as_the_stored_reference_data_would() {
        use crate::config::options::{OfferSpec, offer};
        let reference: ReferenceData =
            serde_json::from_str(include_str!("testdata/reference.json")).unwrap();
        let example = parse_str(include_str!("testdata/example.json"))
            .unwrap()
            .document;
        // What GET answers: fresh options with the stored selections merged in.
        let answer = offer(&reference, &OfferSpec::default(), Some(&example));
        let derived = reference_from_options(&answer);
        let archived = derived.account("a1-999");
        assert!(archived.is_none(), "archived accounts are never offered");
        let from_options = MappingSettings::from_config(&answer, &derived).unwrap();
        let from_books = MappingSettings::from_config(&answer, &reference).unwrap();
        assert_eq!(from_options.clearing_account, "b1-090");
        assert_eq!(from_options, from_books);
    }
}
