//! `GET /health/syncs`: the client's syncs, searched by sync id, company id or the client's
//! own merchant identifier, filtered by date range and status code, sorted, and paged by the
//! database (`LIMIT`/`OFFSET` on the indexes of migration 0010), so 100,000 syncs page as fast
//! as 100.

use super::dashboard::{Range, RangeQuery};
use super::words::{self, badge, when};
use super::{Ctx, signed_in};
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::tz::TimeZone;
use maud::{Markup, html};
use serde::Deserialize;
use store::{SyncSearch, SyncSort};
use uuid::Uuid;

/// Syncs per page.
pub const PAGE_SIZE: u64 = 50;
/// Pages beyond this are refused: narrow the search instead.
const MAX_PAGE: u64 = 10_000;

#[derive(Deserialize, Default, Clone)]
pub struct HistoryQuery {
    /// A sync id, a company id or a merchant identifier.
    pub q: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub status: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

impl HistoryQuery {
    /// This search's URL on another page.
    fn url(&self, page: u64) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (name, value) in [
            ("q", &self.q),
            ("from", &self.from),
            ("to", &self.to),
            ("status", &self.status),
            ("sort", &self.sort),
        ] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                pairs.push((name, v.to_owned()));
            }
        }
        pairs.push(("page", page.to_string()));
        format!(
            "/health/syncs?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// What the search box names, resolved within the client: `Err` says why nothing can match.
async fn resolve(
    state: &AppState,
    ctx: &Ctx,
    q: &str,
    search: &mut SyncSearch,
) -> Result<Option<String>, store::StoreError> {
    let client = ctx.client();
    if let Ok(id) = q.parse::<Uuid>() {
        if state.store.client_sync(client, id).await?.is_some() {
            search.sync_id = Some(id);
            return Ok(Some(format!("Sync {id}")));
        }
        if let Some(company) = state.store.company(client, domain::CompanyId(id)).await? {
            search.company = Some(company.id);
            return Ok(Some(format!(
                "Merchant {} ({})",
                company.name.as_str(),
                company.id
            )));
        }
        // Neither: searched as a sync id, which finds nothing.
        search.sync_id = Some(id);
        return Ok(None);
    }
    match state.store.merchant_company(client, q).await? {
        Some(company) => {
            search.company = Some(company);
            Ok(Some(format!("Merchant identifier {q:?}")))
        }
        None => {
            // No such merchant: a company id that cannot exist, so the page says "none".
            search.company = Some(domain::CompanyId(Uuid::nil()));
            Ok(None)
        }
    }
}

fn filters(query: &HistoryQuery, range: Option<&Range>) -> Markup {
    let status = text(&query.status).unwrap_or_default();
    let sort = text(&query.sort).unwrap_or("newest");
    html! {
        form.search method="get" action="/health/syncs" {
            div.field {
                label for="q" { "Sync id, company id or merchant identifier" }
                input type="text" id="q" name="q" value=(text(&query.q).unwrap_or_default()) autocomplete="off";
            }
            div.filters {
                div.field {
                    label for="from" { "From" }
                    input type="date" id="from" name="from" value=(range.map(|r| r.from.to_string()).unwrap_or_default());
                }
                div.field {
                    label for="to" { "To" }
                    input type="date" id="to" name="to" value=(range.map(|r| r.to.to_string()).unwrap_or_default());
                }
                div.field {
                    label for="status" { "Status" }
                    select id="status" name="status" {
                        option value="" selected[status.is_empty()] { "Any status" }
                        @for code in words::CODES {
                            option value=(code) selected[status == code.to_string()] { (code) " " (words::name(code)) }
                        }
                    }
                }
                div.field {
                    label for="sort" { "Sort" }
                    select id="sort" name="sort" {
                        @for s in SyncSort::ALL {
                            option value=(s.as_str()) selected[sort == s.as_str()] {
                                (match s { SyncSort::NewestFirst => "Newest first", SyncSort::OldestFirst => "Oldest first", SyncSort::Status => "Worst status first" })
                            }
                        }
                    }
                }
            }
            div.actions { button type="submit" { "Search" } a.button.secondary href="/health/syncs" { "Clear" } }
        }
    }
}

/// `GET /health/syncs?q=&from=&to=&status=&sort=&page=`
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> Response {
    let ctx = signed_in!(state, headers, uri);
    let Ok(Query(query)) = query else {
        return ctx.bad_request("The search could not be read; start a new one.");
    };
    let mut search = SyncSearch {
        limit: PAGE_SIZE,
        ..SyncSearch::default()
    };
    // Dates: only when given (the history is not limited to two weeks).
    let range = if text(&query.from).is_some() || text(&query.to).is_some() {
        let today = state.clock.now().to_zoned(TimeZone::UTC).date();
        let range = RangeQuery {
            from: query.from.clone(),
            to: query.to.clone(),
        };
        match Range::parse(&range, today) {
            Ok(range) => Some(range),
            Err(message) => return ctx.bad_request(&message),
        }
    } else {
        None
    };
    if let Some((from, to)) = range.as_ref().and_then(Range::instants) {
        search.from = Some(from);
        search.to = Some(to);
    }
    if let Some(status) = text(&query.status) {
        match status.parse::<u16>() {
            Ok(code) if words::CODES.contains(&code) => search.status_code = Some(code),
            _ => {
                return ctx.bad_request(&format!(
                    "{status:?} is not a status code; choose one from the list."
                ));
            }
        }
    }
    if let Some(sort) = text(&query.sort) {
        match SyncSort::parse(sort) {
            Some(sort) => search.sort = sort,
            None => return ctx.bad_request(&format!("{sort:?} is not a way to sort.")),
        }
    }
    let page = match text(&query.page).map(str::parse::<u64>) {
        None => 1,
        Some(Ok(n)) if (1..=MAX_PAGE).contains(&n) => n,
        Some(_) => {
            return ctx.bad_request(&format!("The page must be a number from 1 to {MAX_PAGE}."));
        }
    };
    search.offset = (page - 1) * PAGE_SIZE;
    let searched_for = match text(&query.q) {
        None => None,
        Some(q) => match resolve(&state, &ctx, q, &mut search).await {
            Ok(found) => Some((q.to_owned(), found)),
            Err(e) => return ctx.failure("resolving a search", e),
        },
    };
    let started = std::time::Instant::now();
    let found = match state.store.search_syncs(ctx.client(), &search).await {
        Ok(found) => found,
        Err(e) => return ctx.failure("searching syncs", e),
    };
    tracing::debug!(client_id = %ctx.client(), total = found.total, elapsed_ms = started.elapsed().as_millis() as u64, "sync health: history searched");
    let pages = found.total.div_ceil(PAGE_SIZE).max(1);
    let first = search.offset + 1;
    let last = search.offset + found.rows.len() as u64;
    let title = "Sync history";
    let content = html! {
        h1 { (title) }
        (filters(&query, range.as_ref()))
        @if let Some((q, found_what)) = &searched_for {
            p role="status" {
                @match found_what {
                    Some(what) => { "Showing: " (what) "." }
                    None => { "No sync, merchant or merchant identifier of yours is called " code { (q) } "." }
                }
            }
        }
        @if found.rows.is_empty() {
            p { "No syncs match." }
        } @else {
            p.hint { "Syncs " (first) "–" (last) " of " (found.total) "." }
            table.history {
                caption { "Syncs, page " (page) " of " (pages) }
                thead { tr {
                    th scope="col" { "Requested" } th scope="col" { "Merchant" }
                    th scope="col" { "Period" } th scope="col" { "Status" } th scope="col" { "Sync" }
                } }
                tbody {
                    @for row in &found.rows {
                        @let s = &row.sync;
                        tr {
                            td { (when(s.requested)) }
                            td { a href={ "/health/companies/" (s.company_id) } { (row.company_name) } }
                            td { (s.period_start.to_zoned(TimeZone::UTC).date()) " → " (s.period_end.to_zoned(TimeZone::UTC).date()) }
                            td {
                                (badge(s.outcome.status_code))
                                @if let Some(m) = &s.outcome.error_message { br; span.hint.inline { (m) } }
                            }
                            td { a href={ "/health/syncs/" (s.id) } { "Open" span.visually-hidden { " sync " (s.id) } } }
                        }
                    }
                }
            }
            nav.pager aria-label="Pages" {
                @if page > 1 { a href=(query.url(page - 1)) rel="prev" { "← Previous page" } }
                span { "Page " (page) " of " (pages) }
                @if page < pages { a href=(query.url(page + 1)) rel="next" { "Next page →" } }
            }
        }
    };
    ctx.page(StatusCode::OK, title, content)
}
