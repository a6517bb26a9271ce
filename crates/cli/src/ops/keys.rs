//! `keys list` and `keys revoke`: an API key is named by its id, the first characters of
//! its SHA-256 (the key itself is never stored, so it cannot be shown again).

use super::{Format, client, table, time};
use crate::settings::DatabaseArgs;
use anyhow::{Context, bail};
use serde_json::json;
use store::ApiKeyInfo;

/// Hex characters of the hash that name a key.
const KEY_ID_CHARS: usize = 12;
/// Fewest characters `keys revoke` accepts, so a slip cannot match many keys.
const MIN_KEY_ID_CHARS: usize = 8;

fn key_id(key: &ApiKeyInfo) -> &str {
    &key.key_hash[..KEY_ID_CHARS.min(key.key_hash.len())]
}

fn key_json(key: &ApiKeyInfo) -> serde_json::Value {
    json!({
        "keyId": key_id(key),
        "clientId": key.client_id.to_string(),
        "clientName": key.client_name,
        "created": time(key.created),
    })
}

pub async fn list(
    database: &DatabaseArgs,
    for_client: Option<&str>,
    format: Format,
) -> anyhow::Result<()> {
    let store = database.open().await?;
    let filter = match for_client {
        Some(given) => Some(client(store.as_ref(), given).await?.id),
        None => None,
    };
    let keys = store.api_keys(filter).await?;
    let value = json!({ "keys": keys.iter().map(key_json).collect::<Vec<_>>() });
    format.print(&value, || {
        let rows: Vec<Vec<String>> = keys
            .iter()
            .map(|k| {
                vec![
                    key_id(k).to_owned(),
                    k.client_id.to_string(),
                    k.client_name.clone(),
                    time(k.created),
                ]
            })
            .collect();
        table(&["KEY ID", "CLIENT ID", "CLIENT", "CREATED"], &rows)
    });
    Ok(())
}

/// Revokes the key whose id (a prefix of its hash, as `keys list` prints) is `given`, or,
/// with `from_stdin`, the key read from standard input.
pub async fn revoke(
    database: &DatabaseArgs,
    given: Option<&str>,
    from_stdin: bool,
    format: Format,
) -> anyhow::Result<()> {
    let store = database.open().await?;
    let key = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the API key from standard input")?;
        let hash = web::auth::hash_key(line.trim());
        store
            .api_keys(None)
            .await?
            .into_iter()
            .find(|k| k.key_hash == hash)
            .context("no client holds that API key")?
    } else {
        let Some(given) = given.map(str::trim) else {
            bail!(
                "name the key to revoke: its KEY_ID from `commerce-sync keys list`, or --key-stdin"
            );
        };
        let prefix = given.to_ascii_lowercase();
        if prefix.len() < MIN_KEY_ID_CHARS || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
            bail!(
                "KEY_ID is the key's id as `commerce-sync keys list` prints it (at least {MIN_KEY_ID_CHARS} hex characters), found {given:?}; to revoke by the key itself, pipe it to `keys revoke --key-stdin`"
            );
        }
        let mut matches: Vec<ApiKeyInfo> = store
            .api_keys(None)
            .await?
            .into_iter()
            .filter(|k| k.key_hash.starts_with(&prefix))
            .collect();
        match matches.len() {
            0 => bail!("no API key has the id {given:?} (`commerce-sync keys list` shows them)"),
            1 => matches.remove(0),
            n => bail!("{n} API keys start with {given:?}: give more characters of the id"),
        }
    };
    store.revoke_api_key(&key.key_hash).await?;
    format.print(&json!({ "revoked": key_json(&key) }), || {
        format!(
            "revoked API key {} of client {} ({}); requests with it are refused from now on\n",
            key_id(&key),
            key.client_name,
            key.client_id
        )
    });
    Ok(())
}
