//! Keeps the search index in step with the database: opened (and rebuilt when
//! missing or out of step) at start-up, refreshed on publish, withdraw, bundle
//! and synonym changes, and rebuilt on demand by `govhall reindex`.

use crate::bundle::BundleDoc;
use crate::entity::{bundle, item, synonym, version};
use crate::items::{parse_doc, status};
use crate::model::ItemDoc;
use crate::search::{SearchDoc, SearchIndex};
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::sync::Arc;

/// The index registered for this server.
pub fn index(state: &AppState) -> AppResult<Arc<SearchIndex>> {
    state
        .extension::<Arc<SearchIndex>>()
        .ok_or_else(|| AppError::internal("catalog search index not opened"))
}

pub(crate) fn item_doc(hall_id: &str, it: &item::Model, doc: &ItemDoc) -> SearchDoc {
    let mut keywords = doc.keywords.clone();
    keywords.extend(doc.handling_items.iter().map(|h| h.name.clone()));
    let mut body = vec![doc.dept_name.clone(), doc.accept_condition.clone()];
    for f in &doc.faqs {
        body.push(f.question.clone());
        body.push(f.answer.clone());
    }
    SearchDoc {
        hall_id: hall_id.to_string(),
        kind: "item",
        id: it.id.clone(),
        code: it.task_code.clone(),
        title: doc.task_name.clone(),
        keywords,
        body: body.join("\n"),
    }
}

pub(crate) fn bundle_doc(
    b: &bundle::Model,
    doc: &BundleDoc,
    member_names: Vec<String>,
) -> SearchDoc {
    let mut keywords = doc.keywords.clone();
    keywords.extend(member_names);
    SearchDoc {
        hall_id: b.hall_id.clone(),
        kind: "bundle",
        id: b.id.clone(),
        code: b.code.clone(),
        title: doc.name.clone(),
        keywords,
        body: doc.description.clone(),
    }
}

async fn published_docs(state: &AppState, items: &[item::Model]) -> AppResult<Vec<SearchDoc>> {
    let mut out = Vec::with_capacity(items.len());
    for chunk in items.chunks(500) {
        let ids: Vec<String> = chunk.iter().map(|i| i.id.clone()).collect();
        let versions = version::Entity::find()
            .filter(version::Column::ItemId.is_in(ids))
            .filter(version::Column::Status.eq(status::PUBLISHED))
            .all(&state.db)
            .await
            .db_err()?;
        for v in versions {
            if let Some(it) = chunk.iter().find(|i| i.id == v.item_id) {
                out.push(item_doc(&it.hall_id, it, &parse_doc(&v)?));
            }
        }
    }
    Ok(out)
}

async fn bundle_docs(state: &AppState, hall_id: Option<&str>) -> AppResult<Vec<SearchDoc>> {
    let mut q = bundle::Entity::find();
    if let Some(h) = hall_id {
        q = q.filter(bundle::Column::HallId.eq(h));
    }
    let mut out = Vec::new();
    for b in q.all(&state.db).await.db_err()? {
        let doc: BundleDoc = serde_json::from_str(&b.doc).map_err(AppError::internal)?;
        let codes: Vec<String> = doc.members.iter().map(|m| m.task_code.clone()).collect();
        let names = item::Entity::find()
            .filter(item::Column::HallId.eq(&b.hall_id))
            .filter(item::Column::TaskCode.is_in(codes))
            .all(&state.db)
            .await
            .db_err()?
            .into_iter()
            .map(|i| i.task_name)
            .collect();
        out.push(bundle_doc(&b, &doc, names));
    }
    Ok(out)
}

/// What the hall's search holds: its published matters and its 一件事.
pub(crate) async fn hall_docs(state: &AppState, hall_id: &str) -> AppResult<Vec<SearchDoc>> {
    let items = item::Entity::find()
        .filter(item::Column::HallId.eq(hall_id))
        .filter(item::Column::PublishedVersion.is_not_null())
        .all(&state.db)
        .await
        .db_err()?;
    let mut docs = published_docs(state, &items).await?;
    docs.extend(bundle_docs(state, Some(hall_id)).await?);
    Ok(docs)
}

/// Re-indexes these items: published ones are (re)added, others removed.
pub(crate) async fn refresh_items(state: &AppState, items: &[item::Model]) -> AppResult<()> {
    let idx = index(state)?;
    let docs = published_docs(state, items).await?;
    let removed: Vec<String> = items
        .iter()
        .filter(|i| i.published_version.is_none())
        .map(|i| i.id.clone())
        .collect();
    idx.apply(&docs, &removed).map_err(AppError::internal)
}

pub async fn refresh_bundles(state: &AppState, hall_id: &str, removed: &[String]) -> AppResult<()> {
    let docs = bundle_docs(state, Some(hall_id)).await?;
    index(state)?
        .apply(&docs, removed)
        .map_err(AppError::internal)
}

/// Loads a hall's synonym groups into the index.
pub async fn load_synonyms(state: &AppState, idx: &SearchIndex, hall_id: &str) -> AppResult<()> {
    let groups = synonym::Entity::find()
        .filter(synonym::Column::HallId.eq(hall_id))
        .order_by_asc(synonym::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|s| s.terms.split(',').map(str::to_string).collect())
        .collect();
    idx.set_synonyms(hall_id, groups);
    Ok(())
}

/// Recreates the whole index from the database; returns how many documents it holds.
pub async fn rebuild(state: &AppState, idx: &SearchIndex) -> AppResult<u64> {
    let items = item::Entity::find()
        .filter(item::Column::PublishedVersion.is_not_null())
        .all(&state.db)
        .await
        .db_err()?;
    let mut docs = published_docs(state, &items).await?;
    docs.extend(bundle_docs(state, None).await?);
    idx.rebuild(&docs).map_err(AppError::internal)?;
    Ok(idx.len())
}

/// Brings the catalog tables up to date.
pub async fn migrate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm_migration::MigratorTrait;
    crate::migrations::Migrator::up(db, None)
        .await
        .map_err(|e| anyhow::anyhow!("事项库数据迁移失败：{e}"))
}

/// Opens the index under the data directory (rebuilding it when new or out
/// of step with the database) and registers it.
pub async fn open(state: &AppState) -> anyhow::Result<()> {
    let dir = state.config.data_dir.join("search");
    let (idx, created) = SearchIndex::open(&dir).map_err(|e| {
        anyhow::anyhow!(
            "无法打开检索索引 {}（是否已有服务在使用同一数据目录？）：{e}",
            dir.display()
        )
    })?;
    let published = item::Entity::find()
        .filter(item::Column::PublishedVersion.is_not_null())
        .count(&state.db)
        .await?;
    let bundles = bundle::Entity::find().count(&state.db).await?;
    if created || idx.len() != published + bundles {
        let n = rebuild(state, &idx)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        tracing::info!(documents = n, "catalog search index rebuilt");
    }
    let halls: Vec<String> = synonym::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| s.hall_id)
        .collect();
    for h in halls {
        load_synonyms(state, &idx, &h)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    state.insert_extension(Arc::new(idx));
    state.insert_extension(Arc::new(crate::http::ImportJobs::default()));
    state.insert_extension(Arc::new(crate::semantic::VectorCache::default()));
    Ok(())
}
