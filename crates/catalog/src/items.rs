//! Items and their versions: draft → submitted → published → withdrawn.
//! A published version never changes; editing it starts the next draft, and
//! guides and cases keep pointing at the version they used.

use crate::entity::{item, version, window_item};
use crate::events::{self, ItemEvent};
use crate::indexing;
use crate::model::{ItemDoc, Problem};
use chrono::Utc;
use govhall_kernel::{AppError, FieldError, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write, is_unique_violation},
    events::{Actor, EventType, NewEvent, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Serialize;
use utoipa::ToSchema;

/// Status of one version.
pub mod status {
    pub const DRAFT: &str = "draft";
    pub const SUBMITTED: &str = "submitted";
    pub const PUBLISHED: &str = "published";
    pub const SUPERSEDED: &str = "superseded";
    pub const WITHDRAWN: &str = "withdrawn";

    pub fn label(s: &str) -> &'static str {
        match s {
            DRAFT => "草稿",
            SUBMITTED => "待发布",
            PUBLISHED => "已发布",
            SUPERSEDED => "历史版本",
            WITHDRAWN => "已撤回",
            _ => "未知",
        }
    }
}

/// Problems as a 422 the UI can show field by field.
pub fn invalid(problems: Vec<Problem>) -> AppError {
    AppError::validation(
        problems
            .into_iter()
            .map(|p| FieldError {
                field: p.at,
                message: p.message,
            })
            .collect(),
    )
}

pub(crate) fn parse_doc(v: &version::Model) -> AppResult<ItemDoc> {
    serde_json::from_str(&v.doc).map_err(AppError::internal)
}

/// The licence (审批结果类型 证照) a version of the item issues: `Some(name)`
/// (the 审批结果名称, possibly empty) when it issues one, `None` otherwise.
pub async fn licence_of(
    state: &AppState,
    item_id: &str,
    version: i32,
) -> AppResult<Option<String>> {
    let doc = parse_doc(&version_of(&state.db, item_id, version).await?)?;
    Ok((doc.result_type == crate::model::ResultType::Licence)
        .then(|| doc.result_name.unwrap_or_default()))
}

/// The department of the hall whose credit code is the item's 实施主体编码.
pub async fn claiming_department<C: ConnectionTrait>(
    db: &C,
    hall_id: &str,
    dept_code: &str,
) -> AppResult<Option<String>> {
    Ok(govhall_directory::service::departments(db, hall_id)
        .await?
        .into_iter()
        .find(|d| d.credit_code == dept_code)
        .map(|d| d.id.into_string()))
}

/// Copies what the list view filters on from the document to the item row.
pub(crate) fn mirror(row: &mut item::ActiveModel, doc: &ItemDoc, department: Option<String>) {
    row.task_name = Set(doc.task_name.clone());
    row.catalog_code = Set(doc.catalog_code.clone());
    row.task_type = Set(doc.task_type.label().to_string());
    row.department = Set(department);
    row.has_scenarios = Set(doc.has_scenarios());
    row.completeness = Set(doc.completeness().into());
    row.updated_at = Set(Utc::now());
}

pub(crate) async fn find_item(state: &AppState, hall_id: &str, id: &str) -> AppResult<item::Model> {
    item::Entity::find_by_id(id.to_string())
        .filter(item::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("事项"))
}

/// The hall's item by id or 实施编码 (cases receive by either).
pub(crate) async fn find_by_key(
    state: &AppState,
    hall_id: &str,
    key: &str,
) -> AppResult<item::Model> {
    item::Entity::find()
        .filter(item::Column::HallId.eq(hall_id))
        .filter(
            sea_orm::Condition::any()
                .add(item::Column::Id.eq(key))
                .add(item::Column::TaskCode.eq(key)),
        )
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("事项"))
}

pub(crate) async fn versions_of<C: ConnectionTrait>(
    db: &C,
    item_id: &str,
) -> AppResult<Vec<version::Model>> {
    version::Entity::find()
        .filter(version::Column::ItemId.eq(item_id))
        .order_by_asc(version::Column::Version)
        .all(db)
        .await
        .db_err()
}

pub(crate) async fn version_of<C: ConnectionTrait>(
    db: &C,
    item_id: &str,
    number: i32,
) -> AppResult<version::Model> {
    version::Entity::find()
        .filter(version::Column::ItemId.eq(item_id))
        .filter(version::Column::Version.eq(number))
        .one(db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::NotFound(format!("事项版本 {number} 不存在")))
}

