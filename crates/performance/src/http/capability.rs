//! 能力画像与交叉轮岗 routes: the portraits with a proposed plan, applying
//! a plan (as proposed or edited) to the window authorisations now or on a
//! later day, and cancelling a scheduled one.

use crate::capability::{self, ApplyInput, CapabilityPage};
use crate::permissions::MANAGE;
use crate::rotation_plans;
use axum::{
    Json,
    extract::{Path, State},
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
        .routes(routes!(capabilities))
        .routes(routes!(apply_rotation))
        .routes(routes!(cancel_rotation))
}

/// 能力画像: each person's lines served and certified, type and level; and a
/// 交叉轮岗 plan keeping every line covered by certified staff.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/capabilities", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = CapabilityPage)))]
async fn capabilities(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<CapabilityPage>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(capability::page(&state, &hall.id).await?))
}

/// Applies a plan to the window authorisations (HR 窗口授权), or schedules it
/// for a later `effective_on` (then applied that morning, checked again);
/// refused, every problem named, if someone is not certified or a line would
/// lose its cover.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/rotation/apply", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = ApplyInput,
    responses((status = 200, body = CapabilityPage), (status = 422, body = ErrorBody)))]
async fn apply_rotation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<ApplyInput>,
) -> ApiResult<Json<CapabilityPage>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        capability::apply(&state, &user.actor(), &hall.id, &body).await?,
    ))
}

/// Cancels a plan scheduled for a later day.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/rotation-plans/{id}/cancel", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = CapabilityPage), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cancel_rotation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<CapabilityPage>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    rotation_plans::cancel(&state, &user.actor(), &hall.id, &id).await?;
    Ok(Json(capability::page(&state, &hall.id).await?))
}
