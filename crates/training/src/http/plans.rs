//! The training plan endpoints: plans for a manager, a learner's tasks and
//! refreshers, and the statistics (JSON or Excel).

use crate::permissions::{LEARN, MANAGE};
use crate::plans::{self, PlanDetail, PlanDto, PlanInput};
use crate::ranking::{self, Level, RankingDto};
use crate::refresh::{self, QuizAnswers, QuizResult, RefresherDto};
use crate::stats::{self, StatsQuery, StatsRow};
use axum::{
    Json,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::hall_for,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(get_plan))
        .routes(routes!(my_tasks))
        .routes(routes!(statistics))
        .routes(routes!(my_refreshers))
        .routes(routes!(get_ranking))
        .routes(routes!(put_levels))
        .routes(routes!(answer_quiz))
}

/// The hall's training plans with how many of their staff finished, soonest due first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/plans", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<PlanDto>)))]
async fn list_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<PlanDto>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(plans::list(&state, &hall.id).await?))
}

/// Assign courses to a department and/or post (or the whole hall) by a date.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/plans", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = PlanInput,
    responses((status = 201, body = PlanDto), (status = 422, body = ErrorBody)))]
async fn create_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<PlanInput>,
) -> ApiResult<(StatusCode, Json<PlanDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(plans::create(&state, &hall.id, &body).await?),
    ))
}

/// One plan and every learner's standing in it.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/plans/{id}", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = PlanDetail), (status = 404, body = ErrorBody)))]
async fn get_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<PlanDetail>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(plans::detail(&state, &hall.id, &id).await?))
}

/// My learning tasks: the plans my department and post are in, with my courses marked.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/tasks", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<PlanDto>)))]
async fn my_tasks(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<PlanDto>>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(plans::mine(&state, &user, &hall.id).await?))
}

/// 培训统计 per learner, course or department: courses completed, hours,
/// exams passed and average score, valid certificates; `format=xlsx` gives
/// the same table as an Excel file.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/statistics", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), StatsQuery),
    responses((status = 200, body = Vec<StatsRow>), (status = 422, body = ErrorBody)))]
async fn statistics(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    let by = q.by.as_deref().unwrap_or("learner");
    let rows = stats::table(&state, &hall.id, by).await?;
    if q.format.as_deref() == Some("xlsx") {
        let bytes = stats::xlsx(by, &rows)?;
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"training-{by}.xlsx\""),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    Ok(Json(rows).into_response())
}

/// My refreshers: matters I am certified for that changed since (what
/// changed, three statements to judge, the grace period).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/refreshers", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<RefresherDto>)))]
async fn my_refreshers(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<RefresherDto>>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(refresh::mine(&state, &hall.id, &user.id).await?))
}

/// Judge a refresher's statements; all right passes it.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/refreshers/{id}/quiz", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = QuizAnswers,
    responses((status = 200, body = QuizResult), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn answer_quiz(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<QuizAnswers>,
) -> ApiResult<Json<QuizResult>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(
        refresh::answer(&state, &hall.id, &id, &user.id, &body).await?,
    ))
}

/// 积分排行: the first twenty by learning points, my place and level, the
/// hall's levels.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/ranking", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = RankingDto)))]
async fn get_ranking(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<RankingDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(ranking::ranking(&state, &user, &hall.id).await?))
}

/// Set the hall's 学习等级 (names and the points each starts at).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/training/levels", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = Vec<Level>,
    responses((status = 200, body = Vec<Level>), (status = 422, body = ErrorBody)))]
async fn put_levels(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<Vec<Level>>,
) -> ApiResult<Json<Vec<Level>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(ranking::set_levels(&state, &hall.id, &body).await?))
}
