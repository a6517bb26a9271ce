//! `companies list|show`: every client's merchants, and one merchant's connections, schedule
//! and latest syncs, by id.

use super::{Format, client, opt_time, table, time, uuid};
use crate::settings::DatabaseArgs;
use anyhow::Context;
use clap::Subcommand;
use domain::{Company, CompanyId, Connection};
use serde_json::{Value, json};

#[derive(Subcommand)]
pub enum CompaniesCommand {
    /// Companies (merchants), oldest first.
    List {
        /// Only this client's (its id or name).
        #[arg(long)]
        client: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u64,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// One company: its connections, schedule and latest syncs.
    Show {
        /// The company's id.
        company_id: String,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub async fn run(command: CompaniesCommand) -> anyhow::Result<()> {
    match command {
        CompaniesCommand::List {
            client: for_client,
            limit,
            format,
            database,
        } => {
            let store = database.open().await?;
            let filter = match for_client {
                Some(given) => Some(client(store.as_ref(), &given).await?.id),
                None => None,
            };
            let companies = store.all_companies(filter, limit).await?;
            let value =
                json!({"companies": companies.iter().map(company_json).collect::<Vec<_>>()});
            format.print(&value, || {
                let rows: Vec<Vec<String>> = companies
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.to_string(),
                            c.client_id.to_string(),
                            c.name.as_str().to_owned(),
                            time(c.created),
                        ]
                    })
                    .collect();
                table(&["COMPANY ID", "CLIENT ID", "NAME", "CREATED"], &rows)
            });
            Ok(())
        }
        CompaniesCommand::Show {
            company_id,
            format,
            database,
        } => {
            let id = CompanyId(uuid("COMPANY_ID", &company_id)?);
            let store = database.open().await?;
            let company = store
                .any_company(id)
                .await?
                .with_context(|| format!("no company has the id {id}"))?;
            let client = company.client_id;
            let connections = store
                .list_connections(client, id)
                .await?
                .unwrap_or_default();
            let schedule = store.schedule_state(id).await?;
            let (latest, last_success) = store.latest_syncs(id).await?;
            let configured = store.config(client, id).await?.is_some();
            let mut value = company_json(&company);
            value["configured"] = json!(configured);
            value["connections"] = connections.iter().map(connection_json).collect();
            value["schedule"] = json!({
                "lastSuccessEnd": opt_time(schedule.last_success_end),
                "consecutiveFailures": schedule.consecutive_failures,
                "disabledAt": opt_time(schedule.disabled_at),
                "disabledReason": schedule.disabled_reason,
            });
            value["latestSync"] = latest.as_ref().map_or(Value::Null, super::syncs::sync_json);
            value["lastSuccessfulSync"] = last_success
                .as_ref()
                .map_or(Value::Null, super::syncs::sync_json);
            format.print(&value, || show_text(&value));
            Ok(())
        }
    }
}

fn company_json(c: &Company) -> Value {
    json!({
        "id": c.id.to_string(),
        "clientId": c.client_id.to_string(),
        "name": c.name.as_str(),
        "description": c.description,
        "created": time(c.created),
        "lastSync": opt_time(c.last_sync),
    })
}

fn connection_json(c: &Connection) -> Value {
    json!({
        "id": c.id.to_string(),
        "platformKey": c.platform_key.key(),
        "platform": c.platform_key.integration().name,
        "status": c.status.as_str(),
        "created": time(c.created),
        "lastSync": opt_time(c.last_sync),
        "error": c.error.as_ref().map(|e| e.message.clone()),
    })
}

/// A value of the JSON document as a person reads it.
fn text(v: &Value) -> String {
    match v {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn show_text(v: &Value) -> String {
    let mut out = format!(
        "company {}  {}\nclient  {}\ncreated {}  configured: {}\n",
        text(&v["id"]),
        text(&v["name"]),
        text(&v["clientId"]),
        text(&v["created"]),
        text(&v["configured"]),
    );
    let s = &v["schedule"];
    out.push_str(&format!(
        "schedule: last period ended {}, {} failure(s) in a row, disabled {} {}\n",
        text(&s["lastSuccessEnd"]),
        text(&s["consecutiveFailures"]),
        text(&s["disabledAt"]),
        text(&s["disabledReason"]),
    ));
    out.push_str("\nconnections:\n");
    let rows: Vec<Vec<String>> = v["connections"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            ["id", "platform", "status", "lastSync", "error"]
                .iter()
                .map(|k| text(&c[*k]))
                .collect()
        })
        .collect();
    out.push_str(&table(
        &["ID", "PLATFORM", "STATUS", "LAST SYNC", "ERROR"],
        &rows,
    ));
    for (label, key) in [
        ("latest sync", "latestSync"),
        ("last successful", "lastSuccessfulSync"),
    ] {
        let s = &v[key];
        out.push_str(&format!(
            "{label}: {} {} {}\n",
            text(&s["id"]),
            text(&s["statusCode"]),
            text(&s["status"]),
        ));
    }
    out
}
