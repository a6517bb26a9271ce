//! Where we may send requests whose address a user chose (webhook URLs, an hledger
//! `baseUrl`): public addresses only, unless the operator allows private networks
//! (`COMMERCE_SYNC_ALLOW_PRIVATE_NETWORKS=true`; tests and `serve --demo`/`--sandbox`).
//! Otherwise a client could make us call our own loopback, the cloud metadata service at
//! 169.254.169.254 or anything else on the private network behind us.
//!
//! Checked twice: when the URL is registered (a named 400), and at every request, by the
//! [`Resolve`] given to the HTTP client, so a name that resolved to a public address at
//! registration and to a private one later (DNS rebinding) is still refused. Redirects are
//! not followed by the clients that use it.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// The environment variable that allows private addresses.
pub const ALLOW_PRIVATE_ENV: &str = "COMMERCE_SYNC_ALLOW_PRIVATE_NETWORKS";

/// Whether private addresses may be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outbound {
    pub allow_private: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    #[error("the URL is not an absolute http or https URL")]
    NotHttp,
    #[error(
        "{0} is not a public address; private, loopback and link-local addresses are refused \
         unless the operator sets {ALLOW_PRIVATE_ENV}=true"
    )]
    Private(IpAddr),
    #[error("the host {0} does not resolve")]
    Unresolved(String),
}

impl Outbound {
    /// Private addresses allowed.
    pub const ANYWHERE: Self = Self {
        allow_private: true,
    };

    /// From [`ALLOW_PRIVATE_ENV`] (`true` or `1` allows).
    pub fn from_env() -> Self {
        let value = std::env::var(ALLOW_PRIVATE_ENV).unwrap_or_default();
        Self {
            allow_private: matches!(value.trim(), "true" | "1"),
        }
    }

    /// Refuses a URL whose host is, or resolves to, an address not allowed.
    pub async fn check_url(&self, url: &str) -> Result<(), OutboundError> {
        let parsed = reqwest::Url::parse(url).map_err(|_| OutboundError::NotHttp)?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(OutboundError::NotHttp);
        }
        if self.allow_private {
            return Ok(());
        }
        let host = parsed.host_str().ok_or(OutboundError::NotHttp)?;
        let port = parsed.port_or_known_default().unwrap_or(443);
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        let addresses: Vec<IpAddr> = match literal.parse::<IpAddr>() {
            Ok(ip) => vec![ip],
            Err(_) => tokio::net::lookup_host((host, port))
                .await
                .map_err(|_| OutboundError::Unresolved(host.to_owned()))?
                .map(|a| a.ip())
                .collect(),
        };
        if addresses.is_empty() {
            return Err(OutboundError::Unresolved(host.to_owned()));
        }
        match addresses.into_iter().find(|ip| !is_public(*ip)) {
            Some(ip) => Err(OutboundError::Private(ip)),
            None => Ok(()),
        }
    }

    /// A resolver for an HTTP client that drops addresses not allowed (all of them: an error).
    pub fn resolver(&self) -> Arc<PublicResolver> {
        Arc::new(PublicResolver { policy: *self })
    }
}

/// Resolves with the system resolver, keeping only allowed addresses.
#[derive(Debug)]
pub struct PublicResolver {
    policy: Outbound,
}

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| policy.allow_private || is_public(a.ip()))
                .collect();
            if allowed.is_empty() {
                let error = match found.first() {
                    Some(a) => OutboundError::Private(a.ip()),
                    None => OutboundError::Unresolved(host),
                };
                return Err(Box::new(error) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// An address on the public internet (not loopback, private, link-local, shared, multicast,
/// documentation or otherwise reserved).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["1.1.1.1", "93.184.216.34", "2606:4700:4700::1111"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[tokio::test]
    async fn urls_are_checked_by_what_they_resolve_to() {
        let strict = Outbound::default();
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost/hook",
        ] {
            assert!(
                matches!(strict.check_url(url).await, Err(OutboundError::Private(_))),
                "{url}"
            );
        }
        assert_eq!(
            strict.check_url("ftp://1.1.1.1/").await,
            Err(OutboundError::NotHttp)
        );
        assert_eq!(strict.check_url("https://1.1.1.1/hook").await, Ok(()));
        assert_eq!(
            Outbound::ANYWHERE
                .check_url("http://127.0.0.1:8080/hook")
                .await,
            Ok(())
        );
    }
}
