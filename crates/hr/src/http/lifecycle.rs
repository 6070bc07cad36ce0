//! Lifecycle routes: 入职 of a new hire, 转正/调岗/离职 records with their
//! checklists, 窗口授权, 劳动合同, and the monthly staff report with the 编制.

use crate::changes::{self, ChangeDto, ChangeInput, TickInput};
use crate::contract_scans::{self, ScanDto};
use crate::contracts::{self, ContractDto, ContractInput, TerminationInput};
use crate::grants;
use crate::onboarding::{self, HireInput, HireResult};
use crate::permissions::STAFF;
use crate::status_report::{self, PostHeadcount, StatusReport};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody, file_response},
    auth::CurrentUser,
    halls::hall_for,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(hire))
        .routes(routes!(list_changes, create_change))
        .routes(routes!(get_change))
        .routes(routes!(tick_item))
        .routes(routes!(get_window_grants, put_window_grants))
        .routes(routes!(list_contracts, create_contract))
        .routes(routes!(list_scans, upload_scan))
        .routes(routes!(get_scan))
        .routes(routes!(terminate_contract))
        .routes(routes!(status_report))
        .routes(routes!(status_report_pdf))
        .routes(routes!(status_report_xlsx))
        .routes(routes!(get_establishment, put_establishment))
}

/// 入职: the staff record, profile, account (one-time password, shown
/// once), window authorisation and the 入职 checklist in one step.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/hires", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = HireInput,
    responses((status = 201, body = HireResult), (status = 422, body = ErrorBody)))]
async fn hire(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<HireInput>,
) -> ApiResult<(StatusCode, Json<HireResult>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let r = onboarding::hire(&state, &user.actor(), &hall.id, &body).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// 人员异动: the hall's 入职, 转正, 调岗 and 离职 records, open ones first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/changes", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<ChangeDto>)))]
async fn list_changes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<ChangeDto>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(changes::list(&state, &hall.id).await?))
}

/// Records a 转正, 调岗 (applied on its date) or 离职 (accounts disabled
/// when the last working day's hall hours end).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/changes", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = ChangeInput,
    responses((status = 201, body = ChangeDto), (status = 422, body = ErrorBody)))]
async fn create_change(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<ChangeInput>,
) -> ApiResult<(StatusCode, Json<ChangeDto>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let c = changes::create(&state, &user.actor(), &hall.id, &body).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// One record with its checklist.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/changes/{id}", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ChangeDto), (status = 404, body = ErrorBody)))]
async fn get_change(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<ChangeDto>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(changes::get(&state, &hall.id, &id).await?))
}

/// Ticks a hand-kept checklist item (the 监督签字 last, which closes the record).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/changes/{id}/checklist/{code}", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path), ("code" = String, Path)),
    request_body = TickInput,
    responses((status = 200, body = ChangeDto), (status = 422, body = ErrorBody)))]
async fn tick_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id, code)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<TickInput>,
) -> ApiResult<Json<ChangeDto>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        changes::tick(&state, &user.actor(), &hall.id, &id, &code, &body).await?,
    ))
}

async fn staff_in_hall(state: &AppState, hall_id: &str, staff_id: &str) -> Result<(), AppError> {
    govhall_directory::service::staff_member(&state.db, staff_id)
        .await?
        .filter(|s| s.hall_id.as_str() == hall_id)
        .map(|_| ())
        .ok_or_else(|| AppError::not_found("工作人员"))
}

/// 窗口授权: the windows a member of staff may sign in at (empty: any).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/window-grants/{staff}", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("staff" = String, Path, description = "staff id")),
    responses((status = 200, body = Vec<String>), (status = 404, body = ErrorBody)))]
async fn get_window_grants(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, staff)): Path<(String, String)>,
) -> ApiResult<Json<Vec<String>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    staff_in_hall(&state, &hall.id, &staff).await?;
    Ok(Json(grants::of_staff(&state.db, &staff).await?))
}

/// Sets the windows a member of staff may sign in at; the counter refuses others.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/window-grants/{staff}", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("staff" = String, Path, description = "staff id")),
    request_body = Vec<String>,
    responses((status = 200, body = Vec<String>), (status = 422, body = ErrorBody)))]
