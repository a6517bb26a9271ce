//! The baseline computes exactly the engine's totals, and the generator is deterministic.

use benchdata::{Baseline, Workload, engine_figures, merchant_day, settings};

#[tokio::test]
async fn the_group_by_computes_the_engine_totals() {
    let s = settings();
    let w = Workload::merchants(3_000, 30);
    let mut b = Baseline::create("sqlite::memory:").await.unwrap();
    b.load(w.days()).await.unwrap();
    let rows = b.group_by().await.unwrap();
    let engine = engine_figures(&w, &s);
    assert!(engine.len() > 30 * 8, "every kind of figure is there");
    assert_eq!(rows.figures(&s).differences(&engine), None);
}

#[test]
fn a_seed_names_one_data_set() {
    let a = merchant_day(7, 3, 50);
    let b = merchant_day(7, 3, 50);
    assert_eq!(a.records.orders, b.records.orders);
    assert_eq!(a.records.payments, b.records.payments);
    assert_eq!(a.records.transactions, b.records.transactions);
    assert_ne!(merchant_day(8, 3, 50).records.orders, a.records.orders);
    let w = Workload::merchants(1_003, 10);
    assert_eq!((0..10).map(|m| w.orders_of(m)).sum::<u64>(), 1_003);
}

#[test]
fn the_day_has_what_a_shop_does() {
    let day = merchant_day(1, 0, 2_000).records;
    let lines = |o: &domain::commerce::Order| o.order_line_items.len();
    assert!(day.orders.iter().all(|o| lines(o) == 3 || lines(o) == 1));
    assert!(day.orders.iter().any(|o| o.total_discount.is_some()));
    assert!(day.orders.iter().any(|o| o.total_gratuity.is_some()));
    assert!(day.orders.iter().any(|o| o.total_amount.is_sign_negative()));
    assert_eq!(day.payments.len(), 2_000);
    let payouts = day
        .transactions
        .iter()
        .filter(|t| t.transaction_type == domain::commerce::TransactionType::Payout);
    assert_eq!(payouts.count(), 1);
}
