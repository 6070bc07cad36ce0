//! Several instances on one PostgreSQL: each keeps its own search index beside
//! the database, and the instance that commits a catalog change updates only
//! its own. This task follows the catalog events the bridge relays from the
//! other instances and applies them to this instance's index.

use crate::events::{self, ItemEvent};
use crate::{entity::item, indexing};
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{
    AppState,
    db::DbResultExt,
    events::{EventType, StoredEvent},
};
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

/// The events that change an item's place in the index.
const ITEM_EVENTS: [&EventType<ItemEvent>; 9] = [
    &events::ITEM_CREATED,
    &events::ITEM_DRAFT_SAVED,
    &events::ITEM_SUBMITTED,
    &events::ITEM_PUBLISHED,
    &events::ITEM_SENT_BACK,
    &events::ITEM_WITHDRAWN,
    &events::ITEM_DRAFT_DISCARDED,
    &events::ITEM_DELETED,
    &events::ITEM_WINDOWS_SET,
];

/// Applies one catalog change committed by another instance, read through
/// the catalog's typed events.
pub async fn apply(state: &AppState, ev: &StoredEvent) -> AppResult<()> {
    let hall = ev.hall_id.as_deref().unwrap_or_default();
    if let Some(changed) = ITEM_EVENTS.iter().find_map(|k| k.read(ev)) {
        let id = changed.item_id;
        return match item::Entity::find_by_id(id.clone())
            .one(&state.db)
            .await
            .db_err()?
        {
            Some(it) => indexing::refresh_items(state, &[it]).await,
            None => indexing::index(state)?
                .apply(&[], &[id])
                .map_err(AppError::internal),
        };
    }
    if let Some(gone) = events::BUNDLE_DELETED.read(ev) {
        return indexing::refresh_bundles(state, hall, &[gone.bundle_id]).await;
    }
    let kind = ev.event_type.as_str();
    if kind == events::BUNDLE_CREATED.name || kind == events::BUNDLE_UPDATED.name {
        indexing::refresh_bundles(state, hall, &[]).await
    } else if kind == events::SYNONYMS_REPLACED.name {
        indexing::load_synonyms(state, &*indexing::index(state)?, hall).await
    } else if kind == events::IMPORTED.name {
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
