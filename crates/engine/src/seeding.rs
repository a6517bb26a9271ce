//! A merchant ready to sync, on a Xero sandbox tenant: for `serve --demo` and the engine's
//! end-to-end tests. Everything goes the way a client's would: a company, a commerce and a
//! linked Xero connection (credentials handed over, sealed), reference data read from the
//! books, a configuration, and days of sales pushed through [`crate::Ingest`].

use crate::connectors::Connectors;
use crate::demo_data::{DayTotals, sales_day, uk_configuration};
use crate::ingest::Ingest;
use domain::commerce::DatasetKind;
use domain::{
    ClientId, CompanyId, CompanyName, CompanyTags, ConnectionStatus, NewCompany, PlatformKey,
};
use jiff::civil::Date;
use platforms::{Credentials, OAuthTokens, TokenCipher};
use serde_json::{Value, json};
use std::sync::Arc;
use store::{ConnectionUpdate, DatasetStatus, Store};

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the sandbox answered: {0}")]
    Sandbox(String),
    #[error("storing failed: {0}")]
    Store(#[from] store::StoreError),
    #[error("{0}")]
    Other(String),
}

/// What a seeded merchant is.
#[derive(Debug, Clone)]
pub struct SeededMerchant {
    pub company: CompanyId,
    pub tenant_id: String,
    /// What the pushed days amount to.
    pub totals: DayTotals,
}

/// What to seed.
#[derive(Debug, Clone)]
pub struct MerchantPlan {
    pub name: String,
    /// First day of sales and of the schedule.
    pub start: Date,
    pub days: u32,
    pub orders_per_day: u32,
    pub zone: String,
    pub sync_hour: i64,
    pub journal: bool,
    pub seed: u64,
}

/// Creates a sandbox tenant at `sandbox_base` (e.g. `http://127.0.0.1:8080/sandbox`).
pub async fn sandbox_tenant(
    sandbox_base: &str,
    name: &str,
) -> Result<(String, OAuthTokens), SeedError> {
    let url = format!(
        "{}/xero/_control/tenants",
        sandbox_base.trim_end_matches('/')
    );
    let answer: Value = reqwest::Client::new()
        .post(&url)
        .json(&json!({"name": name, "country": "GB"}))
        .send()
        .await
        .map_err(|e| SeedError::Sandbox(e.to_string()))?
        .error_for_status()
        .map_err(|e| SeedError::Sandbox(e.to_string()))?
        .json()
        .await
        .map_err(|e| SeedError::Sandbox(e.to_string()))?;
    let text = |k: &str| {
        answer[k]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| SeedError::Sandbox(format!("no {k} in {answer}")))
    };
    let tokens = OAuthTokens {
        access_token: text("accessToken")?,
        refresh_token: text("refreshToken")?,
        expires_at: text("expiresAt")?
            .parse()
            .map_err(|e| SeedError::Sandbox(format!("expiresAt: {e}")))?,
    };
    Ok((text("tenantId")?, tokens))
}

/// Seeds one merchant of `client` on a new Xero sandbox tenant.
pub async fn seed_merchant(
    store: &Arc<dyn Store>,
    cipher: &TokenCipher,
    connectors: &Connectors,
    sandbox_base: &str,
    client: ClientId,
    plan: &MerchantPlan,
) -> Result<SeededMerchant, SeedError> {
    let (tenant_id, tokens) = sandbox_tenant(sandbox_base, &plan.name).await?;
    let name = CompanyName::parse(&plan.name).map_err(|e| SeedError::Other(e.to_string()))?;
    let company = store
        .create_company(
            client,
            NewCompany {
                name,
                description: None,
                tags: CompanyTags::default(),
            },
        )
        .await?;
    let missing = || SeedError::Other("the company vanished while being seeded".into());
    store
        .create_connection(
            client,
            company.id,
            PlatformKey::Commerce,
            ConnectionStatus::Linked,
        )
        .await?
        .ok_or_else(missing)?;
    let xero = store
        .create_connection(
            client,
            company.id,
            PlatformKey::Xero,
            ConnectionStatus::PendingAuth,
        )
        .await?
        .ok_or_else(missing)?;
    let credentials = Credentials::Xero {
        tokens,
        tenant_id: tenant_id.clone(),
    };
    let sealed = cipher.seal(xero.id.0.as_bytes(), &credentials.to_bytes());
    let xero = store
        .update_connection(
            client,
            company.id,
            xero.id,
            ConnectionUpdate {
                status: ConnectionStatus::Linked,
                credentials: Some(Some(sealed)),
                error: Some(None),
            },
        )
        .await?
        .ok_or_else(missing)?;
    let connector = connectors
        .connector(client, company.id, &xero)
        .await
        .map_err(|e| SeedError::Other(e.to_string()))?;
    let reference = connector
        .reference_data()
        .await
        .map_err(|e| SeedError::Sandbox(e.to_string()))?;
    store
        .put_reference_data(
            client,
            company.id,
            Some(xero.id),
            reference.clone(),
            store::now(),
        )
        .await?;
    let document = uk_configuration(
        &reference,
        plan.start,
        &plan.zone,
        plan.sync_hour,
        plan.journal,
    )
    .ok_or_else(|| SeedError::Other("the sandbox's chart lacks a demo account".into()))?;
    store.put_config(client, company.id, document, None).await?;
    let zone = jiff::tz::TimeZone::get(&plan.zone).map_err(|e| SeedError::Other(e.to_string()))?;
    let ingest = Ingest::new(store.clone());
    let mut totals = DayTotals::default();
    for d in 0..plan.days {
        let date = plan
            .start
            .checked_add(jiff::Span::new().days(i64::from(d)))
            .map_err(|e| SeedError::Other(e.to_string()))?;
        let day = sales_day(&plan.name, date, &zone, plan.orders_per_day, plan.seed);
        totals += day.totals;
        for (kind, records) in [
            (DatasetKind::Orders, day.orders),
            (DatasetKind::Payments, day.payments),
            (DatasetKind::Transactions, day.transactions),
        ] {
            let body = json!({ kind.json_key(): records });
            push(store, &ingest, client, company.id, kind, body).await?;
        }
    }
    Ok(SeededMerchant {
        company: company.id,
        tenant_id,
        totals,
    })
}

/// Pushes one dataset and waits until it is stored.
async fn push(
    store: &Arc<dyn Store>,
    ingest: &Ingest,
    client: ClientId,
    company: CompanyId,
    kind: DatasetKind,
    body: Value,
) -> Result<(), SeedError> {
    let dataset = ingest
        .accept(client, company, kind, body)
        .await
        .map_err(|e| SeedError::Other(e.to_string()))?;
    for _ in 0..600 {
        let now = store
            .dataset(client, company, dataset.id)
            .await?
            .ok_or_else(|| SeedError::Other("dataset vanished".into()))?;
        match now.status {
            DatasetStatus::Complete => return Ok(()),
            DatasetStatus::Queued | DatasetStatus::Processing => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await
            }
            other => {
                return Err(SeedError::Other(format!(
                    "dataset {other:?}: {:?}",
                    now.error_message
                )));
            }
        }
    }
    Err(SeedError::Other("a dataset took over 12 s to store".into()))
}
