//! The sandbox's shared state: options, clock, and per platform its tenants, OAuth grants and
//! fault settings. Locks are held only for short, synchronous sections (never across `.await`).

use crate::clock::{Clock, SystemClock};
use crate::faults::Faults;
use crate::limits::Limits;
use crate::oauth::AuthStore;
use crate::tenant::{TenantCell, lock};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

/// Which platform a route, tenant or token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlatformKind {
    Xero,
    QuickBooks,
}

impl PlatformKind {
    /// Published per-tenant limits (Xero: developer.xero.com/faq/limits; Intuit: 500/min, 10
    /// concurrent per realm, no daily cap).
    pub fn limits(self) -> Limits {
        match self {
            PlatformKind::Xero => Limits {
                per_minute: 60,
                concurrent: 5,
                per_day: Some(5000),
            },
            PlatformKind::QuickBooks => Limits {
                per_minute: 500,
                concurrent: 10,
                per_day: None,
            },
        }
    }

    /// Access-token lifetime in seconds (Xero 30 min, Intuit 1 h).
    pub fn access_ttl(self) -> i64 {
        match self {
            PlatformKind::Xero => 1800,
            PlatformKind::QuickBooks => 3600,
        }
    }

    /// Refresh-token lifetime in seconds (Xero 60 days unused, Intuit 100 days rolling).
    pub fn refresh_ttl(self) -> i64 {
        match self {
            PlatformKind::Xero => 60 * 86_400,
            PlatformKind::QuickBooks => 100 * 86_400,
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            PlatformKind::Xero => "xero",
            PlatformKind::QuickBooks => "quickbooks",
        }
    }
}

/// An OAuth client the consent page and token endpoint accept.
#[derive(Debug, Clone)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: String,
    /// Accepted redirect URIs: exact, or a prefix when the entry ends with `*`.
    pub redirect_uris: Vec<String>,
}

impl OAuthClient {
    pub fn allows(&self, redirect_uri: &str) -> bool {
        self.redirect_uris
            .iter()
            .any(|p| match p.strip_suffix('*') {
                Some(prefix) => redirect_uri.starts_with(prefix),
                None => p == redirect_uri,
            })
    }
}

/// How to build a sandbox.
pub struct SandboxOptions {
    /// Where the router is reachable from outside, e.g. `http://127.0.0.1:8080/sandbox`
    /// (used for absolute links such as QuickBooks' discovery document).
    pub public_base_url: String,
    /// Defaults to the wall clock.
    pub clock: Option<Arc<dyn Clock>>,
    /// Default seed of fault draws; absent: random.
    pub seed: Option<u64>,
    /// Accepted OAuth clients; empty: [`SandboxOptions::default_client`] with redirect URIs
    /// on loopback and under `public_base_url`'s host.
    pub clients: Vec<OAuthClient>,
}

impl SandboxOptions {
    pub fn new(public_base_url: impl Into<String>) -> Self {
        Self {
            public_base_url: public_base_url.into(),
            clock: None,
            seed: None,
            clients: Vec::new(),
        }
    }

    /// `commerce-sync-sandbox` / `sandbox-secret`.
    pub fn default_client(public_base_url: &str) -> OAuthClient {
        let origin: String = {
            let after_scheme = public_base_url.find("://").map(|i| i + 3).unwrap_or(0);
            let end = public_base_url[after_scheme..]
                .find('/')
                .map(|i| i + after_scheme)
                .unwrap_or(public_base_url.len());
            public_base_url[..end].to_owned()
        };
        OAuthClient {
            client_id: "commerce-sync-sandbox".into(),
            client_secret: "sandbox-secret".into(),
            redirect_uris: vec![
                "http://127.0.0.1:*".into(),
                "http://localhost:*".into(),
                format!("{origin}/*"),
            ],
        }
    }
}

/// The state behind [`crate::router`]; cheap to clone.
#[derive(Clone)]
pub struct SandboxState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub base_url: String,
    pub clock: Arc<dyn Clock>,
    pub seed: u64,
    pub clients: Vec<OAuthClient>,
    pub xero: Platform,
    pub quickbooks: Platform,
}

pub(crate) struct Platform {
    pub tenants: RwLock<HashMap<String, Arc<TenantCell>>>,
    pub auth: Mutex<AuthStore>,
    /// Settings for tenants without their own.
    pub faults: Mutex<Option<Faults>>,
    /// Every fault drawn on this platform, whichever settings drew it.
    pub injected: crate::faults::FaultCounts,
}

impl Platform {
    fn new() -> Self {
        Self {
            tenants: RwLock::new(HashMap::new()),
            auth: Mutex::new(AuthStore::default()),
            faults: Mutex::new(None),
            injected: crate::faults::FaultCounts::default(),
        }
    }

    pub fn tenant(&self, id: &str) -> Option<Arc<TenantCell>> {
        self.tenants
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()
    }

    pub fn add_tenant(&self, id: String, cell: TenantCell) {
        self.tenants
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, Arc::new(cell));
    }

    /// (id, name) of every tenant, sorted by name.
    pub fn tenant_names(&self) -> Vec<(String, String)> {
        let map = self.tenants.read().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<_> = map
            .iter()
            .map(|(id, c)| (id.clone(), lock(&c.books).name.clone()))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        out
    }
}

impl SandboxState {
    pub fn new(opts: SandboxOptions) -> Self {
        let base_url = opts.public_base_url.trim_end_matches('/').to_owned();
        let clients = if opts.clients.is_empty() {
            vec![SandboxOptions::default_client(&base_url)]
        } else {
            opts.clients
        };
        Self {
            inner: Arc::new(Inner {
                clock: opts.clock.unwrap_or_else(|| Arc::new(SystemClock)),
                seed: opts.seed.unwrap_or_else(rand::random),
                clients,
                base_url,
                xero: Platform::new(),
                quickbooks: Platform::new(),
            }),
        }
    }

    pub(crate) fn platform(&self, kind: PlatformKind) -> &Platform {
        match kind {
            PlatformKind::Xero => &self.inner.xero,
            PlatformKind::QuickBooks => &self.inner.quickbooks,
        }
    }

    pub(crate) fn now(&self) -> jiff::Timestamp {
        self.inner.clock.now()
    }

    pub(crate) fn client(&self, client_id: &str) -> Option<&OAuthClient> {
        self.inner.clients.iter().find(|c| c.client_id == client_id)
    }
}
