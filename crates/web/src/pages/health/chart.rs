//! The dashboard's chart: syncs per day as stacked bars (succeeded, running, failed), drawn
//! by the server as SVG. No script and no external file: it prints, zooms and works with
//! scripts off. Screen readers get its title and a one-sentence summary (`role="img"`); the
//! same numbers are in a table beside it. Colours come from the stylesheet (the page's
//! policy forbids inline styles), each paired with a legend, never colour alone.

use jiff::civil::Date;
use maud::{Markup, html};

/// One day's syncs: succeeded, running, failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: Date,
    pub ok: u64,
    pub running: u64,
    pub failed: u64,
}

impl Day {
    pub fn total(&self) -> u64 {
        self.ok + self.running + self.failed
    }
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 36.0;
const TOP: f64 = 12.0;

/// A round number at or above `max` for the axis: 1, 2, 5 × 10ⁿ.
fn axis_top(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step * m >= max.max(1) {
                return step * m;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// A day's non-empty stacks, bottom up: (syncs below, syncs, class, word).
fn segments(d: &Day) -> Vec<(u64, u64, &'static str, &'static str)> {
    let mut below = 0;
    let mut out = Vec::new();
    for (n, class, word) in [
        (d.ok, "bar-ok", "succeeded"),
        (d.running, "bar-running", "running"),
        (d.failed, "bar-bad", "failed"),
    ] {
        if n > 0 {
            out.push((below, n, class, word));
            below += n;
        }
    }
    out
}

/// The chart for `days` (oldest first).
pub fn bars(days: &[Day], title: &str) -> Markup {
    let top = axis_top(days.iter().map(Day::total).max().unwrap_or(0));
    let plot_h = HEIGHT - BOTTOM - TOP;
    let slot = (WIDTH - LEFT) / days.len().max(1) as f64;
    let bar_w = (slot * 0.7).max(1.0);
    let y = |n: u64| TOP + plot_h - plot_h * n as f64 / top as f64;
    let total: u64 = days.iter().map(Day::total).sum();
    let failed: u64 = days.iter().map(|d| d.failed).sum();
    let worst = days
        .iter()
        .max_by_key(|d| d.failed)
        .filter(|d| d.failed > 0);
    let summary = format!(
        "{total} syncs over {} days, {failed} failed{}.",
        days.len(),
        worst.map_or(String::new(), |d| format!(
            "; most failures on {} ({})",
            d.date, d.failed
        ))
    );
    // Every label would crowd a long range: about ten along the axis.
    let label_every = days.len().div_ceil(10).max(1);
    // Grid lines at 0, about half way and the top (a scale of 1 has no half).
    let mut ticks = vec![0, top / 2, top];
    ticks.dedup();
    html! {
        figure.chart {
            svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img"
                aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg" {
                title id="chart-title" { (title) }
                desc id="chart-desc" { (summary) }
                @for tick in ticks.iter().copied() {
                    line.grid x1=(LEFT) x2=(WIDTH) y1=(y(tick)) y2=(y(tick)) {}
                    text.axis x=(LEFT - 6.0) y=(y(tick) + 4.0) text-anchor="end" { (tick) }
                }
                @for (i, d) in days.iter().enumerate() {
                    @let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
                    @for (below, n, class, word) in segments(d) {
                        rect class=(class) x=(format!("{x:.1}")) width=(format!("{bar_w:.1}"))
                            y=(format!("{:.1}", y(below + n))) height=(format!("{:.1}", y(below) - y(below + n))) {
                            title { (d.date) ": " (n) " " (word) }
                        }
                    }
                    @if i % label_every == 0 {
                        text.axis x=(format!("{:.1}", x + bar_w / 2.0)) y=(HEIGHT - BOTTOM + 16.0) text-anchor="middle" {
                            (d.date.strftime("%m-%d"))
                        }
                    }
                }
            }
            figcaption {
                ul.legend {
                    li { span.swatch.bar-ok {} "Succeeded" }
                    li { span.swatch.bar-running {} "Running" }
                    li { span.swatch.bar-bad {} "Failed" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_on_a_round_number() {
        assert_eq!(axis_top(0), 1);
        assert_eq!(axis_top(3), 5);
        assert_eq!(axis_top(7), 10);
        assert_eq!(axis_top(180), 200);
    }

    #[test]
    fn the_chart_says_what_it_shows_in_words() {
        let days = [
            Day {
                date: jiff::civil::date(2026, 11, 2),
                ok: 3,
                running: 0,
                failed: 0,
            },
            Day {
                date: jiff::civil::date(2026, 11, 3),
                ok: 1,
                running: 1,
                failed: 2,
            },
        ];
        let svg = bars(&days, "Syncs per day").into_string();
        assert!(svg.contains(r#"role="img""#), "{svg}");
        assert!(
            svg.contains("7 syncs over 2 days, 2 failed; most failures on 2026-11-03 (2)."),
            "{svg}"
        );
        assert_eq!(svg.matches("<rect").count(), 4, "{svg}");
        assert!(!svg.contains("style="), "no inline styles: {svg}");
    }
}
