//! Attendance routes: shifts and the roster, the hall screen's clock-in code
//! and the phone's scan, machine imports, the monthly sheet, 补卡 and 换班,
//! and my own month.

use crate::attendance::{
    self, MyAttendance,
    corrections::{self, CorrectionDecision, CorrectionDto, CorrectionInput},
    overtime_pay::{self, OvertimePayOutcome},
    punches::{self, ClockCode, ClockedIn, PunchImportOutcome},
    roster::{self, RosterInput, RosterWeek},
    sheet::{self, AttendanceSheet},
    shifts::{self, ShiftDto, ShiftInput},
    swaps::{self, SwapDecision, SwapDto, SwapInput},
};
use crate::permissions::{ATTENDANCE, CLOCK_CODE, PAYROLL, SELF};
use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use chrono::{NaiveDate, Utc};
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
        .routes(routes!(list_shifts, save_shift))
        .routes(routes!(roster_week, set_roster))
        .routes(routes!(clock_code))
        .routes(routes!(clock_in))
        .routes(routes!(import_punches))
        .routes(routes!(attendance_sheet))
        .routes(routes!(attendance_sheet_xlsx))
        .routes(routes!(list_corrections, request_correction))
        .routes(routes!(decide_correction))
        .routes(routes!(list_swaps, request_swap))
        .routes(routes!(decide_swap))
        .routes(routes!(my_attendance))
        .routes(routes!(overtime_items))
}

/// 班次: the hall's shift patterns (the defaults are made on first sight).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/shifts", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<ShiftDto>)))]
async fn list_shifts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<ShiftDto>>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(shifts::list(&state, &hall.id).await?))
}

/// Adds a shift, or changes the one with this code.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/shifts", security(("govhall" = ["hr.attendance"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = ShiftInput,
    responses((status = 200, body = ShiftDto), (status = 422, body = ErrorBody)))]
async fn save_shift(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<ShiftInput>,
) -> ApiResult<Json<ShiftDto>> {
    let hall = hall_for(&state, &user, &key, ATTENDANCE).await?;
    Ok(Json(
        shifts::save(&state, &user.actor(), &hall.id, &body).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// Any day of the week (default: today).
    pub week: Option<NaiveDate>,
}

/// 排班: a week's plan for everyone on staff (Monday to Sunday).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/roster", security(("govhall" = ["hr.attendance"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), WeekQuery),
    responses((status = 200, body = RosterWeek)))]
async fn roster_week(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<WeekQuery>,
) -> ApiResult<Json<RosterWeek>> {
    let hall = hall_for(&state, &user, &key, ATTENDANCE).await?;
    let day = q.week.unwrap_or_else(govhall_kernel::time::today);
    Ok(Json(roster::week(&state, &hall.id, day).await?))
}

/// Sets days of the roster (today and later); answers the first day's week.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/roster", security(("govhall" = ["hr.attendance"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = RosterInput,
    responses((status = 200, body = RosterWeek), (status = 422, body = ErrorBody)))]
async fn set_roster(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<RosterInput>,
) -> ApiResult<Json<RosterWeek>> {
    let hall = hall_for(&state, &user, &key, ATTENDANCE).await?;
    Ok(Json(
        roster::set(&state, &user.actor(), &hall.id, &body).await?,
    ))
}

/// 考勤打卡码: the code the hall screen shows, changing every 30 seconds.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/clock-code", security(("govhall" = ["hr.clock_code"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = ClockCode)))]
async fn clock_code(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<ClockCode>> {
    let hall = hall_for(&state, &user, &key, CLOCK_CODE).await?;
    Ok(Json(punches::current_code(&state, &hall.id, Utc::now())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClockInInput {
    /// The code scanned from the hall screen.
    pub code: String,
}

/// 扫码打卡: records a mark for me with the hall screen's current code.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/clock-in", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = ClockInInput,
    responses((status = 200, body = ClockedIn), (status = 422, body = ErrorBody)))]
async fn clock_in(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<ClockInInput>,
) -> ApiResult<Json<ClockedIn>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let staff_id = super::staff_of(&user, "没有考勤")?;
    Ok(Json(
        punches::clock_in(&state, &user.actor(), &hall.id, staff_id, &body.code).await?,
    ))
}

/// Imports an attendance machine's export (CSV in UTF-8 or GBK, or .xlsx,
/// as the body): 工号 and 打卡时间 columns (or 日期 and 时间), 姓名 checked
/// when present. Every bad row is listed; with any, nothing is recorded.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/punch-imports", security(("govhall" = ["hr.attendance"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, body = PunchImportOutcome), (status = 422, body = ErrorBody)))]
async fn import_punches(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    body: Bytes,
) -> ApiResult<Json<PunchImportOutcome>> {
    let hall = hall_for(&state, &user, &key, ATTENDANCE).await?;
    Ok(Json(
        punches::import(&state, &user.actor(), &hall.id, &body).await?,
    ))
}

/// 考勤月报: every person's days of the month judged, with the figures.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/attendance-sheets/{month}", security(("govhall" = ["hr.attendance"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = AttendanceSheet), (status = 422, body = ErrorBody)))]
async fn attendance_sheet(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Json<AttendanceSheet>> {
    let hall = hall_for(&state, &user, &key, ATTENDANCE).await?;
    Ok(Json(sheet::build(&state, &hall.id, &month, None).await?))
}

/// The month's attendance sheet as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/attendance-sheets/{month}/spreadsheet", security(("govhall" = ["hr.attendance"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String), (status = 422, body = ErrorBody)))]
async fn attendance_sheet_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, ATTENDANCE).await?;
    let s = sheet::build(&state, &hall.id, &month, None).await?;
    let bytes = sheet::xlsx(&s)?;
    Ok(file_response(
        &format!("考勤月报-{}.xlsx", s.month),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
        true,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// `pending`, `approved` or `rejected`; all when absent.
    pub status: Option<String>,
}

/// 补卡申请 of the hall, newest first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/corrections", security(("govhall" = ["hr.attendance"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), StatusQuery),
    responses((status = 200, body = Vec<CorrectionDto>)))]
