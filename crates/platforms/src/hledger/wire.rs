//! hledger-web 1.25's JSON, as `GET /transactions` returns it and `PUT /add` takes it back.
//!
//! `PUT /add` reads a whole `Transaction` with aeson's generic decoder, so every field must be
//! present (absent optional ones as `null`), except a quantity's `floatingPoint`, which we never
//! send: a quantity is its integer mantissa and its number of decimal places, exactly.

use serde::{Deserialize, Serialize};
use serde_json::Number;

/// One transaction of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    /// Position in the journal (1-based, in parse order); `0` when sending.
    pub tindex: u64,
    /// Where it was read from: start and end line; placeholders when sending.
    #[serde(default)]
    pub tsourcepos: Vec<SourcePos>,
    /// `YYYY-MM-DD`.
    pub tdate: String,
    #[serde(default)]
    pub tdate2: Option<String>,
    /// `Unmarked`, `Pending` or `Cleared`.
    pub tstatus: String,
    #[serde(default)]
    pub tcode: String,
    pub tdescription: String,
    /// The comment after the description (tags live here), newline-terminated.
    #[serde(default)]
    pub tcomment: String,
    /// `[name, value]` pairs parsed from the comment.
    #[serde(default)]
    pub ttags: Vec<(String, String)>,
    pub tpostings: Vec<Posting>,
    #[serde(default)]
    pub tprecedingcomment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourcePos {
    pub source_name: String,
    pub source_line: u64,
    pub source_column: u64,
}

impl SourcePos {
    /// What hledger-web ignores on `PUT /add` but needs present.
    pub fn placeholder() -> Self {
        Self {
            source_name: String::new(),
            source_line: 1,
            source_column: 1,
        }
    }
}

/// One posting (a line) of a transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    #[serde(default)]
    pub pdate: Option<String>,
    #[serde(default)]
    pub pdate2: Option<String>,
    pub pstatus: String,
    pub paccount: String,
    /// One amount per commodity.
    pub pamount: Vec<Amount>,
    #[serde(default)]
    pub pcomment: String,
    /// `RegularPosting`, `VirtualPosting` or `BalancedVirtualPosting`.
    pub ptype: String,
    #[serde(default)]
    pub ptags: Vec<(String, String)>,
    #[serde(default)]
    pub pbalanceassertion: Option<serde_json::Value>,
    /// The owning transaction's index, as text; `null` when sending.
    #[serde(default)]
    pub ptransaction_: Option<String>,
    #[serde(default)]
    pub poriginal: Option<serde_json::Value>,
}

/// A quantity of one commodity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub acommodity: String,
    pub aquantity: Quantity,
    #[serde(default)]
    pub aprice: Option<serde_json::Value>,
    pub astyle: Style,
}

/// An exact decimal: `decimalMantissa` × 10^-`decimalPlaces`. The mantissa is a JSON integer
/// of any size (Haskell's `Integer`), kept as the number's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Quantity {
    pub decimal_mantissa: Number,
    pub decimal_places: u8,
}

/// How hledger writes the amount into the journal file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Style {
    /// `L` (`$5`) or `R` (`5 GBP`).
    pub ascommodityside: String,
    pub ascommodityspaced: bool,
    /// Digits after the decimal mark (`null`: as many as the number has).
    #[serde(default)]
    pub asprecision: Option<u8>,
    #[serde(default)]
    pub asdecimalpoint: Option<char>,
    #[serde(default)]
    pub asdigitgroups: Option<serde_json::Value>,
}

/// What `find` reads of a listed transaction; everything else is ignored, so journals using
/// features we never write (prices, assertions, virtual postings) still read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Listed {
    pub tindex: u64,
    #[serde(default)]
    pub ttags: Vec<(String, String)>,
    #[serde(default)]
    pub tpostings: Vec<ListedPosting>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ListedPosting {
    #[serde(default)]
    pub pamount: Vec<ListedAmount>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ListedAmount {
    pub acommodity: String,
    pub aquantity: Quantity,
}
