//! From a stored connection to a working connector: credentials unsealed, tokens refreshed
//! through a [`TokenStore`] backed by the database (so a rotated refresh token is saved before
//! it is used, and every process sees the newest), and a connection that can no longer
//! refresh marked `Deauthorized` with the platform's reason.
//!
//! One connector per connection per process: it holds the connection's rate limiter and
//! single-flight token source, so every sync of this process shares the platform's limits.

use async_trait::async_trait;
use domain::connection::ConnectionError;
use domain::{ClientId, CompanyId, Connection, ConnectionId, ConnectionStatus, PlatformKey};
use platforms::outbound::Outbound;
use platforms::{
    AccountingPlatform, Credentials, HledgerConfig, HledgerConnector, OAuthTokens, PlatformError,
    QuickBooksConfig, QuickBooksConnector, Timer, TokenCipher, TokenStore, XeroConfig,
    XeroConnector,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use store::{ConnectionUpdate, Store};

/// Where the connectors go and as which app: the real platforms, or the sandboxes.
#[derive(Clone, Default)]
pub struct ConnectorSettings {
    pub xero: Option<XeroConfig>,
    pub quickbooks: Option<QuickBooksConfig>,
    /// Where user-given platform URLs (hledger's `baseUrl`) may point.
    pub outbound: Outbound,
}

impl ConnectorSettings {
    /// The sandboxes mounted under `{base}/sandbox` (as `serve --sandbox` does).
    pub fn sandbox(public_url: &str) -> Self {
        let base = format!("{}/sandbox", public_url.trim_end_matches('/'));
        let (id, secret) = ("commerce-sync-sandbox", "sandbox-secret");
        Self {
            xero: Some(XeroConfig::new(id, secret).with_base_urls(
                &format!("{base}/xero/api.xro/2.0"),
                &format!("{base}/xero/identity/connect/token"),
            )),
            quickbooks: Some(QuickBooksConfig::new(id, secret).with_base_urls(
                &format!("{base}/quickbooks/v3/company"),
                &format!("{base}/quickbooks/oauth2/v1/tokens/bearer"),
            )),
            // The sandboxes, and whatever a test serves, are on this machine.
            outbound: Outbound::ANYWHERE,
        }
    }
}

/// Why no connector could be made.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("the accounting connection holds no credentials: reconnect it")]
    NoCredentials,
    #[error("the stored credentials cannot be read (was the secret key changed?): {0}")]
    Unreadable(String),
    #[error("{0} is not configured on this server (no OAuth app)")]
    NotConfigured(&'static str),
    #[error("{0} has no connector yet")]
    NoConnector(&'static str),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// Makes and keeps connectors.
pub struct Connectors {
    store: Arc<dyn Store>,
    cipher: Arc<TokenCipher>,
    settings: ConnectorSettings,
    timer: Arc<dyn Timer>,
    open: Mutex<HashMap<ConnectionId, Arc<dyn AccountingPlatform>>>,
}

impl Connectors {
    pub fn new(
        store: Arc<dyn Store>,
        cipher: Arc<TokenCipher>,
        settings: ConnectorSettings,
        timer: Arc<dyn Timer>,
    ) -> Self {
        // Every platform call goes through a connector made here: counting starts with them.
        crate::metrics::global();
        Self {
            store,
            cipher,
            settings,
            timer,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `platform` is reached through our sandboxes rather than the real service (its
    /// documents are then looked at on the sandbox's books pages).
    pub fn sandboxed(&self, platform: PlatformKey) -> bool {
        let base = match platform {
            PlatformKey::Xero => self.settings.xero.as_ref().map(|c| c.api_base.as_str()),
            PlatformKey::QuickBooksOnline => self
                .settings
                .quickbooks
                .as_ref()
                .map(|c| c.api_base.as_str()),
            _ => None,
        };
        base.is_some_and(|b| b.contains("/sandbox/"))
    }

    /// The connector of a linked accounting connection.
    pub async fn connector(
        &self,
        client: ClientId,
        company: CompanyId,
        connection: &Connection,
    ) -> Result<Arc<dyn AccountingPlatform>, ConnectError> {
        if let Some(c) = self.lock().get(&connection.id) {
            return Ok(c.clone());
        }
        let sealed = self
            .store
            .connection_credentials(client, company, connection.id)
            .await?
            .ok_or(ConnectError::NoCredentials)?;
        let credentials = unseal(&self.cipher, connection.id, &sealed)?;
        let tokens_store = |c: &Credentials| -> Arc<dyn TokenStore> {
            Arc::new(StoredTokens {
                store: self.store.clone(),
                cipher: self.cipher.clone(),
                client,
                company,
                connection: connection.id,
                template: c.clone(),
            })
        };
        let connector: Arc<dyn AccountingPlatform> = match &credentials {
            Credentials::Xero { tokens, tenant_id } => {
                let config = self
                    .settings
                    .xero
                    .clone()
                    .ok_or(ConnectError::NotConfigured("Xero"))?;
                Arc::new(XeroConnector::connect(
                    config,
                    tenant_id,
                    tokens.clone(),
                    tokens_store(&credentials),
                    self.timer.clone(),
                ))
            }
            Credentials::QuickBooks { tokens, realm_id } => {
                let config = self
                    .settings
                    .quickbooks
                    .clone()
                    .ok_or(ConnectError::NotConfigured("QuickBooks Online"))?;
                Arc::new(QuickBooksConnector::connect(
                    config,
                    realm_id,
                    tokens.clone(),
                    tokens_store(&credentials),
                    self.timer.clone(),
                ))
            }
            Credentials::Hledger { .. } => {
                let mut config = HledgerConfig::from_credentials(&credentials)
                    .ok_or(ConnectError::NoConnector("hledger"))?;
                config.outbound = self.settings.outbound;
                Arc::new(HledgerConnector::connect(config, self.timer.clone()))
            }
        };
        self.lock().insert(connection.id, connector.clone());
        Ok(connector)
    }

    /// Forgets the connection's connector (after it was re-linked or deauthorized).
    pub fn forget(&self, connection: ConnectionId) {
        self.lock().remove(&connection);
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<ConnectionId, Arc<dyn AccountingPlatform>>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The accounting platforms a sync can write to (the commerce source `cmrc` is not one).
pub fn is_accounting(platform: PlatformKey) -> bool {
    platform != PlatformKey::Commerce
}

/// The company's accounting connection that is not unlinked (the newest, should there be
/// several), whatever its state.
pub fn live_accounting(connections: &[Connection]) -> Option<&Connection> {
    connections
        .iter()
        .rev()
        .find(|c| is_accounting(c.platform_key) && c.status != ConnectionStatus::Unlinked)
}

fn unseal(
    cipher: &TokenCipher,
    connection: ConnectionId,
    sealed: &[u8],
) -> Result<Credentials, ConnectError> {
    let bytes = cipher
        .open(connection.0.as_bytes(), sealed)
        .map_err(|e| ConnectError::Unreadable(e.to_string()))?;
    Credentials::from_bytes(&bytes).map_err(|e| ConnectError::Unreadable(e.to_string()))
}

/// A connection's tokens in the database.
struct StoredTokens {
    store: Arc<dyn Store>,
    cipher: Arc<TokenCipher>,
    client: ClientId,
    company: CompanyId,
    connection: ConnectionId,
    /// The credentials the tokens belong to (tenant or realm kept as is).
    template: Credentials,
}

impl StoredTokens {
    fn with_tokens(&self, tokens: &OAuthTokens) -> Credentials {
        match &self.template {
            Credentials::Xero { tenant_id, .. } => Credentials::Xero {
                tokens: tokens.clone(),
                tenant_id: tenant_id.clone(),
            },
            Credentials::QuickBooks { realm_id, .. } => Credentials::QuickBooks {
                tokens: tokens.clone(),
                realm_id: realm_id.clone(),
            },
            other => other.clone(),
        }
    }
}

#[async_trait]
impl TokenStore for StoredTokens {
    async fn latest(&self) -> Option<OAuthTokens> {
        let sealed = self
            .store
            .connection_credentials(self.client, self.company, self.connection)
            .await
            .ok()??;
        match unseal(&self.cipher, self.connection, &sealed).ok()? {
            Credentials::Xero { tokens, .. } | Credentials::QuickBooks { tokens, .. } => {
                Some(tokens)
            }
            Credentials::Hledger { .. } => None,
        }
    }

    async fn save(&self, tokens: &OAuthTokens) -> Result<(), PlatformError> {
        let sealed = self.cipher.seal(
            self.connection.0.as_bytes(),
            &self.with_tokens(tokens).to_bytes(),
        );
        self.store
            .update_connection(
                self.client,
                self.company,
                self.connection,
                ConnectionUpdate {
                    status: ConnectionStatus::Linked,
                    credentials: Some(Some(sealed)),
                    error: None,
                },
            )
            .await
            .map_err(|e| PlatformError::Transient(format!("saving rotated tokens: {e}")))?;
        Ok(())
    }

    async fn deauthorized(&self, reason: &str) {
        let update = ConnectionUpdate {
            status: ConnectionStatus::Deauthorized,
            credentials: None,
            error: Some(Some(ConnectionError {
                message: reason.to_owned(),
                status_code: Some("401".to_owned()),
                errored_on: store::now(),
            })),
        };
        if let Err(e) = self
            .store
            .update_connection(self.client, self.company, self.connection, update)
            .await
        {
            tracing::error!(connection = %self.connection, error = %e, "could not mark the connection deauthorized");
            return;
        }
        // The client hears of it (webhook `connection.deauthorized`) to send the merchant back.
        let event =
            crate::events::Event::connection_deauthorized(self.company, self.connection, reason);
        if let Err(e) = self
            .store
            .enqueue_event(self.client, event.into_webhook(store::now()))
            .await
        {
            tracing::error!(connection = %self.connection, error = %e, "could not queue the connection.deauthorized webhook");
        }
    }
}
