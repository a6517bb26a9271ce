//! `support-users create|remove`: a client's support staff, who sign in to the Sync Health
//! pages and see that client's merchants only. Passwords are stored as argon2 hashes.

use super::{Format, client, time};
use crate::settings::DatabaseArgs;
use anyhow::{Context, bail};
use clap::Subcommand;
use serde_json::json;
use std::io::Read;

#[derive(Subcommand)]
pub enum SupportUsersCommand {
    /// Create a support user of a client; prints a generated password unless one is given.
    Create {
        /// The client (its id or name) whose merchants the user sees.
        #[arg(long)]
        client: String,
        /// The user's email, used to sign in.
        #[arg(long)]
        email: String,
        /// Read the password from standard input (first line) instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Remove a client's support user: they can no longer sign in.
    Remove {
        #[arg(long)]
        client: String,
        #[arg(long)]
        email: String,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub async fn run(command: SupportUsersCommand) -> anyhow::Result<()> {
    match command {
        SupportUsersCommand::Create {
            client: given,
            email,
            password_stdin,
            format,
            database,
        } => {
            check_email(&email)?;
            let (password, generated) = if password_stdin {
                (read_password()?, false)
            } else {
                (web::passwords::generate_password(), true)
            };
            web::passwords::check_password(&password).map_err(anyhow::Error::msg)?;
            let store = database.open().await?;
            let client = client(store.as_ref(), &given).await?;
            let hash = web::passwords::hash_password(&password).map_err(anyhow::Error::msg)?;
            let user = store.create_support_user(client.id, &email, &hash).await?;
            let shown = generated.then_some(password.as_str());
            let value = json!({
                "id": user.id.to_string(),
                "clientId": client.id.to_string(),
                "clientName": client.name,
                "email": user.email,
                "created": time(user.created),
                "password": shown,
            });
            format.print(&value, || {
                let mut out = format!(
                    "support user {} created for client {} ({})\n",
                    user.email, client.name, client.id
                );
                if let Some(password) = shown {
                    out.push_str(&format!(
                        "password (shown once, hand it over securely): {password}\n"
                    ));
                }
                out
            });
            Ok(())
        }
        SupportUsersCommand::Remove {
            client: given,
            email,
            format,
            database,
        } => {
            check_email(&email)?;
            let store = database.open().await?;
            let client = client(store.as_ref(), &given).await?;
            if !store.remove_support_user(client.id, &email).await? {
                bail!(
                    "client {} has no support user with the email {:?}",
                    client.name,
                    store::normalize_email(&email)
                );
            }
            let email = store::normalize_email(&email);
            format.print(
                &json!({"removed": {"clientId": client.id.to_string(), "email": email}}),
                || format!("support user {email} of client {} removed\n", client.name),
            );
            Ok(())
        }
    }
}

/// An address with a local part and a domain, without spaces: enough to refuse a typo such
/// as a missing `@` or a pasted name; whether it receives mail is not ours to check.
fn check_email(email: &str) -> anyhow::Result<()> {
    let email = email.trim();
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => bail!("--email must be an email address such as ann@shop.example, found {email:?}"),
    }
}

/// The first line of standard input, without its line ending.
fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut input)
        .context("reading the password from standard input")?;
    let password = input.lines().next().unwrap_or("").to_owned();
    if password.is_empty() {
        bail!("--password-stdin: standard input held no password");
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails_need_a_local_part_and_a_domain() {
        for good in ["ann@shop.example", " Ann@Shop.Example "] {
            assert!(super::check_email(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "ann",
            "@shop.example",
            "ann@",
            "ann@shop",
            "a nn@shop.example",
        ] {
            assert!(super::check_email(bad).is_err(), "{bad}");
        }
    }
}
