//! 一件事 bundles and the synonym table: stored, validated against the
//! hall's items, and kept in the search index.

use crate::bundle::{BundleDoc, JointChecklist, resolve_bundle};
use crate::entity::{bundle, item, synonym};
use crate::events;
use crate::indexing;
use crate::interchange::SynonymGroup;
use crate::items::{invalid, published_doc_of};
use crate::model::{ItemDoc, Problem};
use crate::scenario::Answers;
use chrono::Utc;
use govhall_kernel::{AppError, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::BTreeMap;

pub(crate) fn parse(b: &bundle::Model) -> AppResult<BundleDoc> {
    serde_json::from_str(&b.doc).map_err(AppError::internal)
}

pub(crate) async fn list(
    state: &AppState,
    hall_id: &str,
) -> AppResult<Vec<(bundle::Model, BundleDoc)>> {
    let rows = bundle::Entity::find()
        .filter(bundle::Column::HallId.eq(hall_id))
        .order_by_asc(bundle::Column::Code)
        .all(&state.db)
        .await
        .db_err()?;
    rows.into_iter()
        .map(|b| parse(&b).map(|d| (b, d)))
        .collect()
}

/// The hall's bundle by its id or its code.
pub(crate) async fn find(state: &AppState, hall_id: &str, key: &str) -> AppResult<bundle::Model> {
    bundle::Entity::find()
        .filter(bundle::Column::HallId.eq(hall_id))
        .filter(
            sea_orm::Condition::any()
                .add(bundle::Column::Id.eq(key))
                .add(bundle::Column::Code.eq(key)),
        )
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("一件事"))
}

