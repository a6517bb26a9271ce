//! Properties over random days: the invariants of DOMAIN.md, for any input.

use super::days::{self, DaySpec, OrderSpec, PaySpec, TxSpec};
use super::fixtures::day as period;
use crate::commerce::DatasetKind;
use crate::documents::{Document, DocumentKind, Line};
use crate::mapping::*;
use jiff::civil::date;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

type Sums = BTreeMap<(String, &'static str), Decimal>;

fn add(sums: &mut Sums, currency: &str, class: &'static str, amount: Decimal) {
    if !amount.is_zero() {
        *sums.entry((currency.to_owned(), class)).or_default() += amount;
    }
    sums.retain(|_, v| !v.is_zero());
}

/// What the documents say happened, per currency: sales net of refunds, money received net
/// of money paid back, fees net of fee refunds, payouts net of failed ones.
fn document_sums(s: &MappingSettings, docs: &[Document]) -> Sums {
    let mut sums = Sums::new();
    for doc in docs {
        let c = doc.currency.code();
        let total = doc.total.unwrap_or_default();
        let amount = doc.amount.unwrap_or_default();
        match doc.kind {
            DocumentKind::Invoice => add(&mut sums, c, "sales", total),
            DocumentKind::CreditNote => add(&mut sums, c, "sales", -total),
            DocumentKind::Payment => add(&mut sums, c, "money", amount),
            DocumentKind::Refund => add(&mut sums, c, "money", -amount),
            DocumentKind::Bill => add(&mut sums, c, "fees", total),
            DocumentKind::BillCreditNote => add(&mut sums, c, "fees", -total),
            DocumentKind::BankTransaction => add(&mut sums, c, "fees", -amount),
            DocumentKind::Transfer => {
                let out = doc.account_id.as_deref() == Some(s.clearing_account.as_str());
                add(&mut sums, c, "payouts", if out { amount } else { -amount });
            }
            DocumentKind::BillPayment | DocumentKind::BillRefund | DocumentKind::JournalEntry => {}
        }
    }
    sums
}

/// What the commerce records say, computed straight from them.
fn record_sums(records: &PeriodRecords) -> Sums {
    let mut sums = Sums::new();
    for o in &records.orders {
        let tips = o.total_gratuity.unwrap_or_default();
        add(&mut sums, o.currency.code(), "sales", o.total_amount + tips);
    }
    for p in &records.payments {
        if p.status == Some(crate::commerce::PaymentStatus::Paid) {
            add(&mut sums, p.currency.code(), "money", p.amount);
        }
    }
    for t in &records.transactions {
        use crate::commerce::TransactionType as T;
        let (class, sign) = match t.transaction_type {
            T::PaymentFee => ("fees", Decimal::ONE),
            T::PaymentFeeRefund => ("fees", Decimal::NEGATIVE_ONE),
            T::Payout | T::Transfer => ("payouts", Decimal::ONE),
            T::FailedPayout => ("payouts", Decimal::NEGATIVE_ONE),
            _ => continue,
        };
        add(
            &mut sums,
            t.currency.code(),
            class,
            sign * t.total_amount.abs(),
        );
    }
    sums
}

/// Per currency and account: debits minus credits over every journal.
fn ledger(docs: &[Document]) -> BTreeMap<(String, String), Decimal> {
    let mut balances = BTreeMap::new();
    for doc in docs.iter().filter(|d| d.kind == DocumentKind::JournalEntry) {
        for l in &doc.lines {
            let key = (doc.currency.code().to_owned(), l.account_id.clone());
            *balances.entry(key).or_insert(Decimal::ZERO) +=
                l.debit.unwrap_or_default() - l.credit.unwrap_or_default();
        }
    }
    balances.retain(|_, v: &mut Decimal| !v.is_zero());
    balances
}

fn map(s: &MappingSettings, records: &PeriodRecords, state: &SyncedState) -> MappingOutput {
    map_period(s, &period(), records, state).expect("generated days are fully mapped")
}

fn invoice_like(kind: DocumentKind) -> bool {
    matches!(
        kind,
        DocumentKind::Invoice
            | DocumentKind::CreditNote
            | DocumentKind::Bill
            | DocumentKind::BillCreditNote
    )
}

/// Shape rules every output keeps, whatever the mode.
fn check_shape(out: &MappingOutput) -> Result<(), TestCaseError> {
    let keys: BTreeSet<String> = out.documents.iter().map(|d| d.key.full()).collect();
    prop_assert_eq!(keys.len(), out.documents.len(), "document keys are unique");
    let compact: BTreeSet<String> = out.documents.iter().map(|d| d.key.compact()).collect();
    prop_assert_eq!(compact.len(), out.documents.len());
    for doc in &out.documents {
        let c = doc.currency;
        prop_assert_eq!(doc.key.compact().len(), 21);
        let amounts = doc.lines.iter().flat_map(|l: &Line| {
            [l.net_amount, l.tax_amount, l.debit, l.credit]
                .into_iter()
                .flatten()
        });
        for a in amounts.chain(doc.total).chain(doc.amount) {
            prop_assert!(c.allows(a), "{} has more decimals than {}", a, c);
        }
        if let Some(target) = &doc.applies_to {
            prop_assert!(out.documents.iter().any(|d| &d.key == target));
        }
        if invoice_like(doc.kind) {
            let lines: Decimal = doc.lines.iter().map(Line::gross).sum();
            prop_assert_eq!(doc.total, Some(lines), "total is its lines");
            prop_assert!(!doc.total.unwrap().is_sign_negative() || doc.total.unwrap().is_zero());
        }
        if matches!(
            doc.kind,
            DocumentKind::BillPayment | DocumentKind::BillRefund
        ) {
            let bill = out
                .documents
                .iter()
                .find(|d| Some(&d.key) == doc.applies_to.as_ref());
            prop_assert_eq!(bill.and_then(|b| b.total), doc.amount, "paid in full");
        }
        if doc.kind == DocumentKind::JournalEntry {
            let debits: Decimal = doc.lines.iter().filter_map(|l| l.debit).sum();
            let credits: Decimal = doc.lines.iter().filter_map(|l| l.credit).sum();
            prop_assert_eq!(debits, credits, "journal balances: {:?}", doc);
            prop_assert_eq!(doc.total, Some(debits));
            for l in &doc.lines {
                prop_assert!(l.debit.is_some() != l.credit.is_some());
                prop_assert!(l.debit.or(l.credit).unwrap() > Decimal::ZERO);
            }
        }
    }
    Ok(())
}

/// Each record is kept, edited (to `replacement`) or deleted.
#[derive(Debug, Clone)]
enum Change<T> {
    Keep,
    Edit(T),
    Delete,
}

fn change<T: std::fmt::Debug + Clone>(
    replacement: impl Strategy<Value = T>,
) -> impl Strategy<Value = Change<T>> {
    prop_oneof![
        2 => Just(Change::Keep),
        2 => replacement.prop_map(Change::Edit),
        1 => Just(Change::Delete),
    ]
}

const EDITED: &str = "2024-05-02T08:00:00Z";

/// The second run's input (kept records again, edited ones, deletions) and the final records.
fn apply(
    day: &DaySpec,
    orders: &[Change<OrderSpec>],
    payments: &[Change<PaySpec>],
    txs: &[Change<TxSpec>],
) -> (PeriodRecords, PeriodRecords) {
    let mut run = PeriodRecords {
        products: vec![days::gift_product()],
        ..PeriodRecords::default()
    };
    let mut last = run.clone();
    for (i, o) in day.orders.iter().enumerate() {
        let id = format!("o{i}");
        match orders.get(i).unwrap_or(&Change::Keep) {
            Change::Keep => run.orders.push(days::build_order(&id, o, days::FIRST)),
            Change::Edit(n) => run.orders.push(days::build_order(&id, n, EDITED)),
            Change::Delete => run.deleted.push((DatasetKind::Orders, id)),
        }
    }
    for (i, p) in day.payments.iter().enumerate() {
        let id = format!("p{i}");
        match payments.get(i).unwrap_or(&Change::Keep) {
            Change::Keep => run.payments.push(days::build_payment(&id, p, days::FIRST)),
            Change::Edit(n) => run.payments.push(days::build_payment(&id, n, EDITED)),
            Change::Delete => run.deleted.push((DatasetKind::Payments, id)),
        }
    }
    for (i, t) in day.transactions.iter().enumerate() {
        let id = format!("t{i}");
        match txs.get(i).unwrap_or(&Change::Keep) {
            Change::Keep => run
                .transactions
                .push(days::build_transaction(&id, t, days::FIRST)),
            Change::Edit(n) => run
                .transactions
                .push(days::build_transaction(&id, n, EDITED)),
            Change::Delete => run.deleted.push((DatasetKind::Transactions, id)),
        }
    }
    last.orders = run.orders.clone();
    last.payments = run.payments.clone();
    last.transactions = run.transactions.clone();
    (run, last)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_output_keeps_its_shape_and_every_journal_balances(
        s in days::any_settings(), day in days::day()
    ) {
        let out = map(&s, &days::build(&day), &SyncedState::default());
        check_shape(&out)?;
    }

    #[test]
    fn documents_stand_for_exactly_the_days_commerce_amounts(
        s in days::any_settings(), day in days::day()
    ) {
        let mut s = s;
        s.output = OutputMode::Documents;
        let records = days::build(&day);
        let out = map(&s, &records, &SyncedState::default());
        prop_assert_eq!(document_sums(&s, &out.documents), record_sums(&records));
        // Sales and refunds apart: an invoice holds the positive parts of the day's orders
        // (with each order's rounding residue when the order is a sale, and tips), the credit
        // note the negative ones. Neither is ever negative.
        let mut split = Sums::new();
        for (o, spec) in records.orders.iter().zip(&day.orders) {
            let c = o.currency.code();
            for (l, ls) in o.order_line_items.iter().zip(&spec.lines) {
                let class = if ls.net < 0 { "creditNote" } else { "invoice" };
                add(&mut split, c, class, l.total_amount.abs());
            }
            for ch in &o.service_charges {
                let class = if ch.total_amount < Decimal::ZERO { "creditNote" } else { "invoice" };
                add(&mut split, c, class, ch.total_amount.abs());
            }
            let parts: Decimal = o.order_line_items.iter().map(|l| l.total_amount)
                .chain(o.service_charges.iter().map(|c| c.total_amount)).sum();
            let residue = o.total_amount - parts;
            if o.total_amount.is_sign_negative() && !o.total_amount.is_zero() {
                add(&mut split, c, "creditNote", -residue);
            } else {
                add(&mut split, c, "invoice", residue);
            }
            let tips = o.total_gratuity.unwrap_or_default();
            add(&mut split, c, if tips < Decimal::ZERO { "creditNote" } else { "invoice" }, tips.abs());
        }
        let mut documented = Sums::new();
        for d in &out.documents {
            let class = match d.kind {
                DocumentKind::Invoice => "invoice",
                DocumentKind::CreditNote => "creditNote",
                _ => continue,
            };
            add(&mut documented, d.currency.code(), class, d.total.unwrap());
        }
        prop_assert_eq!(documented, split);
    }

    #[test]
    fn journal_accounts_hold_what_the_records_say(day in days::day()) {
        let mut s = super::fixtures::journal_settings();
        s.fees.as_mut().unwrap().fee_account_is_bank = false;
        let records = days::build(&day);
        let out = map(&s, &records, &SyncedState::default());
        let got = ledger(&out.documents);
        // Expected balances (debit positive), per currency, from the records alone.
        let mut want: BTreeMap<(String, String), Decimal> = BTreeMap::new();
        let mut put = |c: &str, account: &str, x: Decimal| {
            *want.entry((c.to_owned(), account.to_owned())).or_default() += x;
        };
        for o in &records.orders {
            let sold = o.total_amount + o.total_gratuity.unwrap_or_default();
            put(o.currency.code(), "income and tax", -sold);
            put(o.currency.code(), "1200", sold); // owed until paid
        }
        for p in records.payments.iter().filter(|p| p.status == Some(crate::commerce::PaymentStatus::Paid)) {
            let account = s.payment_account(p.payment_type.unwrap()).unwrap();
            put(p.currency.code(), account, p.amount);
            put(p.currency.code(), "1200", -p.amount);
        }
        for t in &records.transactions {
            use crate::commerce::TransactionType as T;
            let (c, x) = (t.currency.code(), t.total_amount.abs());
            // A fee moves money on the account of the payment it names, if that is known.
            let named = t.transaction_source_ref.as_ref().and_then(|r| {
                records.payments.iter().find(|p| p.id == r.id)
            });
            let paid_on = named
                .and_then(|p| s.payment_account(p.payment_type?))
                .unwrap_or("1100");
            match t.transaction_type {
                T::PaymentFee => { put(c, "6100", x); put(c, paid_on, -x); }
                T::PaymentFeeRefund => { put(c, "6110", -x); put(c, paid_on, x); }
                T::Payout | T::Transfer => { put(c, "1300", x); put(c, "1100", -x); }
                T::FailedPayout => { put(c, "1300", -x); put(c, "1100", x); }
                _ => {}
            }
        }
        want.retain(|_, v| !v.is_zero());
        let mut got_merged: BTreeMap<(String, String), Decimal> = BTreeMap::new();
        for ((c, account), x) in got {
            let account = match account.as_str() {
                "4000" | "4010" | "2300" | "2400" | "2200" => "income and tax".to_owned(),
                _ => account,
            };
            *got_merged.entry((c, account)).or_default() += x;
        }
        got_merged.retain(|_, v| !v.is_zero());
        prop_assert_eq!(got_merged, want);
    }

    #[test]
    fn the_order_records_arrive_in_does_not_matter(s in days::any_settings(), day in days::day()) {
        let records = days::build(&day);
        let mut reversed = records.clone();
        reversed.orders.reverse();
        reversed.payments.reverse();
        reversed.transactions.reverse();
        let a = serde_json::to_value(map(&s, &records, &SyncedState::default())).unwrap();
        let b = serde_json::to_value(map(&s, &reversed, &SyncedState::default())).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn re_running_a_period_against_its_own_state_writes_nothing(
        s in days::any_settings(), day in days::day()
    ) {
        let records = days::build(&day);
        let first = map(&s, &records, &SyncedState::default());
        let again = map(&s, &records, &first.state);
        prop_assert!(again.documents.is_empty(), "{:?}", again.documents);
        prop_assert_eq!(again.state, first.state);
    }

    #[test]
    fn an_edit_then_a_re_run_writes_exactly_the_difference(
        s in days::any_settings(),
        day in days::day(),
        orders in prop::collection::vec(change(days::order()), 0..6),
        payments in prop::collection::vec(change(days::payment()), 0..6),
        txs in prop::collection::vec(change(days::transaction()), 0..5),
    ) {
        let first = map(&s, &days::build(&day), &SyncedState::default());
        let (run, last) = apply(&day, &orders, &payments, &txs);
        let next = PeriodRef::day("acme", date(2024, 5, 2));
        let second = map_period(&s, &next, &run, &first.state).unwrap();
        check_shape(&second)?;
        // Posting the day, then the difference, leaves the books as posting the final data once.
        let fresh = map(&s, &last, &SyncedState::default());
        let mut both = first.documents.clone();
        both.extend(second.documents.iter().cloned());
        prop_assert_eq!(document_sums(&s, &both), document_sums(&s, &fresh.documents));
        prop_assert_eq!(ledger(&both), ledger(&fresh.documents));
        prop_assert_eq!(document_sums(&s, &fresh.documents).is_empty() || s.output == OutputMode::Journal,
            record_sums(&last).is_empty() || s.output == OutputMode::Journal);
        // And the second run's state leaves nothing more to write.
        let third = map_period(&s, &next, &run, &second.state).unwrap();
        prop_assert!(third.documents.is_empty());
    }
}

/// Three generated days as one period: ids made unique per day (`d{n}-…`, references too),
/// each record created on its own day of May 2024.
fn three_days(days_: &[DaySpec]) -> PeriodRecords {
    let mut all = PeriodRecords {
        products: vec![days::gift_product()],
        ..PeriodRecords::default()
    };
    for (n, spec) in days_.iter().enumerate() {
        let mut r = days::build(spec);
        let shift = jiff::SignedDuration::from_hours(24 * n as i64);
        let tag = |id: &mut String| *id = format!("d{n}-{id}");
        for o in &mut r.orders {
            tag(&mut o.id);
            o.created_date += shift;
        }
        for p in &mut r.payments {
            tag(&mut p.id);
            p.created_date += shift;
        }
        for t in &mut r.transactions {
            tag(&mut t.id);
            if let Some(source) = t.transaction_source_ref.as_mut() {
                tag(&mut source.id);
            }
            t.created_date += shift;
        }
        all.orders.extend(r.orders);
        all.payments.extend(r.payments);
        all.transactions.extend(r.transactions);
    }
    all
}

fn utc_day(t: jiff::Timestamp) -> jiff::civil::Date {
    t.to_zoned(jiff::tz::TimeZone::UTC).date()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn a_period_of_days_is_each_day_once_and_any_re_run_writes_nothing(
        s in days::any_settings(),
        specs in prop::collection::vec(days::day(), 3),
        (a, b) in (0i8..3, 0i8..3),
    ) {
        let all = three_days(&specs);
        let may = |d: i8| date(2024, 5, 1 + d);
        let split = split_by_day(all.clone(), may(0), may(2), utc_day);
        let out = map_days(&s, "acme", &split, &SyncedState::default())
            .expect("generated days are fully mapped");
        check_shape(&out)?;
        for doc in &out.documents {
            prop_assert_eq!(doc.key.period.clone(), doc.date.to_string());
        }
        if s.output == OutputMode::Documents {
            prop_assert_eq!(document_sums(&s, &out.documents), record_sums(&all));
        }
        // Any part of the range again (a retry, an overlapping historic run): nothing.
        let (from, to) = (a.min(b), a.max(b));
        let part = split_by_day(all.clone(), may(from), may(to), utc_day);
        let part: Vec<_> = part
            .into_iter()
            .filter(|(d, _)| *d >= may(from) && *d <= may(to))
            .collect();
        let again = map_days(&s, "acme", &part, &out.state).unwrap();
        prop_assert!(again.documents.is_empty(), "{:?}", again.documents);
    }
}
