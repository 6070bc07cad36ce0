//! Item endpoints: list with filters, create, edit the draft, the publish
//! workflow, versions and diffs, the scenario tester, window authorisation,
//! bulk actions and the completeness report.

use crate::diff;
use crate::entity::{item, window_item};
use crate::interchange::read_value;
use crate::items::{
    self as svc, Step, VersionInfo, find_item, invalid, parse_doc, status, version_of, versions_of,
};
use crate::model::{ItemDoc, Material};
use crate::scenario::{self, Answers};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{
    AppState,
    api::fetch_page,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody, Page, PageQuery},
    auth::{CurrentUser, Permission},
    db::DbResultExt,
    db::contains,
    halls::hall_for,
};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_items, create_item))
        .routes(routes!(get_item, save_draft))
        .routes(routes!(submit))
        .routes(routes!(publish))
        .routes(routes!(send_back))
        .routes(routes!(withdraw))
        .routes(routes!(discard))
        .routes(routes!(bulk))
        .routes(routes!(get_version))
        .routes(routes!(diff_versions))
        .routes(routes!(resolve))
        .routes(routes!(set_windows))
        .routes(routes!(completeness))
        .routes(routes!(search))
        .routes(routes!(search_misses))
        .routes(routes!(guidance_choices))
        .routes(routes!(enums))
}

/// Every enumeration of the 实施清单 with its labels, for editors and templates.
#[utoipa::path(get, path = "/api/v1/catalog/enums", security(("govhall" = ["catalog.read"])), tag = "catalog",
    responses((status = 200, body = Object)))]
async fn enums(user: CurrentUser) -> ApiResult<Json<Value>> {
    use crate::model::*;
    user.require(crate::permissions::READ)?;
    Ok(Json(serde_json::json!({
        "task_type": ItemType::labels(),
        "task_state": ItemState::labels(),
        "power_source": PowerSource::labels(),
        "use_level": UseLevel::labels(),
        "dept_type": DeptType::labels(),
        "serve_objects": ServeObject::labels(),
        "project_type": ProjectType::labels(),
        "day_unit": DayUnit::labels(),
        "handle_forms": HandleForm::labels(),
        "tongban_range": TongbanRange::labels(),
        "result_type": ResultType::labels(),
        "themes": Theme::labels(),
        "handling_kind": HandlingKind::labels(),
        "material_type": MaterialType::labels(),
        "material_form": MaterialForm::labels(),
        "material_source": MaterialSource::labels(),
        "necessity": ["必要", "非必要", "容缺"],
        "exempt_way": ExemptWay::labels(),
        "special_kind": SpecialKind::labels(),
    })))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemSummary {
    pub id: String,
    pub task_code: String,
    pub task_name: String,
    pub catalog_code: String,
    pub task_type: String,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
    pub has_scenarios: bool,
    /// 0–100: share of completeness checks passed.
    pub completeness: i32,
    pub status: String,
    pub status_label: String,
    pub published_version: Option<i32>,
    pub latest_version: i32,
    pub window_count: u64,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

async fn summaries(
    state: &AppState,
    hall_id: &str,
    rows: Vec<item::Model>,
) -> AppResult<Vec<ItemSummary>> {
    let departments: HashMap<String, String> =
        govhall_directory::service::departments(&state.db, hall_id)
            .await?
            .into_iter()
            .map(|d| (d.id.into_string(), d.name))
            .collect();
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut windows: HashMap<String, u64> = HashMap::new();
    for w in window_item::Entity::find()
        .filter(window_item::Column::ItemId.is_in(ids))
        .all(&state.db)
        .await
        .db_err()?
    {
        *windows.entry(w.item_id).or_default() += 1;
    }
    Ok(rows
        .into_iter()
        .map(|r| ItemSummary {
            department_name: r
                .department
                .as_ref()
                .and_then(|d| departments.get(d).cloned()),
            window_count: windows.get(&r.id).copied().unwrap_or(0),
            status_label: status::label(&r.status).into(),
            id: r.id,
            task_code: r.task_code,
            task_name: r.task_name,
            catalog_code: r.catalog_code,
            task_type: r.task_type,
            department_id: r.department,
            has_scenarios: r.has_scenarios,
            completeness: r.completeness,
            status: r.status,
            published_version: r.published_version,
            latest_version: r.latest_version,
            updated_at: r.updated_at,
        })
        .collect())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ItemFilter {
    /// Matches name, 实施编码 or 基本编码.
    pub q: Option<String>,
    /// Department id (the claiming department).
    pub department: Option<String>,
    /// 事项类型 label, e.g. 行政许可.
    pub task_type: Option<String>,
    /// draft / submitted / published / withdrawn
    pub status: Option<String>,
    pub has_scenarios: Option<bool>,
    /// Only items below 100 % completeness.
    pub incomplete: Option<bool>,
}

/// The hall's catalog items, filtered and paged.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/items", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), ItemFilter, PageQuery),
    responses((status = 200, body = Page<ItemSummary>)))]
async fn list_items(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(f): ApiQuery<ItemFilter>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ItemSummary>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let mut q = item::Entity::find().filter(item::Column::HallId.eq(&hall.id));
    if let Some(text) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
        q = q.filter(
            Condition::any()
                .add(item::Column::TaskName.like(contains(text)))
                .add(item::Column::TaskCode.like(contains(text)))
                .add(item::Column::CatalogCode.like(contains(text))),
        );
    }
    if let Some(d) = f.department.filter(|d| !d.is_empty()) {
        q = q.filter(item::Column::Department.eq(d));
    }
    if let Some(t) = f.task_type.filter(|t| !t.is_empty()) {
        q = q.filter(item::Column::TaskType.eq(t));
    }
    if let Some(s) = f.status.filter(|s| !s.is_empty()) {
        q = q.filter(item::Column::Status.eq(s));
    }
    if let Some(h) = f.has_scenarios {
        q = q.filter(item::Column::HasScenarios.eq(h));
    }
    if f.incomplete == Some(true) {
        q = q.filter(item::Column::Completeness.lt(100));
    }
    let page = fetch_page(&state, q.order_by_asc(item::Column::TaskCode), &paging).await?;
    Ok(Json(Page {
        items: summaries(&state, &hall.id, page.items).await?,
        total: page.total,
        page: page.page,
        page_size: page.page_size,
    }))
}

