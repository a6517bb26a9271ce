//! hledger's reference data: the chart of accounts is the journal's account names, typed by
//! their top-level name as hledger itself infers them; there are no tax rates, customers or
//! suppliers (a journal entry needs none).

use super::transformers::Options;
use domain::reference_data::{Account, AccountType, CompanyInfo, RecordStatus};

/// An account of the journal. Its id is its full name, which is what a posting names.
pub fn account(name: &str) -> Account {
    let account_type = account_type(name);
    let is_bank_account = account_type == AccountType::Asset && cash_like(name);
    Account {
        id: name.to_owned(),
        name: name.to_owned(),
        nominal_code: None,
        account_type,
        fully_qualified_category: is_bank_account.then(|| "Asset.Bank".to_owned()),
        is_bank_account,
        status: RecordStatus::Active,
        // Any asset account can take money in a journal: clearing accounts
        // (`assets:stripe`) are where card payments land.
        payments_allowed: account_type == AccountType::Asset,
        // An hledger account holds any commodity.
        currency: None,
    }
}

/// hledger's own inference from the top-level name (`assets`, `liabilities`/`debts`,
/// `equity`, `income`/`revenue(s)`, `expenses`), case-insensitively.
pub fn account_type(name: &str) -> AccountType {
    let top = name.split(':').next().unwrap_or_default().to_lowercase();
    match top.as_str() {
        "asset" | "assets" => AccountType::Asset,
        "liability" | "liabilities" | "debt" | "debts" => AccountType::Liability,
        "equity" => AccountType::Equity,
        "income" | "incomes" | "revenue" | "revenues" => AccountType::Income,
        "expense" | "expenses" => AccountType::Expense,
        _ => AccountType::Unknown,
    }
}

/// hledger's Cash type: an asset account with a part named like a bank or cash account.
fn cash_like(name: &str) -> bool {
    name.split(':').skip(1).any(|part| {
        matches!(
            part.to_lowercase().as_str(),
            "cash"
                | "bank"
                | "checking"
                | "chequing"
                | "cheque"
                | "check"
                | "savings"
                | "saving"
                | "current"
        )
    })
}

/// The company: the configured name and currency, else the journal's currency when it uses
/// exactly one three-letter commodity; else none (a fresh journal uses none, and with several
/// the journal cannot say which is the books' own: configure it).
pub fn company(options: &Options, commodities: &[String]) -> CompanyInfo {
    let iso: Vec<&String> = commodities
        .iter()
        .filter(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()))
        .collect();
    let only = match iso.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    };
    let base_currency = options.base_currency.clone().or(only).unwrap_or_default();
    CompanyInfo {
        name: options
            .company_name
            .clone()
            .unwrap_or_else(|| "hledger journal".to_owned()),
        base_currency,
        ..CompanyInfo::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_top_level_name_and_bank_accounts_from_their_parts() {
        let cases = [
            ("assets:bank:current", AccountType::Asset, true),
            ("Assets:Stripe clearing", AccountType::Asset, false),
            ("liabilities:vat", AccountType::Liability, false),
            ("revenues:shop", AccountType::Income, false),
            ("income:sales", AccountType::Income, false),
            ("expenses:fees", AccountType::Expense, false),
            ("equity:opening", AccountType::Equity, false),
            ("cash", AccountType::Unknown, false),
        ];
        for (name, t, bank) in cases {
            let a = account(name);
            assert_eq!((a.account_type, a.is_bank_account), (t, bank), "{name}");
            assert_eq!(a.id, name);
            assert_eq!(a.payments_allowed, t == AccountType::Asset, "{name}");
        }
    }

    #[test]
    fn the_configured_currency_wins_then_the_journals_only_one() {
        let mut options = Options::default();
        let one = ["$".to_owned(), "GBP".to_owned()];
        assert_eq!(company(&options, &one).base_currency, "GBP");
        let two = ["EUR".to_owned(), "GBP".to_owned()];
        assert_eq!(company(&options, &two).base_currency, "");
        assert_eq!(company(&options, &[]).base_currency, "");
        options.base_currency = Some("GBP".into());
        options.company_name = Some("Bob's Bikes".into());
        let c = company(&options, &two);
        assert_eq!(
            (c.name.as_str(), c.base_currency.as_str()),
            ("Bob's Bikes", "GBP")
        );
    }
}
