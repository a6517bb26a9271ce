//! `GET /health`: the client's syncs at a glance over a date range (the last 14 days unless
//! chosen), then what needs someone: merchants failing now (longest first), merchants whose
//! sync the schedule stopped, and connections the merchant must link again.

use super::chart::{self, Day};
use super::signed_in;
use super::words::{self, badge, duration, when};
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Days shown when no range is chosen.
pub const DEFAULT_DAYS: i32 = 14;
/// The longest range the chart draws.
pub const MAX_DAYS: i32 = 366;
/// Rows per list on the dashboard (the history has the rest).
const LIST: u64 = 50;

#[derive(Deserialize, Default)]
pub struct RangeQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// An inclusive range of UTC days, checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub from: Date,
    pub to: Date,
}

impl Range {
    /// The range a query names, or why it cannot be read. Empty fields take the default.
    pub fn parse(query: &RangeQuery, today: Date) -> Result<Range, String> {
        let day = |name: &str, raw: &Option<String>| -> Result<Option<Date>, String> {
            match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(text) => text.parse::<Date>().map(Some).map_err(|_| {
                    format!("The {name} date {text:?} is not a date like 2026-11-02.")
                }),
            }
        };
        let to = day("end", &query.to)?.unwrap_or(today);
        let from = match day("start", &query.from)? {
            Some(from) => from,
            None => to
                .checked_sub(Span::new().days(DEFAULT_DAYS - 1))
                .map_err(|e| e.to_string())?,
        };
        if from > to {
            return Err(format!("The start date {from} is after the end date {to}."));
        }
        let days = (to - from).get_days() + 1;
        if days > MAX_DAYS {
            return Err(format!(
                "The range has {days} days; choose at most {MAX_DAYS}."
            ));
        }
        Ok(Range { from, to })
    }

    /// `[start of from, start of the day after to)` in UTC.
    pub fn instants(&self) -> Option<(Timestamp, Timestamp)> {
        let start = self.from.to_zoned(TimeZone::UTC).ok()?.timestamp();
        let end = self
            .to
            .tomorrow()
            .ok()?
            .to_zoned(TimeZone::UTC)
            .ok()?
            .timestamp();
        Some((start, end))
    }

    pub fn days(&self) -> Vec<Date> {
        self.from
            .series(Span::new().days(1))
            .take_while(|d| *d <= self.to)
            .collect()
    }
}

/// The UTC date of a day number since the epoch.
fn date_of(day: i64) -> Option<Date> {
    Timestamp::from_second(day.checked_mul(86_400)?)
        .ok()
        .map(|t| t.to_zoned(TimeZone::UTC).date())
}

/// The range form, shared with nothing else (GET, so the URL can be shared).
fn range_form(range: &Range) -> Markup {
    html! {
        form.range method="get" action="/health" {
            div.field {
                label for="from" { "From" }
                input type="date" id="from" name="from" value=(range.from);
            }
            div.field {
                label for="to" { "To" }
                input type="date" id="to" name="to" value=(range.to);
            }
            button type="submit" { "Show" }
        }
    }
}