/// Reads an item document from JSON, with located Chinese messages.
fn doc_from(value: Value) -> AppResult<ItemDoc> {
    let mut problems = Vec::new();
    match read_value::<ItemDoc>(value, "", &mut problems) {
        Some(doc) if problems.is_empty() => Ok(doc),
        _ => Err(invalid(problems)),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemDetail {
    pub item: ItemSummary,
    /// The latest version's document (see docs/catalog/catalog.schema.json).
    #[schema(value_type = Object)]
    pub doc: ItemDoc,
    pub versions: Vec<VersionInfo>,
    pub window_ids: Vec<String>,
    /// Completeness gaps of the latest version.
    pub gaps: Vec<String>,
}

async fn detail(state: &AppState, hall_id: &str, it: item::Model) -> AppResult<ItemDetail> {
    let versions = versions_of(&state.db, &it.id).await?;
    let latest = versions
        .last()
        .ok_or_else(|| AppError::not_found("事项版本"))?;
    let doc = parse_doc(latest)?;
    let window_ids = svc::windows_of(state, &it.id).await?;
    Ok(ItemDetail {
        gaps: doc.gaps(),
        versions: versions.iter().map(VersionInfo::from_row).collect(),
        item: summaries(state, hall_id, vec![it]).await?.remove(0),
        doc,
        window_ids,
    })
}

/// Create an item (its first version is a draft).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/items", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    request_body(content = Object, description = "实施清单事项，字段见 docs/catalog/catalog.schema.json"),
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = ItemDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<(StatusCode, Json<ItemDetail>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let it = svc::create(&state, &user.actor(), &hall.id, doc_from(body)?).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail(&state, &hall.id, it).await?),
    ))
}

/// One item: its latest document, versions, windows and completeness gaps.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/items/{id}", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ItemDetail), (status = 404, body = ErrorBody)))]
async fn get_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<ItemDetail>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let it = find_item(&state, &hall.id, &id).await?;
    Ok(Json(detail(&state, &hall.id, it).await?))
}

