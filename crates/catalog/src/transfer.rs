//! Import and export of a hall's catalog. An import is validated completely
//! before anything is written (see `interchange::parse_file`), then written in
//! one transaction: a file with any error changes nothing, and items already
//! present are updated by 实施编码 rather than duplicated.

use crate::bundles;
use crate::entity::{bundle, item, version};
use crate::indexing;
use crate::interchange::{CatalogFile, FileItem};
use crate::items::{mirror, parse_doc, status};
use chrono::Utc;
use govhall_kernel::{error::AppResult, new_id};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub bundles: usize,
    pub synonyms: usize,
    /// Whether the imported versions were published (else saved as drafts).
    pub published: bool,
}

/// Item codes already in the hall, which bundles in a file may refer to.
pub async fn known_codes(state: &AppState, hall_id: &str) -> AppResult<BTreeSet<String>> {
    Ok(item::Entity::find()
        .filter(item::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|i| i.task_code)
        .collect())
}

/// The latest version row of each item.
async fn latest_versions(
    state: &AppState,
    items: &[item::Model],
) -> AppResult<HashMap<String, version::Model>> {
    let mut out = HashMap::new();
    for chunk in items.chunks(500) {
        let ids: Vec<String> = chunk.iter().map(|i| i.id.clone()).collect();
        for v in version::Entity::find()
            .filter(version::Column::ItemId.is_in(ids))
            .all(&state.db)
            .await
            .db_err()?
        {
            if chunk
                .iter()
                .any(|i| i.id == v.item_id && i.latest_version == v.version)
            {
                out.insert(v.item_id.clone(), v);
            }
        }
    }
    Ok(out)
}

