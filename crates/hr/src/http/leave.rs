//! Leave routes: the hall's leave types, my balances and requests (asking,
//! withdrawing), and the manager's list and decisions.

use crate::leave::{self, LeaveDecision, LeaveDto, LeaveInput, MyLeave};
use crate::leave_types::{self, LeaveTypeDto, LeaveTypeInput};
use crate::permissions::{LEAVE, SELF};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::hall_for,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_leave_types))
        .routes(routes!(update_leave_type))
        .routes(routes!(my_leave, request_leave))
        .routes(routes!(cancel_leave))
        .routes(routes!(list_leave_requests))
        .routes(routes!(decide_leave))
}

/// 请假类型: the hall's types with their rules, lengths and sources.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/leave-types", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<LeaveTypeDto>)))]
async fn list_leave_types(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<LeaveTypeDto>>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(leave_types::list(&state, &hall.id).await?))
}

/// Changes a leave type's rule, length or source (Shaanxi's lengths are to confirm).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/leave-types/{code}", security(("govhall" = ["hr.leave"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("code" = String, Path)),
    request_body = LeaveTypeInput,
    responses((status = 200, body = LeaveTypeDto), (status = 422, body = ErrorBody)))]
async fn update_leave_type(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, code)): Path<(String, String)>,
    ApiJson(body): ApiJson<LeaveTypeInput>,
) -> ApiResult<Json<LeaveTypeDto>> {
    let hall = hall_for(&state, &user, &key, LEAVE).await?;
    Ok(Json(
        leave_types::update(&state, &hall.id, &code, &body).await?,
    ))
}

/// 我的请假: my balances this year and my requests.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/my-leave", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = MyLeave)))]
async fn my_leave(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<MyLeave>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(
        leave::mine(&state, &hall.id, super::staff_of(&user, "不能请假")?).await?,
    ))
}

/// Asks for leave (dates free of other requests, within what is left).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/my-leave", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = LeaveInput,
    responses((status = 201, body = LeaveDto), (status = 422, body = ErrorBody)))]
async fn request_leave(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<LeaveInput>,
) -> ApiResult<(StatusCode, Json<LeaveDto>)> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let dto = leave::request(
        &state,
        &user.actor(),
        &hall.id,
        super::staff_of(&user, "不能请假")?,
        &body,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

/// 销假: withdraws my waiting request or ends my approved one.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/my-leave/{id}/cancel", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = LeaveDto), (status = 422, body = ErrorBody)))]
async fn cancel_leave(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<LeaveDto>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(
        leave::cancel(
            &state,
            &user.actor(),
            &hall.id,
            super::staff_of(&user, "不能请假")?,
            &id,
        )
        .await?,
    ))
}

/// 请假审批: the hall's requests, the waiting ones first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/leave-requests", security(("govhall" = ["hr.leave"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<LeaveDto>)))]
async fn list_leave_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<LeaveDto>>> {
    let hall = hall_for(&state, &user, &key, LEAVE).await?;
    Ok(Json(leave::list(&state, &hall.id).await?))
}

/// Approves or rejects a waiting request (a rejection says why).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/leave-requests/{id}/decision", security(("govhall" = ["hr.leave"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = LeaveDecision,
    responses((status = 200, body = LeaveDto), (status = 422, body = ErrorBody)))]
async fn decide_leave(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<LeaveDecision>,
) -> ApiResult<Json<LeaveDto>> {
    let hall = hall_for(&state, &user, &key, LEAVE).await?;
    Ok(Json(
        leave::decide(&state, &user.actor(), &hall.id, &id, &body).await?,
    ))
}
