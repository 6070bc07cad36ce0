//! 导师结对 routes: pairs with their 带训清单 and 出师 (the manager); my
//! mentoring and the mentor's sign-off (the phone).

use crate::mentors::{self, MentorshipDto, MentorshipInput, MyMentoring, SignOffInput};
use crate::permissions::{MANAGE, SELF};
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
        .routes(routes!(list_pairs, create_pair))
        .routes(routes!(certify))
        .routes(routes!(my_mentoring))
        .routes(routes!(sign_off))
}

/// 导师结对: every pair with its checklist and progress.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/mentorships", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<MentorshipDto>)))]
async fn list_pairs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<MentorshipDto>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(mentors::list(&state, &hall.id).await?))
}

/// Pairs a mentor and a mentee with a 带训清单 (the default list when empty).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/mentorships", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = MentorshipInput,
    responses((status = 201, body = MentorshipDto), (status = 422, body = ErrorBody)))]
async fn create_pair(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<MentorshipInput>,
) -> ApiResult<(StatusCode, Json<MentorshipDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(mentors::create(&state, &user.actor(), &hall.id, &body).await?),
    ))
}

/// 出师: refused until every item is signed off; books the mentor's points.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/mentorships/{id}/certify", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = MentorshipDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn certify(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<MentorshipDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        mentors::certify(&state, &user.actor(), &hall.id, &id).await?,
    ))
}

/// My mentoring: the mentees I train and my own checklist.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-mentoring", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = MyMentoring), (status = 403, body = ErrorBody)))]
async fn my_mentoring(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<MyMentoring>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    Ok(Json(mentors::mine(&state, &hall.id, me).await?))
}

/// The mentor signs an item of their mentee's checklist off.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/my-mentoring/checklist/{item}/sign-off", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("item" = String, Path)),
    request_body = SignOffInput,
    responses((status = 200, body = MentorshipDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn sign_off(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, item)): Path<(String, String)>,
    ApiJson(body): ApiJson<SignOffInput>,
) -> ApiResult<Json<MentorshipDto>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    Ok(Json(
        mentors::sign_off(&state, &hall.id, me, &item, &body).await?,
    ))
}
