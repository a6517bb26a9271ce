//! Properties over generated records.

use super::*;
use crate::money::{Currency, to_json_number};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

fn num(d: Decimal) -> Value {
    Value::Number(to_json_number(d))
}

/// An order in `code` with the given line and service-charge totals (in minor units) and
/// `totalAmount` = their sum + `slack` minor units.
fn order_json(code: &str, lines: &[i64], charges: &[i64], slack: i64) -> Value {
    let decimals = Currency::from_code(code).unwrap().decimals();
    let amount = |minor: i64| Decimal::new(minor, decimals);
    let total: i64 = lines.iter().chain(charges).sum::<i64>() + slack;
    json!({
        "id": "o-1",
        "currency": code,
        "createdDate": "2023-02-14T10:00:00Z",
        "totalAmount": num(amount(total)),
        "orderLineItems": lines.iter().enumerate().map(|(i, m)| json!({
            // A refunded line is negative in quantity too.
            "id": format!("l-{i}"), "quantity": if *m < 0 { -1 } else { 1 }, "totalAmount": num(amount(*m))
        })).collect::<Vec<_>>(),
        "serviceCharges": charges.iter().map(|m| json!({ "totalAmount": num(amount(*m)), "type": "Generic" }))
            .collect::<Vec<_>>(),
    })
}

fn currency_code() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["EUR", "USD", "JPY", "KWD", "BHD", "CLF", "SEK"])
}

fn parts() -> impl Strategy<Value = (Vec<i64>, Vec<i64>)> {
    (
        prop::collection::vec(-5_000_000i64..5_000_000, 1..8),
        prop::collection::vec(0i64..100_000, 0..3),
    )
}

proptest! {
    #[test]
    fn a_generated_valid_order_always_validates_and_round_trips(
        code in currency_code(), (lines, charges) in parts(), slack_seed in any::<i64>(),
    ) {
        let n = (lines.len() + charges.len()) as i64;
        let slack = slack_seed.rem_euclid(2 * n + 1) - n; // within ±one minor unit per part
        let (accepted, errors) = orders(vec![order_json(code, &lines, &charges, slack)]);
        prop_assert!(errors.is_empty(), "{:?}", errors);
        let canonical = accepted[0].canonical.clone();
        let (again, errors) = orders(vec![canonical]);
        prop_assert!(errors.is_empty());
        prop_assert_eq!(&accepted[0].change, &again[0].change);
    }

    #[test]
    fn perturbing_a_line_beyond_tolerance_is_always_rejected(
        code in currency_code(), (mut lines, charges) in parts(),
        which in any::<prop::sample::Index>(), extra in prop_oneof![0i64..3, 0i64..1_000], negative in any::<bool>(),
    ) {
        let original = order_json(code, &lines, &charges, 0);
        let n = (lines.len() + charges.len()) as i64;
        let delta = (n + 1 + extra) * if negative { -1 } else { 1 };
        let i = which.index(lines.len());
        lines[i] += delta;
        let mut perturbed = order_json(code, &lines, &charges, 0);
        perturbed["totalAmount"] = original["totalAmount"].clone();
        let (accepted, errors) = orders(vec![perturbed]);
        prop_assert!(accepted.is_empty());
        prop_assert_eq!(errors.len(), 1);
        prop_assert_eq!(errors[0].kind, ErrorKind::TotalsMismatch);
        prop_assert_eq!(errors[0].pointer.as_str(), "/orders/0/totalAmount");
    }

    #[test]
    fn any_allowed_amount_text_survives_to_canonical_json_exactly(
        int_part in "(0|[1-9][0-9]{0,12})", frac in "[0-9]{0,2}", negative in any::<bool>(), as_string in any::<bool>(),
    ) {
        let text = format!("{}{int_part}{}", if negative { "-" } else { "" },
            if frac.is_empty() { String::new() } else { format!(".{frac}") });
        let amount: Value = if as_string { json!(text) } else { serde_json::from_str(&text).unwrap() };
        let payment = json!({ "id": "p", "amount": amount, "currency": "EUR", "createdDate": "2023-02-14" });
        let (record, canonical) = accepted(parse_payments(&json!([payment]), "/payments"));
        prop_assert_eq!(record.amount, Decimal::from_str_exact(&text).unwrap());
        let emitted = canonical["amount"].to_string();
        if record.amount.is_zero() {
            prop_assert_eq!(emitted.trim_start_matches('-'), text.trim_start_matches('-'));
        } else {
            prop_assert_eq!(emitted, text);
        }
    }

    #[test]
    fn a_third_significant_decimal_is_always_refused_in_euros(
        cents in -1_000_000i64..1_000_000, mills in 1i64..10,
    ) {
        let amount = Decimal::new(cents * 10 + mills, 3);
        let payment = json!({ "id": "p", "amount": num(amount), "currency": "EUR", "createdDate": "2023-02-14" });
        let (_, errors) = parse_payments(&json!([payment]), "/payments");
        prop_assert_eq!(errors.len(), 1);
        prop_assert_eq!(errors[0].kind, ErrorKind::TooManyDecimals);
        prop_assert_eq!(errors[0].pointer.as_str(), "/payments/0/amount");
    }

    #[test]
    fn enum_values_are_read_in_any_case_and_emitted_canonically(
        which in any::<prop::sample::Index>(), flips in prop::collection::vec(any::<bool>(), 12),
    ) {
        let value = *which.get(PaymentType::all());
        let mixed: String = value.as_str().chars().zip(flips.iter().cycle())
            .map(|(c, up)| if *up { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
            .collect();
        let payment = json!({ "id": "p", "amount": 1, "currency": "EUR", "createdDate": "2023-02-14", "type": mixed });
        let (record, canonical) = accepted(parse_payments(&json!([payment]), "/payments"));
        prop_assert_eq!(record.payment_type, Some(value));
        prop_assert_eq!(canonical["type"].as_str(), Some(value.as_str()));
    }

    #[test]
    fn dates_keep_the_instant_whatever_the_offset(
        seconds in 0i64..4_000_000_000, offset_minutes in -14 * 60i32..=14 * 60,
    ) {
        let instant = jiff::Timestamp::from_second(seconds).unwrap();
        let offset = jiff::tz::Offset::from_seconds(offset_minutes * 60).unwrap();
        let with_offset = instant.display_with_offset(offset).to_string();
        let unqualified = instant.to_zoned(jiff::tz::TimeZone::UTC).datetime().to_string();
        prop_assert_eq!(dates::parse_timestamp(&with_offset), Ok(instant));
        // Without a zone the instant is unknown: refused, never guessed.
        prop_assert!(dates::parse_timestamp(&unqualified).is_err());
    }
}
