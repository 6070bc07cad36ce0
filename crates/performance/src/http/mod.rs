//! Performance routes: the KPI catalog, the quarter's schemes, the
//! assessments (compute, review, appeal decisions, grades) and the
//! evidence behind a figure; a person's own in `mine`.

mod butlers;
mod capability;
mod competitions;
mod findings;
mod mentors;
mod mine;
mod points;

use crate::assessments::{
    self, AppealDecisionInput, AssessmentDetail, QuarterAssessments, ReviewInput,
};
use crate::catalog::{self, KpiDef};
use crate::evidence::{self, Evidence};
use crate::permissions::MANAGE;
use crate::schemes::{self, SchemeDto, SchemeInput};
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
        .routes(routes!(kpi_catalog))
        .routes(routes!(list_schemes, save_scheme))
        .routes(routes!(list_assessments))
        .routes(routes!(calculate))
        .routes(routes!(finalize))
        .routes(routes!(get_assessment))
        .routes(routes!(get_evidence))
        .routes(routes!(review))
        .routes(routes!(decide_appeal))
        .merge(mine::router())
        .merge(points::router())
        .merge(findings::router())
        .merge(butlers::router())
        .merge(capability::router())
        .merge(mentors::router())
        .merge(competitions::router())
}

/// 考核指标库: what a scheme may weigh, with each definition.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/kpi-catalog", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<KpiDef>)))]
async fn kpi_catalog(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<KpiDef>>> {
    hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(catalog::all()))
}

/// The quarter's schemes (one for every post, and any for one post).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/schemes/{quarter}", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path, description = "`2026-Q4`")),
    responses((status = 200, body = Vec<SchemeDto>), (status = 422, body = ErrorBody)))]
async fn list_schemes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter)): Path<(String, String)>,
) -> ApiResult<Json<Vec<SchemeDto>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(schemes::list(&state, &hall.id, &quarter).await?))
}

/// Saves the quarter's scheme for a post (weights summing to 100 %, each
/// scoring formula checked); locked once the quarter has started.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/performance/schemes/{quarter}", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path, description = "`2026-Q4`")),
    request_body = SchemeInput,
    responses((status = 200, body = SchemeDto), (status = 422, body = ErrorBody)))]
async fn save_scheme(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter)): Path<(String, String)>,
    ApiJson(body): ApiJson<SchemeInput>,
) -> ApiResult<Json<SchemeDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        schemes::save(&state, &user.actor(), &hall.id, &quarter, &body).await?,
    ))
}

/// The quarter's assessments: totals, statuses and grades.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/assessments/{quarter}", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path, description = "`2026-Q4`")),
    responses((status = 200, body = QuarterAssessments), (status = 422, body = ErrorBody)))]
async fn list_assessments(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter)): Path<(String, String)>,
) -> ApiResult<Json<QuarterAssessments>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(assessments::list(&state, &hall.id, &quarter).await?))
}

/// Computes (or recomputes) everyone's figures from the evidence; the
/// reviews so far stay.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/assessments/{quarter}/calculate", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path, description = "`2026-Q4`")),
    responses((status = 200, body = QuarterAssessments), (status = 422, body = ErrorBody)))]
async fn calculate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter)): Path<(String, String)>,
) -> ApiResult<Json<QuarterAssessments>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        assessments::compute(&state, &user.actor(), &hall.id, &quarter).await?,
    ))
}

/// Grades the quarter (优秀 within the quota), archives it and passes the
/// grades to the payroll; refused while anyone has not confirmed.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/assessments/{quarter}/finalize", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path, description = "`2026-Q4`")),
    responses((status = 200, body = QuarterAssessments), (status = 422, body = ErrorBody)))]
async fn finalize(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter)): Path<(String, String)>,
) -> ApiResult<Json<QuarterAssessments>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        assessments::finalize(&state, &user.actor(), &hall.id, &quarter).await?,
    ))
}

/// One person's quarter: figures, scores, reviews and appeal.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/assessments/{quarter}/staff/{staff}", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path), ("staff" = String, Path)),
    responses((status = 200, body = AssessmentDetail), (status = 404, body = ErrorBody)))]
async fn get_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter, staff)): Path<(String, String, String)>,
) -> ApiResult<Json<AssessmentDetail>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        assessments::detail(&state, &hall.id, &quarter, &staff).await?,
    ))
}

/// The records behind one figure of one person's quarter.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/assessments/{quarter}/staff/{staff}/evidence/{indicator}", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path), ("staff" = String, Path), ("indicator" = String, Path)),
    responses((status = 200, body = Evidence), (status = 422, body = ErrorBody)))]
async fn get_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter, staff, indicator)): Path<(String, String, String, String)>,
) -> ApiResult<Json<Evidence>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    assessments::detail(&state, &hall.id, &quarter, &staff).await?;
    Ok(Json(
        evidence::of(&state, &hall.id, &quarter, &staff, &indicator).await?,
    ))
}

/// 考核评定: the manager's 领导评价 (0–100) and comment.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/assessments/{quarter}/staff/{staff}/review", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path), ("staff" = String, Path)),
    request_body = ReviewInput,
    responses((status = 200, body = AssessmentDetail), (status = 422, body = ErrorBody)))]
async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter, staff)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<ReviewInput>,
) -> ApiResult<Json<AssessmentDetail>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        assessments::review(&state, &user.actor(), &hall.id, &quarter, &staff, &body).await?,
    ))
}

/// Answers an appeal, changing the 领导评价 or not.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/assessments/{quarter}/staff/{staff}/appeal-decision", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path), ("staff" = String, Path)),
    request_body = AppealDecisionInput,
    responses((status = 200, body = AssessmentDetail), (status = 422, body = ErrorBody)))]
async fn decide_appeal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter, staff)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<AppealDecisionInput>,
) -> ApiResult<Json<AssessmentDetail>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        assessments::decide_appeal(&state, &user.actor(), &hall.id, &quarter, &staff, &body)
            .await?,
    ))
}
