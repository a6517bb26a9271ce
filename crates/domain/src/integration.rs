//! The integration catalogue: the platforms a company can connect to, keyed by Codat's
//! four-letter platform keys.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::{Uuid, uuid};

/// Codat's kinds of platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SourceType {
    Accounting,
    Commerce,
}

/// A platform we integrate with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlatformKey {
    /// Xero (`gbol`).
    Xero,
    /// QuickBooks Online (`qhyg`).
    QuickBooksOnline,
    /// hledger through hledger-web's JSON API (`hldg`).
    Hledger,
    /// The client's own commerce data, pushed to us (`cmrc`).
    Commerce,
}

impl PlatformKey {
    pub const ALL: [PlatformKey; 4] = [
        Self::Xero,
        Self::QuickBooksOnline,
        Self::Hledger,
        Self::Commerce,
    ];

    /// The four-letter key on the wire.
    pub fn key(self) -> &'static str {
        self.integration().key
    }

    pub fn integration(self) -> &'static Integration {
        match self {
            Self::Xero => &INTEGRATIONS[0],
            Self::QuickBooksOnline => &INTEGRATIONS[1],
            Self::Hledger => &INTEGRATIONS[2],
            Self::Commerce => &INTEGRATIONS[3],
        }
    }

    pub fn source_type(self) -> SourceType {
        self.integration().source_type
    }
}

impl fmt::Display for PlatformKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for PlatformKey {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PlatformKey::ALL
            .into_iter()
            .find(|p| p.key() == s)
            .ok_or_else(|| {
                format!("unknown platform key {s:?}; expected one of gbol, qhyg, hldg, cmrc")
            })
    }
}

/// What the catalogue says of one platform. Ids are fixed so clients can store them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    pub platform: PlatformKey,
    pub key: &'static str,
    pub name: &'static str,
    pub source_type: SourceType,
    pub integration_id: Uuid,
    pub source_id: Uuid,
    /// Brand colour, used for the logo and buttons we serve.
    pub colour: &'static str,
    pub data_provided_by: &'static str,
}

/// Every integration, in the order `GET /config/integrations` lists them.
pub static INTEGRATIONS: [Integration; 4] = [
    Integration {
        platform: PlatformKey::Xero,
        key: "gbol",
        name: "Xero",
        source_type: SourceType::Accounting,
        integration_id: uuid!("8a156a5a-39cb-4f9d-856e-76ef9b9a9607"),
        source_id: uuid!("35b92968-9851-4095-ad60-395c95cbcba4"),
        colour: "#13b5ea",
        data_provided_by: "Xero",
    },
    Integration {
        platform: PlatformKey::QuickBooksOnline,
        key: "qhyg",
        name: "QuickBooks Online",
        source_type: SourceType::Accounting,
        integration_id: uuid!("d2d0c5f6-9d5e-4c4b-9a43-8b7f4c2c6a11"),
        source_id: uuid!("b1f0e0a2-3c7d-4e55-8f1a-2a9c7d3e4f50"),
        colour: "#2ca01c",
        data_provided_by: "Intuit",
    },
    Integration {
        platform: PlatformKey::Hledger,
        key: "hldg",
        name: "hledger",
        source_type: SourceType::Accounting,
        integration_id: uuid!("5e0c7a3b-1f2d-4b6e-9c8a-7d6e5f4a3b21"),
        source_id: uuid!("6f1d8b4c-2a3e-4c7f-8d9b-8e7f6a5b4c32"),
        colour: "#5a4a78",
        data_provided_by: "hledger-web",
    },
    Integration {
        platform: PlatformKey::Commerce,
        key: "cmrc",
        name: "Commerce data (pushed by the client)",
        source_type: SourceType::Commerce,
        integration_id: uuid!("7a2e9c5d-3b4f-4d8a-9e0c-9f8a7b6c5d43"),
        source_id: uuid!("8b3fad6e-4c5a-4e9b-8f1d-a09b8c7d6e54"),
        colour: "#1f2937",
        data_provided_by: "The commerce platform",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_are_four_lowercase_letters() {
        for platform in PlatformKey::ALL {
            let key = platform.key();
            assert_eq!(key.len(), 4);
            assert!(key.chars().all(|c| c.is_ascii_lowercase()));
            assert_eq!(key.parse::<PlatformKey>().unwrap(), platform);
            assert_eq!(platform.integration().platform, platform);
        }
        assert!("xero".parse::<PlatformKey>().is_err());
    }

    #[test]
    fn ids_are_distinct() {
        let mut ids: Vec<Uuid> = INTEGRATIONS
            .iter()
            .flat_map(|i| [i.integration_id, i.source_id])
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), INTEGRATIONS.len() * 2);
    }
}
