//! The one description each module gives of itself. The server holds the list
//! of modules and iterates over it for everything a module contributes:
//! migrations, services, routes and their access rules, OpenAPI tags,
//! background tasks, permissions with their default grants, personal data for
//! key rotation, and its events. Adding a module is a crate and one line in
//! that list.

use crate::{AppState, auth::PermissionDef, keys::EncryptedTable};
use futures::future::BoxFuture;
use sea_orm::DatabaseConnection;
use utoipa_axum::router::OpenApiRouter;

/// Brings a module's tables up to date (each module keeps its own migration table).
pub type Migrate = for<'a> fn(&'a DatabaseConnection) -> BoxFuture<'a, anyhow::Result<()>>;

/// Work on the opened state: registering services, seeding demo data.
pub type Hook = for<'a> fn(&'a AppState) -> BoxFuture<'a, anyhow::Result<()>>;

pub struct Module {
    /// Short name, e.g. `queue`; the prefix of its events and permissions.
    pub name: &'static str,
    /// Chinese name.
    pub label: &'static str,
    pub migrate: Migrate,
    /// Registers the module's services on the state, once every module migrated.
    pub open: Option<Hook>,
    /// Its routes, documented with OpenAPI.
    pub router: fn() -> OpenApiRouter<AppState>,
    /// Reads recorded in the audit log like writes (method, route): those
    /// that show personal data or take data out (details, documents,
    /// exports, replays).
    pub audited_reads: &'static [(&'static str, &'static str)],
    /// OpenAPI tags it uses: name and description.
    pub tags: &'static [(&'static str, &'static str)],
    /// Background work while the server runs; it stops with `state.shutdown`.
    pub tasks: Option<fn(&AppState)>,
    /// Permissions it defines, with the built-in roles and devices that hold them.
    pub permissions: &'static [PermissionDef],
    /// Columns holding encrypted personal data, re-encrypted by `govhall rotate-key`.
    pub personal_data: &'static [EncryptedTable],
    /// Tables of short-lived rows keyed by the personal-data key (SMS codes,
    /// hashed with it): emptied by `govhall rotate-key`.
    pub cleared_on_key_rotation: &'static [&'static str],
    /// Demo data for `serve --demo`, run in the order of the module list.
    pub demo: Option<Hook>,
    /// Chinese words for its route segments and event types (the logs read them).
    pub words: crate::vocabulary::Words,
    /// The events it records, typed (the published catalogue).
    pub events: &'static [crate::events::EventDef],
    /// The kinds of message it sends (SMS, WeChat) with their Chinese names,
    /// which the outbox shows.
    pub notices: crate::vocabulary::Notices,
}

/// Wraps an `async fn(&DatabaseConnection)` as a [`Migrate`].
#[macro_export]
macro_rules! migrate_fn {
    ($f:path) => {{
        fn boxed(
            db: &$crate::sea_orm::DatabaseConnection,
        ) -> $crate::futures::future::BoxFuture<'_, anyhow::Result<()>> {
            Box::pin($f(db))
        }
        boxed
    }};
}

/// Wraps an `async fn(&AppState) -> anyhow::Result<()>` as a [`Hook`].
#[macro_export]
macro_rules! hook_fn {
    ($f:path) => {{
        fn boxed(
            state: &$crate::AppState,
        ) -> $crate::futures::future::BoxFuture<'_, anyhow::Result<()>> {
            Box::pin($f(state))
        }
        boxed
    }};
}