/// Save the draft (editing a published item starts the next version).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/catalog/items/{id}", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    request_body(content = Object, description = "实施清单事项"),
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ItemDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<ItemDetail>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let it = svc::save_draft(&state, &user.actor(), &hall.id, &id, doc_from(body)?).await?;
    Ok(Json(detail(&state, &hall.id, it).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NoteInput {
    /// Why (shown to the editor when sent back; kept with a withdrawal).
    pub note: Option<String>,
}

async fn step(
    state: AppState,
    user: CurrentUser,
    key: String,
    id: String,
    step: Step,
    perm: Permission,
    note: Option<String>,
) -> ApiResult<Json<Option<ItemDetail>>> {
    let hall = hall_for(&state, &user, &key, perm).await?;
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if matches!(step, Step::SendBack | Step::Withdraw) && note.is_none() {
        return Err(AppError::field("note", "请填写原因").into());
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        return Err(AppError::field("note", "原因不能超过 500 字").into());
    }
    let out = svc::advance(&state, &user.actor(), &hall.id, &id, step, note).await?;
    Ok(Json(match out {
        Some(it) => Some(detail(&state, &hall.id, it).await?),
        None => None,
    }))
}

/// Submit the draft for publication.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/items/{id}/submit", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ItemDetail), (status = 409, body = ErrorBody)))]
async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<Option<ItemDetail>>> {
    step(
        state,
        user,
        key,
        id,
        Step::Submit,
        crate::permissions::EDIT,
        None,
    )
    .await
}

/// Publish the submitted version; the previous published version becomes history.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/items/{id}/publish", security(("govhall" = ["catalog.publish"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ItemDetail), (status = 409, body = ErrorBody)))]
async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<Option<ItemDetail>>> {
    step(
        state,
        user,
        key,
        id,
        Step::Publish,
        crate::permissions::PUBLISH,
        None,
    )
    .await
}

/// Send a submitted version back to draft, with the reason.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/items/{id}/send-back", security(("govhall" = ["catalog.publish"])), tag = "catalog", request_body = NoteInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ItemDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn send_back(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(n): ApiJson<NoteInput>,
) -> ApiResult<Json<Option<ItemDetail>>> {
    step(
        state,
        user,
        key,
        id,
        Step::SendBack,
        crate::permissions::PUBLISH,
        n.note,
    )
    .await
}

/// Withdraw the published version (the item leaves guides and search).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/items/{id}/withdraw", security(("govhall" = ["catalog.publish"])), tag = "catalog", request_body = NoteInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ItemDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(n): ApiJson<NoteInput>,
) -> ApiResult<Json<Option<ItemDetail>>> {
    step(
        state,
        user,
        key,
        id,
        Step::Withdraw,
        crate::permissions::PUBLISH,
        n.note,
    )
    .await
}