async fn list_corrections(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<StatusQuery>,
) -> ApiResult<Json<Vec<CorrectionDto>>> {
    let hall = hall_for(&state, &user, &key, ATTENDANCE).await?;
    Ok(Json(
        corrections::list(&state, &hall.id, q.status.as_deref(), None).await?,
    ))
}

/// Asks for a 补卡 (a missed mark, within 31 days).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/corrections", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = CorrectionInput,
    responses((status = 201, body = CorrectionDto), (status = 422, body = ErrorBody)))]
async fn request_correction(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<CorrectionInput>,
) -> ApiResult<(StatusCode, Json<CorrectionDto>)> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let staff_id = super::staff_of(&user, "没有考勤")?;
    Ok((
        StatusCode::CREATED,
        Json(corrections::request(&state, &user.actor(), &hall.id, staff_id, &body).await?),
    ))
}

/// Approves (the mark is recorded) or rejects a 补卡.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/corrections/{id}", security(("govhall" = ["hr.attendance"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = CorrectionDecision,
    responses((status = 200, body = CorrectionDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_correction(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CorrectionDecision>,
) -> ApiResult<Json<CorrectionDto>> {
    let hall = hall_for(&state, &user, &key, ATTENDANCE).await?;
    Ok(Json(
        corrections::decide(&state, &user.actor(), &hall.id, &id, &body).await?,
    ))
}

/// 换班申请 of the hall, newest first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/swaps", security(("govhall" = ["hr.attendance"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), StatusQuery),
    responses((status = 200, body = Vec<SwapDto>)))]
async fn list_swaps(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<StatusQuery>,
) -> ApiResult<Json<Vec<SwapDto>>> {
    let hall = hall_for(&state, &user, &key, ATTENDANCE).await?;
    Ok(Json(
        swaps::list(&state, &hall.id, q.status.as_deref(), None).await?,
    ))
}

/// Asks to swap a day's shift with a colleague's.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/swaps", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = SwapInput,
    responses((status = 201, body = SwapDto), (status = 422, body = ErrorBody)))]
async fn request_swap(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<SwapInput>,
) -> ApiResult<(StatusCode, Json<SwapDto>)> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let staff_id = super::staff_of(&user, "没有考勤")?;
    Ok((
        StatusCode::CREATED,
        Json(swaps::request(&state, &user.actor(), &hall.id, staff_id, &body).await?),
    ))
}

/// Approves (the roster is rewritten for both) or rejects a swap.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/swaps/{id}", security(("govhall" = ["hr.attendance"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = SwapDecision,
    responses((status = 200, body = SwapDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_swap(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<SwapDecision>,
) -> ApiResult<Json<SwapDto>> {
    let hall = hall_for(&state, &user, &key, ATTENDANCE).await?;
    Ok(Json(
        swaps::decide(&state, &user.actor(), &hall.id, &id, &body).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM` (default: this month).
    pub month: Option<String>,
}

/// 我的考勤: my days of the month, my 补卡 and 换班.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/my-attendance", security(("govhall" = ["hr.self"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), MonthQuery),
    responses((status = 200, body = MyAttendance), (status = 422, body = ErrorBody)))]
async fn my_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> ApiResult<Json<MyAttendance>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let staff_id = super::staff_of(&user, "没有考勤")?;
    let month = q
        .month
        .unwrap_or_else(|| govhall_kernel::time::today().format("%Y-%m").to_string());
    Ok(Json(
        attendance::mine(&state, &hall.id, staff_id, &month).await?,
    ))
}

/// 加班工资 from the month's attendance sheet: one pay item per person with
/// overtime, at 150 %/200 %/300 % of 月工资 ÷ 21.75 ÷ 8 (the sum in its reason).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/payroll/overtime-items/{month}", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = OvertimePayOutcome), (status = 422, body = ErrorBody)))]
async fn overtime_items(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Json<OvertimePayOutcome>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(
        overtime_pay::make(&state, &user.actor(), &hall.id, &month).await?,
    ))
}
