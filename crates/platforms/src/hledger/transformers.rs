//! A journal entry → an hledger transaction, and back to what we keep of it.
//!
//! hledger-web's `PUT /add` appends whatever it is given to the journal file without checking
//! it: an unbalanced entry, or text that breaks hledger's syntax, leaves a journal that no
//! longer parses (hledger-web then keeps serving the last good one). So everything is checked
//! here, before anything is sent: one line per account posting with exactly one of debit and
//! credit, debits equal to credits, account names hledger can read, and comment text on one
//! line.

use super::wire::{Amount, Listed, Posting, Quantity, SourcePos, Style, Transaction};
use crate::error::PlatformError;
use domain::documents::{Document, DocumentKind, Line};
use rust_decimal::Decimal;
use serde_json::Number;
use sha2::{Digest, Sha256};
use std::time::Duration;

pub use super::errors::PLATFORM;

/// The tag carrying our key in the transaction's comment: `; cs-key:cs:acme:2024-05-01:GBP:journalEntry:r0`.
pub const KEY_TAG: &str = "cs-key";

/// What the connection knows that a journal does not say, and how to pace writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The books' currency (ISO 4217). Absent: the journal's only three-letter commodity,
    /// if it uses exactly one.
    pub base_currency: Option<String>,
    /// The company's name in reference data; absent: "hledger journal".
    pub company_name: Option<String>,
    /// Pause between our last read and an append. hledger-web re-reads the journal only when
    /// the file's modification time is later than its last read, and file times are coarse
    /// (a clock tick; a second on some file systems): an append within the same tick as the
    /// last read goes unseen until the file changes again, and a look-up of its key would miss
    /// it. Waiting longer than the file system's granularity keeps every append visible.
    pub settle: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            base_currency: None,
            company_name: None,
            settle: Duration::from_secs(1),
        }
    }
}

/// The value of the key tag for our key. hledger ends a tag's value at a comma or the end of
/// the line and trims spaces around it, so a key holding a comma or a control character (from
/// a location id, say) is replaced by its SHA-256; both writing and finding use this.
pub fn key_tag_value(full_key: &str) -> String {
    let safe = !full_key.contains(',')
        && !full_key.chars().any(char::is_control)
        && full_key.trim() == full_key;
    if safe {
        full_key.to_owned()
    } else {
        format!(
            "cs:sha256:{}",
            hex::encode(Sha256::digest(full_key.as_bytes()))
        )
    }
}

/// The transaction `PUT /add` appends for a journal entry.
pub fn transaction(document: &Document) -> Result<Transaction, PlatformError> {
    if document.kind != DocumentKind::JournalEntry {
        return Err(PlatformError::Unsupported(format!(
            "{} documents (hledger takes journal entries only)",
            document.kind.as_str()
        )));
    }
    let full = document.key.full();
    if document.lines.len() < 2 {
        return Err(refused(format!(
            "journal entry {full} has {} line(s); a transaction needs at least two postings",
            document.lines.len()
        )));
    }
    let commodity = document.currency.code().to_owned();
    let places = document.currency.decimals();
    let mut problems = Vec::new();
    let mut postings = Vec::new();
    let (mut debits, mut credits) = (Decimal::ZERO, Decimal::ZERO);
    for (i, line) in document.lines.iter().enumerate() {
        if let Err(why) = check_account_name(&line.account_id) {
            problems.push(format!(
                "line {}: account {:?} {why}",
                i + 1,
                line.account_id
            ));
        }
        let amount = match (line.debit, line.credit) {
            (Some(d), None) if d >= Decimal::ZERO => {
                debits += d;
                d
            }
            (None, Some(c)) if c >= Decimal::ZERO => {
                credits += c;
                -c
            }
            _ => {
                problems.push(format!(
                    "line {}: a journal line needs exactly one of a debit or a credit, not negative",
                    i + 1
                ));
                continue;
            }
        };
        postings.push(posting(line, amount_of(&commodity, amount, places)));
    }
    if problems.is_empty() && debits != credits {
        problems.push(format!(
            "debits ({debits}) and credits ({credits}) differ; the entry does not balance"
        ));
    }
    if !problems.is_empty() {
        return Err(refused(format!(
            "journal entry {full}: {}",
            problems.join("; ")
        )));
    }
    Ok(Transaction {
        tindex: 0,
        tsourcepos: vec![SourcePos::placeholder(), SourcePos::placeholder()],
        tdate: document.date.to_string(),
        tdate2: None,
        tstatus: "Unmarked".into(),
        tcode: String::new(),
        tdescription: description(document),
        tcomment: format!("{KEY_TAG}:{}\n", key_tag_value(&full)),
        ttags: vec![(KEY_TAG.into(), key_tag_value(&full))],
        tpostings: postings,
        tprecedingcomment: String::new(),
    })
}

