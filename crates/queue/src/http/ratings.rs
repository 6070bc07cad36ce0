//! 好差评 endpoints: the holder's phone, the window's rating pad, and the
//! center's list of ratings and rectification tickets.

use crate::ratings::{self, RatingDto, RatingInput, RectMove, RectificationDto};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use govhall_platform::{
    AppState,
    access::{Access, RouteAccess},
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::hall_for,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rate_by_phone))
        .routes(routes!(rate_at_window))
        .routes(routes!(list_ratings))
        .routes(routes!(list_rectifications))
        .routes(routes!(advance_rectification))
}

const COLLECT: Access = Access::Permission(crate::permissions::RATINGS_COLLECT);
const MANAGE: Access = Access::Permission(crate::permissions::RATINGS_MANAGE);

pub const ACCESS: &[RouteAccess] = &[
    ("POST", "/api/v1/tickets/{id}/rating", Access::Public),
    (
        "POST",
        "/api/v1/halls/{hall}/windows/{window}/rating",
        COLLECT,
    ),
    ("GET", "/api/v1/halls/{hall}/ratings", MANAGE),
    ("GET", "/api/v1/halls/{hall}/rectifications", MANAGE),
    (
        "POST",
        "/api/v1/halls/{hall}/rectifications/{id}/advance",
        MANAGE,
    ),
];

#[derive(Debug, Deserialize, ToSchema)]
pub struct PhoneRating {
    /// The token printed on the slip's QR code.
    pub token: String,
    #[serde(flatten)]
    pub rating: RatingInput,
}

/// The holder rates a finished visit from the phone (once; never changed).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/rating", tag = "ratings", request_body = PhoneRating,
    params(("id" = String, Path)),
    responses((status = 201, body = RatingDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rate_by_phone(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PhoneRating>,
) -> ApiResult<(StatusCode, Json<RatingDto>)> {
    Ok((
        StatusCode::CREATED,
        Json(ratings::rate_by_token(&state, &id, &body.token, &body.rating).await?),
    ))
}

/// The window's rating pad rates the visit the window finished last (within 15 minutes).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/windows/{window}/rating", tag = "ratings",
    request_body = RatingInput,
    params(("hall" = String, Path, description = "hall id or code"), ("window" = String, Path)),
    responses((status = 201, body = RatingDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rate_at_window(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, window)): Path<(String, String)>,
    ApiJson(body): ApiJson<RatingInput>,
) -> ApiResult<(StatusCode, Json<RatingDto>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::RATINGS_COLLECT).await?;
    Ok((
        StatusCode::CREATED,
        Json(ratings::rate_at_window(&state, &hall.id, &window, &body).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatingQuery {
    /// Only 差评 (不满意, 非常不满意).
    pub bad: Option<bool>,
}

/// The hall's ratings, newest first, with the provincial 好差评 fields.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/ratings", tag = "ratings",
    params(("hall" = String, Path, description = "hall id or code"), RatingQuery),
    responses((status = 200, body = Vec<RatingDto>)))]
async fn list_ratings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<RatingQuery>,
) -> ApiResult<Json<Vec<RatingDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::RATINGS_MANAGE).await?;
    Ok(Json(
        ratings::list(&state, &hall.id, q.bad.unwrap_or(false)).await?,
    ))
}

/// 差评整改 tickets, open ones first, with due day, overdue and due-soon flags.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/rectifications", tag = "ratings",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<RectificationDto>)))]
async fn list_rectifications(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<RectificationDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::RATINGS_MANAGE).await?;
    Ok(Json(ratings::rectifications(&state, &hall.id).await?))
}

/// Move a rectification ticket one step (核实, 整改, 反馈, 回访, 结案, 申诉复核 …) with a note.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/rectifications/{id}/advance", tag = "ratings",
    request_body = RectMove,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = RectificationDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn advance_rectification(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<RectMove>,
) -> ApiResult<Json<RectificationDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::RATINGS_MANAGE).await?;
    Ok(Json(
        ratings::advance(&state, &user.actor(), &hall.id, &id, &body).await?,
    ))
}
