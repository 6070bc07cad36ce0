//! Rating a visit: from the holder's phone (the slip's token) or the
//! window's rating pad. The lists and rectification are the ratings module's.

use crate::ratings;
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
use govhall_ratings::{RatingDto, RatingInput};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rate_by_phone))
        .routes(routes!(rate_at_window))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PhoneRating {
    /// The token printed on the slip's QR code.
    pub token: String,
    #[serde(flatten)]
    pub rating: RatingInput,
}

/// The holder rates a finished visit from the phone (once; never changed).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/rating", security(()), tag = "ratings", request_body = PhoneRating,
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
#[utoipa::path(post, path = "/api/v1/halls/{hall}/windows/{window}/rating", security(("govhall" = ["ratings.collect"])), tag = "ratings",
    request_body = RatingInput,
    params(("hall" = String, Path, description = "hall id or code"), ("window" = String, Path)),
    responses((status = 201, body = RatingDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rate_at_window(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, window)): Path<(String, String)>,
    ApiJson(body): ApiJson<RatingInput>,
) -> ApiResult<(StatusCode, Json<RatingDto>)> {
    let hall = hall_for(&state, &user, &key, govhall_ratings::permissions::COLLECT).await?;
    Ok((
        StatusCode::CREATED,
        Json(ratings::rate_at_window(&state, &hall.id, &window, &body).await?),
    ))
}
