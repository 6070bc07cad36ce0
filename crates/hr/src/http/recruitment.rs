//! 招聘 routes: openings, candidates and their stages, the hire, and the
//! audited read of a candidate's phone.

use crate::onboarding::HireResult;
use crate::permissions::STAFF;
use crate::recruitment::{
    self, CandidateContact, CandidateDto, CandidateHireInput, CandidateInput, ContactRevealInput,
    OpeningDto, OpeningInput, StageInput,
};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
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
        .routes(routes!(list_openings, create_opening))
        .routes(routes!(update_opening))
        .routes(routes!(list_candidates, add_candidate))
        .routes(routes!(move_candidate))
        .routes(routes!(hire_candidate))
        .routes(routes!(reveal_contact))
}

/// 招聘需求 of the hall, newest first, with candidates and hires counted.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/openings", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<OpeningDto>)))]
async fn list_openings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<OpeningDto>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(recruitment::openings(&state, &hall.id).await?))
}

/// Opens a recruitment for a post (how many, why).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/openings", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = OpeningInput,
    responses((status = 201, body = OpeningDto), (status = 422, body = ErrorBody)))]
async fn create_opening(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<OpeningInput>,
) -> ApiResult<(StatusCode, Json<OpeningDto>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let o = recruitment::create_opening(&state, &user.actor(), &hall.id, &body).await?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// Changes an opening (or closes it).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/openings/{id}", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = OpeningInput,
    responses((status = 200, body = OpeningDto), (status = 422, body = ErrorBody)))]
async fn update_opening(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<OpeningInput>,
) -> ApiResult<Json<OpeningDto>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        recruitment::update_opening(&state, &hall.id, &id, &body).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateQuery {
    /// Only this opening's candidates.
    pub opening_id: Option<String>,
}

/// 应聘人员 (phones masked), most recently moved first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/candidates", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), CandidateQuery),
    responses((status = 200, body = Vec<CandidateDto>)))]
async fn list_candidates(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<CandidateQuery>,
) -> ApiResult<Json<Vec<CandidateDto>>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        recruitment::candidates(&state, &hall.id, q.opening_id.as_deref()).await?,
    ))
}

/// Adds a candidate to an open opening (one application per phone).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/candidates", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = CandidateInput,
    responses((status = 201, body = CandidateDto), (status = 422, body = ErrorBody)))]
async fn add_candidate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<CandidateInput>,
) -> ApiResult<(StatusCode, Json<CandidateDto>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let c = recruitment::add_candidate(&state, &user.actor(), &hall.id, &body).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Moves a candidate on: 面试 (time, interviewer), 录用通知 (score, start
/// date, salary), or 未录用/放弃 (reason).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/candidates/{id}/stage", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = StageInput,
    responses((status = 200, body = CandidateDto), (status = 422, body = ErrorBody)))]
async fn move_candidate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<StageInput>,
) -> ApiResult<Json<CandidateDto>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        recruitment::move_candidate(&state, &user.actor(), &hall.id, &id, &body).await?,
    ))
}

/// 办理入职 for a candidate with an offer (staff record, profile, account,
/// window authorisation, checklist), from the candidate's own details.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/candidates/{id}/hire", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = CandidateHireInput,
    responses((status = 201, body = HireResult), (status = 422, body = ErrorBody)))]
async fn hire_candidate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CandidateHireInput>,
) -> ApiResult<(StatusCode, Json<HireResult>)> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    let r = recruitment::hire(&state, &user.actor(), &hall.id, &id, &body).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// 查看应聘人员手机号明文: the full number, the reason written to the audit log.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/candidates/{id}/reveal", security(("govhall" = ["hr.staff"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = ContactRevealInput,
    responses((status = 200, body = CandidateContact), (status = 422, body = ErrorBody)))]
async fn reveal_contact(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ContactRevealInput>,
) -> ApiResult<Json<CandidateContact>> {
    let hall = hall_for(&state, &user, &key, STAFF).await?;
    Ok(Json(
        recruitment::reveal_contact(&state, &user, &hall.id, &id, &body).await?,
    ))
}
