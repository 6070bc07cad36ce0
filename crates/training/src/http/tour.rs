//! The 云游大厅 endpoints: scenes for a manager; the tour itself is public
//! (`public.rs`).

use crate::permissions::MANAGE;
use crate::tour::{self, SceneDto, SceneInput, Spot};
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
        .routes(routes!(create_scene))
        .routes(routes!(set_spots))
}

/// Add a scene: an area's panorama (an uploaded JPG or PNG, 2:1).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/tour/scenes", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = SceneInput,
    responses((status = 201, body = SceneDto), (status = 422, body = ErrorBody)))]
async fn create_scene(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<SceneInput>,
) -> ApiResult<(StatusCode, Json<SceneDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(tour::create(&state, &hall.id, &body).await?),
    ))
}

/// Replace a scene's hotspots (each leads to another scene or shows a window).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/training/tour/scenes/{id}/spots", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = Vec<Spot>,
    responses((status = 200, body = SceneDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_spots(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<Vec<Spot>>,
) -> ApiResult<Json<SceneDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(tour::set_spots(&state, &hall.id, &id, &body).await?))
}
