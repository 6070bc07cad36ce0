//! Import, export, the Excel template, index rebuilds and attachment uploads.

use crate::entity::attachment;
use crate::interchange::{CatalogFile, parse_file};
use crate::items::invalid;
use crate::transfer::{self as svc, ImportSummary};
use crate::{excel, indexing};
use axum::{
    Json,
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use govhall_kernel::{AppError, crypto::sm3_hex, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    api::{ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    db::DbResultExt,
    events::commit_with,
    halls::hall_for,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// A whole catalog (10,000 items with their materials) is tens of megabytes.
const IMPORT_LIMIT: usize = 256 * 1024 * 1024;
const ATTACHMENT_LIMIT: usize = 20 * 1024 * 1024;
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .routes(routes!(start_import_job))
        .layer(DefaultBodyLimit::max(IMPORT_LIMIT))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_attachment))
                .layer(DefaultBodyLimit::max(ATTACHMENT_LIMIT)),
        )
        .routes(routes!(export))
        .routes(routes!(template))
        .routes(routes!(reindex))
        .routes(routes!(import_job))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ImportQuery {
    /// Publish the imported versions at once (needs 审核发布事项); otherwise they are drafts.
    pub publish: bool,
    /// Only validate; write nothing.
    pub dry_run: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportOutcome {
    pub dry_run: bool,
    pub items: usize,
    pub bundles: usize,
    pub synonyms: usize,
    /// Absent for a dry run.
    pub summary: Option<ImportSummary>,
}

fn is_xlsx(headers: &HeaderMap, body: &[u8]) -> bool {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    ct.starts_with(XLSX) || (!ct.contains("json") && body.starts_with(b"PK"))
}

/// Import a catalog file (JSON, or an Excel workbook by Content-Type). The
/// whole file is validated first; with any problem nothing is written and
/// every problem is listed with where it is.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/import", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    request_body(content = String, description = "catalog JSON (application/json) or workbook (xlsx)"),
    params(("hall" = String, Path, description = "hall id or code"), ImportQuery),
    responses((status = 200, body = ImportOutcome), (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<ImportOutcome>> {
    let (hall_id, file) = validated(&state, &user, &key, &q, &headers, &body).await?;
    let mut outcome = ImportOutcome {
        dry_run: q.dry_run,
        items: file.items.len(),
        bundles: file.bundles.len(),
        synonyms: file.synonyms.len(),
        summary: None,
    };
    if !q.dry_run {
        outcome.summary =
            Some(svc::import(&state, &user.actor(), &hall_id, file, q.publish, &|_, _| {}).await?);
    }
    Ok(Json(outcome))
}

/// Checks permissions and parses and validates the whole file (JSON or workbook).
async fn validated(
    state: &AppState,
    user: &CurrentUser,
    key: &str,
    q: &ImportQuery,
    headers: &HeaderMap,
    body: &[u8],
) -> AppResult<(String, CatalogFile)> {
    let perm = if q.publish {
        crate::permissions::PUBLISH
    } else {
        crate::permissions::EDIT
    };
    let hall = hall_for(state, user, key, perm).await?;
    user.require(crate::permissions::EDIT)?;
    let known = svc::known_codes(state, &hall.id).await?;
    let parsed = if is_xlsx(headers, body) {
        excel::read(body, &known)
    } else {
        parse_file(body, &known)
    };
    Ok((hall.id, parsed.map_err(invalid)?))
}

/// Import jobs of this server, for the admin's progress bar.
#[derive(Default)]
pub struct ImportJobs(Mutex<HashMap<String, Arc<ImportJob>>>);

pub struct ImportJob {
    hall_id: String,
    user_id: String,
    total: usize,
    done: AtomicUsize,
    outcome: Mutex<Option<Result<ImportSummary, String>>>,
    started: std::time::Instant,
}

/// Finished jobs are kept this long for the page that polls them.
const JOB_RETENTION: std::time::Duration = std::time::Duration::from_secs(3600);

#[derive(Debug, Serialize, ToSchema)]
pub struct JobStatus {
    pub id: String,
    /// running / done / failed
    pub state: String,
    pub done: usize,
    pub total: usize,
    pub summary: Option<ImportSummary>,
    pub error: Option<String>,
}

fn jobs(state: &AppState) -> AppResult<Arc<ImportJobs>> {
    state
        .extension::<Arc<ImportJobs>>()
        .ok_or_else(|| AppError::internal("import jobs not registered"))
}

/// Start an import in the background after validating the whole file (problems
/// come back at once as 422, and nothing is written); poll the job for progress.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/import-jobs", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    request_body(content = String, description = "catalog JSON (application/json) or workbook (xlsx)"),
    params(("hall" = String, Path, description = "hall id or code"), ImportQuery),
    responses((status = 202, body = JobStatus), (status = 422, body = ErrorBody)))]
async fn start_import_job(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<JobStatus>)> {
    let (hall_id, file) = validated(&state, &user, &key, &q, &headers, &body).await?;
    let id = new_id().to_string();
    let job = Arc::new(ImportJob {
        hall_id: hall_id.clone(),
        user_id: user.id.clone(),
        total: file.items.len(),
        done: AtomicUsize::new(0),
        outcome: Mutex::new(None),
        started: std::time::Instant::now(),
    });
    let registry = jobs(&state)?;
    {
        let mut all = registry.0.lock().expect("jobs");
        all.retain(|_, j| {
            j.outcome.lock().expect("job").is_none() || j.started.elapsed() < JOB_RETENTION
        });
        all.insert(id.clone(), job.clone());
    }
    let (actor, publish, task_state) = (user.actor(), q.publish, state.clone());
    let running = job.clone();
    tokio::spawn(async move {
        let progress = |done: usize, _| running.done.store(done, Ordering::Relaxed);
        let result = svc::import(&task_state, &actor, &hall_id, file, publish, &progress).await;
        *running.outcome.lock().expect("job") = Some(result.map_err(|e| e.to_string()));
    });
    Ok((StatusCode::ACCEPTED, Json(status_of(&id, &job))))
}

fn status_of(id: &str, job: &ImportJob) -> JobStatus {
    let outcome = job.outcome.lock().expect("job").clone();
    JobStatus {
        id: id.to_string(),
        state: match &outcome {
            None => "running",
            Some(Ok(_)) => "done",
            Some(Err(_)) => "failed",
        }
        .into(),
        done: job.done.load(Ordering::Relaxed),
        total: job.total,
        error: outcome.as_ref().and_then(|o| o.as_ref().err().cloned()),
        summary: outcome.and_then(Result::ok),
    }
}

/// Progress of an import job started by the same user.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/import-jobs/{id}", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = JobStatus), (status = 404, body = ErrorBody)))]
async fn import_job(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<JobStatus>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let registry = jobs(&state)?;
    let job = registry
        .0
        .lock()
        .expect("jobs")
        .get(&id)
        .filter(|j| j.hall_id == hall.id && j.user_id == user.id)
        .cloned()
        .ok_or_else(|| AppError::not_found("导入任务"))?;
    Ok(Json(status_of(&id, &job)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ExportQuery {
    /// `json` (default) or `xlsx`.
    pub format: Option<String>,
    /// Only published versions (default: each item's latest version).
    pub published_only: bool,
}

fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Export the hall's catalog as JSON or as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/export", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), ExportQuery),
    responses((status = 200, content_type = "application/json", body = String)))]
async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let file = svc::export(&state, &hall.id, q.published_only).await?;
    let stamp = Utc::now().format("%Y%m%d");
    Ok(match q.format.as_deref().unwrap_or("json") {
        "json" => download(
            file.to_json().into_bytes(),
            "application/json; charset=utf-8",
            &format!("catalog-{}-{stamp}.json", hall.code),
        ),
        "xlsx" => download(
            excel::write(&file).map_err(AppError::internal)?,
            XLSX,
            &format!("catalog-{}-{stamp}.xlsx", hall.code),
        ),
        _ => return Err(AppError::field("format", "导出格式只能是 json 或 xlsx").into()),
    })
}

/// A blank import workbook with dropdowns for every enumerated column.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/template", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String)))]
async fn template(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Response> {
    hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(download(
        excel::template().map_err(AppError::internal)?,
        XLSX,
        "catalog-template.xlsx",
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReindexOutcome {
    pub documents: u64,
}

/// Rebuild the search index from the database.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/reindex", security(("govhall" = ["catalog.publish"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = ReindexOutcome)))]
async fn reindex(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<ReindexOutcome>> {
    hall_for(&state, &user, &key, crate::permissions::PUBLISH).await?;
    let idx = indexing::index(&state)?;
    Ok(Json(ReindexOutcome {
        documents: indexing::rebuild(&state, &idx).await?,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name as users should see it.
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentDto {
    pub id: String,
    pub name: String,
    pub size: i64,
}

const ALLOWED: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    ("xlsx", XLSX),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
];

/// Store a blank form, sample or result sample; refer to it by the returned id.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/attachments", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    request_body(content = String, description = "the file's bytes"),
    params(("hall" = String, Path, description = "hall id or code"), UploadQuery),
    responses((status = 201, body = AttachmentDto), (status = 422, body = ErrorBody)))]
async fn upload_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<AttachmentDto>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let name = q.name.trim().to_string();
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, content_type)) = ALLOWED.iter().find(|(e, _)| *e == ext) else {
        return Err(AppError::field("name", "附件只能是 PDF、Word、Excel 或 JPG/PNG 图片").into());
    };
    if name.chars().count() > 100 || name.contains(['/', '\\']) {
        return Err(AppError::field("name", "文件名不能超过 100 字，且不能含路径").into());
    }
    if body.is_empty() {
        return Err(AppError::field("file", "文件为空").into());
    }
    let id = new_id().to_string();
    let dir = attachments_dir(&state);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(AppError::internal)?;
    tokio::fs::write(dir.join(&id), &body)
        .await
        .map_err(AppError::internal)?;
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .db_err()?;
    let row = attachment::ActiveModel {
        id: Set(id.clone()),
        hall_id: Set(hall.id.clone()),
        name: Set(name.clone()),
        content_type: Set(content_type.to_string()),
        size: Set(body.len() as i64),
        sm3: Set(sm3_hex(&body)),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = crate::events::ATTACHMENT_UPLOADED.event(
        Some(&hall.id),
        &crate::events::AttachmentUploaded {
            id: id.clone(),
            name: name.clone(),
            size: row.size,
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok((
        StatusCode::CREATED,
        Json(AttachmentDto {
            id,
            name,
            size: row.size,
        }),
    ))
}

pub fn attachments_dir(state: &AppState) -> std::path::PathBuf {
    state.config.data_dir.join("attachments")
}

pub(crate) async fn read_attachment(
    state: &AppState,
    id: &str,
) -> AppResult<(attachment::Model, Vec<u8>)> {
    use sea_orm::EntityTrait;
    let row = attachment::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("附件"))?;
    let bytes = tokio::fs::read(attachments_dir(state).join(&row.id))
        .await
        .map_err(|_| AppError::not_found("附件文件"))?;
    Ok((row, bytes))
}
