//! `serve --demo`: a demo client (its API key printed), a merchant on the Xero sandbox with a
//! week of sales, its sync scheduled from a week ago, so the worker writes real documents into
//! the sandbox's books within seconds of starting.

use anyhow::Context;
use engine::seeding::{MerchantPlan, seed_merchant};
use platforms::TokenCipher;
use std::sync::Arc;
use store::Store;

/// Seeds the demo once the server listens at `public_url`.
pub async fn seed(
    store: Arc<dyn Store>,
    cipher: Arc<TokenCipher>,
    settings: engine::ConnectorSettings,
    public_url: &str,
) -> anyhow::Result<()> {
    let client = store.ensure_client("demo").await?;
    let key = web::auth::generate_key();
    store
        .add_api_key(client.id, &web::auth::hash_key(&key))
        .await?;
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
    let merchant = seed_merchant(&store, &cipher, &connectors, &sandbox, client.id, &plan)
        .await
        .context("seeding the demo merchant")?;
    let company = merchant.company;
    // Queue its sync now rather than at the scheduler's next tick.
    engine::Scheduler {
        store: store.clone(),
        clock: Arc::new(domain::clock::SystemClock),
    }
    .tick()
    .await?;
    println!("demo client API key (shown once): {key}");
    println!(
        "demo company: {company} (Xero sandbox tenant {})",
        merchant.tenant_id
    );
    println!(
        "  sync status: curl -u {key}: {public_url}/meta/companies/{company}/sync/commerce/status"
    );
    println!("  push items:  curl -u {key}: {public_url}/companies/{company}/push");
    println!(
        "  the books:   curl {public_url}/sandbox/xero/_control/tenants/{}/books",
        merchant.tenant_id
    );
    Ok(())
}
