//! OAuth 2.0 as Xero and Intuit run it: authorization code with PKCE (S256), short-lived access
//! tokens, and rotating refresh tokens — a refresh token works once; using it again answers
//! `invalid_grant`, which is how a connector that refreshes twice concurrently finds out.

use crate::control;
use crate::state::{PlatformKind, SandboxState};
use crate::tenant::lock;
use axum::Form;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// One consent: the tenants a client may reach with the tokens it spawned.
#[derive(Debug, Clone)]
pub struct Grant {
    pub id: String,
    pub tenants: Vec<String>,
    /// Space-separated scopes consented to; Xero issues refresh tokens only with
    /// `offline_access`.
    pub scope: String,
    pub created: Timestamp,
}

#[derive(Debug)]
struct Code {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    grant: String,
    expires_at: Timestamp,
}

#[derive(Debug)]
struct Access {
    grant: String,
    expires_at: Timestamp,
}

#[derive(Debug)]
struct Refresh {
    grant: String,
    used: bool,
    expires_at: Timestamp,
}

/// A freshly issued token pair.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: Timestamp,
}

/// Why a bearer token was refused.
#[derive(Debug, Clone)]
pub enum TokenProblem {
    Missing,
    Unknown,
    Expired(Timestamp),
}

/// Codes, tokens and grants of one platform.
#[derive(Debug, Default)]
pub struct AuthStore {
    codes: HashMap<String, Code>,
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    grants: HashMap<String, Grant>,
}

fn random_token(bytes: usize) -> String {
    let raw: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    URL_SAFE_NO_PAD.encode(raw)
}

impl AuthStore {
    pub fn new_grant(&mut self, tenants: Vec<String>, scope: &str, now: Timestamp) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.grants.insert(
            id.clone(),
            Grant {
                id: id.clone(),
                tenants,
                scope: scope.to_owned(),
                created: now,
            },
        );
        id
    }

    /// A new token pair; the refresh token is empty when the grant has no offline access.
    pub fn issue(&mut self, grant: &str, kind: PlatformKind, now: Timestamp) -> Tokens {
        let offline = kind == PlatformKind::QuickBooks
            || self
                .grants
                .get(grant)
                .is_some_and(|g| g.scope.split(' ').any(|x| x == "offline_access"));
        let tokens = Tokens {
            access_token: random_token(32),
            refresh_token: if offline {
                random_token(32)
            } else {
                String::new()
            },
            expires_at: now + SignedDuration::from_secs(kind.access_ttl()),
        };
        self.access.insert(
            tokens.access_token.clone(),
            Access {
                grant: grant.to_owned(),
                expires_at: tokens.expires_at,
            },
        );
        if !offline {
            return tokens;
        }
        self.refresh.insert(
            tokens.refresh_token.clone(),
            Refresh {
                grant: grant.to_owned(),
                used: false,
                expires_at: now + SignedDuration::from_secs(kind.refresh_ttl()),
            },
        );
        tokens
    }

    /// The grant behind a bearer token, if the token is live.
    pub fn check(&self, token: Option<&str>, now: Timestamp) -> Result<&Grant, TokenProblem> {
        let token = token.ok_or(TokenProblem::Missing)?;
        let a = self.access.get(token).ok_or(TokenProblem::Unknown)?;
        if a.expires_at <= now {
            return Err(TokenProblem::Expired(a.expires_at));
        }
        self.grants.get(&a.grant).ok_or(TokenProblem::Unknown)
    }

    pub fn grant_mut(&mut self, id: &str) -> Option<&mut Grant> {
        self.grants.get_mut(id)
    }

    /// Fault injection: every live access token (of grants reaching `tenant`, if given)
    /// expires now.
    pub fn expire_all(&mut self, tenant: Option<&str>, now: Timestamp) {
        for a in self.access.values_mut() {
            let in_scope = match tenant {
                None => true,
                Some(t) => self
                    .grants
                    .get(&a.grant)
                    .is_some_and(|g| g.tenants.iter().any(|x| x == t)),
            };
            if in_scope && a.expires_at > now {
                a.expires_at = now;
            }
        }
    }
}

