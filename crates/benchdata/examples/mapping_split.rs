//! Where the mapping time goes, by simple timing splits (no profiler needed):
//! `cargo run --release -p benchdata --example mapping_split -- ORDERS_PER_MERCHANT MERCHANTS`.
//! Phases: the records' contributions and the run's delta (`adjustments::delta`), all of
//! `map_period` (the rest is building documents), and dropping its output.

use benchdata::{Workload, settings};
use domain::mapping::{SyncedState, adjustments, map_period};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("a number"))
        .collect();
    let per = args.first().copied().unwrap_or(10_000);
    let merchants = args.get(1).copied().unwrap_or(1) as u32;
    let w = Workload::merchants(per * u64::from(merchants), merchants);
    let s = settings();
    let (mut delta, mut map, mut drop_out) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for day in w.days() {
        let label = day.period.label();
        let t = Instant::now();
        black_box(adjustments::delta(&s, &label, &day.records, &SyncedState::default()).unwrap());
        delta += t.elapsed();
        let t = Instant::now();
        let out = map_period(&s, &day.period, &day.records, &SyncedState::default()).unwrap();
        map += t.elapsed();
        let t = Instant::now();
        drop(black_box(out));
        drop_out += t.elapsed();
    }
    let us = |d: Duration| d.as_secs_f64() * 1e6 / w.orders as f64;
    println!("{per} orders x {merchants} merchants, µs per order:");
    println!("  delta (contributions + state)  {:>7.2}", us(delta));
    println!("  map_period (delta + documents) {:>7.2}", us(map));
    println!("  dropping the output            {:>7.2}", us(drop_out));
    // Each record's posted contribution is a map of buckets kept in the state.
    println!(
        "bytes: Bucket {}, Amounts {}",
        std::mem::size_of::<domain::mapping::Bucket>(),
        std::mem::size_of::<domain::mapping::Amounts>()
    );
}
