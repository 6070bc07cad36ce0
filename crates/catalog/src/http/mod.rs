//! The catalog's HTTP API under `/api/v1/halls/{hall}/catalog/…`, plus the
//! public search and published-item reads the kiosk and mobile H5 use.

pub(crate) mod bundles;
mod items;
mod public;
mod semantic;
mod transfer;

pub use transfer::ImportJobs;

use govhall_platform::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(items::router())
        .merge(bundles::router())
        .merge(transfer::router())
        .merge(public::router())
        .merge(semantic::router())
}