/// `GET /health?from=YYYY-MM-DD&to=YYYY-MM-DD`
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Response {
    let mut ctx = signed_in!(state, headers, uri);
    let Ok(Query(query)) = query else {
        return ctx.bad_request("The dates could not be read; choose them again.");
    };
    let today = state.clock.now().to_zoned(TimeZone::UTC).date();
    let range = match Range::parse(&query, today) {
        Ok(range) => range,
        Err(message) => return ctx.bad_request(&message),
    };
    let Some((start, end)) = range.instants() else {
        return ctx.bad_request("The range is outside the dates we can show.");
    };
    let client = ctx.client();
    let counts = match state.store.sync_counts(client, start, end).await {
        Ok(counts) => counts,
        Err(e) => return ctx.failure("counting syncs", e),
    };
    let failing = match state.store.failing_companies(client, LIST).await {
        Ok(rows) => rows,
        Err(e) => return ctx.failure("listing failing merchants", e),
    };
    let disabled = match state.store.disabled_companies(client, LIST).await {
        Ok(rows) => rows,
        Err(e) => return ctx.failure("listing disabled merchants", e),
    };
    let relink = match state.store.relink_needed(client, LIST).await {
        Ok(rows) => rows,
        Err(e) => return ctx.failure("listing connections to re-link", e),
    };
    let notice = ctx.take_notice(&state).await;

    let mut per_day: BTreeMap<Date, Day> = range
        .days()
        .into_iter()
        .map(|date| {
            (
                date,
                Day {
                    date,
                    ok: 0,
                    running: 0,
                    failed: 0,
                },
            )
        })
        .collect();
    let mut per_code: BTreeMap<u16, u64> = BTreeMap::new();
    for c in &counts {
        *per_code.entry(c.status_code).or_default() += c.count;
        if let Some(day) = date_of(c.day).and_then(|d| per_day.get_mut(&d)) {
            match words::tone(c.status_code) {
                "ok" => day.ok += c.count,
                "running" => day.running += c.count,
                _ => day.failed += c.count,
            }
        }
    }
    let days: Vec<Day> = per_day.into_values().collect();
    let now = state.clock.now();
    let history = |code: u16| {
        format!(
            "/health/syncs?status={code}&from={}&to={}",
            range.from, range.to
        )
    };
    let title = "Dashboard";
    let content = html! {
        h1 { (title) }
        @if let Some(notice) = notice { div.notice role="status" { (notice) } }
        (range_form(&range))
        h2 { "Syncs per day, " (range.from) " to " (range.to) " (UTC)" }
        (chart::bars(&days, &format!("Syncs per day from {} to {}", range.from, range.to)))
        details.numbers {
            summary { "The numbers per day" }
            table {
                caption { "Syncs per day" }
                thead { tr {
                    th scope="col" { "Day" } th scope="col" { "Succeeded" }
                    th scope="col" { "Running" } th scope="col" { "Failed" } th scope="col" { "Total" }
                } }
                tbody {
                    @for d in &days {
                        tr {
                            th scope="row" { (d.date) }
                            td { (d.ok) } td { (d.running) } td { (d.failed) } td { (d.total()) }
                        }
                    }
                }
            }
        }
        table {
            caption { "Syncs by status code" }
            thead { tr { th scope="col" { "Status" } th scope="col" { "Syncs" } } }
            tbody {
                @if per_code.is_empty() {
                    tr { td colspan="2" { "No syncs in this range." } }
                }
                @for (code, n) in &per_code {
                    tr {
                        td { (badge(*code)) }
                        td { a href=(history(*code)) { (n) span.visually-hidden { " syncs with status " (code) } } }
                    }
                }
            }
        }

        h2 id="failing" { "Failing merchants (" (failing.len()) ")" }
        @if failing.is_empty() {
            p.status-ok { "No merchant's latest sync failed." }
        } @else {
            table {
                caption { "Merchants whose latest sync failed, longest failing first" }
                thead { tr {
                    th scope="col" { "Merchant" } th scope="col" { "Failing for" }
                    th scope="col" { "Failed syncs" } th scope="col" { "Latest error" }
                } }
                tbody {
                    @for f in &failing {
                        tr {
                            th scope="row" { a href={ "/health/companies/" (f.company_id) } { (f.company_name) } }
                            td {
                                (duration(now.duration_since(f.failing_since))) br;
                                span.hint.inline { "since " (when(f.failing_since)) }
                            }
                            td {
                                (f.failed_syncs)
                                @if f.consecutive_failures > 0 {
                                    br; span.hint.inline { (f.consecutive_failures) " scheduled day(s) in a row; 31 stop the sync" }
                                }
                            }
                            td {
                                a href={ "/health/syncs/" (f.latest.id) } { (badge(f.latest.outcome.status_code)) }
                                @if let Some(message) = &f.latest.outcome.error_message { br; (message) }
                            }
                        }
                    }
                }
            }
        }

        h2 id="disabled" { "Syncs turned off (" (disabled.len()) ")" }
        @if disabled.is_empty() {
            p { "No merchant's sync has been turned off by the schedule." }
        } @else {
            table {
                caption { "Merchants whose sync was turned off, most recent first" }
                thead { tr { th scope="col" { "Merchant" } th scope="col" { "Since" } th scope="col" { "Why" } } }
                tbody {
                    @for d in &disabled {
                        tr {
                            th scope="row" { a href={ "/health/companies/" (d.company_id) } { (d.company_name) } }
                            td { (when(d.disabled_at)) }
                            td {
                                (d.reason.clone().unwrap_or_else(|| "No reason recorded.".to_owned()))
                                @if d.consecutive_failures > 0 { " (" (d.consecutive_failures) " failed days in a row)" }
                            }
                        }
                    }
                }
            }
        }

        h2 id="relink" { "Connections to link again (" (relink.len()) ")" }
        @if relink.is_empty() {
            p { "Every connection the platforms refused has been linked again." }
        } @else {
            table {
                caption { "Connections the accounting platform no longer accepts" }
                thead { tr { th scope="col" { "Merchant" } th scope="col" { "Platform" } th scope="col" { "Since" } th scope="col" { "What the platform said" } } }
                tbody {
                    @for r in &relink {
                        tr {
                            th scope="row" { a href={ "/health/companies/" (r.connection.company_id) } { (r.company_name) } }
                            td { (r.connection.platform_key.integration().name) }
                            td { (r.connection.error.as_ref().map(|e| when(e.errored_on)).unwrap_or_default()) }
                            td { (r.connection.error.as_ref().map(|e| e.message.clone()).unwrap_or_default()) " The merchant must connect its books again from the Sync Flow." }
                        }
                    }
                }
            }
        }
    };
    ctx.page(StatusCode::OK, title, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_default_to_two_weeks_and_refuse_nonsense() {
        let today = jiff::civil::date(2026, 11, 20);
        let q = |from: &str, to: &str| RangeQuery {
            from: Some(from.into()),
            to: Some(to.into()),
        };
        let r = Range::parse(&RangeQuery::default(), today).unwrap();
        assert_eq!(r.from, jiff::civil::date(2026, 11, 7));
        assert_eq!(r.days().len(), 14);
        assert!(Range::parse(&q("2026-11-10", "2026-11-01"), today).is_err());
        assert!(Range::parse(&q("yesterday", ""), today).is_err());
        assert!(Range::parse(&q("2020-01-01", "2026-01-01"), today).is_err());
        let one = Range::parse(&q("2026-11-01", "2026-11-01"), today).unwrap();
        let (a, b) = one.instants().unwrap();
        assert_eq!(b.duration_since(a).as_hours(), 24);
    }
}
