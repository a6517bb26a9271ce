//! The daily sync end to end: seeded merchants on the Xero sandbox, the scheduler and a worker
//! on a real database (SQLite, and PostgreSQL when present), time moved by a manual clock.
//! The books are read back from the sandbox and compared with what was pushed, to the penny.

mod common;

use common::{Harness, book_totals, expected, key_counts, plan};
use domain::ConnectionStatus;
use engine::status;
use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use store::testing::TestDatabase;
use store::{ConnectionUpdate, PushStatus};

/// 03:00 in London on `day` of May 2024 (after the 02:00 sync hour).
fn may(day: i8) -> Timestamp {
    date(2024, 5, day)
        .at(3, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Europe/London").unwrap())
        .unwrap()
        .timestamp()
}

async fn written_items(h: &Harness, company: domain::CompanyId) -> usize {
    let page = h.store.push_items(company, 0, 10_000).await.unwrap();
    page.items
        .iter()
        .filter(|i| i.result.status == PushStatus::Success)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scheduled_days_land_in_the_books_once_and_to_the_penny() {
    for db in TestDatabase::both().await {
        let h = Harness::new(db, may(1)).await;
        let a = h.seed(&plan("ShopA", date(2024, 5, 1), 3, 10)).await;
        let b = h.seed(&plan("ShopB", date(2024, 5, 1), 3, 10)).await;
        // Before the first due instant nothing runs.
        assert_eq!(h.tick_and_run().await, 0);
        h.clock.set(may(4));
        assert_eq!(h.tick_and_run().await, 2, "one sync per company");
        for m in [&a, &b] {
            assert_eq!(h.codes(m.company).await, [status::DATA_WRITTEN]);
            let books = h.books(&m.tenant_id).await;
            assert_eq!(book_totals(&books), expected(m.totals), "{}", h.db.url);
            let keys = key_counts(&books);
            assert!(keys.values().all(|n| *n == 1), "a document twice: {keys:?}");
            assert_eq!(keys.len(), written_items(&h, m.company).await);
            assert!(
                keys.len() >= 5,
                "invoice, payments, bill, transfer…: {keys:?}"
            );
        }
        // Ticking again at the same instant queues nothing.
        assert_eq!(h.tick_and_run().await, 0);
        // The next day has no sales: a sync that writes nothing (2040).
        h.clock.set(may(5));
        assert_eq!(h.tick_and_run().await, 2);
        assert_eq!(
            h.codes(a.company).await,
            [status::DATA_WRITTEN, status::NOTHING_TO_WRITE]
        );
        let books = h.books(&a.tenant_id).await;
        assert_eq!(book_totals(&books), expected(a.totals));
        let state = h.store.schedule_state(a.company).await.unwrap();
        assert_eq!(state.consecutive_failures, 0);
        assert_eq!(
            state.last_success_end,
            Some(may(5) - SignedDuration::from_hours(1))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_days_with_failures_roll_forward_disable_after_31_and_re_enable() {
    for db in TestDatabase::both().await {
        let start = date(2024, 5, 1);
        let h = Harness::new(db, may(1)).await;
        let m = h.seed(&plan("Roll", start, 40, 3)).await;
        let connections = h
            .store
            .list_connections(h.client, m.company)
            .await
            .unwrap()
            .unwrap();
        let xero = connections
            .iter()
            .find(|c| c.platform_key == domain::PlatformKey::Xero)
            .unwrap()
            .clone();
        let set_link = |status: ConnectionStatus| {
            let store = h.store.clone();
            let (client, company, id) = (h.client, m.company, xero.id);
            async move {
                store
                    .update_connection(
                        client,
                        company,
                        id,
                        ConnectionUpdate {
                            status,
                            credentials: None,
                            error: Some(None),
                        },
                    )
                    .await
                    .unwrap();
            }
        };
        // Day d's sync runs at 03:00 on day d+1 and covers day d.
        let at = |day: i64| {
            let d = start.checked_add(jiff::Span::new().days(day)).unwrap();
            d.at(3, 0, 0, 0)
                .to_zoned(jiff::tz::TimeZone::get("Europe/London").unwrap())
                .unwrap()
                .timestamp()
        };
        for day in 1..=40 {
            if day == 3 {
                set_link(ConnectionStatus::Deauthorized).await;
            }
            if day == 37 {
                // The merchant reconnects and turns the sync back on.
                set_link(ConnectionStatus::Linked).await;
                let stored = h.store.config(h.client, m.company).await.unwrap().unwrap();
                assert_eq!(
                    stored.document.enable,
                    Some(false),
                    "disabled by the engine"
                );
                let mut doc = stored.document.clone();
                doc.enable = Some(true);
                h.store
                    .put_config(h.client, m.company, doc, Some(stored.version))
                    .await
                    .unwrap();
            }
            h.clock.set(at(day));
            h.tick_and_run().await;
            let state = h.store.schedule_state(m.company).await.unwrap();
            match day {
                1..=2 => assert_eq!(state.consecutive_failures, 0, "day {day}"),
                3..=32 => {
                    assert_eq!(state.consecutive_failures, (day - 2) as u32, "day {day}");
                    assert!(state.disabled_at.is_none(), "day {day}");
                }
                33..=36 => {
                    assert_eq!(state.consecutive_failures, 31, "day {day}");
                    let reason = state.disabled_reason.clone().unwrap_or_default();
                    assert!(reason.contains("31 consecutive days"), "{reason}");
                }
                _ => {
                    assert_eq!(state.consecutive_failures, 0, "day {day}");
                    assert!(state.disabled_at.is_none(), "day {day}");
                }
            }
        }
        let syncs = {
            let mut s = h.store.syncs(m.company, 0, 1000).await.unwrap();
            s.reverse();
            s
        };
        let codes: Vec<u16> = syncs.iter().map(|s| s.outcome.status_code).collect();
        // Days 1–2 succeed, days 3–33 fail (4220), 34–36 do not run (disabled), day 37's sync
        // covers days 3–37, days 38–40 run normally.
        let mut want = vec![status::DATA_WRITTEN; 2];
        want.extend(vec![status::DEAUTHORIZED; 31]);
        want.extend(vec![status::DATA_WRITTEN; 4]);
        assert_eq!(codes, want);
        let rolled = &syncs[33];
        assert_eq!(
            (rolled.period_start, rolled.period_end),
            (
                at(2) - SignedDuration::from_hours(1),
                at(37) - SignedDuration::from_hours(1)
            )
        );
        assert!(
            syncs[3].period_start == syncs[2].period_start,
            "a failed day's period starts at the last success"
        );
        // Every day is in the books exactly once, to the penny.
        let books = h.books(&m.tenant_id).await;
        assert_eq!(book_totals(&books), expected(m.totals));
        assert!(key_counts(&books).values().all(|n| *n == 1));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn faults_on_a_fifth_of_calls_never_duplicate_a_document() {
    for db in TestDatabase::both().await {
        let h = Harness::new(db, may(1)).await;
        let merchants = [
            h.seed(&plan("FaultA", date(2024, 5, 1), 4, 8)).await,
            h.seed(&plan("FaultB", date(2024, 5, 1), 4, 8)).await,
        ];
        // One setting: a second POST would replace the first before any call drew from it.
        h.faults(json!({"expireTokens": true, "rate429": 0.05, "rate500": 0.05, "rate500AfterCommit": 0.05,
            "rateTimeout": 0.05, "timeoutMs": 2500, "timeoutAfterCommit": true, "seed": 8}))
        .await;
        // Day by day; a failed day rolls into the next, failed items are retried by each run.
        for day in 2..=5 {
            h.clock.set(may(day));
            h.tick_and_run().await;
        }
        let requests = engine::Requests {
            store: h.store.clone(),
            clock: std::sync::Arc::new(h.clock.clone()),
        };
        for _round in 0..20 {
            let mut pending = false;
            for m in &merchants {
                if !h
                    .store
                    .unfinished_push_items(m.company)
                    .await
                    .unwrap()
                    .is_empty()
                {
                    pending = true;
                    let (latest, _) = h.store.latest_syncs(m.company).await.unwrap();
                    requests.retry(&latest.unwrap()).await.unwrap();
                }
            }
            if !pending {
                break;
            }
            h.worker.run_until_idle().await.unwrap();
        }
        // Each kind of fault asked for was injected, so "nothing doubled" below means
        // something; timeouts all come after the commit here.
        let injected = h.injected().await;
        for kind in [
            "tooManyRequests",
            "serverErrorBeforeCommit",
            "serverErrorAfterCommit",
            "timeoutAfterCommit",
        ] {
            assert!(
                injected[kind].as_u64() > Some(0),
                "{kind} never fired: {injected}"
            );
        }
        assert_eq!(injected["timeoutBeforeCommit"], 0, "{injected}");
        h.faults(json!({})).await;
        // Whatever is left (a day that never got past its checks) runs fault-free now.
        h.clock.set(may(6));
        h.tick_and_run().await;
        for m in &merchants {
            assert!(
                h.store
                    .unfinished_push_items(m.company)
                    .await
                    .unwrap()
                    .is_empty()
            );
            let books = h.books(&m.tenant_id).await;
            let keys = key_counts(&books);
            assert!(keys.values().all(|n| *n == 1), "a document twice: {keys:?}");
            assert_eq!(keys.len(), written_items(&h, m.company).await);
            assert_eq!(book_totals(&books), expected(m.totals), "{}", h.db.url);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_closed_period_fails_the_items_and_their_retry_writes_each_once() {
    for db in TestDatabase::both().await {
        let h = Harness::new(db, may(1)).await;
        let m = h.seed(&plan("Locked", date(2024, 5, 1), 2, 6)).await;
        let lock = |date: Option<&str>| {
            let url = format!("{}/sandbox/xero/_control/tenants/{}", h.base, m.tenant_id);
            let body = json!({ "lockDate": date });
            async move {
                let r = reqwest::Client::new()
                    .patch(url)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_success());
            }
        };
        lock(Some("2024-05-31")).await;
        h.clock.set(may(3));
        assert_eq!(h.tick_and_run().await, 1);
        let (latest, success) = h.store.latest_syncs(m.company).await.unwrap();
        let sync = latest.unwrap();
        assert!(success.is_none());
        assert_eq!(
            sync.outcome.status_code,
            status::DATA_WRITE_ERROR,
            "{:?}",
            sync.outcome
        );
        let message = sync.outcome.error_message.clone().unwrap();
        assert!(
            message.to_lowercase().contains("period") || message.to_lowercase().contains("lock"),
            "{message}"
        );
        let items = h.store.sync_push_items(sync.id).await.unwrap();
        let failed = items
            .iter()
            .find(|i| i.result.status == PushStatus::Failed)
            .unwrap();
        assert_eq!(failed.result.status_code, 400);
        assert!(failed.result.validation.as_ref().unwrap()["errors"][0]["message"].is_string());
        assert!(
            key_counts(&h.books(&m.tenant_id).await).is_empty()
                || items.iter().any(|i| i.result.status == PushStatus::Success)
        );
        let written_before = written_items(&h, m.company).await;

        // The merchant reopens the period; support retries the sync's failed items.
        lock(None).await;
        let requests = engine::Requests {
            store: h.store.clone(),
            clock: std::sync::Arc::new(h.clock.clone()),
        };
        requests.retry(&sync).await.unwrap();
        assert_eq!(h.worker.run_until_idle().await.unwrap(), 1);
        let again = h.store.sync_run(m.company, sync.id).await.unwrap().unwrap();
        assert_eq!(again.outcome.status_code, status::DATA_WRITTEN);
        assert!(written_items(&h, m.company).await > written_before);
        let books = h.books(&m.tenant_id).await;
        assert!(key_counts(&books).values().all(|n| *n == 1));
        assert_eq!(book_totals(&books), expected(m.totals));
        // The retry counts as the schedule's success: the next day starts after it.
        let state = h.store.schedule_state(m.company).await.unwrap();
        assert_eq!(state.last_success_end, Some(sync.period_end));
        // Retrying a finished, successful sync writes nothing more.
        requests.retry(&again).await.unwrap();
        h.worker.run_until_idle().await.unwrap();
        assert_eq!(
            key_counts(&h.books(&m.tenant_id).await).len(),
            written_items(&h, m.company).await
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refresh_token_the_platform_refuses_deauthorizes_the_connection() {
    for db in TestDatabase::both().await {
        let h = Harness::new(db, may(1)).await;
        let m = h.seed(&plan("Revoked", date(2024, 5, 1), 1, 3)).await;
        let xero = h
            .store
            .list_connections(h.client, m.company)
            .await
            .unwrap()
            .unwrap()
            .into_iter()
            .find(|c| c.platform_key == domain::PlatformKey::Xero)
            .unwrap();
        // The merchant revoked our access: an expired access token and a refresh token the
        // sandbox does not know.
        let dead = platforms::Credentials::Xero {
            tokens: platforms::OAuthTokens {
                access_token: "expired".into(),
                refresh_token: "revoked".into(),
                expires_at: Timestamp::now() - SignedDuration::from_hours(1),
            },
            tenant_id: m.tenant_id.clone(),
        };
        let sealed = h.cipher.seal(xero.id.0.as_bytes(), &dead.to_bytes());
        h.store
            .update_connection(
                h.client,
                m.company,
                xero.id,
                ConnectionUpdate {
                    status: ConnectionStatus::Linked,
                    credentials: Some(Some(sealed)),
                    error: None,
                },
            )
            .await
            .unwrap();
        h.connectors.forget(xero.id);
        // The client listens for what this does to the merchant.
        let endpoint = store::WebhookEndpointId::new();
        h.store
            .create_webhook_endpoint(
                h.client,
                store::NewWebhookEndpoint {
                    id: endpoint,
                    url: "https://pos.example/hooks".into(),
                    description: None,
                    events: vec!["connection.deauthorized".into(), "sync.failed".into()],
                    sealed_secret: engine::webhooks::seal_secret(&h.cipher, endpoint, "whsec_x"),
                    created: may(1),
                },
            )
            .await
            .unwrap();
        h.clock.set(may(2));
        assert_eq!(h.tick_and_run().await, 1);
        assert_eq!(h.codes(m.company).await, [status::DEAUTHORIZED]);
        let log = h
            .store
            .list_webhook_deliveries(h.client, Default::default(), Default::default())
            .await
            .unwrap();
        let mut told: Vec<_> = log
            .items
            .iter()
            .map(|d| d.event.event_type.as_str())
            .collect();
        told.sort();
        assert_eq!(told, ["connection.deauthorized", "sync.failed"]);
        let deauthorized = log
            .items
            .iter()
            .find(|d| d.event.event_type == "connection.deauthorized")
            .unwrap();
        assert_eq!(deauthorized.event.company_id, Some(m.company));
        assert_eq!(
            deauthorized.event.payload["connectionId"],
            xero.id.to_string()
        );
        let after = h
            .store
            .connection(h.client, m.company, xero.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.status, ConnectionStatus::Deauthorized);
        assert!(after.error.is_some_and(|e| !e.message.is_empty()));
        assert!(key_counts(&h.books(&m.tenant_id).await).is_empty());
    }
}

/// The sales day in a document key `cs:{company}:{day}:{group}:{kind}:r{n}`.
fn key_day(key: &str) -> &str {
    key.split(':').nth(2).unwrap_or_default()
}

/// A Xero date (`/Date(1714521600000+0000)/`, midnight UTC of the day) as that day.
fn xero_day(v: &serde_json::Value) -> Option<jiff::civil::Date> {
    let ms: i64 = v
        .as_str()?
        .strip_prefix("/Date(")?
        .split('+')
        .next()?
        .parse()
        .ok()?;
    let t = Timestamp::from_millisecond(ms).ok()?;
    Some(t.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// Every keyed document in the books is dated the day of its key, no key names several days,
/// and each of `days` has exactly one first sales invoice (revision 0).
fn assert_each_day_once_on_its_date(books: &serde_json::Value, days: std::ops::RangeInclusive<i8>) {
    let keys = key_counts(books);
    assert!(keys.values().all(|n| *n == 1), "a document twice: {keys:?}");
    assert!(
        keys.keys().all(|k| !key_day(k).contains("..")),
        "a document for several days: {keys:?}"
    );
    let mut dated = 0;
    for docs in books.as_object().unwrap().values() {
        for d in docs.as_array().into_iter().flatten() {
            let key = [
                "Reference",
                "Narration",
                "InvoiceNumber",
                "CreditNoteNumber",
            ]
            .iter()
            .find_map(|f| d[*f].as_str().filter(|k| k.starts_with("cs:")));
            let (Some(key), Some(date)) = (key, xero_day(&d["Date"])) else {
                continue;
            };
            assert_eq!(date.to_string(), key_day(key), "{d}");
            dated += 1;
        }
    }
    assert_eq!(dated, keys.len(), "every document has a date");
    let mut invoice_days: Vec<String> = books["Invoices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["Type"] == json!("ACCREC"))
        .map(|d| d["Reference"].as_str().unwrap().to_owned())
        .filter(|k| k.ends_with(":invoice:r0"))
        .map(|k| key_day(&k).to_owned())
        .collect();
    invoice_days.sort();
    let want: Vec<String> = days.map(|d| date(2024, 5, d).to_string()).collect();
    assert_eq!(invoice_days, want);
}

/// Every line of a fee bill or supplier credit note is at a tax rate that can apply to its
/// account's class (the sandbox refuses the others as Xero does; this names the rate).
fn assert_fee_lines_use_rates_for_their_accounts(books: &serde_json::Value) {
    let find = |collection: &str, field: &str, value: &serde_json::Value| {
        books[collection]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| &x[field] == value)
            .cloned()
            .unwrap_or_default()
    };
    let mut lines = 0;
    for (collection, kind) in [("Invoices", "ACCPAY"), ("CreditNotes", "ACCPAYCREDIT")] {
        for doc in books[collection].as_array().unwrap() {
            if doc["Type"] != json!(kind) {
                continue;
            }
            for line in doc["LineItems"].as_array().unwrap() {
                let account = find("Accounts", "AccountID", &line["AccountID"]);
                let rate = find("TaxRates", "TaxType", &line["TaxType"]);
                let flag = match account["Class"].as_str() {
                    Some("EXPENSE") => "CanApplyToExpenses",
                    Some("REVENUE") => "CanApplyToRevenue",
                    _ => continue,
                };
                assert_eq!(rate[flag], json!(true), "{line} on {account}");
                lines += 1;
            }
        }
    }
    assert!(lines > 0, "no fee lines in the books");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_historic_week_is_each_day_in_the_books_once_on_its_own_date() {
    for db in TestDatabase::both().await {
        let h = Harness::new(db, may(8)).await;
        let m = h.seed(&plan("Week", date(2024, 5, 1), 8, 6)).await;
        let requests = engine::Requests {
            store: h.store.clone(),
            clock: std::sync::Arc::new(h.clock.clone()),
        };
        // 1–7 May, each day from the 02:00 sync hour (BST) to the next.
        let hour = SignedDuration::from_hours(1);
        let week = requests
            .historic(m.company, may(1) - hour, may(8) - hour)
            .await
            .unwrap();
        h.worker.run_until_idle().await.unwrap();
        assert_eq!(h.codes(m.company).await, [status::DATA_WRITTEN]);
        assert_each_day_once_on_its_date(&h.books(&m.tenant_id).await, 1..=7);
        let written = written_items(&h, m.company).await;
        // A retry of the range writes nothing more.
        let done = h.store.sync_run(m.company, week.id).await.unwrap().unwrap();
        requests.retry(&done).await.unwrap();
        h.worker.run_until_idle().await.unwrap();
        assert_eq!(written_items(&h, m.company).await, written);
        // The schedule then covers 1–8 May: only the 8th is new.
        h.clock.set(may(9));
        assert_eq!(h.tick_and_run().await, 1);
        let (latest, _) = h.store.latest_syncs(m.company).await.unwrap();
        let latest = latest.unwrap();
        assert_eq!(latest.outcome.status_code, status::DATA_WRITTEN);
        let items = h.store.sync_push_items(latest.id).await.unwrap();
        assert!(!items.is_empty());
        assert!(
            items
                .iter()
                .all(|i| key_day(&i.document_key) == "2024-05-08"),
            "{:?}",
            items.iter().map(|i| &i.document_key).collect::<Vec<_>>()
        );
        let books = h.books(&m.tenant_id).await;
        assert_each_day_once_on_its_date(&books, 1..=8);
        assert_fee_lines_use_rates_for_their_accounts(&books);
        assert_eq!(book_totals(&books), expected(m.totals), "{}", h.db.url);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_week_of_failures_rolled_forward_is_each_day_once_on_its_own_date() {
    for db in TestDatabase::both().await {
        let h = Harness::new(db, may(1)).await;
        let m = h.seed(&plan("Rolled", date(2024, 5, 1), 7, 6)).await;
        let xero = h
            .store
            .list_connections(h.client, m.company)
            .await
            .unwrap()
            .unwrap()
            .into_iter()
            .find(|c| c.platform_key == domain::PlatformKey::Xero)
            .unwrap();
        let set_link = |status: ConnectionStatus| {
            let store = h.store.clone();
            let (client, company, id) = (h.client, m.company, xero.id);
            async move {
                let update = ConnectionUpdate {
                    status,
                    credentials: None,
                    error: Some(None),
                };
                store
                    .update_connection(client, company, id, update)
                    .await
                    .unwrap();
            }
        };
        set_link(ConnectionStatus::Deauthorized).await;
        for day in 2..=7 {
            h.clock.set(may(day));
            assert_eq!(h.tick_and_run().await, 1, "day {day}");
        }
        assert_eq!(h.codes(m.company).await, [status::DEAUTHORIZED; 6]);
        // Reconnected: the 8 May run covers 1–7 May.
        set_link(ConnectionStatus::Linked).await;
        h.clock.set(may(8));
        assert_eq!(h.tick_and_run().await, 1);
        let (latest, _) = h.store.latest_syncs(m.company).await.unwrap();
        let rolled = latest.unwrap();
        assert_eq!(rolled.outcome.status_code, status::DATA_WRITTEN);
        let hour = SignedDuration::from_hours(1);
        assert_eq!(
            (rolled.period_start, rolled.period_end),
            (may(1) - hour, may(8) - hour)
        );
        let books = h.books(&m.tenant_id).await;
        assert_each_day_once_on_its_date(&books, 1..=7);
        assert_eq!(book_totals(&books), expected(m.totals), "{}", h.db.url);
        // The next day has nothing new: nothing is written twice.
        let written = written_items(&h, m.company).await;
        h.clock.set(may(9));
        assert_eq!(h.tick_and_run().await, 1);
        assert_eq!(
            h.codes(m.company).await.last(),
            Some(&status::NOTHING_TO_WRITE)
        );
        assert_eq!(written_items(&h, m.company).await, written);
    }
}
