//! Identifiers: UUIDs wrapped per entity so a company id can never be passed where a
//! connection id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random id.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// A client: one commerce platform using this deployment, with its own API keys.
    ClientId
);
uuid_id!(
    /// A company: one merchant of a client.
    CompanyId
);
uuid_id!(
    /// A connection of a company to a platform (accounting or commerce).
    ConnectionId
);
uuid_id!(
    /// A client's URL that receives events.
    WebhookEndpointId
);
uuid_id!(
    /// One event, the same id on every endpoint and every attempt (receivers dedupe by it).
    WebhookEventId
);
uuid_id!(
    /// One event on its way to one endpoint.
    WebhookDeliveryId
);
