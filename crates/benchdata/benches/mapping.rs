//! Mapping speed against a same-run baseline: the same totals as SQL GROUP BYs in SQLite.
//!
//! `cargo bench -p benchdata --bench mapping -- --warm-up-time 1 --measurement-time 5`
//! Groups: `day` (one merchant, 10,000 orders) and `merchants` (1,000,000 orders over 10,000
//! merchants, mapped merchant by merchant); in each, `engine` is `map_period` and
//! `sqlite_group_by` the baseline over the same rows. Throughput is in orders. Before timing,
//! each group checks once that both computed the same figures.

use benchdata::{Baseline, Workload, engine_figures, map_day, settings, time_engine};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use std::hint::black_box;
use std::time::Duration;

/// Loads the workload into a fresh SQLite file and checks both sides agree (untimed).
fn baseline_for(w: &Workload, rt: &tokio::runtime::Runtime, dir: &std::path::Path) -> Baseline {
    let s = settings();
    let url = format!("sqlite://{}", dir.join(format!("{}.db", w.name)).display());
    rt.block_on(async {
        let mut b = Baseline::create(&url)
            .await
            .expect("create the baseline file");
        b.load(w.days()).await.expect("load the rows");
        let rows = b.group_by().await.expect("the GROUP BY");
        let expected = engine_figures(w, &s);
        if let Some(diff) = rows.figures(&s).differences(&expected) {
            panic!("the baseline and the engine disagree: {diff}");
        }
        b
    })
}

fn group(c: &mut Criterion, w: Workload, big: bool) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let dir = std::env::temp_dir().join(format!("commerce-sync-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let s = settings();
    let mut g = c.benchmark_group(&w.name);
    g.throughput(Throughput::Elements(w.orders));
    if big {
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
    }
    let id = |what| BenchmarkId::new(what, w.orders);
    if w.merchants == 1 {
        // One day, generated once.
        let day = w.days().next().expect("one merchant");
        g.bench_function(id("engine"), |b| b.iter(|| black_box(map_day(&s, &day))));
    } else {
        // Merchant by merchant, generation off the clock.
        g.bench_function(id("engine"), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        time_engine(&w, &s, |_, out| {
                            black_box(out);
                        })
                    })
                    .sum::<Duration>()
            })
        });
    }
    // Built only when the filter selects it: loading a million orders takes a while.
    let baseline = std::cell::RefCell::new(None);
    g.bench_function(id("sqlite_group_by"), |b| {
        let mut cell = baseline.borrow_mut();
        let base = cell.get_or_insert_with(|| baseline_for(&w, &rt, &dir));
        b.iter(|| black_box(rt.block_on(base.group_by()).expect("the GROUP BY")))
    });
    g.finish();
    drop(baseline);
    let _ = std::fs::remove_dir_all(&dir);
}

fn mapping(c: &mut Criterion) {
    group(c, Workload::day(10_000), false);
    group(c, Workload::merchants(1_000_000, 10_000), true);
}

criterion_group!(benches, mapping);
criterion_main!(benches);
