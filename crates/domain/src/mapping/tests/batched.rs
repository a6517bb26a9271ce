//! The usual run collects its postings and builds the state in one pass; a run with a
//! repeated id goes record by record. Both must give exactly what record by record gives.

use super::days;
use crate::commerce::DatasetKind;
use crate::mapping::adjustments::{delta, delta_batched, delta_in_order};
use crate::mapping::*;
use proptest::prelude::*;

const LABEL: &str = "2024-05-02";

/// A second run over `first`'s posted state: `again`'s records, all modified since, and
/// deletions of the first run's ids that `again` does not have (plus one never posted).
fn second_run(first: &PeriodRecords, again: &days::DaySpec) -> PeriodRecords {
    let edited: jiff::Timestamp = "2024-05-02T08:00:00Z".parse().unwrap();
    let mut run = days::build(again);
    run.orders
        .iter_mut()
        .for_each(|o| o.source_modified_date = Some(edited));
    run.payments
        .iter_mut()
        .for_each(|p| p.source_modified_date = Some(edited));
    run.transactions
        .iter_mut()
        .for_each(|t| t.source_modified_date = Some(edited));
    for o in first.orders.iter().skip(run.orders.len()) {
        run.deleted.push((DatasetKind::Orders, o.id.clone()));
    }
    for p in first.payments.iter().skip(run.payments.len()) {
        run.deleted.push((DatasetKind::Payments, p.id.clone()));
    }
    run.deleted
        .push((DatasetKind::Transactions, "never-posted".into()));
    run
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn bulk_postings_give_the_record_by_record_result(
        s in days::any_settings(), day in days::day(), again in days::day()
    ) {
        let first = days::build(&day);
        let posted = delta_in_order(&s, "2024-05-01", &first, &SyncedState::default()).unwrap().1;
        // From nothing, then against a posted state with edits and deletions.
        for (records, state) in [(first.clone(), SyncedState::default()), (second_run(&first, &again), posted)] {
            let bulk = delta_batched(&s, LABEL, &records, &state).unwrap();
            let one_by_one = delta_in_order(&s, LABEL, &records, &state).unwrap();
            prop_assert_eq!(bulk, Some(one_by_one));
        }
    }

    #[test]
    fn a_repeated_id_is_adjusted_against_its_first_posting(
        s in days::any_settings(), day in days::day(), again in days::day()
    ) {
        // The same ids (`o0`, `p0`, …) twice in one run, the second time modified.
        let mut records = days::build(&day);
        let later = second_run(&records, &again);
        let repeated = (!day.orders.is_empty() && !again.orders.is_empty())
            || (!day.payments.is_empty() && !again.payments.is_empty());
        records.orders.extend(later.orders);
        records.payments.extend(later.payments);
        let state = SyncedState::default();
        if repeated {
            prop_assert_eq!(delta_batched(&s, LABEL, &records, &state).unwrap(), None);
        }
        prop_assert_eq!(
            delta(&s, LABEL, &records, &state).unwrap(),
            delta_in_order(&s, LABEL, &records, &state).unwrap()
        );
    }
}
