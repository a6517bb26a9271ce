use super::*;
use proptest::prelude::*;
use serde_json::json;

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

#[test]
fn currency_decimals_follow_iso_4217() {
    let cases = [
        ("JPY", 0),
        ("KRW", 0),
        ("EUR", 2),
        ("USD", 2),
        ("GBP", 2),
        ("SEK", 2),
        ("KWD", 3),
        ("BHD", 3),
        ("OMR", 3),
        ("JOD", 3),
        ("TND", 3),
        ("CLF", 4),
    ];
    for (code, decimals) in cases {
        assert_eq!(
            Currency::from_code(code).unwrap().decimals(),
            decimals,
            "{code}"
        );
    }
}

#[test]
fn currency_codes_are_case_insensitive_and_emitted_upper() {
    let c = Currency::from_code("eur").unwrap();
    assert_eq!(c.code(), "EUR");
    assert_eq!(serde_json::to_value(c).unwrap(), json!("EUR"));
    assert_eq!(
        serde_json::from_value::<Currency>(json!("gBp"))
            .unwrap()
            .code(),
        "GBP"
    );
}

#[test]
fn unknown_currencies_are_refused() {
    for code in ["", "EU", "EURO", "XXX", "ABC", "E1R", "€€€", "XAU"] {
        assert_eq!(
            Currency::from_code(code),
            Err(MoneyError::UnknownCurrency(code.to_owned())),
            "{code}"
        );
    }
}

#[test]
fn allows_counts_significant_decimals_only() {
    let eur = Currency::from_code("EUR").unwrap();
    assert!(eur.allows(dec("10.50")));
    assert!(eur.allows(dec("10.500")));
    assert!(!eur.allows(dec("10.505")));
    let jpy = Currency::from_code("JPY").unwrap();
    assert!(jpy.allows(dec("1200")));
    assert!(jpy.allows(dec("1200.0")));
    assert!(!jpy.allows(dec("1200.5")));
    let kwd = Currency::from_code("KWD").unwrap();
    assert!(kwd.allows(dec("1.125")));
    assert!(!kwd.allows(dec("1.1255")));
    assert_eq!(kwd.minor_unit(), dec("0.001"));
    assert_eq!(jpy.minor_unit(), dec("1"));
}

#[test]
fn rounding_rules_differ_on_midpoints_only() {
    assert_eq!(round_half_up(dec("2.345"), 2), dec("2.35"));
    assert_eq!(round_half_even(dec("2.345"), 2), dec("2.34"));
    assert_eq!(round_half_even(dec("2.355"), 2), dec("2.36"));
    assert_eq!(round_half_up(dec("-2.345"), 2), dec("-2.35"));
    assert_eq!(round_half_even(dec("-2.345"), 2), dec("-2.34"));
    assert_eq!(round_half_up(dec("2.344"), 2), dec("2.34"));
    assert_eq!(round_half_even(dec("2.346"), 2), dec("2.35"));
}

#[test]
fn format_uses_the_currency_decimals() {
    let eur = Currency::from_code("EUR").unwrap();
    assert_eq!(eur.format(dec("12.3"), Rounding::HalfUp), "12.30");
    assert_eq!(eur.format(dec("12"), Rounding::HalfUp), "12.00");
    assert_eq!(eur.format(dec("0.125"), Rounding::HalfUp), "0.13");
    assert_eq!(eur.format(dec("0.125"), Rounding::HalfEven), "0.12");
    let jpy = Currency::from_code("JPY").unwrap();
    assert_eq!(jpy.format(dec("1250.5"), Rounding::HalfUp), "1251");
    let kwd = Currency::from_code("KWD").unwrap();
    assert_eq!(kwd.format(dec("-1.5"), Rounding::HalfUp), "-1.500");
}

#[test]
fn amounts_parse_exactly_from_numbers_and_strings() {
    // 0.1 + 0.2 would be 0.30000000000000004 through f64.
    let v: serde_json::Value =
        serde_json::from_str("[0.1, 0.2, 12345678901234567890.123456789]").unwrap();
    let a = parse_amount(&v[0]).unwrap();
    let b = parse_amount(&v[1]).unwrap();
    assert_eq!(a + b, dec("0.3"));
    assert_eq!(
        parse_amount(&v[2]).unwrap(),
        dec("12345678901234567890.123456789")
    );
    assert_eq!(parse_amount(&json!("-1.49")).unwrap(), dec("-1.49"));
    assert_eq!(parse_amount(&json!("1.50")).unwrap().to_string(), "1.50");
}

