//! A workload: N orders spread evenly over M merchants, each merchant's day mapped on its
//! own (as the service does), with only `map_period` on the clock.

use crate::generate::{MerchantDay, merchant_day};
use domain::mapping::{MappingOutput, MappingSettings, SyncedState, map_period};
use std::time::{Duration, Instant};

/// The seed of the published figures.
pub const SEED: u64 = 20_240_501;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// Short name for tables and JSON (`day`, `merchants`).
    pub name: String,
    pub orders: u64,
    pub merchants: u32,
    pub seed: u64,
}

impl Workload {
    /// One merchant's busy day.
    pub fn day(orders: u64) -> Self {
        Workload {
            name: "day".to_owned(),
            orders,
            merchants: 1,
            seed: SEED,
        }
    }

    /// `orders` spread over `merchants` (at least one).
    pub fn merchants(orders: u64, merchants: u32) -> Self {
        Workload {
            name: "merchants".to_owned(),
            orders,
            merchants: merchants.max(1),
            seed: SEED,
        }
    }

    /// How many orders merchant `m` has: an even share, the remainder to the first ones.
    pub fn orders_of(&self, m: u32) -> u64 {
        let n = u64::from(self.merchants);
        self.orders / n + u64::from(u64::from(m) < self.orders % n)
    }

    /// Every merchant's day, generated one at a time so memory stays one day's worth.
    pub fn days(&self) -> impl Iterator<Item = MerchantDay> + '_ {
        (0..self.merchants).map(|m| merchant_day(self.seed, m, self.orders_of(m)))
    }
}

/// Maps one day on a fresh state (a first sync of the day).
pub fn map_day(settings: &MappingSettings, day: &MerchantDay) -> MappingOutput {
    map_period(settings, &day.period, &day.records, &SyncedState::default())
        .expect("the generated data maps under the benchmark settings")
}

/// Maps every merchant's day; returns the time spent in `map_period` only (generation is
/// off the clock). `inspect` sees each output, also off the clock.
pub fn time_engine(
    w: &Workload,
    settings: &MappingSettings,
    mut inspect: impl FnMut(&MerchantDay, &MappingOutput),
) -> Duration {
    let mut spent = Duration::ZERO;
    for day in w.days() {
        let started = Instant::now();
        let output = map_day(settings, &day);
        spent += started.elapsed();
        inspect(&day, &output);
        // Dropping the output is part of the engine's cost, as in a real run.
        let started = Instant::now();
        drop(output);
        spent += started.elapsed();
    }
    spent
}
