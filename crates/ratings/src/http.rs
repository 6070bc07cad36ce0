//! 好差评 endpoints of the center: the ratings and the rectification tickets.

use crate::record::{self, RatingDto};
use crate::rectification::{self, RectMove, RectificationDto};
use axum::{
    Json,
    extract::{Path, State},
};
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
        .routes(routes!(list_ratings))
        .routes(routes!(list_rectifications))
        .routes(routes!(advance_rectification))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatingQuery {
    /// Only 差评 (不满意, 非常不满意).
    pub bad: Option<bool>,
}

/// The hall's ratings, newest first, with the provincial 好差评 fields.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/ratings", security(("govhall" = ["ratings.manage"])), tag = "ratings",
    params(("hall" = String, Path, description = "hall id or code"), RatingQuery),
    responses((status = 200, body = Vec<RatingDto>)))]
async fn list_ratings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<RatingQuery>,
) -> ApiResult<Json<Vec<RatingDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::MANAGE).await?;
    Ok(Json(
        record::list(&state, &hall.id, q.bad.unwrap_or(false)).await?,
    ))
}

/// 差评整改 tickets, open ones first, with due day, overdue and due-soon flags.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/rectifications", security(("govhall" = ["ratings.manage"])), tag = "ratings",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<RectificationDto>)))]
async fn list_rectifications(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<RectificationDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::MANAGE).await?;
    Ok(Json(rectification::list(&state, &hall.id).await?))
}

/// Move a rectification ticket one step (核实, 整改, 反馈, 回访, 结案, 申诉复核 …) with a note.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/rectifications/{id}/advance", security(("govhall" = ["ratings.manage"])), tag = "ratings",
    request_body = RectMove,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = RectificationDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn advance_rectification(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<RectMove>,
) -> ApiResult<Json<RectificationDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::MANAGE).await?;
    Ok(Json(
        rectification::advance(&state, &user.actor(), &hall.id, &id, &body).await?,
    ))
}