fn new_version(
    item_id: &str,
    number: i32,
    st: &str,
    fi: &FileItem,
    actor: &Actor,
) -> version::ActiveModel {
    let now = Utc::now();
    let published = st == status::PUBLISHED;
    version::ActiveModel {
        id: Set(new_id().to_string()),
        item_id: Set(item_id.to_string()),
        version: Set(number),
        status: Set(st.to_string()),
        doc: Set(serde_json::to_string(&fi.doc).expect("doc serializes")),
        created_by: Set(Some(actor.name.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_by: Set(None),
        published_by: Set(published.then(|| actor.name.clone())),
        published_at: Set(published.then_some(now)),
        note: Set(Some("导入".into())),
    }
}

/// Writes a validated file. `progress(done, total)` is called as items are written.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    file: CatalogFile,
    publish: bool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> AppResult<ImportSummary> {
    let existing: HashMap<String, item::Model> = item::Entity::find()
        .filter(item::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|i| (i.task_code.clone(), i))
        .collect();
    let rows: Vec<item::Model> = existing.values().cloned().collect();
    let latest = latest_versions(state, &rows).await?;
    let departments: HashMap<String, String> =
        govhall_directory::service::departments(&state.db, hall_id)
            .await?
            .into_iter()
            .map(|d| (d.credit_code, d.id.into_string()))
            .collect();
    let target = if publish {
        status::PUBLISHED
    } else {
        status::DRAFT
    };
    let mut summary = ImportSummary {
        published: publish,
        ..Default::default()
    };
    let (mut created, mut updated) = (Vec::new(), Vec::new());
    let total = file.items.len();
    let txn = begin_write(&state.db).await.db_err()?;
    let (mut new_items, mut new_versions) = (Vec::new(), Vec::new());
    for (n, fi) in file.items.iter().enumerate() {
        let department = departments.get(&fi.doc.dept_code).cloned();
        match existing.get(&fi.doc.task_code) {
            None => {
                let id = new_id().to_string();
                let number = fi.task_version as i32;
                let mut row = item::ActiveModel {
                    id: Set(id.clone()),
                    hall_id: Set(hall_id.to_string()),
                    task_code: Set(fi.doc.task_code.clone()),
                    status: Set(target.into()),
                    published_version: Set(publish.then_some(number)),
                    latest_version: Set(number),
                    ..Default::default()
                };
                mirror(&mut row, &fi.doc, department);
                new_items.push(row);
                new_versions.push(new_version(&id, number, target, fi, actor));
                created.push(fi.doc.task_code.clone());
            }
            Some(it) => {
                let current = latest.get(&it.id);
                let same_doc = current.map(parse_doc).transpose()?.as_ref() == Some(&fi.doc);
                let in_state = !publish || current.is_some_and(|v| v.status == target);
                if same_doc && in_state {
                    summary.unchanged += 1;
                    progress(n + 1, total);
                    continue;
                }
                let open =
                    current.filter(|v| v.status == status::DRAFT || v.status == status::SUBMITTED);
                if publish {
                    version::Entity::update_many()
                        .col_expr(version::Column::Status, status::SUPERSEDED.into())
                        .filter(version::Column::ItemId.eq(&it.id))
                        .filter(version::Column::Status.eq(status::PUBLISHED))
                        .exec(&txn)
                        .await
                        .db_err()?;
                }
                let number = match open {
                    Some(v) => {
                        let mut v: version::ActiveModel = v.clone().into();
                        v.doc = Set(serde_json::to_string(&fi.doc).expect("doc serializes"));
                        v.status = Set(target.into());
                        v.updated_at = Set(Utc::now());
                        if publish {
                            v.published_by = Set(Some(actor.name.clone()));
                            v.published_at = Set(Some(Utc::now()));
                        }
                        v.update(&txn).await.db_err()?.version
                    }
                    None => {
                        let number = it.latest_version + 1;
                        new_version(&it.id, number, target, fi, actor)
                            .insert(&txn)
                            .await
                            .db_err()?;
                        number
                    }
                };
                let mut row: item::ActiveModel = it.clone().into();
                mirror(&mut row, &fi.doc, department);
                row.latest_version = Set(number);
                row.status = Set(target.into());
                if publish {
                    row.published_version = Set(Some(number));
                }
                row.update(&txn).await.db_err()?;
                updated.push(fi.doc.task_code.clone());
            }
        }
        if new_items.len() >= 200 {
            flush(&txn, &mut new_items, &mut new_versions).await?;
        }
        progress(n + 1, total);
    }
    flush(&txn, &mut new_items, &mut new_versions).await?;

    let current_bundles: HashMap<String, bundle::Model> = bundle::Entity::find()
        .filter(bundle::Column::HallId.eq(hall_id))
        .all(&txn)
        .await
        .db_err()?
        .into_iter()
        .map(|b| (b.code.clone(), b))
        .collect();
    for b in &file.bundles {
        let row = bundle::ActiveModel {
            id: Set(current_bundles
                .get(&b.code)
                .map_or_else(|| new_id().to_string(), |c| c.id.clone())),
            hall_id: Set(hall_id.to_string()),
            code: Set(b.code.clone()),
            name: Set(b.name.clone()),
            doc: Set(serde_json::to_string(b).expect("bundle serializes")),
            updated_at: Set(Utc::now()),
        };
        if current_bundles.contains_key(&b.code) {
            row.update(&txn).await.db_err()?;
        } else {
            row.insert(&txn).await.db_err()?;
        }
        summary.bundles += 1;
    }
    if !file.synonyms.is_empty() {
        let groups = bundles::clean_synonyms(file.synonyms.clone())?;
        bundles::replace_synonyms_in(&txn, hall_id, &groups).await?;
        summary.synonyms = groups.len();
    }
    summary.created = created.len();
    summary.updated = updated.len();
    let ev = crate::events::IMPORTED.event(
        Some(hall_id),
        &crate::events::CatalogImported {
            created: created.clone(),
            updated: updated.clone(),
            unchanged: summary.unchanged,
            bundles: summary.bundles,
            synonyms: summary.synonyms,
            published: publish,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;

    let idx = indexing::index(state)?;
    indexing::load_synonyms(state, &idx, hall_id).await?;
    if publish || summary.bundles > 0 {
        indexing::rebuild(state, &idx).await?;
    }
    Ok(summary)
}

async fn flush(
    txn: &sea_orm::DatabaseTransaction,
    items: &mut Vec<item::ActiveModel>,
    versions: &mut Vec<version::ActiveModel>,
) -> AppResult<()> {
    if !items.is_empty() {
        item::Entity::insert_many(std::mem::take(items))
            .exec(txn)
            .await
            .db_err()?;
        // Small batches: each version carries a whole document.
        for chunk in std::mem::take(versions).chunks(50) {
            version::Entity::insert_many(chunk.to_vec())
                .exec(txn)
                .await
                .db_err()?;
        }
    }
    Ok(())
}

/// The hall's catalog as a file: each item's latest version (or only the
/// published ones), bundles and synonyms, in a stable order.
pub async fn export(
    state: &AppState,
    hall_id: &str,
    published_only: bool,
) -> AppResult<CatalogFile> {
    let h = govhall_platform::halls::find_hall(state, hall_id)
        .await
        .ok();
    let mut file = CatalogFile::new(h.map(|h| h.code));
    let items = item::Entity::find()
        .filter(item::Column::HallId.eq(hall_id))
        .order_by_asc(item::Column::TaskCode)
        .all(&state.db)
        .await
        .db_err()?;
    for chunk in items.chunks(500) {
        let ids: Vec<String> = chunk.iter().map(|i| i.id.clone()).collect();
        let mut versions: HashMap<String, version::Model> = HashMap::new();
        for v in version::Entity::find()
            .filter(version::Column::ItemId.is_in(ids))
            .all(&state.db)
            .await
            .db_err()?
        {
            let it = chunk.iter().find(|i| i.id == v.item_id).expect("own item");
            let wanted = if published_only {
                it.published_version
            } else {
                Some(it.latest_version)
            };
            if wanted == Some(v.version) {
                versions.insert(v.item_id.clone(), v);
            }
        }
        for it in chunk {
            if let Some(v) = versions.get(&it.id) {
                file.items.push(FileItem {
                    task_version: v.version as u32,
                    doc: parse_doc(v)?,
                });
            }
        }
    }
    file.bundles = bundles::list(state, hall_id)
        .await?
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    file.synonyms = bundles::synonyms(state, hall_id).await?;
    Ok(file)
}
