//! 业务竞赛 routes: competitions, their scoreboard, ranking and
//! certificates (the manager); my competitions, a judge's scores and my
//! certificate (the phone).

use crate::competitions::{
    self, CompetitionDto, CompetitionInput, CompetitionRow, certificate, editing,
    judging::{self, JudgeScoreInput},
    mine::{self, MyCompetition},
    ranking,
};
use crate::permissions::{MANAGE, SELF};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody, file_response},
    auth::CurrentUser,
    halls::hall_for,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_competitions, create_competition))
        .routes(routes!(get_competition, update_competition))
        .routes(routes!(rank))
        .routes(routes!(certificates))
        .routes(routes!(my_competitions))
        .routes(routes!(judge_score))
        .routes(routes!(my_certificate))
}

/// 业务竞赛: every competition of the hall, newest first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/competitions", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<CompetitionRow>)))]
async fn list_competitions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<CompetitionRow>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(competitions::list(&state, &hall.id).await?))
}

/// Creates a competition: entrants, judges, and rounds (an exam from the
/// training bank or a judged practical task) whose weights sum to 100 %.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/competitions", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = CompetitionInput,
    responses((status = 201, body = CompetitionDto), (status = 422, body = ErrorBody)))]
async fn create_competition(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<CompetitionInput>,
) -> ApiResult<(StatusCode, Json<CompetitionDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(competitions::create(&state, &user.actor(), &hall.id, &body).await?),
    ))
}

/// A competition's scoreboard: each entrant's rounds with how each was
/// scored, totals and ranks, and what still blocks the ranking.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/competitions/{id}", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = CompetitionDto), (status = 404, body = ErrorBody)))]
async fn get_competition(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<CompetitionDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(competitions::detail(&state, &hall.id, &id).await?))
}

/// 修改业务竞赛: anything before it opens; once open, the name, the end
/// day, the places, more entrants, and a judge added or (before scoring)
/// dropped — the start day, rounds and entrants stay.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/performance/competitions/{id}", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = CompetitionInput,
    responses((status = 200, body = CompetitionDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_competition(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CompetitionInput>,
) -> ApiResult<Json<CompetitionDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        editing::update(&state, &user.actor(), &hall.id, &id, &body).await?,
    ))
}

/// 确定名次: after the last day, with every round scored; books the
/// places' points.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/competitions/{id}/rank", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = CompetitionDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rank(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<CompetitionDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        ranking::finalize(&state, &user.actor(), &hall.id, &id).await?,
    ))
}

/// 获奖证书: every awarded entrant's certificate, one page each (PDF).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/competitions/{id}/award-certificates", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn certificates(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    let c = competitions::detail(&state, &hall.id, &id).await?;
    let pdf = certificate::pdf(&c, &hall.name, None)?;
    Ok(file_response(
        &format!("{}-获奖证书.pdf", c.title),
        "application/pdf",
        pdf,
        false,
    ))
}

/// My competitions: as an entrant (my results, the exams to sit) and as a
/// judge (the practical rounds to score).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-competitions", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<MyCompetition>), (status = 403, body = ErrorBody)))]
async fn my_competitions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<MyCompetition>>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    Ok(Json(mine::mine(&state, &hall.id, me).await?))
}

/// A judge scores an entrant in a practical round (again: a correction).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/my-competitions/{id}/scores", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = JudgeScoreInput,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn judge_score(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<JudgeScoreInput>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    judging::score(&state, &user.actor(), &hall.id, me, &id, &body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// My 获奖证书 of a ranked competition (PDF).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-competitions/{id}/award-certificates", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn my_certificate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    let mine = mine::mine(&state, &hall.id, me).await?;
    if !mine.iter().any(|c| c.id == id) {
        return Err(govhall_kernel::AppError::not_found("业务竞赛").into());
    }
    let c = competitions::detail(&state, &hall.id, &id).await?;
    let pdf = certificate::pdf(&c, &hall.name, Some(me))?;
    Ok(file_response(
        &format!("{}-获奖证书.pdf", c.title),
        "application/pdf",
        pdf,
        false,
    ))
}
