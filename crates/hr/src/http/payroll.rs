//! Payroll routes: 五险一金 rates, the month's pay items, the runs (compute,
//! approve, register, payslips, bank file) and a member of staff's own payslips.

use crate::bank_file::{self, BankLayout};
use crate::contributions::{self, RateDto, RateInput};
use crate::my_pay::{self, MyPayslipRow};
use crate::pay_items::{self, PayItemDto, PayItemInput};
use crate::payroll::{self, RunDetail, RunSummary};
use crate::payslip::Payslip;
use crate::permissions::{PAYROLL, SELF};
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
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rates, create_rate))
        .routes(routes!(update_rate, delete_rate))
        .routes(routes!(list_pay_items, create_pay_item))
        .routes(routes!(delete_pay_item))
        .routes(routes!(list_runs))
        .routes(routes!(get_run))
        .routes(routes!(calculate_run))
        .routes(routes!(approve_run))
        .routes(routes!(get_payslip))
        .routes(routes!(bank_file))
        .routes(routes!(register_file))
        .routes(routes!(declarations_file))
        .routes(routes!(get_bank_layout, put_bank_layout))
        .routes(routes!(my_payslips))
        .routes(routes!(my_payslip))
        .routes(routes!(my_payslip_pdf))
}

/// 五险一金费率: the hall's rates by city, item and period, with their sources.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/contribution-rates", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<RateDto>)))]
async fn list_rates(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<RateDto>>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(contributions::list(&state, &hall.id).await?))
}

/// Adds a rate (periods of one city's item must not overlap).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/payroll/contribution-rates", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = RateInput,
    responses((status = 201, body = RateDto), (status = 422, body = ErrorBody)))]
async fn create_rate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<RateInput>,
) -> ApiResult<(StatusCode, Json<RateDto>)> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok((
        StatusCode::CREATED,
        Json(contributions::create(&state, &hall.id, &body).await?),
    ))
}

/// Changes a rate; closed months keep the figures they used.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/payroll/contribution-rates/{id}", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = RateInput,
    responses((status = 200, body = RateDto), (status = 422, body = ErrorBody)))]
async fn update_rate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<RateInput>,
) -> ApiResult<Json<RateDto>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(
        contributions::update(&state, &hall.id, &id, &body).await?,
    ))
}

/// Removes a rate; closed months keep the figures they used.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/payroll/contribution-rates/{id}", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_rate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    contributions::delete(&state, &hall.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM`.
    pub month: String,
}

/// 工资调整项: the month's pay items (绩效, overtime, bonuses, deductions, corrections).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/pay-items", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), MonthQuery),
    responses((status = 200, body = Vec<PayItemDto>), (status = 422, body = ErrorBody)))]
async fn list_pay_items(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> ApiResult<Json<Vec<PayItemDto>>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(pay_items::list(&state, &hall.id, &q.month).await?))
}

/// Adds a pay item to a month not closed; a closed month is corrected in a later one.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/payroll/pay-items", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = PayItemInput,
    responses((status = 201, body = PayItemDto), (status = 422, body = ErrorBody)))]
async fn create_pay_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<PayItemInput>,
) -> ApiResult<(StatusCode, Json<PayItemDto>)> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok((
        StatusCode::CREATED,
        Json(pay_items::create(&state, &user.actor(), &hall.id, &body).await?),
    ))
}

/// Removes a pay item of a month not closed yet.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/payroll/pay-items/{id}", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 422, body = ErrorBody)))]
async fn delete_pay_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    pay_items::delete(&state, &hall.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 月度工资核算: the hall's runs, newest first, with their totals.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/runs", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<RunSummary>)))]
async fn list_runs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<RunSummary>>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(payroll::list(&state, &hall.id).await?))
}

/// 工资表: the month's register — each person's totals and the totals by cost item (audited).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/runs/{month}", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = RunDetail), (status = 404, body = ErrorBody)))]
async fn get_run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Json<RunDetail>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(payroll::detail(&state, &hall.id, &month).await?))
}

