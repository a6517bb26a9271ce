//! Exact amounts and dates as the platforms write them. Amounts are read from the JSON number's
//! text (serde_json's `arbitrary_precision` keeps it), never through `f64`.

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use std::str::FromStr;

/// Reads a JSON number or numeric string exactly.
pub fn dec(v: &Value) -> Option<Decimal> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

/// Rounds to cents the way both platforms do (half away from zero, per line).
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A money amount as a JSON number with exactly two decimals.
pub fn num(d: Decimal) -> Value {
    let mut d = round2(d);
    d.rescale(2);
    serde_json::from_str(&d.to_string()).unwrap_or(Value::Null)
}

/// A plain decimal (quantities, rates) as a JSON number, keeping its scale.
pub fn plain(d: Decimal) -> Value {
    serde_json::from_str(&d.normalize().to_string()).unwrap_or(Value::Null)
}

/// Reads `2026-11-26`, `2026-11-26T00:00:00` or Xero's `/Date(1764115200000+0000)/`.
pub fn parse_date(v: &Value) -> Option<Date> {
    let s = v.as_str()?.trim();
    if let Some(rest) = s.strip_prefix("/Date(") {
        let digits: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        let ms: i64 = digits.parse().ok()?;
        let ts = jiff::Timestamp::from_millisecond(ms).ok()?;
        return Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    Date::from_str(s.get(..10)?).ok()
}

/// Xero's JSON date: `/Date(ms+0000)/`.
pub fn xero_date(d: Date) -> Value {
    let ms = d
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(0);
    Value::String(format!("/Date({ms}+0000)/"))
}

/// Xero's `DateString`: `2026-11-26T00:00:00`.
pub fn xero_date_string(d: Date) -> Value {
    Value::String(format!("{d}T00:00:00"))
}

/// Xero's timestamp form for `UpdatedDateUTC`.
pub fn xero_timestamp(t: jiff::Timestamp) -> Value {
    Value::String(format!("/Date({}+0000)/", t.as_millisecond()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_number_text_exactly() {
        let v: Value = serde_json::from_str("0.1").unwrap();
        assert_eq!(dec(&v), Some(Decimal::from_str("0.1").unwrap()));
        assert_eq!(num(Decimal::from_str("2.005").unwrap()).to_string(), "2.01");
        assert_eq!(num(Decimal::from(3)).to_string(), "3.00");
    }

    #[test]
    fn reads_xero_dates() {
        let d = parse_date(&Value::String("/Date(1764115200000+0000)/".into())).unwrap();
        assert_eq!(d.to_string(), "2025-11-26");
        assert_eq!(
            xero_date(d),
            Value::String("/Date(1764115200000+0000)/".into())
        );
        assert_eq!(
            parse_date(&Value::String("2026-01-02T00:00:00".into()))
                .unwrap()
                .to_string(),
            "2026-01-02"
        );
    }
}