/// The published version's document, which guides and cases use.
pub(crate) async fn published_doc_of(
    state: &AppState,
    it: &item::Model,
) -> AppResult<(i32, ItemDoc)> {
    published_doc(state, &it.id, &it.task_name, it.published_version).await
}

/// The document of version `published` of the item (named `name` in the 409
/// when it has none).
pub(crate) async fn published_doc(
    state: &AppState,
    id: &str,
    name: &str,
    published: Option<i32>,
) -> AppResult<(i32, ItemDoc)> {
    let n = published.ok_or_else(|| AppError::Conflict {
        message: format!("事项“{name}”尚未发布"),
        fields: vec![],
    })?;
    let v = version_of(&state.db, id, n).await?;
    Ok((n, parse_doc(&v)?))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionInfo {
    pub version: i32,
    pub status: String,
    pub status_label: String,
    pub created_by: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
    pub submitted_by: Option<String>,
    pub published_by: Option<String>,
    pub published_at: Option<chrono::DateTime<Utc>>,
    pub note: Option<String>,
}

impl VersionInfo {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(v: &version::Model) -> Self {
        VersionInfo {
            version: v.version,
            status: v.status.clone(),
            status_label: status::label(&v.status).into(),
            created_by: v.created_by.clone(),
            created_at: v.created_at,
            updated_at: v.updated_at,
            submitted_by: v.submitted_by.clone(),
            published_by: v.published_by.clone(),
            published_at: v.published_at,
            note: v.note.clone(),
        }
    }
}

fn event(
    hall_id: &str,
    kind: &EventType<ItemEvent>,
    it: &item::Model,
    version: i32,
    extra: serde_json::Value,
) -> NewEvent {
    kind.event(
        Some(hall_id),
        &ItemEvent {
            item_id: it.id.clone(),
            task_code: it.task_code.clone(),
            task_name: it.task_name.clone(),
            version,
            detail: match extra {
                serde_json::Value::Object(m) => m,
                _ => Default::default(),
            },
        },
    )
}

fn race(e: sea_orm::DbErr) -> AppError {
    if is_unique_violation(&e) {
        AppError::Conflict {
            message: "另一位用户刚刚修改了此事项，请刷新后重试".into(),
            fields: vec![],
        }
    } else {
        AppError::internal(e)
    }
}

fn version_row(
    item_id: &str,
    number: i32,
    st: &str,
    doc: &ItemDoc,
    actor: &Actor,
) -> version::ActiveModel {
    let now = Utc::now();
    version::ActiveModel {
        id: Set(new_id().to_string()),
        item_id: Set(item_id.to_string()),
        version: Set(number),
        status: Set(st.to_string()),
        doc: Set(serde_json::to_string(doc).expect("doc serializes")),
        created_by: Set(Some(actor.name.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_by: Set(None),
        published_by: Set(None),
        published_at: Set(None),
        note: Set(None),
    }
}

/// Creates an item with its first draft.
pub(crate) async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    doc: ItemDoc,
) -> AppResult<item::Model> {
    let problems = doc.problems();
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let department = claiming_department(&state.db, hall_id, &doc.dept_code).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let exists = item::Entity::find()
        .filter(item::Column::HallId.eq(hall_id))
        .filter(item::Column::TaskCode.eq(&doc.task_code))
        .one(&txn)
        .await
        .db_err()?;
    if let Some(other) = exists {
        return Err(AppError::duplicate(
            "task_code",
            format!(
                "实施编码 {} 已被事项“{}”使用",
                doc.task_code, other.task_name
            ),
        ));
    }
    let id = new_id().to_string();
    let mut row = item::ActiveModel {
        id: Set(id.clone()),
        hall_id: Set(hall_id.to_string()),
        task_code: Set(doc.task_code.clone()),
        status: Set(status::DRAFT.into()),
        published_version: Set(None),
        latest_version: Set(1),
        ..Default::default()
    };
    mirror(&mut row, &doc, department);
    let it = row.insert(&txn).await.map_err(race)?;
    version_row(&id, 1, status::DRAFT, &doc, actor)
        .insert(&txn)
        .await
        .map_err(race)?;
    commit_with(
        state,
        txn,
        actor,
        vec![event(
            hall_id,
            &events::ITEM_CREATED,
            &it,
            1,
            serde_json::json!({}),
        )],
    )
    .await?;
    Ok(it)
}

/// Saves the item's draft: edits the open draft, or starts the next version
/// from a published or withdrawn one. A submitted version is locked.
pub(crate) async fn save_draft(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    item_id: &str,
    doc: ItemDoc,
) -> AppResult<item::Model> {
    let it = find_item(state, hall_id, item_id).await?;
    let mut problems = doc.problems();
    if doc.task_code != it.task_code {
        problems.push(Problem::new(
            "task_code",
            "实施编码是事项的标识，创建后不能修改",
        ));
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let department = claiming_department(&state.db, hall_id, &doc.dept_code).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let latest = version_of(&txn, &it.id, it.latest_version).await?;
    let number = match latest.status.as_str() {
        status::SUBMITTED => {
            return Err(AppError::Conflict {
                message: format!("版本 {} 已提交待发布，请先退回再修改", latest.version),
                fields: vec![],
            });
        }
        status::DRAFT => {
            let mut v: version::ActiveModel = latest.into();
            v.doc = Set(serde_json::to_string(&doc).expect("doc serializes"));
            v.updated_at = Set(Utc::now());
            let v = v.update(&txn).await.db_err()?;
            v.version
        }
        _ => {
            let n = it.latest_version + 1;
            version_row(&it.id, n, status::DRAFT, &doc, actor)
                .insert(&txn)
                .await
                .map_err(race)?;
            n
        }
    };
    let mut row: item::ActiveModel = it.clone().into();
    mirror(&mut row, &doc, department);
    row.latest_version = Set(number);
    row.status = Set(status::DRAFT.into());
    let it = row.update(&txn).await.db_err()?;
    commit_with(
        state,
        txn,
        actor,
        vec![event(
            hall_id,
            &events::ITEM_DRAFT_SAVED,
            &it,
            number,
            serde_json::json!({}),
        )],
    )
    .await?;
    Ok(it)
}

/// A workflow step on the latest version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Submit,
    Publish,
    SendBack,
    Withdraw,
    DiscardDraft,
}

impl Step {
    fn event(self) -> &'static EventType<ItemEvent> {
        match self {
            Step::Submit => &events::ITEM_SUBMITTED,
            Step::Publish => &events::ITEM_PUBLISHED,
            Step::SendBack => &events::ITEM_SENT_BACK,
            Step::Withdraw => &events::ITEM_WITHDRAWN,
            Step::DiscardDraft => &events::ITEM_DRAFT_DISCARDED,
        }
    }
}

fn wrong_state(v: &version::Model, wanted: &str) -> AppError {
    AppError::Conflict {
        message: format!(
            "版本 {} 当前为“{}”，只有“{}”的版本可以这样操作",
            v.version,
            status::label(&v.status),
            status::label(wanted)
        ),
        fields: vec![],
    }
}

/// Moves the item through the workflow. Returns the item, or `None` when
/// discarding the only draft deleted it.
pub(crate) async fn advance(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    item_id: &str,
    step: Step,
    note: Option<String>,
) -> AppResult<Option<item::Model>> {
    let it = find_item(state, hall_id, item_id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let versions = versions_of(&txn, &it.id).await?;
    let latest = versions
        .last()
        .cloned()
        .ok_or_else(|| AppError::not_found("事项版本"))?;
    let now = Utc::now();
    let mut row: item::ActiveModel = it.clone().into();
    let mut target = latest.version;
    let mut reindex = false;
    match step {
        Step::Submit => {
            if latest.status != status::DRAFT {
                return Err(wrong_state(&latest, status::DRAFT));
            }
            let mut v: version::ActiveModel = latest.into();
            v.status = Set(status::SUBMITTED.into());
            v.submitted_by = Set(Some(actor.name.clone()));
            v.note = Set(None);
            v.updated_at = Set(now);
            v.update(&txn).await.db_err()?;
            row.status = Set(status::SUBMITTED.into());
        }
        Step::SendBack => {
            if latest.status != status::SUBMITTED {
                return Err(wrong_state(&latest, status::SUBMITTED));
            }
            let mut v: version::ActiveModel = latest.into();
            v.status = Set(status::DRAFT.into());
            v.note = Set(note.clone());
            v.updated_at = Set(now);
            v.update(&txn).await.db_err()?;
            row.status = Set(status::DRAFT.into());
        }
        Step::Publish => {
            if latest.status != status::SUBMITTED {
                return Err(wrong_state(&latest, status::SUBMITTED));
            }
            for old in versions.iter().filter(|v| v.status == status::PUBLISHED) {
                let mut o: version::ActiveModel = old.clone().into();
                o.status = Set(status::SUPERSEDED.into());
                o.update(&txn).await.db_err()?;
            }
            let mut v: version::ActiveModel = latest.into();
            v.status = Set(status::PUBLISHED.into());
            v.published_by = Set(Some(actor.name.clone()));
            v.published_at = Set(Some(now));
            v.updated_at = Set(now);
            v.update(&txn).await.db_err()?;
            row.status = Set(status::PUBLISHED.into());
            row.published_version = Set(Some(target));
            reindex = true;
        }
        Step::Withdraw => {
            let published = versions
                .iter()
                .find(|v| v.status == status::PUBLISHED)
                .cloned()
                .ok_or_else(|| AppError::Conflict {
                    message: "事项没有已发布的版本，无需撤回".into(),
                    fields: vec![],
                })?;
            target = published.version;
            let mut v: version::ActiveModel = published.into();
            v.status = Set(status::WITHDRAWN.into());
            v.note = Set(note.clone());
            v.updated_at = Set(now);
            v.update(&txn).await.db_err()?;
            if latest.version == target {
                row.status = Set(status::WITHDRAWN.into());
            }
            row.published_version = Set(None);
            reindex = true;
        }
        Step::DiscardDraft => {
            if latest.status != status::DRAFT {
                return Err(wrong_state(&latest, status::DRAFT));
            }
            version::Entity::delete_by_id(latest.id.clone())
                .exec(&txn)
                .await
                .db_err()?;
            if let Some(prev) = versions.iter().rev().nth(1) {
                let doc = parse_doc(prev)?;
                let department = claiming_department(&txn, hall_id, &doc.dept_code).await?;
                mirror(&mut row, &doc, department);
                row.latest_version = Set(prev.version);
                row.status = Set(prev.status.clone());
            } else {
                item::Entity::delete_by_id(it.id.clone())
                    .exec(&txn)
                    .await
                    .db_err()?;
                let ev = event(
                    hall_id,
                    &events::ITEM_DELETED,
                    &it,
                    target,
                    serde_json::json!({}),
                );
                commit_with(state, txn, actor, vec![ev]).await?;
                return Ok(None);
            }
        }
    }
    row.updated_at = Set(now);
    let it = row.update(&txn).await.db_err()?;
    let ev = event(
        hall_id,
        step.event(),
        &it,
        target,
        serde_json::json!({ "note": note }),
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    if reindex {
        indexing::refresh_items(state, std::slice::from_ref(&it)).await?;
    }
    Ok(Some(it))
}

/// The windows that may accept the item.
pub async fn windows_of(state: &AppState, item_id: &str) -> AppResult<Vec<String>> {
    Ok(window_item::Entity::find()
        .filter(window_item::Column::ItemId.eq(item_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|w| w.window_id)
        .collect())
}

/// Replaces the set of windows authorised to accept the item (无差别受理).
pub async fn set_windows(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    item_id: &str,
    window_ids: Vec<String>,
) -> AppResult<Vec<String>> {
    let it = find_item(state, hall_id, item_id).await?;
    let mut ids = window_ids;
    ids.sort();
    ids.dedup();
    let known: Vec<_> = govhall_directory::service::windows(&state.db, hall_id)
        .await?
        .into_iter()
        .filter(|w| ids.iter().any(|id| w.id == *id))
        .collect();
    if known.len() != ids.len() {
        return Err(AppError::field("window_ids", "窗口不存在或不属于本大厅"));
    }
    let txn = begin_write(&state.db).await.db_err()?;
    window_item::Entity::delete_many()
        .filter(window_item::Column::ItemId.eq(&it.id))
        .exec(&txn)
        .await
        .db_err()?;
    for w in &ids {
        window_item::ActiveModel {
            window_id: Set(w.clone()),
            item_id: Set(it.id.clone()),
            hall_id: Set(hall_id.to_string()),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    let names: Vec<String> = known.iter().map(|w| w.name.clone()).collect();
    let ev = event(
        hall_id,
        &events::ITEM_WINDOWS_SET,
        &it,
        it.latest_version,
        serde_json::json!({ "window_ids": ids, "windows": names }),
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(ids)
}

/// 实施编码 → name of the hall's published items (for other modules' lists,
/// e.g. the matters a service line serves).
pub async fn published_names(
    state: &AppState,
    hall_id: &str,
) -> AppResult<std::collections::HashMap<String, String>> {
    use sea_orm::QuerySelect;
    let rows: Vec<(String, String)> = item::Entity::find()
        .select_only()
        .column(item::Column::TaskCode)
        .column(item::Column::TaskName)
        .filter(item::Column::HallId.eq(hall_id))
        .filter(item::Column::PublishedVersion.is_not_null())
        .into_tuple()
        .all(&state.db)
        .await
        .db_err()?;
    Ok(rows.into_iter().collect())
}