#[test]
fn exponents_are_read_exactly() {
    let v: serde_json::Value = serde_json::from_str("[1e3, 2.5E-2, -1.25e1, 0e-400]").unwrap();
    assert_eq!(parse_amount(&v[0]).unwrap(), dec("1000"));
    assert_eq!(parse_amount(&v[1]).unwrap(), dec("0.025"));
    assert_eq!(parse_amount(&v[2]).unwrap(), dec("-12.5"));
    assert_eq!(parse_amount(&v[3]).unwrap(), Decimal::ZERO);
}

#[test]
fn malformed_or_huge_amounts_are_refused() {
    for s in [
        "", "-", "abc", "1.", ".5", "+1", " 1", "1 ", "01", "1e", "1e+", "NaN", "1,5", "0x10",
    ] {
        assert_eq!(
            parse_amount(&json!(s)),
            Err(MoneyError::NotANumber(s.into())),
            "{s:?}"
        );
    }
    for s in [
        "1e40",
        "1e-40",
        "123456789012345678901234567890123456789",
        "1e9999999999999999999",
    ] {
        assert_eq!(
            parse_amount(&json!(s)),
            Err(MoneyError::OutOfRange(s.into())),
            "{s:?}"
        );
    }
    assert_eq!(parse_amount(&json!(true)), Err(MoneyError::WrongType));
    assert_eq!(parse_amount(&json!(null)), Err(MoneyError::WrongType));
}

#[test]
fn json_number_keeps_scale() {
    let n = to_json_number(dec("10.50"));
    assert_eq!(serde_json::to_string(&n).unwrap(), "10.50");
}

proptest! {
    #[test]
    fn any_decimal_text_round_trips_exactly(
        negative in any::<bool>(),
        int_part in "(0|[1-9][0-9]{0,14})",
        frac in proptest::option::of("[0-9]{1,12}"),
    ) {
        let text = format!(
            "{}{}{}",
            if negative { "-" } else { "" },
            int_part,
            frac.map(|f| format!(".{f}")).unwrap_or_default()
        );
        let number: serde_json::Value = serde_json::from_str(&text).unwrap();
        let parsed = parse_amount(&number).unwrap();
        let expected = Decimal::from_str_exact(&text).unwrap();
        prop_assert_eq!(parsed, expected);
        prop_assert_eq!(parsed.scale(), expected.scale());
        prop_assert_eq!(parse_amount(&json!(text.clone())).unwrap(), parsed);
        let back = serde_json::to_string(&to_json_number(parsed)).unwrap();
        prop_assert_eq!(parse_decimal_text(&back).unwrap(), parsed);
        if parsed.is_zero() {
            return Ok(());
        }
        prop_assert_eq!(back.trim_start_matches('-'), text.trim_start_matches('-'));
    }

    #[test]
    fn scientific_notation_equals_shifted_plain(m in -999_999i64..999_999, e in -6i32..6) {
        let text = format!("{m}e{e}");
        let parsed = parse_decimal_text(&text).unwrap();
        let mut expected = Decimal::from(m);
        if e >= 0 {
            expected *= Decimal::from(10i64.pow(e as u32));
        } else {
            expected = Decimal::new(m, (-e) as u32);
        }
        prop_assert_eq!(parsed, expected);
    }

    #[test]
    fn rounding_lands_on_currency_grid_within_half_a_unit(
        mantissa in -10_000_000i64..10_000_000, scale in 0u32..6, half_up in any::<bool>()
    ) {
        let amount = Decimal::new(mantissa, scale);
        let eur = Currency::from_code("EUR").unwrap();
        let rule = if half_up { Rounding::HalfUp } else { Rounding::HalfEven };
        let rounded = eur.round(amount, rule);
        prop_assert!(eur.allows(rounded));
        prop_assert!((rounded - amount).abs() <= Decimal::new(5, 3));
    }
}
