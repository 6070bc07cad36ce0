//! 班组 routes: the hall's groups (HR), and the 组长's own view — the
//! group's leave requests to decide first and its attendance of the month.

use crate::attendance::sheet::{self, SheetRow};
use crate::groups::{self, GroupDto, GroupInput};
use crate::leave::{self, LeaveDecision, LeaveDto};
use crate::permissions::{SELF, STAFF};
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
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_groups, create_group))
        .routes(routes!(update_group))
        .routes(routes!(my_group))
        .routes(routes!(group_leave_requests))
        .routes(routes!(decide_group_leave))
}

/// 班组 of the hall with their 组长 and members.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/groups", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<GroupDto>)))]
async fn list_groups(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<GroupDto>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(groups::list(&state, &hall.id).await?))
}

/// Adds a group (its members leave any other group).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/groups", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = GroupInput,
    responses((status = 201, body = GroupDto), (status = 422, body = ErrorBody)))]
async fn create_group(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<GroupInput>,
) -> ApiResult<(StatusCode, Json<GroupDto>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let g = groups::save(&state, &user.actor(), &hall.id, None, &body).await?;
    Ok((StatusCode::CREATED, Json(g)))
}

/// Changes a group's name, 组长 or members.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/groups/{id}", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = GroupInput,
    responses((status = 200, body = GroupDto), (status = 422, body = ErrorBody)))]
async fn update_group(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<GroupInput>,
) -> ApiResult<Json<GroupDto>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        groups::save(&state, &user.actor(), &hall.id, Some(&id), &body).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupMonthQuery {
    /// `YYYY-MM` (default: this month).
    pub month: Option<String>,
}

/// What a 组长 sees of their group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyGroup {
    /// `None` when the caller leads no group.
    pub group: Option<GroupDto>,
    /// The members' attendance of the month (no pay figures).
    pub attendance: Vec<SheetRow>,
}

/// 我的班组: the group a 组长 leads and its members' attendance of the month.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/my-group", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), GroupMonthQuery),
    responses((status = 200, body = MyGroup)))]
async fn my_group(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<GroupMonthQuery>,
) -> ApiResult<Json<MyGroup>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::staff_of(&user, "没有班组")?;
    let Some(group) = groups::led_by(&state, &hall.id, me).await? else {
        return Ok(Json(MyGroup {
            group: None,
            attendance: vec![],
        }));
    };
    let members: Vec<String> = group
        .members
        .iter()
        .map(|m| m.staff_id.clone())
        .filter(|m| m != me)
        .collect();
    let month = q
        .month
        .unwrap_or_else(|| govhall_kernel::time::today().format("%Y-%m").to_string());
    let attendance = sheet::build(&state, &hall.id, &month, Some(&members))
        .await?
        .rows;
    Ok(Json(MyGroup {
        group: Some(group),
        attendance,
    }))
}

/// 组员请假：组长查看本组组员的请假申请（事由可能涉及健康，查看记入审计日志）.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/my-group/leave-requests", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<LeaveDto>), (status = 403, body = ErrorBody)))]
async fn group_leave_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<LeaveDto>>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::staff_of(&user, "没有班组")?;
    let Some(group) = groups::led_by(&state, &hall.id, me).await? else {
        return Err(AppError::Forbidden("您不是组长，没有组员的请假可看".into()).into());
    };
    let members: Vec<String> = group
        .members
        .iter()
        .map(|m| m.staff_id.clone())
        .filter(|m| m != me)
        .collect();
    Ok(Json(leave::of_group(&state, &hall.id, &members).await?))
}

/// The 组长 agrees (on to the manager) or refuses a member's leave.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/my-group/leave-requests/{id}/decision", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = LeaveDecision,
    responses((status = 200, body = LeaveDto), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_group_leave(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<LeaveDecision>,
) -> ApiResult<Json<LeaveDto>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::staff_of(&user, "没有班组")?;
    Ok(Json(
        leave::decide_as_leader(&state, &user.actor(), &hall.id, me, &id, &body).await?,
    ))
}
