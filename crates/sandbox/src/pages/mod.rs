//! Read-only HTML pages of the sandboxes' books (issue #14), so a person can look instead of
//! reading JSON: per platform, `GET _control/tenants.html` lists the tenants, and
//! `GET _control/tenants/{id}/books.html` shows one tenant's trial balance (from the documents
//! written, which must balance) and a table per document type. Server-rendered with maud
//! (every text escaped), one stylesheet served here (`_control/books.css`, no inline style,
//! no CDN), links relative so the pages work wherever the router is nested.

mod documents;
mod ledger;
mod quickbooks_ledger;
mod xero_ledger;

use crate::state::{PlatformKind, SandboxState};
use crate::tenant::{Tenant, lock};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ledger::TrialBalance;
use maud::{DOCTYPE, Markup, html};
use rust_decimal::Decimal;

const STYLESHEET: &str = include_str!("books.css");

/// Only our own stylesheet; no scripts, frames or inline styles.
const POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn platform_name(kind: PlatformKind) -> &'static str {
    match kind {
        PlatformKind::Xero => "Xero",
        PlatformKind::QuickBooks => "QuickBooks Online",
    }
}

/// The trial balance of a tenant's documents, as the platform would post them.
fn trial_balance(kind: PlatformKind, t: &Tenant) -> TrialBalance {
    match kind {
        PlatformKind::Xero => {
            TrialBalance::of(&xero_ledger::entries(t), |c| xero_ledger::label(t, c))
        }
        PlatformKind::QuickBooks => TrialBalance::of(&quickbooks_ledger::entries(t), |c| {
            quickbooks_ledger::label(t, c)
        }),
    }
}

fn money(d: Decimal) -> String {
    format!("{d:.2}")
}

/// The page around `body`; `root` leads back to `_control/` from the page's folder.
fn layout(title: &str, root: &str, body: Markup) -> Response {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href={ (root) "books.css" };
            }
            body {
                header {
                    nav aria-label="Sandboxes" {
                        a href={ (root) "../../xero/_control/tenants.html" } { "Xero tenants" }
                        " · "
                        a href={ (root) "../../quickbooks/_control/tenants.html" } { "QuickBooks companies" }
                    }
                }
                main { (body) }
            }
        }
    };
    (
        [
            (header::CONTENT_SECURITY_POLICY, POLICY),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

fn not_found(kind: PlatformKind, id: &str) -> Response {
    let mut r = layout(
        "No such tenant",
        "../../",
        html! {
            h1 { "No such tenant" }
            p { "The " (platform_name(kind)) " sandbox has no tenant " code { (id) } "." }
            p { a href="../../tenants.html" { "All tenants" } }
        },
    );
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}

async fn books_page(s: SandboxState, kind: PlatformKind, id: String) -> Response {
    let Some(cell) = s.platform(kind).tenant(&id) else {
        return not_found(kind, &id);
    };
    let t = lock(&cell.books).clone();
    let tb = trial_balance(kind, &t);
    let tables: Vec<_> = documents::tables(kind)
        .iter()
        .map(|table| (table, t.list(table.coll)))
        .filter(|(_, docs)| !docs.is_empty())
        .collect();
    let title = format!("{} — books", t.name);
    layout(
        &title,
        "../../",
        html! {
            h1 { (t.name) }
            p.meta {
                (platform_name(kind)) " sandbox · " (t.country) " · " (t.currency)
                " · id " code { (t.id) }
                @if let Some(d) = t.lock_date { " · locked up to " (d.to_string()) }
            }
            p { "Read-only. The same books as JSON: " a href="books" { "books" } "." }
            section aria-labelledby="tb" {
                h2 #tb { "Trial balance" }
                @if tb.balances() {
                    p.ok { "Balanced: " (tb.documents) " posted documents, debits equal credits." }
                } @else {
                    p.bad { "Does not balance: debits " (money(tb.debits)) ", credits " (money(tb.credits)) "." }
                    ul { @for (what, off) in &tb.unbalanced { li { (what) " is off by " (money(*off)) } } }
                }
                div.scroll role="region" aria-label="Trial balance" tabindex="0" {
                    table.tb {
                        caption { "Trial balance in " (t.currency) " (accrual basis)" }
                        thead { tr {
                            th scope="col" { "Account" }
                            th scope="col" class="num" { "Debits" }
                            th scope="col" class="num" { "Credits" }
                            th scope="col" class="num" { "Balance" }
                        } }
                        tbody { @for r in &tb.rows { tr {
                            th scope="row" { (r.account) }
                            td.num { (money(r.debits)) }
                            td.num { (money(r.credits)) }
                            td.num { (balance(r.balance())) }
                        } } }
                        tfoot { tr {
                            th scope="row" { "Total" }
                            td.num { (money(tb.debits)) }
                            td.num { (money(tb.credits)) }
                            td.num { (balance(tb.debits - tb.credits)) }
                        } }
                    }
                }
            }
            section aria-labelledby="docs" {
                h2 #docs { "Documents" }
                @if tables.is_empty() {
                    p { "No documents written yet." }
                } @else {
                    nav aria-label="Document types" { ul.types { @for (table, docs) in &tables {
                        li { a href={ "#" (documents::anchor(table)) } { (table.caption) " (" (docs.len()) ")" } }
                    } } }
                    @for (table, docs) in &tables { (documents::render(table, docs)) }
                }
            }
        },
    )
}

/// A balance with its side: "120.00 Dr", "80.00 Cr", "0.00".
fn balance(d: Decimal) -> String {
    if d.is_sign_negative() && !d.is_zero() {
        format!("{} Cr", money(-d))
    } else if d.is_zero() {
        money(Decimal::ZERO)
    } else {
        format!("{} Dr", money(d))
    }
}

async fn tenants_page(s: SandboxState, kind: PlatformKind) -> Response {
    let tenants = s.platform(kind).tenant_names();
    let name = platform_name(kind);
    layout(
        &format!("{name} sandbox tenants"),
        "",
        html! {
            h1 { (name) " sandbox tenants" }
            @if tenants.is_empty() {
                p { "No tenants yet: " code { "POST _control/tenants" } " creates one." }
            } @else {
                div.scroll role="region" aria-label="Tenants" tabindex="0" {
                    table {
                        caption { (name) " tenants and their books" }
                        thead { tr { th scope="col" { "Name" } th scope="col" { "Id" } } }
                        tbody { @for (id, tenant) in &tenants { tr {
                            th scope="row" { a href={ "tenants/" (id) "/books.html" } { (tenant) } }
                            td { code { (id) } }
                        } } }
                    }
                }
            }
        },
    )
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// The pages of one platform, under `_control/`.
pub fn routes(kind: PlatformKind) -> axum::Router<SandboxState> {
    axum::Router::new()
        .route("/_control/books.css", get(stylesheet))
        .route(
            "/_control/tenants.html",
            get(move |State(s): State<SandboxState>| tenants_page(s, kind)),
        )
        .route(
            "/_control/tenants/{id}/books.html",
            get(
                move |State(s): State<SandboxState>, Path(id): Path<String>| {
                    books_page(s, kind, id)
                },
            ),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balances_say_their_side() {
        assert_eq!(balance(Decimal::new(12000, 2)), "120.00 Dr");
        assert_eq!(balance(Decimal::new(-8000, 2)), "80.00 Cr");
        assert_eq!(balance(Decimal::ZERO), "0.00");
    }
}
