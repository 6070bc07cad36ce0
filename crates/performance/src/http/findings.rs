//! 异常服务行为 routes: the week's findings and the rules' scan, a finding
//! by hand, closing one, the weekly bulletin (PDF); a clerk's own findings
//! and their explanation.

use crate::finding_rules::{self, FindingRules};
use crate::findings::{
    self, CloseInput, ExplanationInput, FindingDto, FindingsWeek, ManualFindingInput,
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
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody, file_response},
    auth::CurrentUser,
    halls::hall_for,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_findings, raise_finding))
        .routes(routes!(scan))
        .routes(routes!(get_rules, set_rules))
        .routes(routes!(close_finding))
        .routes(routes!(bulletin))
        .routes(routes!(my_findings))
        .routes(routes!(explain))
}

#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct WeekParam {
    /// Any day of the week, `YYYY-MM-DD`; default: this week.
    #[serde(default)]
    pub week: Option<String>,
}

/// The week's findings, and earlier weeks' still open.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/findings", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), WeekParam),
    responses((status = 200, body = FindingsWeek), (status = 422, body = ErrorBody)))]
async fn list_findings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<WeekParam>,
) -> ApiResult<Json<FindingsWeek>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        findings::list(&state, &hall.id, q.week.as_deref()).await?,
    ))
}

/// Runs the rules over the week's facts; what was found before stays as it is.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/findings/scan", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = WeekParam,
    responses((status = 200, body = FindingsWeek), (status = 422, body = ErrorBody)))]
async fn scan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<WeekParam>,
) -> ApiResult<Json<FindingsWeek>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        findings::scan(&state, &user.actor(), &hall.id, body.week.as_deref()).await?,
    ))
}

/// A finding by hand, with its evidence; refused for someone not on duty that day.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/findings", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = ManualFindingInput,
    responses((status = 201, body = FindingDto), (status = 422, body = ErrorBody)))]
async fn raise_finding(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<ManualFindingInput>,
) -> ApiResult<(StatusCode, Json<FindingDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(findings::raise(&state, &user.actor(), &hall.id, &body).await?),
    ))
}

/// Closes a finding: upheld (put right; its points deducted) or dismissed.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/findings/{id}/close", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = CloseInput,
    responses((status = 200, body = FindingDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn close_finding(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CloseInput>,
) -> ApiResult<Json<FindingDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        findings::close(&state, &user.actor(), &hall.id, &id, &body).await?,
    ))
}

/// 周通报: the week's findings and the open ones of earlier weeks, as a PDF.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/findings/bulletin", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), WeekParam),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 422, body = ErrorBody)))]
async fn bulletin(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<WeekParam>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    let week = findings::list(&state, &hall.id, q.week.as_deref()).await?;
    let rules = finding_rules::get(&state, &hall.id).await?;
    let pdf = findings::bulletin_pdf(&hall.name, &week, &rules)?;
    Ok(file_response(
        &format!("异常服务行为通报-{}.pdf", week.week),
        "application/pdf",
        pdf,
        false,
    ))
}

/// My findings, newest first, to explain before their deadline.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-findings", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<FindingDto>), (status = 403, body = ErrorBody)))]
async fn my_findings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<FindingDto>>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    Ok(Json(findings::mine(&state, &hall.id, me).await?))
}

/// My explanation of a finding.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/my-findings/{id}/explanation", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = ExplanationInput,
    responses((status = 200, body = FindingDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn explain(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ExplanationInput>,
) -> ApiResult<Json<FindingDto>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    Ok(Json(
        findings::explain(&state, &user.actor(), &hall.id, me, &id, &body).await?,
    ))
}

/// The hall's 异常服务行为 rules: limits, rules switched off, 整改期限.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/finding-rules", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = FindingRules)))]
async fn get_rules(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<FindingRules>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(finding_rules::get(&state, &hall.id).await?))
}

/// Sets the hall's 异常服务行为 rules; the next scan applies them.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/performance/finding-rules", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = FindingRules,
    responses((status = 200, body = FindingRules), (status = 422, body = ErrorBody)))]
async fn set_rules(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<FindingRules>,
) -> ApiResult<Json<FindingRules>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        finding_rules::set(&state, &user.actor(), &hall.id, &body).await?,
    ))
}