async fn put_window_grants(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, staff)): Path<(String, String)>,
    ApiJson(body): ApiJson<Vec<String>>,
) -> ApiResult<Json<Vec<String>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    staff_in_hall(&state, &hall.id, &staff).await?;
    Ok(Json(
        grants::set(&state, &user.display_name, &hall.id, &staff, &body).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractQuery {
    /// Only contracts in force ending within this many days, not renewed (the expiry report).
    pub expiring_within: Option<i64>,
}

/// 劳动合同: the hall's contracts with their status, or the expiry report.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/contracts", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ContractQuery),
    responses((status = 200, body = Vec<ContractDto>)))]
async fn list_contracts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<ContractQuery>,
) -> ApiResult<Json<Vec<ContractDto>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        contracts::list(&state, &hall.id, q.expiring_within).await?,
    ))
}

/// Files a contract (term in order, probation within 劳动合同法 第十九条, no overlap).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/contracts", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = ContractInput,
    responses((status = 201, body = ContractDto), (status = 422, body = ErrorBody)))]
async fn create_contract(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<ContractInput>,
) -> ApiResult<(StatusCode, Json<ContractDto>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let c = contracts::create(&state, &user.actor(), &hall.id, &body).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// 解除或终止 a contract, with the date and the reason.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/contracts/{id}/termination", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = TerminationInput,
    responses((status = 200, body = ContractDto), (status = 422, body = ErrorBody)))]
async fn terminate_contract(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<TerminationInput>,
) -> ApiResult<Json<ContractDto>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        contracts::terminate(&state, &hall.id, &id, &body).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `YYYY-MM`.
    pub month: String,
}

/// 人员状态月报: headcount by post against the 编制, joiners, leavers,
/// transfers, 转正, leave, training hours and contracts ending.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/status-report", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ReportQuery),
    responses((status = 200, body = StatusReport), (status = 422, body = ErrorBody)))]
async fn status_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Json<StatusReport>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        status_report::build(&state, &hall.id, &q.month).await?,
    ))
}

/// The month's staff report as a PDF (for the center).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/status-report/printable", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ReportQuery),
    responses((status = 200, content_type = "application/pdf", body = String), (status = 422, body = ErrorBody)))]
async fn status_report_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let r = status_report::build(&state, &hall.id, &q.month).await?;
    let bytes = status_report::pdf(&r)?;
    Ok(file_response(
        &format!("人员状态月报-{}.pdf", r.month),
        "application/pdf",
        bytes,
        true,
    ))
}

/// The month's staff report as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/status-report/spreadsheet", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ReportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String), (status = 422, body = ErrorBody)))]
async fn status_report_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let r = status_report::build(&state, &hall.id, &q.month).await?;
    let bytes = status_report::xlsx(&r)?;
    Ok(file_response(
        &format!("人员状态月报-{}.xlsx", r.month),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
        true,
    ))
}

/// 编制: the approved headcount by post.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/establishment", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<PostHeadcount>)))]
async fn get_establishment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<PostHeadcount>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(status_report::establishment(&state, &hall.id).await?))
}

/// Sets the 编制 by post.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/establishment", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = Vec<PostHeadcount>,
    responses((status = 200, body = Vec<PostHeadcount>), (status = 422, body = ErrorBody)))]
async fn put_establishment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<Vec<PostHeadcount>>,
) -> ApiResult<Json<Vec<PostHeadcount>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        status_report::set_establishment(&state, &hall.id, &body).await?,
    ))
}

/// A contract's scans (names and sizes).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/contracts/{id}/scans", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = Vec<ScanDto>)))]
async fn list_scans(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<Vec<ScanDto>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(contract_scans::list(&state, &hall.id, &id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScanQuery {
    /// The file's name as the user sees it.
    #[serde(default)]
    pub name: String,
}

/// Keeps a scan of the signed contract (the file as the body: PDF, JPEG or
/// PNG, at most 10 MB; encrypted at rest).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/contracts/{id}/scans", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path), ScanQuery),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 201, body = ScanDto), (status = 422, body = ErrorBody)))]
async fn upload_scan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<ScanQuery>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<ScanDto>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let s = contract_scans::upload(&state, &user.actor(), &hall.id, &id, &q.name, &body).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// 查看合同扫描件（记入审计日志）.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/contracts/{id}/scans/{scan}", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path), ("scan" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = String), (status = 404, body = ErrorBody)))]
async fn get_scan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id, scan)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let (name, content_type, bytes) = contract_scans::file(&state, &hall.id, &id, &scan).await?;
    Ok(file_response(&name, &content_type, bytes, false))
}
