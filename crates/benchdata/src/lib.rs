//! Benchmark workloads for the mapping engine, shared by the criterion bench
//! (`cargo bench -p benchdata`) and `commerce-sync bench mapping`, so both measure the same
//! thing: a seeded generator of merchants' days ([`generate`]), the timed engine run
//! ([`workload`]), the SQLite GROUP BY baseline ([`baseline`]) and the figures that prove
//! the two computed the same totals ([`figures`]).

pub mod baseline;
pub mod figures;
pub mod generate;
pub mod rng;
pub mod settings;
pub mod workload;

pub use baseline::{Baseline, Rows};
pub use figures::Figures;
pub use generate::{MerchantDay, merchant_day};
pub use settings::settings;
pub use workload::{SEED, Workload, map_day, time_engine};

/// The engine's figures for a whole workload (maps it once, untimed use).
pub fn engine_figures(w: &Workload, s: &domain::mapping::MappingSettings) -> Figures {
    let mut f = Figures::default();
    time_engine(w, s, |day, out| f.add_output(day.merchant, s, out));
    f.without_zeros()
}