/// A validation error in the merchant's words, with hledger named.
fn refused(message: String) -> PlatformError {
    PlatformError::validation(PLATFORM, message)
}

/// `Sales summary 2024-05-01 GBP/loc=shop-1`: the period and the group, on one line. A `;` would
/// start a comment and `|` split payee from note, so both become spaces.
fn description(document: &Document) -> String {
    one_line(&format!(
        "Sales summary {} {}",
        document.key.period, document.key.group
    ))
    .replace([';', '|'], " ")
}

fn posting(line: &Line, amount: Amount) -> Posting {
    let mut comment = one_line(&line.description);
    // The location as a tag, so `hledger bal tag:location=shop-1` reports one shop.
    let location = line
        .tracking
        .as_ref()
        .and_then(|t| t.location_id.as_deref());
    let mut tags = Vec::new();
    if let Some(location) = location {
        let value = one_line(location).replace(',', " ");
        if !comment.is_empty() {
            comment.push_str(", ");
        }
        comment.push_str(&format!("location:{value}"));
        tags.push(("location".to_owned(), value.trim().to_owned()));
    }
    if !comment.is_empty() {
        comment.push('\n');
    }
    Posting {
        pdate: None,
        pdate2: None,
        pstatus: "Unmarked".into(),
        paccount: line.account_id.clone(),
        pamount: vec![amount],
        pcomment: comment,
        ptype: "RegularPosting".into(),
        ptags: tags,
        pbalanceassertion: None,
        ptransaction_: None,
        poriginal: None,
    }
}

/// Control characters (a newline above all) would end the comment early and leave the rest
/// as journal syntax.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// hledger reads an account name up to two spaces or a tab; `;` would start a comment.
fn check_account_name(name: &str) -> Result<(), &'static str> {
    if name.trim().is_empty() {
        Err("is empty")
    } else if name.trim() != name {
        Err("starts or ends with a space")
    } else if name.chars().any(char::is_control) {
        Err("holds a control character (tab or newline)")
    } else if name.contains("  ") {
        Err("holds two spaces in a row, which end an account name in a journal")
    } else if name.contains(';') {
        Err("holds a `;`, which starts a comment in a journal")
    } else if name.starts_with(['(', '[']) {
        Err("starts with a bracket, which makes a virtual posting in a journal")
    } else {
        Ok(())
    }
}

/// `amount` of `commodity`, exactly: its mantissa and places, at least the currency's places
/// so the journal shows `12.30 GBP`, never through a float.
pub fn amount_of(commodity: &str, amount: Decimal, currency_places: u32) -> Amount {
    let mut exact = amount;
    if exact.scale() < currency_places {
        exact.rescale(currency_places);
    }
    let places = u8::try_from(exact.scale()).unwrap_or(u8::MAX);
    Amount {
        acommodity: commodity.to_owned(),
        aquantity: Quantity {
            decimal_mantissa: Number::from_i128(exact.mantissa()).unwrap_or_else(|| 0.into()),
            decimal_places: places,
        },
        aprice: None,
        astyle: Style {
            ascommodityside: "R".into(),
            ascommodityspaced: true,
            asprecision: Some(places),
            asdecimalpoint: Some('.'),
            asdigitgroups: None,
        },
    }
}

/// The exact value of a quantity, if it fits a decimal.
pub fn decimal(q: &Quantity) -> Option<Decimal> {
    let mantissa: i128 = q.decimal_mantissa.to_string().parse().ok()?;
    Decimal::try_from_i128_with_scale(mantissa, u32::from(q.decimal_places)).ok()
}

/// Whether the transaction carries `tag_value` as its key tag.
pub fn has_key(t: &Listed, tag_value: &str) -> bool {
    t.ttags
        .iter()
        .any(|(name, value)| name == KEY_TAG && value == tag_value)
}

/// The entry's total: the sum of its positive postings in its first posting's commodity
/// (our entries hold one), `None` if a quantity does not fit a decimal.
pub fn total(t: &Listed) -> Option<Decimal> {
    let amounts = || t.tpostings.iter().flat_map(|p| &p.pamount);
    let commodity = &amounts().next()?.acommodity;
    let mut sum = Decimal::ZERO;
    for a in amounts().filter(|a| &a.acommodity == commodity) {
        let q = decimal(&a.aquantity)?;
        if q > Decimal::ZERO {
            sum = sum.checked_add(q)?;
        }
    }
    Some(sum)
}

#[cfg(test)]
#[path = "transformers_tests.rs"]
mod tests;