/// Discard the open draft (an item that was never published is deleted).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/items/{id}/discard", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ItemDetail), (status = 409, body = ErrorBody)))]
async fn discard(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<Option<ItemDetail>>> {
    step(
        state,
        user,
        key,
        id,
        Step::DiscardDraft,
        crate::permissions::EDIT,
        None,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkInput {
    pub ids: Vec<String>,
    /// submit / publish / withdraw
    pub action: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResult {
    pub id: String,
    pub ok: bool,
    pub message: Option<String>,
}

/// Apply one workflow action to several items; each succeeds or fails on its own.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/items/bulk", security(("govhall" = ["catalog.edit"])), tag = "catalog", request_body = BulkInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<BulkResult>), (status = 422, body = ErrorBody)))]
async fn bulk(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<BulkInput>,
) -> ApiResult<Json<Vec<BulkResult>>> {
    let (step, perm) = match input.action.as_str() {
        "submit" => (Step::Submit, crate::permissions::EDIT),
        "publish" => (Step::Publish, crate::permissions::PUBLISH),
        "withdraw" => (Step::Withdraw, crate::permissions::PUBLISH),
        _ => {
            return Err(
                AppError::field("action", "批量操作只能是 submit、publish 或 withdraw").into(),
            );
        }
    };
    let hall = hall_for(&state, &user, &key, perm).await?;
    if input.ids.is_empty() || input.ids.len() > 500 {
        return Err(AppError::field("ids", "请选择 1 至 500 个事项").into());
    }
    let note = input.note.filter(|n| !n.trim().is_empty());
    if step == Step::Withdraw && note.is_none() {
        return Err(AppError::field("note", "撤回须填写原因").into());
    }
    let mut out = Vec::new();
    for id in input.ids {
        let r = svc::advance(&state, &user.actor(), &hall.id, &id, step, note.clone()).await;
        out.push(BulkResult {
            ok: r.is_ok(),
            message: r.err().map(|e| e.to_string()),
            id,
        });
    }
    Ok(Json(out))
}

/// One version's document.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/items/{id}/versions/{version}", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path), ("version" = i32, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
async fn get_version(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id, number)): Path<(String, String, i32)>,
) -> ApiResult<Json<Value>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let it = find_item(&state, &hall.id, &id).await?;
    let v = version_of(&state.db, &it.id, number).await?;
    Ok(Json(
        serde_json::json!({"version": VersionInfo::from_row(&v), "doc": parse_doc(&v)?}),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    pub from: i32,
    pub to: i32,
}

/// What changed between two versions, one readable line per value.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/items/{id}/diff", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path), DiffQuery),
    responses((status = 200, body = Vec<diff::Change>), (status = 404, body = ErrorBody)))]
async fn diff_versions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> ApiResult<Json<Vec<diff::Change>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let it = find_item(&state, &hall.id, &id).await?;
    let a = version_of(&state.db, &it.id, q.from).await?;
    let b = version_of(&state.db, &it.id, q.to).await?;
    let parse = |s: &str| serde_json::from_str::<Value>(s).map_err(AppError::internal);
    Ok(Json(diff::diff(&parse(&a.doc)?, &parse(&b.doc)?)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ResolveInput {
    /// Question id → answer: `{"choice": "v"}`, `{"choices": ["a","b"]}`, `{"yes_no": true}` or `{"number": 3}`.
    #[schema(value_type = Object)]
    pub answers: Answers,
    /// Resolve this version instead of the published one (the tester uses the draft).
    pub version: Option<i32>,
}

/// The scenario tester and guide: the questions to ask for these answers and,
/// once all are answered, the checklist with the rule behind every line.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/items/{id}/resolve", security(("govhall" = ["catalog.read"])), tag = "catalog", request_body = ResolveInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = Object), (status = 409, body = ErrorBody)))]
async fn resolve(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ResolveInput>,
) -> ApiResult<Json<Value>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let it = find_item(&state, &hall.id, &id).await?;
    let (number, doc) = match input.version {
        Some(n) => (n, parse_doc(&version_of(&state.db, &it.id, n).await?)?),
        None => svc::published_doc_of(&state, &it).await?,
    };
    Ok(Json(resolution_view(number, &doc, &input.answers)))
}

/// The resolver's answer as the UI shows it: visible questions, then the
/// outcome (materials joined with their full attributes) or why not yet.
pub fn resolution_view(version: i32, doc: &ItemDoc, answers: &Answers) -> Value {
    let sc = doc.scenarios();
    let questions = scenario::visible_questions(&sc, answers);
    let (resolution, error) = match scenario::resolve(&sc, answers) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let details: Vec<Option<&Material>> = match &resolution {
        Some(scenario::Resolution::Outcome { materials, .. }) => materials
            .iter()
            .map(|m| doc.materials.iter().find(|d| d.id == m.value.id))
            .collect(),
        _ => vec![],
    };
    serde_json::json!({
        "version": version,
        "task_code": doc.task_code,
        "task_name": doc.task_name,
        "questions": questions,
        "resolution": resolution,
        "material_details": details,
        "error": error,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WindowsInput {
    pub window_ids: Vec<String>,
}

/// Set which windows may accept the item (无差别受理 authorisation).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/catalog/items/{id}/windows", security(("govhall" = ["catalog.edit"])), tag = "catalog", request_body = WindowsInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = Vec<String>), (status = 422, body = ErrorBody)))]
async fn set_windows(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<WindowsInput>,
) -> ApiResult<Json<Vec<String>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    Ok(Json(
        svc::set_windows(&state, &user.actor(), &hall.id, &id, input.window_ids).await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompletenessRow {
    pub item: ItemSummary,
    pub gaps: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompletenessReport {
    pub items: u64,
    pub complete: u64,
    /// Items no window may accept.
    pub without_window: u64,
    /// Items whose 实施主体 is not a department of the hall.
    pub unclaimed: u64,
    pub materials_without_sample: u64,
    pub rows: Vec<CompletenessRow>,
}

/// The completeness report: every item with a gap, and the totals.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/completeness", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = CompletenessReport)))]
async fn completeness(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<CompletenessReport>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let rows = item::Entity::find()
        .filter(item::Column::HallId.eq(&hall.id))
        .order_by_asc(item::Column::TaskCode)
        .all(&state.db)
        .await?;
    let versions = {
        let mut all = Vec::new();
        for chunk in rows.chunks(500) {
            let ids: Vec<String> = chunk.iter().map(|r| r.id.clone()).collect();
            all.extend(
                crate::entity::version::Entity::find()
                    .filter(crate::entity::version::Column::ItemId.is_in(ids))
                    .all(&state.db)
                    .await?,
            );
        }
        all
    };
    let summaries = summaries(&state, &hall.id, rows.clone()).await?;
    let mut report = CompletenessReport {
        items: rows.len() as u64,
        complete: 0,
        without_window: 0,
        unclaimed: 0,
        materials_without_sample: 0,
        rows: vec![],
    };
    for (row, summary) in rows.iter().zip(summaries) {
        let Some(v) = versions
            .iter()
            .find(|v| v.item_id == row.id && v.version == row.latest_version)
        else {
            continue;
        };
        let doc = parse_doc(v)?;
        let mut gaps = doc.gaps();
        report.materials_without_sample +=
            gaps.iter().filter(|g| g.contains("缺少示例样表")).count() as u64;
        if summary.window_count == 0 {
            report.without_window += 1;
            gaps.push("没有任何窗口获授权受理".into());
        }
        if summary.department_id.is_none() {
            report.unclaimed += 1;
            gaps.push(format!(
                "实施主体编码 {} 不是本大厅的部门，事项未被认领",
                doc.dept_code
            ));
        }
        if gaps.is_empty() {
            report.complete += 1;
        } else {
            report.rows.push(CompletenessRow {
                item: summary,
                gaps,
            });
        }
    }
    Ok(Json(report))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    pub q: String,
    #[serde(default)]
    pub limit: Option<usize>,
    /// Browsing a topic (开店办证, 社保医保) rather than asking a question:
    /// every matter it touches, however loosely.
    #[serde(default)]
    pub browse: bool,
}

/// Searches the hall's catalog (lexical, fused with semantic neighbours when
/// the hall configured an endpoint): every candidate with its confidence for
/// staff (`confident_only = false`), only the confident ones for citizens.
pub async fn run_search(
    state: &AppState,
    hall_id: &str,
    q: &SearchQuery,
    confident_only: bool,
) -> AppResult<Vec<crate::search::Hit>> {
    if q.q.chars().count() > 100 {
        return Err(AppError::field("q", "搜索内容不能超过 100 个字"));
    }
    let limit = q.limit.unwrap_or(10).clamp(1, 50);
    crate::semantic::search(state, hall_id, &q.q, limit, q.browse, confident_only).await
}

/// Search published items and 一件事 (Chinese words, pinyin, initials, synonyms).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/search", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), SearchQuery),
    responses((status = 200, body = Vec<crate::search::Hit>)))]
async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Vec<crate::search::Hit>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(run_search(&state, &hall.id, &q, false).await?))
}

/// Citizens' searches that found nothing, most frequent first (words to add as synonyms or keywords).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/search-misses", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<crate::misses::MissDto>)))]
async fn search_misses(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<crate::misses::MissDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(crate::misses::top(&state, &hall.id).await?))
}

/// What citizens answered in 智能导办 (the situations that led to a checklist), most frequent first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/guidance-choices", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<crate::choices::ChoiceDto>)))]
async fn guidance_choices(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<crate::choices::ChoiceDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(crate::choices::top(&state, &hall.id).await?))
}
