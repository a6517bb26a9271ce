//! The connections rule: a company syncs through exactly one linked commerce connection and
//! one linked accounting connection.

use super::error::{ConfigError, codes};
use crate::connection::{Connection, ConnectionStatus};
use crate::integration::SourceType;

/// The company must have exactly one linked commerce and one linked accounting connection;
/// unlinked connections are history and ignored, pending or deauthorized ones are named.
pub fn validate_connections(connections: &[Connection]) -> Vec<ConfigError> {
    let live = || {
        connections
            .iter()
            .filter(|c| c.status != ConnectionStatus::Unlinked)
    };
    let count = |t: SourceType| live().filter(|c| c.platform_key.source_type() == t).count();
    let (commerce, accounting) = (count(SourceType::Commerce), count(SourceType::Accounting));
    let mut errors = Vec::new();
    if commerce != 1 || accounting != 1 {
        errors.push(ConfigError::new(
            "",
            codes::CONNECTIONS_COUNT,
            format!("The company must have exactly two data connections, one commerce and one accounting; it has {commerce} commerce and {accounting} accounting"),
        ));
    }
    for c in live().filter(|c| c.status != ConnectionStatus::Linked) {
        errors.push(ConfigError::new(
            "",
            codes::CONNECTION_NOT_LINKED,
            format!(
                "The {} connection {} is {}: it must be Linked",
                c.platform_key.key(),
                c.id,
                c.status
            ),
        ));
    }
    errors
}
