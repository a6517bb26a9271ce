//! `serve --demo`: a merchant on the Xero sandbox with a week of sales, its sync scheduled
//! from a week ago, so the worker writes real documents into the sandbox's books within
//! seconds of starting; and a support user of its client, credentials printed.
//!
//! The merchant belongs to the bootstrap client when `COMMERCE_SYNC_BOOTSTRAP_API_KEY` is
//! set (the README's key then sees it), else to a "demo" client whose new key is printed.
//! Run again on the same database, the demo finds its merchant (by its tag) instead of
//! adding a second one.

use anyhow::Context;
use domain::{ClientId, Company, CompanyTags};
use engine::seeding::{MerchantPlan, seed_merchant};
use platforms::TokenCipher;
use std::collections::BTreeMap;
use std::sync::Arc;
use store::{CompanyUpdate, Store};

/// The tag that marks the demo's merchant, so a second run finds it.
const DEMO_TAG: (&str, &str) = ("commerceSyncDemo", "merchant");
/// The demo client's support user.
pub const SUPPORT_EMAIL: &str = "support@demo.example";

/// Seeds the demo once the server listens at `public_url`.
pub async fn seed(
    store: Arc<dyn Store>,
    cipher: Arc<TokenCipher>,
    settings: engine::ConnectorSettings,
    public_url: &str,
    bootstrap_client: Option<ClientId>,
) -> anyhow::Result<()> {
    let (client, key) = match bootstrap_client {
        Some(client) => (client, None),
        None => {
            let client = store.ensure_client("demo").await?.id;
            let key = web::auth::generate_key();
            store
                .add_api_key(client, &web::auth::hash_key(&key))
                .await?;
            (client, Some(key))
        }
    };
    let password = support_user(store.as_ref(), client).await?;
    let (company, tenant) = match existing_merchant(store.as_ref(), client).await? {
        Some(company) => (company.id, None),
        None => {
            let (company, tenant) =
                seed_new_merchant(&store, &cipher, settings, public_url, client).await?;
            (company, Some(tenant))
        }
    };
    // Queue its sync now rather than at the scheduler's next tick.
    engine::Scheduler {
        store: store.clone(),
        clock: Arc::new(domain::clock::SystemClock),
    }
    .tick()
    .await?;
    let curl_key = match &key {
        Some(key) => {
            println!("demo client API key (shown once): {key}");
            key.clone()
        }
        None => {
            println!(
                "demo merchant of the bootstrap client {client}: use the key in COMMERCE_SYNC_BOOTSTRAP_API_KEY"
            );
            "$KEY".to_owned()
        }
    };
    println!("demo support user: {SUPPORT_EMAIL} password: {password}");
    match &tenant {
        Some(tenant) => println!("demo company: {company} (Xero sandbox tenant {tenant})"),
        None => println!(
            "demo company: {company} (seeded by an earlier run; its sandbox books lived in that run's memory, so its syncs fail until it is linked again: remove the data folder for a fresh demo)"
        ),
    }
    println!(
        "  sync status: curl -u {curl_key}: {public_url}/meta/companies/{company}/sync/commerce/status"
    );
    println!("  push items:  curl -u {curl_key}: {public_url}/companies/{company}/push");
    if let Some(tenant) = tenant {
        println!("  the books:   curl {public_url}/sandbox/xero/_control/tenants/{tenant}/books");
    }
    Ok(())
}

/// The demo merchant a previous run seeded for `client`, if any.
async fn existing_merchant(store: &dyn Store, client: ClientId) -> anyhow::Result<Option<Company>> {
    let (key, value) = DEMO_TAG;
    Ok(store
        .all_companies(Some(client), u64::MAX)
        .await?
        .into_iter()
        .find(|c| c.tags.as_map().get(key).map(String::as_str) == Some(value)))
}

/// A new merchant on a new sandbox tenant with a week of sales, tagged as the demo's.
async fn seed_new_merchant(
    store: &Arc<dyn Store>,
    cipher: &Arc<TokenCipher>,
    settings: engine::ConnectorSettings,
    public_url: &str,
    client: ClientId,
) -> anyhow::Result<(domain::CompanyId, String)> {
    let connectors = engine::Connectors::new(
        store.clone(),
        cipher.clone(),
        settings,
        Arc::new(platforms::SystemTimer),
    );
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/London")?)
        .date();
    let start = today.checked_sub(jiff::Span::new().days(7))?;
    let plan = MerchantPlan {
        name: "Demo Coffee Ltd".into(),
        start,
        days: 7,
        orders_per_day: 25,
        zone: "Europe/London".into(),
        sync_hour: 0,
        journal: false,
        seed: 2024,
    };
    let sandbox = format!("{public_url}/sandbox");
    let merchant = seed_merchant(store, cipher, &connectors, &sandbox, client, &plan)
        .await
        .context("seeding the demo merchant")?;
    let (key, value) = DEMO_TAG;
    let tags = CompanyTags::parse(BTreeMap::from([(key.to_owned(), value.to_owned())]))
        .map_err(|e| anyhow::anyhow!("the demo tag: {e:?}"))?;
    store
        .update_company(
            client,
            merchant.company,
            CompanyUpdate {
                tags: Some(tags),
                ..CompanyUpdate::default()
            },
        )
        .await?;
    Ok((merchant.company, merchant.tenant_id))
}

/// The client's demo support user with a new password (made again on each run, so the
/// password printed is the one that works).
async fn support_user(store: &dyn Store, client: ClientId) -> anyhow::Result<String> {
    let password = web::passwords::generate_password();
    let hash = web::passwords::hash_password(&password).map_err(anyhow::Error::msg)?;
    store.remove_support_user(client, SUPPORT_EMAIL).await?;
    store
        .create_support_user(client, SUPPORT_EMAIL, &hash)
        .await
        .context("creating the demo's support user")?;
    Ok(password)
}
