//! Money: ISO 4217 currencies and exact decimal amounts.
//!
//! Amounts are `rust_decimal::Decimal` and never pass through `f64`: with serde_json's
//! `arbitrary_precision`, a JSON number keeps its text, and [`parse_amount`] reads that text.
//! Rounding is always explicit ([`Rounding`]): which rule applies is a per-platform decision.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An ISO 4217 currency known to us, with its number of minor-unit decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    decimals: u8,
}

/// Currencies whose minor unit is not two decimals (ISO 4217 table, incl. fund codes).
const NON_TWO_DECIMALS: &[(&str, u8)] = &[
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("ISK", 0),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("PYG", 0),
    ("RWF", 0),
    ("UGX", 0),
    ("UYI", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
    ("BHD", 3),
    ("IQD", 3),
    ("JOD", 3),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("TND", 3),
    ("CLF", 4),
    ("UYW", 4),
];

/// Every other accepted code has two decimals. Recently withdrawn codes (HRK, SLL, ZWL, ANG, CUC)
/// stay accepted because historic orders still carry them.
const TWO_DECIMALS: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV \
BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN \
ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IRR JMD KES KGS KHR \
KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD \
NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL \
SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD \
XCG YER ZAR ZMW ZWG ZWL";

/// Errors about money: unknown currencies and unreadable or too precise amounts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("`{0}` is not a known ISO 4217 currency code")]
    UnknownCurrency(String),
    #[error("`{0}` is not a decimal number")]
    NotANumber(String),
    #[error("`{0}` is out of range for an exact decimal (at most 28 decimals and 28 digits)")]
    OutOfRange(String),
    #[error("expected a number or a numeric string")]
    WrongType,
}

impl Currency {
    /// Looks up an ISO 4217 code, ignoring ASCII case (emitted in upper case).
    pub fn from_code(code: &str) -> Result<Self, MoneyError> {
        let unknown = || MoneyError::UnknownCurrency(code.to_owned());
        let bytes = code.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(unknown());
        }
        let upper = code.to_ascii_uppercase();
        let decimals = if let Some((_, d)) = NON_TWO_DECIMALS.iter().find(|(c, _)| *c == upper) {
            *d
        } else if TWO_DECIMALS.split_ascii_whitespace().any(|c| c == upper) {
            2
        } else {
            return Err(unknown());
        };
        let b = upper.as_bytes();
        Ok(Self {
            code: [b[0], b[1], b[2]],
            decimals,
        })
    }

    /// The upper-case three-letter code.
    pub fn code(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Number of decimals of the minor unit (JPY 0, EUR 2, KWD 3).
    pub fn decimals(&self) -> u32 {
        u32::from(self.decimals)
    }

    /// The smallest amount the currency can express, e.g. 0.01 for EUR, 1 for JPY.
    pub fn minor_unit(&self) -> Decimal {
        Decimal::new(1, self.decimals())
    }

    /// Whether `amount` is exactly representable in minor units (`10.50` is fine in EUR,
    /// `10.505` is not; trailing zeros do not count).
    pub fn allows(&self, amount: Decimal) -> bool {
        amount.normalize().scale() <= self.decimals()
    }

    /// Rounds to the currency's decimals with the named rule.
    pub fn round(&self, amount: Decimal, rounding: Rounding) -> Decimal {
        rounding.round(amount, self.decimals())
    }

    /// Formats with exactly the currency's decimals (`12.3` EUR → `"12.30"`), rounding by `rounding`.
    pub fn format(&self, amount: Decimal, rounding: Rounding) -> String {
        let mut rounded = self.round(amount, rounding);
        rounded.rescale(self.decimals());
        rounded.to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::from_code(&s).map_err(serde::de::Error::custom)
    }
}

/// A named rounding rule; there is deliberately no default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Half away from zero: 2.345 → 2.35, -2.345 → -2.35 (the usual commercial rule).
    HalfUp,
    /// Half to even (banker's): 2.345 → 2.34, 2.355 → 2.36.
    HalfEven,
}

impl Rounding {
    /// Rounds `amount` to `decimals` places.
    pub fn round(self, amount: Decimal, decimals: u32) -> Decimal {
        let strategy = match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        amount.round_dp_with_strategy(decimals, strategy)
    }
}

/// Rounds half away from zero to `decimals` places.
pub fn round_half_up(amount: Decimal, decimals: u32) -> Decimal {
    Rounding::HalfUp.round(amount, decimals)
}

/// Rounds half to even (banker's rounding) to `decimals` places.
pub fn round_half_even(amount: Decimal, decimals: u32) -> Decimal {
    Rounding::HalfEven.round(amount, decimals)
}

/// Reads an exact amount from a JSON number or a numeric string, never via `f64`.
pub fn parse_amount(value: &serde_json::Value) -> Result<Decimal, MoneyError> {
    match value {
        serde_json::Value::Number(n) => parse_decimal_text(n.as_str()),
        serde_json::Value::String(s) => parse_decimal_text(s),
        _ => Err(MoneyError::WrongType),
    }
}

/// Parses JSON-number syntax (`-12.50`, `1e3`, `2.5E-2`) exactly; the scale written is kept
/// (`1.50` stays `1.50`). No leading `+`, no spaces, no `NaN`.
pub fn parse_decimal_text(text: &str) -> Result<Decimal, MoneyError> {
    let bad = || MoneyError::NotANumber(text.to_owned());
    let out_of_range = || MoneyError::OutOfRange(text.to_owned());
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int_part.is_empty()
        || !digits_only(int_part)
        || !digits_only(frac_part)
        || (mantissa.contains('.') && frac_part.is_empty())
        || (int_part.len() > 1 && int_part.starts_with('0'))
    {
        return Err(bad());
    }
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => {
            let body = e.strip_prefix(['+', '-']).unwrap_or(e);
            if body.is_empty() || !digits_only(body) {
                return Err(bad());
            }
            e.parse().map_err(|_| out_of_range())?
        }
    };
    // The digits after leading zeros, at most 38 (an i128 holds any 38 digits); read in
    // place, as every pushed amount passes here.
    let mut mantissa: i128 = 0;
    let mut significant = 0usize;
    for b in int_part.bytes().chain(frac_part.bytes()) {
        if significant == 0 && b == b'0' {
            continue;
        }
        significant += 1;
        if significant > 38 {
            return Err(out_of_range());
        }
        mantissa = mantissa * 10 + i128::from(b - b'0');
    }
    let mut scale = (frac_part.len() as i64)
        .checked_sub(exponent)
        .ok_or_else(out_of_range)?;
    if mantissa == 0 {
        // Zero has no magnitude to overflow; keep a sane scale for `0e-5`-like input.
        scale = scale.clamp(0, 28);
    } else if scale < 0 {
        // A positive exponent beyond the fraction: multiply out.
        for _ in 0..(-scale) {
            mantissa = mantissa.checked_mul(10).ok_or_else(out_of_range)?;
        }
        scale = 0;
    }
    if negative {
        mantissa = -mantissa;
    }
    let scale = u32::try_from(scale).map_err(|_| out_of_range())?;
    Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| out_of_range())
}

/// A JSON number carrying exactly `amount`'s text (scale included).
pub fn to_json_number(amount: Decimal) -> serde_json::Number {
    // Decimal's Display is plain digits, always valid JSON number syntax.
    serde_json::Number::from_str(&amount.to_string()).unwrap_or_else(|_| 0.into())
}

#[cfg(test)]
#[path = "money_tests.rs"]
mod tests;