/// Query of the authorize URL (and hidden fields of the consent form).
#[derive(Debug, Deserialize, Default)]
pub struct AuthorizeParams {
    #[serde(default)]
    response_type: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    code_challenge: String,
    #[serde(default)]
    code_challenge_method: String,
    /// Consent form only: `allow` or `deny`.
    #[serde(default)]
    decision: String,
    /// Consent form only: an existing tenant id, or `new`.
    #[serde(default)]
    tenant: String,
}

fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let sep = if uri.contains('?') { '&' } else { '?' };
    let q: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("{uri}{sep}{}", q.join("&"))
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn bad_page(msg: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html(format!(
            "<!doctype html><title>Authorization error</title><h1>Authorization error</h1><p>{}</p>",
            escape(msg)
        )),
    )
        .into_response()
}

/// Checks the request; `Err` is either an error page (client or redirect URI unusable: never
/// redirect there) or a redirect carrying `error=`.
fn validate(s: &SandboxState, p: &AuthorizeParams) -> Result<(), Box<Response>> {
    let Some(client) = s.client(&p.client_id) else {
        return Err(Box::new(bad_page("unauthorized_client: unknown client_id")));
    };
    let absolute = p.redirect_uri.starts_with("http://") || p.redirect_uri.starts_with("https://");
    if !absolute || !client.allows(&p.redirect_uri) {
        return Err(Box::new(bad_page(
            "invalid_request: redirect_uri is not registered for this client",
        )));
    }
    let problem = if p.response_type != "code" {
        Some("unsupported_response_type")
    } else if p.state.is_empty() || p.code_challenge.len() < 43 || p.code_challenge_method != "S256"
    {
        Some("invalid_request")
    } else {
        None
    };
    match problem {
        Some(e) => Err(Box::new(
            Redirect::to(&with_query(
                &p.redirect_uri,
                &[("error", e), ("state", &p.state)],
            ))
            .into_response(),
        )),
        None => Ok(()),
    }
}

/// `GET …/authorize`: the consent page.
pub async fn authorize_page(
    s: SandboxState,
    kind: PlatformKind,
    Query(p): Query<AuthorizeParams>,
) -> Response {
    if let Err(r) = validate(&s, &p) {
        return *r;
    }
    let hidden: String = [
        ("response_type", &p.response_type),
        ("client_id", &p.client_id),
        ("redirect_uri", &p.redirect_uri),
        ("scope", &p.scope),
        ("state", &p.state),
        ("code_challenge", &p.code_challenge),
        ("code_challenge_method", &p.code_challenge_method),
    ]
    .iter()
    .map(|(k, v)| {
        format!(
            "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
            escape(v)
        )
    })
    .collect();
    let (brand, what) = match kind {
        PlatformKind::Xero => ("Xero (sandbox)", "organisation"),
        PlatformKind::QuickBooks => ("QuickBooks Online (sandbox)", "company"),
    };
    let options: String = s
        .platform(kind)
        .tenant_names()
        .iter()
        .map(|(id, name)| format!("<option value=\"{}\">{}</option>", escape(id), escape(name)))
        .collect();
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{brand}: allow access</title></head>\
<body><h1>{brand}</h1><p><strong>{client}</strong> asks to access your {what} (scopes: {scope}).</p>\
<form method=\"post\" action=\"\">{hidden}\
<label>{what}: <select name=\"tenant\"><option value=\"new\">Create a new demo {what}</option>{options}</select></label>\
<p><button type=\"submit\" name=\"decision\" value=\"allow\">Allow access</button> \
<button type=\"submit\" name=\"decision\" value=\"deny\">Cancel</button></p></form></body></html>",
        client = escape(&p.client_id),
        scope = escape(&p.scope),
    ))
    .into_response()
}