/// 核算: computes (or recomputes) the month's draft from the profiles, the
/// rates, the month's items and the year so far.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/payroll/runs/{month}/calculate", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = RunDetail), (status = 422, body = ErrorBody)))]
async fn calculate_run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Json<RunDetail>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(
        payroll::compute(&state, &user.actor(), &hall.id, &month).await?,
    ))
}

/// 审核关账: approves the draft and closes the month.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/payroll/runs/{month}/approve", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = RunDetail), (status = 422, body = ErrorBody)))]
async fn approve_run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Json<RunDetail>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(
        payroll::approve(&state, &user.actor(), &hall.id, &month).await?,
    ))
}

/// One person's payslip of the month (audited).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/runs/{month}/payslips/{staff}", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM"), ("staff" = String, Path, description = "staff id")),
    responses((status = 200, body = Payslip), (status = 404, body = ErrorBody)))]
async fn get_payslip(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month, staff)): Path<(String, String, String)>,
) -> ApiResult<Json<Payslip>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(
        payroll::payslip_of(&state, &hall.id, &month, &staff).await?,
    ))
}

/// 代发文件: the approved month's bank file in the hall's layout (audited).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/runs/{month}/bank-file", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, content_type = "application/octet-stream", body = String), (status = 422, body = ErrorBody)))]
async fn bank_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    let d = bank_file::export(&state, &hall.id, &month).await?;
    Ok(file_response(&d.name, d.content_type, d.bytes, true))
}

/// 工资表 (Excel): every line of every payslip and the totals by cost item
/// — the contractor's monthly bill (a closed month; audited).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/runs/{month}/register", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String), (status = 422, body = ErrorBody)))]
async fn register_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    let d = crate::payroll_exports::register(&state, &hall.id, &month).await?;
    Ok(file_response(&d.name, d.content_type, d.bytes, true))
}

/// 社保与公积金申报表 (Excel): each person's ID number, base and both sides'
/// amounts per item, with the rates' source (a closed month; audited).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/runs/{month}/declarations", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String), (status = 422, body = ErrorBody)))]
async fn declarations_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    let d = crate::payroll_exports::declarations(&state, &hall.id, &month).await?;
    Ok(file_response(&d.name, d.content_type, d.bytes, true))
}

/// 代发文件格式: the columns and format the hall's bank asks for.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/bank-layout", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = BankLayout)))]
async fn get_bank_layout(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<BankLayout>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(bank_file::layout(&state, &hall.id).await?))
}

/// Sets the bank file's columns (the card and amount columns are required) and format.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/payroll/bank-layout", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = BankLayout,
    responses((status = 200, body = BankLayout), (status = 422, body = ErrorBody)))]
async fn put_bank_layout(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<BankLayout>,
) -> ApiResult<Json<BankLayout>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(bank_file::set_layout(&state, &hall.id, &body).await?))
}

/// 我的工资条: my approved months.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/my-payslips", security(("govhall" = ["hr.self"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<MyPayslipRow>)))]
async fn my_payslips(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<MyPayslipRow>>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(my_pay::list(&state, &user, &hall.id).await?))
}

/// My payslip of an approved month.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/my-payslips/{month}", security(("govhall" = ["hr.self"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = Payslip), (status = 404, body = ErrorBody)))]
async fn my_payslip(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Json<Payslip>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(my_pay::get(&state, &user, &hall.id, &month).await?))
}

/// My payslip as a PDF.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/payroll/my-payslips/{month}/pdf", security(("govhall" = ["hr.self"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, content_type = "application/pdf", body = String), (status = 404, body = ErrorBody)))]
async fn my_payslip_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let slip = my_pay::get(&state, &user, &hall.id, &month).await?;
    let bytes = crate::payslip_pdf::render(&slip, &hall.name)?;
    Ok(file_response(
        &format!("工资条-{}.pdf", slip.month),
        "application/pdf",
        bytes,
        false,
    ))
}
