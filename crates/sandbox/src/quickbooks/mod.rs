//! The QuickBooks Online sandbox (filled in below).
pub(crate) mod seed {
    use crate::tenant::Tenant;
    pub fn tenant(name: Option<String>, country: Option<String>, _now: jiff::Timestamp) -> Tenant {
        let us = country.as_deref() != Some("GB");
        let id = format!(
            "{}",
            9_130_000_000_000_000u64 + rand::random::<u32>() as u64
        );
        Tenant::new(
            id,
            name.unwrap_or_else(|| "Sandbox Company".into()),
            if us { "US".into() } else { "GB".into() },
            if us { "USD".into() } else { "GBP".into() },
        )
    }
}
pub fn routes() -> axum::Router<crate::state::SandboxState> {
    axum::Router::new().merge(crate::control::routes(
        crate::state::PlatformKind::QuickBooks,
    ))
}
