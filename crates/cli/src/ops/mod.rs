//! Operator commands, one file per noun: `keys list|revoke` (with `keys create` in
//! `keys.rs`), `companies`, `syncs`, `support-users`. Each reads and writes through the
//! store's traits and only formats here: `--json` for scripts, aligned text for people.

pub mod companies;
pub mod keys;
pub mod support_users;
pub mod syncs;

use anyhow::{Context, bail};
use domain::ClientId;
use jiff::Timestamp;
use serde_json::Value;
use store::{Client, Store};

/// How a command prints.
#[derive(clap::Args, Clone, Copy)]
pub struct Format {
    /// Print JSON (one document) instead of text.
    #[arg(long)]
    pub json: bool,
}

impl Format {
    /// Prints `value` as JSON, or `text()` for people.
    pub fn print(self, value: &Value, text: impl FnOnce() -> String) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).expect("a JSON value always serializes")
            );
        } else {
            print!("{}", text());
        }
    }
}

/// The client named by `--client`: its id, or its name.
pub async fn client(store: &dyn Store, given: &str) -> anyhow::Result<Client> {
    let given = given.trim();
    if given.is_empty() {
        bail!("--client must name a client: its id or its name");
    }
    let clients = store.clients().await?;
    let by_id = given.parse::<ClientId>().ok();
    clients
        .into_iter()
        .find(|c| Some(c.id) == by_id || c.name == given)
        .with_context(|| {
            format!("no client has the id or name {given:?} (`commerce-sync keys list` shows them)")
        })
}

/// A UUID argument, or an error naming it.
pub fn uuid(what: &str, given: &str) -> anyhow::Result<uuid::Uuid> {
    given
        .trim()
        .parse()
        .with_context(|| format!("{what} must be a UUID, found {given:?}"))
}

/// An instant for JSON and text alike (RFC 3339, UTC).
pub fn time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn opt_time(t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, |t| Value::String(time(t)))
}

/// Rows as aligned columns under a header; "(none)" when there are no rows.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return "(none)\n".to_owned();
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<w$}  "));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn tables_align_their_columns() {
        let text = super::table(
            &["ID", "NAME"],
            &[vec!["1".into(), "a".into()], vec!["22".into(), "bb".into()]],
        );
        assert_eq!(text, "ID  NAME\n1   a\n22  bb\n");
        assert_eq!(super::table(&["ID"], &[]), "(none)\n");
    }
}
