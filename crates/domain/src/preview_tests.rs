use super::*;
use crate::config::parse_str;
use crate::documents::DocumentKind;
use rust_decimal::Decimal;
use serde_json::json;

/// The example document in documents mode (invoices), London, day closing at midnight.
fn document() -> ConfigDocument {
    let mut doc = parse_str(include_str!("config/testdata/example.json"))
        .unwrap()
        .document;
    doc.configuration.map_settings = None;
    doc
}

fn reference() -> ReferenceData {
    serde_json::from_str(include_str!("config/testdata/reference.json")).unwrap()
}

/// An order of one 20 % line totalling `total` (a multiple of 6: tax is a sixth), created at `at`.
fn order(id: &str, at: &str, total: i64) -> Value {
    json!({
        "id": id, "currency": "GBP", "createdDate": at, "sourceModifiedDate": at,
        "totalAmount": total, "totalGratuity": 0,
        "orderLineItems": [{"id": format!("{id}-1"), "quantity": 1, "taxPercentage": 20,
            "totalAmount": total, "totalTaxAmount": total / 6}]
    })
}

fn run(
    from: &str,
    to: &str,
    zone: Option<&str>,
    data: &Value,
) -> Result<Preview, Vec<PreviewError>> {
    let (doc, reference) = (document(), reference());
    preview(&PreviewInput {
        document: &doc,
        reference: &reference,
        from: from.parse().unwrap(),
        to: to.parse().unwrap(),
        time_zone: zone,
        platform: None,
        data,
    })
}

fn invoice_totals(p: &Preview) -> Vec<(String, Decimal)> {
    let invoices = p
        .documents
        .iter()
        .filter(|d| d.kind == DocumentKind::Invoice);
    invoices
        .map(|d| (d.date.to_string(), d.total.unwrap()))
        .collect()
}

#[test]
fn spring_forward_day_is_23_hours_long() {
    // 31 March 2024: London jumps from 01:00 GMT to 02:00 BST; the day ends at 23:00 UTC.
    let data = json!({"orders": [
        order("in", "2024-03-31T22:30:00Z", 12),    // 23:30 BST, 31 March
        order("next", "2024-03-31T23:30:00Z", 24),  // 00:30 BST, 1 April
        order("before", "2024-03-30T23:59:00Z", 48) // 23:59 GMT, 30 March
    ]});
    let p = run("2024-03-31", "2024-04-01", None, &data).unwrap();
    assert_eq!(
        invoice_totals(&p),
        [("2024-03-31".to_owned(), Decimal::from(12))]
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| w.code == "outsidePeriod" && w.message.starts_with("2 orders"))
    );
    // The same instants read in UTC land differently: the zone matters.
    let p = run("2024-03-31", "2024-04-01", Some("Etc/UTC"), &data).unwrap();
    assert_eq!(
        invoice_totals(&p),
        [("2024-03-31".to_owned(), Decimal::from(36))]
    );
}

#[test]
fn fall_back_day_is_25_hours_long_and_days_tile() {
    // 27 October 2024: 02:00 BST becomes 01:00 GMT; the day runs 26 Oct 23:00Z → 28 Oct 00:00Z.
    let data = json!({"orders": [
        order("prev", "2024-10-26T22:30:00Z", 12), // 23:30 BST, 26 October
        order("early", "2024-10-26T23:30:00Z", 24), // 00:30 BST, 27 October
        order("late", "2024-10-27T23:30:00Z", 36),  // 23:30 GMT, 27 October
    ]});
    let p = run("2024-10-26", "2024-10-28", None, &data).unwrap();
    assert_eq!(
        invoice_totals(&p),
        [
            ("2024-10-26".to_owned(), Decimal::from(12)),
            ("2024-10-27".to_owned(), Decimal::from(60)),
        ]
    );
    assert!(p.warnings.iter().all(|w| w.code != "outsidePeriod"));
}

#[test]
fn every_problem_is_named_with_its_input_and_pointer() {
    let mut doc = document();
    let sales = doc.configuration.sales.as_mut().unwrap();
    sales.sales_customer.as_mut().unwrap().selected_customer_id = Some("c-404".into());
    let data = json!({"orders": [{"id": "o1", "currency": "GBP", "createdDate": "yesterday",
        "totalAmount": 1}], "payments": {}});
    let reference = reference();
    let errors = preview(&PreviewInput {
        document: &doc,
        reference: &reference,
        from: "2024-05-02".parse().unwrap(),
        to: "2024-05-02".parse().unwrap(),
        time_zone: Some("Mars/Olympus"),
        platform: None,
        data: &data,
    })
    .unwrap_err();
    let found: Vec<(Part, &str)> = errors
        .iter()
        .map(|e| (e.part, e.pointer.as_str()))
        .collect();
    assert!(found.contains(&(
        Part::Config,
        "/configuration/sales/salesCustomer/selectedCustomerId"
    )));
    assert!(found.contains(&(Part::Request, "/to")));
    assert!(found.contains(&(Part::Request, "/timeZone")));
    assert!(found.contains(&(Part::Data, "/orders/0/createdDate")));
    assert!(found.contains(&(Part::Data, "/payments")));
}

#[test]
fn an_unmapped_payment_type_points_at_its_slot_and_hledger_wants_journals() {
    let data = json!({"payments": [{"id": "p1", "currency": "GBP", "type": "Mobile",
        "status": "Paid", "amount": 6, "createdDate": "2024-05-01T10:00:00Z"}],
        "orders": [order("o1", "2024-05-01T10:00:00Z", 6)]});
    let errors = run("2024-05-01", "2024-05-02", None, &data).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].part, Part::Config);
    assert_eq!(
        errors[0].pointer,
        "/configuration/payments/accounts/mobile/selectedAccountId"
    );
    let (doc, reference) = (document(), reference());
    let errors = preview(&PreviewInput {
        document: &doc,
        reference: &reference,
        from: "2024-05-01".parse().unwrap(),
        to: "2024-05-02".parse().unwrap(),
        time_zone: None,
        platform: Some(Platform::Hledger),
        data: &json!({}),
    })
    .unwrap_err();
    assert_eq!(errors[0].pointer, "/configuration/mapSettings/outputFormat");
}