async fn check(
    state: &AppState,
    hall_id: &str,
    doc: &BundleDoc,
    except: Option<&str>,
) -> AppResult<()> {
    let mut problems = doc.problems();
    let codes: Vec<String> = doc.members.iter().map(|m| m.task_code.clone()).collect();
    let known: Vec<String> = item::Entity::find()
        .filter(item::Column::HallId.eq(hall_id))
        .filter(item::Column::TaskCode.is_in(codes))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|i| i.task_code)
        .collect();
    for (i, m) in doc.members.iter().enumerate() {
        if !known.contains(&m.task_code) {
            problems.push(Problem::new(
                format!("members[{i}]"),
                format!("事项“{}”不在本大厅事项库中", m.task_code),
            ));
        }
    }
    let clash = bundle::Entity::find()
        .filter(bundle::Column::HallId.eq(hall_id))
        .filter(bundle::Column::Code.eq(&doc.code))
        .one(&state.db)
        .await
        .db_err()?;
    if clash.is_some_and(|c| Some(c.id.as_str()) != except) {
        problems.push(Problem::new(
            "code",
            format!("一件事编码“{}”已被使用", doc.code),
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(invalid(problems))
    }
}

/// Creates (`id` = None) or replaces a bundle.
pub(crate) async fn save(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: Option<&str>,
    doc: BundleDoc,
) -> AppResult<bundle::Model> {
    if let Some(id) = id {
        find(state, hall_id, id).await?;
    }
    check(state, hall_id, &doc, id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = bundle::ActiveModel {
        id: Set(id.map_or_else(|| new_id().to_string(), str::to_string)),
        hall_id: Set(hall_id.to_string()),
        code: Set(doc.code.clone()),
        name: Set(doc.name.clone()),
        doc: Set(serde_json::to_string(&doc).expect("bundle serializes")),
        updated_at: Set(Utc::now()),
    };
    let saved = if id.is_some() {
        row.update(&txn).await.db_err()?
    } else {
        row.insert(&txn).await.db_err()?
    };
    let kind = if id.is_some() {
        &events::BUNDLE_UPDATED
    } else {
        &events::BUNDLE_CREATED
    };
    let ev = kind.event(
        Some(hall_id),
        &events::BundleSaved {
            bundle_id: saved.id.clone(),
            code: saved.code.clone(),
            name: saved.name.clone(),
            members: doc.members.iter().map(|m| m.task_code.clone()).collect(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    indexing::refresh_bundles(state, hall_id, &[]).await?;
    Ok(saved)
}

pub async fn delete(state: &AppState, actor: &Actor, hall_id: &str, id: &str) -> AppResult<()> {
    let b = find(state, hall_id, id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    bundle::Entity::delete_by_id(b.id.clone())
        .exec(&txn)
        .await
        .db_err()?;
    let ev = events::BUNDLE_DELETED.event(
        Some(hall_id),
        &events::BundleDeleted {
            bundle_id: b.id.clone(),
            code: b.code.clone(),
            name: b.name.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    indexing::refresh_bundles(state, hall_id, &[b.id]).await
}

/// The hall's matter a bundle member names (by 实施编码).
async fn member_item(
    state: &AppState,
    hall_id: &str,
    task_code: &str,
) -> AppResult<Option<item::Model>> {
    item::Entity::find()
        .filter(item::Column::HallId.eq(hall_id))
        .filter(item::Column::TaskCode.eq(task_code))
        .one(&state.db)
        .await
        .db_err()
}

/// Resolves the bundle on its members' published versions; `answers` are keyed by 实施编码.
pub async fn resolve(
    state: &AppState,
    hall_id: &str,
    id: &str,
    answers: &BTreeMap<String, Answers>,
) -> AppResult<JointChecklist> {
    let doc = parse(&find(state, hall_id, id).await?)?;
    let mut docs: Vec<ItemDoc> = Vec::new();
    for m in &doc.members {
        let it = member_item(state, hall_id, &m.task_code)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("成员事项“{}”已不存在", m.task_code)))?;
        docs.push(published_doc_of(state, &it).await?.1);
    }
    let empty = Answers::new();
    let members: Vec<(&ItemDoc, &Answers)> = docs
        .iter()
        .map(|d| (d, answers.get(&d.task_code).unwrap_or(&empty)))
        .collect();
    resolve_bundle(&members).map_err(|(name, e)| AppError::BadRequest(format!("{name}：{e}")))
}

/// A member of a 一件事 as citizens see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PublicMember {
    /// 实施编码: the member's own guide and questions are read by it.
    pub task_code: String,
    pub task_name: String,
    pub note: Option<String>,
}

/// A 一件事 as kiosks and phones show it before its joint checklist.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PublicBundle {
    pub id: String,
    pub code: String,
    pub name: String,
    pub description: String,
    /// In the order they are asked about; only published matters.
    pub members: Vec<PublicMember>,
}

/// The bundle `id` of the hall with its published members.
pub async fn public_view(state: &AppState, hall_id: &str, id: &str) -> AppResult<PublicBundle> {
    let row = find(state, hall_id, id).await?;
    let doc = parse(&row)?;
    let mut members = Vec::with_capacity(doc.members.len());
    for m in &doc.members {
        let it = member_item(state, hall_id, &m.task_code).await?;
        if let Some(it) = it.filter(|it| it.published_version.is_some()) {
            members.push(PublicMember {
                task_code: it.task_code,
                task_name: it.task_name,
                note: m.note.clone(),
            });
        }
    }
    Ok(PublicBundle {
        id: row.id,
        code: doc.code,
        name: doc.name,
        description: doc.description,
        members,
    })
}

pub async fn synonyms(state: &AppState, hall_id: &str) -> AppResult<Vec<SynonymGroup>> {
    Ok(synonym::Entity::find()
        .filter(synonym::Column::HallId.eq(hall_id))
        .order_by_asc(synonym::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|s| SynonymGroup {
            terms: s.terms.split(',').map(str::to_string).collect(),
        })
        .collect())
}

/// Checks and cleans synonym groups: trimmed, no commas inside a term, at least two terms.
pub fn clean_synonyms(groups: Vec<SynonymGroup>) -> AppResult<Vec<SynonymGroup>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for (i, g) in groups.into_iter().enumerate() {
        let mut terms: Vec<String> = g
            .terms
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        terms.dedup();
        if terms
            .iter()
            .any(|t| t.contains(',') || t.contains('，') || t.chars().count() > 30)
        {
            problems.push(Problem::new(
                format!("groups[{i}]"),
                "同义词不能包含逗号，且每个不超过 30 字",
            ));
        }
        if terms.len() < 2 {
            problems.push(Problem::new(
                format!("groups[{i}]"),
                "同义词组至少包含两个不同的词",
            ));
        }
        out.push(SynonymGroup { terms });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(invalid(problems))
    }
}

/// Replaces the hall's synonym table inside `txn` (no commit).
pub async fn replace_synonyms_in(
    txn: &sea_orm::DatabaseTransaction,
    hall_id: &str,
    groups: &[SynonymGroup],
) -> AppResult<()> {
    synonym::Entity::delete_many()
        .filter(synonym::Column::HallId.eq(hall_id))
        .exec(txn)
        .await
        .db_err()?;
    for (i, g) in groups.iter().enumerate() {
        synonym::ActiveModel {
            id: Set(new_id().to_string()),
            hall_id: Set(hall_id.to_string()),
            terms: Set(g.terms.join(",")),
            sort_order: Set(i as i32),
        }
        .insert(txn)
        .await
        .db_err()?;
    }
    Ok(())
}

pub async fn set_synonyms(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    groups: Vec<SynonymGroup>,
) -> AppResult<Vec<SynonymGroup>> {
    let groups = clean_synonyms(groups)?;
    let txn = begin_write(&state.db).await.db_err()?;
    replace_synonyms_in(&txn, hall_id, &groups).await?;
    let ev = events::SYNONYMS_REPLACED.event(
        Some(hall_id),
        &events::SynonymsReplaced {
            groups: groups.len(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    indexing::load_synonyms(state, &*indexing::index(state)?, hall_id).await?;
    Ok(groups)
}
