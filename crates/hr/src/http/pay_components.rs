//! 薪资项目 routes: the hall's formula pay components, and a trial of a
//! formula on typical (or given) values.

use crate::pay_components::{
    self, FormulaTrial, FormulaTrialInput, PayComponentDto, PayComponentInput, PayComponents,
};
use crate::permissions::PAYROLL;
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
        .routes(routes!(list_components, create_component))
        .routes(routes!(update_component))
        .routes(routes!(trial_formula))
}

/// 薪资项目: the hall's formula components, the variables and functions a
/// formula may use, and the last closed month.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/pay-components", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = PayComponents)))]
async fn list_components(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<PayComponents>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(pay_components::list(&state, &hall.id).await?))
}

/// Adds a component from an open month; its formula must parse, use known
/// variables and not divide by a value that can be zero.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/payroll/pay-components", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = PayComponentInput,
    responses((status = 201, body = PayComponentDto), (status = 422, body = ErrorBody)))]
async fn create_component(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<PayComponentInput>,
) -> ApiResult<(StatusCode, Json<PayComponentDto>)> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok((
        StatusCode::CREATED,
        Json(pay_components::create(&state, &user.actor(), &hall.id, &body).await?),
    ))
}

/// Changes a component; one already paid in a closed month keeps those
/// months and the change is returned as its new version.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/payroll/pay-components/{component}", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("component" = String, Path)),
    request_body = PayComponentInput,
    responses((status = 200, body = PayComponentDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_component(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<PayComponentInput>,
) -> ApiResult<Json<PayComponentDto>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(
        pay_components::update(&state, &user.actor(), &hall.id, &id, &body).await?,
    ))
}

/// 试算: evaluates a formula on the typical values, or on those given.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/payroll/pay-components/trial", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = FormulaTrialInput,
    responses((status = 200, body = FormulaTrial), (status = 422, body = ErrorBody)))]
async fn trial_formula(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<FormulaTrialInput>,
) -> ApiResult<Json<FormulaTrial>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(pay_components::trial(&state, &hall.id, &body).await?))
}
