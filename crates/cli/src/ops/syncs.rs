//! `syncs list|show|retry`: every client's syncs by company or status code, one sync with
//! its push items, and the retry of a sync's failed items (queued for the workers).

use super::{Format, client, opt_time, table, time, uuid};
use crate::settings::DatabaseArgs;
use anyhow::{Context, bail};
use clap::Subcommand;
use domain::CompanyId;
use serde_json::{Value, json};
use std::sync::Arc;
use store::{PushItem, SyncFilter, SyncRun};

#[derive(Subcommand)]
pub enum SyncsCommand {
    /// Syncs, newest first.
    List {
        /// Only this client's (its id or name).
        #[arg(long)]
        client: Option<String>,
        /// Only this company's.
        #[arg(long)]
        company: Option<String>,
        /// Only syncs with this status code (e.g. 5130; DOMAIN.md lists them).
        #[arg(long)]
        status: Option<u16>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u64,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// One sync: its status, messages and push items.
    Show {
        /// The sync's id.
        sync_id: String,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Queue a finished sync again to write its failed push items (never what succeeded);
    /// a running worker picks it up.
    Retry {
        /// The sync's id.
        sync_id: String,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub async fn run(command: SyncsCommand) -> anyhow::Result<()> {
    match command {
        SyncsCommand::List {
            client: for_client,
            company,
            status,
            limit,
            format,
            database,
        } => {
            let company = company
                .map(|c| uuid("--company", &c).map(CompanyId))
                .transpose()?;
            let store = database.open().await?;
            let client = match for_client {
                Some(given) => Some(client(store.as_ref(), &given).await?.id),
                None => None,
            };
            let filter = SyncFilter {
                client,
                company,
                status_code: status,
                limit,
            };
            let syncs = store.find_syncs(&filter).await?;
            let value = json!({"syncs": syncs.iter().map(sync_json).collect::<Vec<_>>()});
            format.print(&value, || {
                let rows: Vec<Vec<String>> = syncs
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.to_string(),
                            s.company_id.to_string(),
                            s.outcome.status_code.to_string(),
                            s.kind.as_str().to_owned(),
                            time(s.requested),
                            s.outcome.error_message.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "SYNC ID",
                        "COMPANY ID",
                        "CODE",
                        "KIND",
                        "REQUESTED",
                        "REASON",
                    ],
                    &rows,
                )
            });
            Ok(())
        }
        SyncsCommand::Show {
            sync_id,
            format,
            database,
        } => {
            let id = uuid("SYNC_ID", &sync_id)?;
            let store = database.open().await?;
            let sync = store
                .any_sync(id)
                .await?
                .with_context(|| format!("no sync has the id {id}"))?;
            let items = store.sync_push_items(id).await?;
            let mut value = sync_json(&sync);
            value["pushItems"] = items.iter().map(item_json).collect();
            format.print(&value, || show_text(&sync, &items));
            Ok(())
        }
        SyncsCommand::Retry {
            sync_id,
            format,
            database,
        } => {
            let id = uuid("SYNC_ID", &sync_id)?;
            let store = database.open().await?;
            let sync = store
                .any_sync(id)
                .await?
                .with_context(|| format!("no sync has the id {id}"))?;
            // The same rules as the API's retry (POST …/syncs/{syncId}/retry).
            if sync.outcome.status_code == engine::status::DUPLICATION_PROTECTION {
                bail!("sync {id} was refused (5080) and wrote nothing: there is nothing to retry");
            }
            if sync.completed.is_none() {
                bail!(
                    "sync {id} is still running (status {}): retry it once it has finished",
                    sync.outcome.status_code
                );
            }
            let requests = engine::Requests {
                store: store.clone(),
                clock: Arc::new(domain::clock::SystemClock),
            };
            requests.retry(&sync).await?;
            format.print(&json!({"queued": true, "sync": sync_json(&sync)}), || {
                format!(
                    "sync {id} queued again: a worker writes its failed push items; `commerce-sync syncs show {id}` shows the outcome\n"
                )
            });
            Ok(())
        }
    }
}

pub fn sync_json(s: &SyncRun) -> Value {
    json!({
        "id": s.id.to_string(),
        "companyId": s.company_id.to_string(),
        "kind": s.kind.as_str(),
        "periodStart": time(s.period_start),
        "periodEnd": time(s.period_end),
        "statusCode": s.outcome.status_code,
        "status": s.outcome.status,
        "errorMessage": s.outcome.error_message,
        "exceptionMessage": s.outcome.exception_message,
        "dataPushed": s.outcome.data_pushed,
        "requested": time(s.requested),
        "started": opt_time(s.started),
        "completed": opt_time(s.completed),
    })
}

fn item_json(i: &PushItem) -> Value {
    json!({
        "pushOperationKey": i.key.to_string(),
        "kind": i.kind,
        "documentKey": i.document_key,
        "status": i.result.status.as_str(),
        "statusCode": i.result.status_code,
        "platformId": i.result.platform_id,
        "errorMessage": i.result.error_message,
        "attempts": i.attempts,
    })
}

fn show_text(s: &SyncRun, items: &[PushItem]) -> String {
    let mut out = format!(
        "sync    {}\ncompany {}\nkind    {}  period {} .. {}\nstatus  {} {}\n",
        s.id,
        s.company_id,
        s.kind.as_str(),
        time(s.period_start),
        time(s.period_end),
        s.outcome.status_code,
        s.outcome.status,
    );
    if let Some(reason) = &s.outcome.error_message {
        out.push_str(&format!("reason  {reason}\n"));
    }
    if let Some(detail) = &s.outcome.exception_message {
        out.push_str(&format!("detail  {detail}\n"));
    }
    out.push_str(&format!(
        "requested {}  started {}  completed {}\n\npush items:\n",
        time(s.requested),
        s.started.map_or("-".to_owned(), time),
        s.completed.map_or("-".to_owned(), time),
    ));
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            vec![
                i.key.to_string(),
                i.kind.clone(),
                i.result.status.as_str().to_owned(),
                i.result.platform_id.clone().unwrap_or_else(|| "-".into()),
                i.result.error_message.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "PUSH OPERATION KEY",
            "KIND",
            "STATUS",
            "PLATFORM ID",
            "ERROR",
        ],
        &rows,
    ));
    out
}
