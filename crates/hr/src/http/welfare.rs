//! 工装 and 福利 routes: sizes (everyone's, and my own on the phone),
//! purchase batches, issues, welfare items and their recipients.

use crate::permissions::{SELF, STAFF};
use crate::uniforms::{
    self, BatchDto, BatchInput, SizeInput, SizeRow, UniformIssueDto, UniformIssueInput,
};
use crate::welfare::{self, ReceiptsInput, WelfareDto, WelfareInput};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::hall_for,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sizes))
        .routes(routes!(set_size))
        .routes(routes!(my_size, set_my_size))
        .routes(routes!(list_batches, create_batch))
        .routes(routes!(list_issues, issue_uniform))
        .routes(routes!(list_welfare, create_welfare))
        .routes(routes!(record_receipts))
}

/// 工装尺码 of everyone on staff (blank where not given).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/uniform-sizes", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<SizeRow>)))]
async fn list_sizes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<SizeRow>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(uniforms::sizes(&state, &hall.id).await?))
}

/// Records a person's sizes (号型 per GB/T 1335 or S–5XL; 鞋码 34–48).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/uniform-sizes/{staff}", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("staff" = String, Path)),
    request_body = SizeInput,
    responses((status = 200, body = SizeRow), (status = 422, body = ErrorBody)))]
async fn set_size(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, staff)): Path<(String, String)>,
    ApiJson(body): ApiJson<SizeInput>,
) -> ApiResult<Json<SizeRow>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        uniforms::set_size(&state, &hall.id, &staff, &body).await?,
    ))
}

/// 我的工装尺码.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/my-uniform-size", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = SizeRow)))]
async fn my_size(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<SizeRow>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::staff_of(&user, "没有工装记录")?;
    uniforms::sizes(&state, &hall.id)
        .await?
        .into_iter()
        .find(|s| s.staff_id == me)
        .map(Json)
        .ok_or_else(|| AppError::not_found("工作人员").into())
}

/// Records my own sizes.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/my-uniform-size", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = SizeInput,
    responses((status = 200, body = SizeRow), (status = 422, body = ErrorBody)))]
async fn set_my_size(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<SizeInput>,
) -> ApiResult<Json<SizeRow>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::staff_of(&user, "没有工装记录")?;
    Ok(Json(uniforms::set_size(&state, &hall.id, me, &body).await?))
}

/// 工装采购 batches, newest first, with issued and remaining counts.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/uniform-batches", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<BatchDto>)))]
async fn list_batches(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<BatchDto>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(uniforms::batches(&state, &hall.id).await?))
}

/// Records a purchase batch (year, season, item, supplier, price, quantity).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/uniform-batches", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = BatchInput,
    responses((status = 201, body = BatchDto), (status = 422, body = ErrorBody)))]
async fn create_batch(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<BatchInput>,
) -> ApiResult<(StatusCode, Json<BatchDto>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let b = uniforms::create_batch(&state, &user.actor(), &hall.id, &body).await?;
    Ok((StatusCode::CREATED, Json(b)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IssueQuery {
    /// Only this batch's issues.
    pub batch_id: Option<String>,
}

/// 工装发放 records, newest first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/uniform-issues", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), IssueQuery),
    responses((status = 200, body = Vec<UniformIssueDto>)))]
async fn list_issues(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<IssueQuery>,
) -> ApiResult<Json<Vec<UniformIssueDto>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        uniforms::issues(&state, &hall.id, q.batch_id.as_deref()).await?,
    ))
}

/// Issues uniforms from a batch (the season's once per person; a
/// replacement with its reason; never beyond what the batch holds).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/uniform-issues", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = UniformIssueInput,
    responses((status = 201, body = UniformIssueDto), (status = 422, body = ErrorBody)))]
async fn issue_uniform(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<UniformIssueInput>,
) -> ApiResult<(StatusCode, Json<UniformIssueDto>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let i = uniforms::issue(&state, &user.actor(), &hall.id, &body).await?;
    Ok((StatusCode::CREATED, Json(i)))
}

/// 福利 items, newest first, with who received each and who not yet.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/welfare", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<WelfareDto>)))]
async fn list_welfare(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<WelfareDto>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(welfare::list(&state, &hall.id).await?))
}

/// Adds a welfare item (节日福利, 体检 …) with its cost a head.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/welfare", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = WelfareInput,
    responses((status = 201, body = WelfareDto), (status = 422, body = ErrorBody)))]
async fn create_welfare(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<WelfareInput>,
) -> ApiResult<(StatusCode, Json<WelfareDto>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let w = welfare::create(&state, &user.actor(), &hall.id, &body).await?;
    Ok((StatusCode::CREATED, Json(w)))
}

/// Records who received a welfare item (today; each person once).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/welfare/{id}/receipts", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = ReceiptsInput,
    responses((status = 200, body = WelfareDto), (status = 422, body = ErrorBody)))]
async fn record_receipts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReceiptsInput>,
) -> ApiResult<Json<WelfareDto>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        welfare::record_receipts(&state, &user.actor(), &hall.id, &id, &body).await?,
    ))
}
