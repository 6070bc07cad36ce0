//! Several instances on one PostgreSQL: each keeps its own search index beside
//! the database, and the instance that commits a catalog change updates only
//! its own. This task follows the catalog events the bridge relays from the
//! other instances and applies them to this instance's index.

use crate::{entity::item, indexing};
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{AppState, db::DbResultExt, events::StoredEvent};
use sea_orm::{DatabaseBackend, EntityTrait};
use tokio::sync::broadcast::error::RecvError;

/// Follows relayed catalog events until shutdown (PostgreSQL only: with
/// SQLite there is one instance and nothing is relayed).
pub fn spawn(state: AppState) {
    if state.db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let mut rx = state.bus.subscribe();
    tokio::spawn(async move {
        loop {
            let received = tokio::select! {
                _ = state.shutdown.cancelled() => return,
                r = rx.recv() => r,
            };
            let outcome = match received {
                Ok(ev) if ev.relayed && ev.event.event_type.starts_with("catalog.") => {
                    apply(&state, &ev.event).await
                }
                Ok(_) => Ok(()),
                // Too far behind to know what changed: start from the database.
                Err(RecvError::Lagged(_)) => rebuild(&state).await,
                Err(RecvError::Closed) => return,
            };
            if let Err(e) = outcome {
                tracing::warn!(error = %e, "检索索引未能跟上其他实例的事项变更");
            }
        }
    });
}

/// Applies one catalog change committed by another instance.
pub async fn apply(state: &AppState, ev: &StoredEvent) -> AppResult<()> {
    let hall = ev.hall_id.as_deref().unwrap_or_default();
    let kind = ev.event_type.as_str();
    let field = |name: &str| ev.payload[name].as_str().map(str::to_string);
    if kind.starts_with("catalog.item.") {
        let Some(id) = field("item_id") else {
            return Ok(());
        };
        match item::Entity::find_by_id(id.clone())
            .one(&state.db)
            .await
            .db_err()?
        {
            Some(it) => indexing::refresh_items(state, &[it]).await,
            None => indexing::index(state)?
                .apply(&[], &[id])
                .map_err(AppError::internal),
        }
    } else if kind.starts_with("catalog.bundle.") {
        let removed: Vec<String> = match kind {
            "catalog.bundle.deleted" => field("bundle_id").into_iter().collect(),
            _ => vec![],
        };
        indexing::refresh_bundles(state, hall, &removed).await
    } else if kind == "catalog.synonyms.replaced" {
        indexing::load_synonyms(state, &*indexing::index(state)?, hall).await
    } else if kind == "catalog.imported" {
        indexing::load_synonyms(state, &*indexing::index(state)?, hall).await?;
        rebuild(state).await
    } else {
        Ok(())
    }
}

async fn rebuild(state: &AppState) -> AppResult<()> {
    indexing::rebuild(state, &*indexing::index(state)?)
        .await
        .map(|_| ())
}