/// `POST …/authorize`: the consent form's answer; redirects back with `code` and `state`
/// (and `realmId` for QuickBooks).
pub async fn consent(
    s: SandboxState,
    kind: PlatformKind,
    Form(p): Form<AuthorizeParams>,
) -> Response {
    if let Err(r) = validate(&s, &p) {
        return *r;
    }
    if p.decision != "allow" {
        return Redirect::to(&with_query(
            &p.redirect_uri,
            &[("error", "access_denied"), ("state", &p.state)],
        ))
        .into_response();
    }
    let tenant = if p.tenant.is_empty() || p.tenant == "new" {
        control::new_tenant(&s, kind, None, None).0
    } else if s.platform(kind).tenant(&p.tenant).is_some() {
        p.tenant.clone()
    } else {
        return bad_page("unknown tenant");
    };
    let now = s.now();
    let code = random_token(24);
    {
        let mut auth = lock(&s.platform(kind).auth);
        let grant = auth.new_grant(vec![tenant.clone()], &p.scope, now);
        auth.codes.insert(
            code.clone(),
            Code {
                client_id: p.client_id.clone(),
                redirect_uri: p.redirect_uri.clone(),
                challenge: p.code_challenge.clone(),
                grant,
                expires_at: now + SignedDuration::from_secs(300),
            },
        );
    }
    let mut pairs = vec![("code", code.as_str()), ("state", p.state.as_str())];
    if kind == PlatformKind::QuickBooks {
        pairs.push(("realmId", tenant.as_str()));
    } else {
        pairs.push(("scope", p.scope.as_str()));
    }
    Redirect::to(&with_query(&p.redirect_uri, &pairs)).into_response()
}

/// Body of the token endpoint.
#[derive(Debug, Deserialize, Default)]
pub struct TokenParams {
    #[serde(default)]
    grant_type: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    code_verifier: String,
    #[serde(default)]
    refresh_token: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
}

fn token_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// Client credentials from HTTP Basic, else from the form.
fn client_credentials(headers: &HeaderMap, p: &TokenParams) -> (String, String) {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok());
    match basic.as_deref().and_then(|s| s.split_once(':')) {
        Some((id, secret)) => (id.to_owned(), secret.to_owned()),
        None => (p.client_id.clone(), p.client_secret.clone()),
    }
}

/// `POST …/token`.
pub async fn token(
    s: SandboxState,
    kind: PlatformKind,
    headers: HeaderMap,
    Form(p): Form<TokenParams>,
) -> Response {
    let (client_id, secret) = client_credentials(&headers, &p);
    let Some(client) = s.client(&client_id) else {
        return token_error(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client");
    };
    // A public client using PKCE may omit the secret; a wrong one is refused.
    if !secret.is_empty() && secret != client.client_secret {
        return token_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "bad client secret",
        );
    }
    let now = s.now();
    let mut auth = lock(&s.platform(kind).auth);
    let grant = match p.grant_type.as_str() {
        "authorization_code" => {
            let Some(code) = auth.codes.remove(&p.code) else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown or used code",
                );
            };
            if code.expires_at <= now || code.client_id != client_id {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "code expired or issued to another client",
                );
            }
            if code.redirect_uri != p.redirect_uri {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "redirect_uri does not match",
                );
            }
            let digest = URL_SAFE_NO_PAD.encode(Sha256::digest(p.code_verifier.as_bytes()));
            if p.code_verifier.len() < 43 || digest != code.challenge {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "code_verifier does not match the code_challenge",
                );
            }
            code.grant
        }
        "refresh_token" => {
            let Some(r) = auth.refresh.get_mut(&p.refresh_token) else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown refresh token",
                );
            };
            if r.used || r.expires_at <= now {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "refresh token already used or expired",
                );
            }
            r.used = true;
            r.grant.clone()
        }
        _ => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "use authorization_code or refresh_token",
            );
        }
    };
    let t = auth.issue(&grant, kind, now);
    let scope = auth
        .grants
        .get(&grant)
        .map(|g| g.scope.clone())
        .unwrap_or_default();
    let mut body = json!({
        "access_token": t.access_token,
        "expires_in": kind.access_ttl(),
        "token_type": "Bearer",
        "scope": scope,
    });
    if !t.refresh_token.is_empty() {
        body["refresh_token"] = json!(t.refresh_token);
    }
    if kind == PlatformKind::QuickBooks {
        body["x_refresh_token_expires_in"] = json!(kind.refresh_ttl());
    }
    ([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}
