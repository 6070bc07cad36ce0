//! The analytics endpoints: the indicator dictionary, the query API, the
//! records behind a number, the Excel export and window planning.

use crate::drill::{self, Records, RecordsInput};
use crate::indicators::{INDICATORS, IndicatorDto};
use crate::permissions::{HALL, READ, SCREEN};
use crate::planning::{self, PlanningInput, SimulationInput, SimulationResult, StaffingTable};
use crate::query::{self, QueryInput, QueryOutput};
use crate::report::archive::{self, ReportSummary, ReportText, StoredReport};
use crate::scope::Scope;
use crate::screen::{ScreenOptions, ScreenQuery, Widget};
use axum::{
    Json,
    extract::{Path, Query, State},
    response::Response,
};
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody, file_response},
    auth::{CurrentUser, Permission},
    halls::{HallRef, hall_for},
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(indicators))
        .routes(routes!(run_query))
        .routes(routes!(records))
        .routes(routes!(export))
        .routes(routes!(staffing))
        .routes(routes!(simulate))
        .routes(routes!(screen))
        .routes(routes!(screen_options))
        .routes(routes!(list_reports, generate_report))
        .routes(routes!(get_report, edit_report))
        .routes(routes!(publish_report))
        .routes(routes!(report_pdf))
        .routes(routes!(report_docx))
}

/// The hall a request is about: the one it names, or the user's own.
async fn hall(
    state: &AppState,
    user: &CurrentUser,
    key: Option<&str>,
    perm: Permission,
) -> ApiResult<HallRef> {
    user.require(perm)?;
    let key = match key.or(user.hall_id.as_deref()) {
        Some(k) => k.to_string(),
        None => return Err(AppError::field("hall", "请指定大厅（hall：大厅编码或 id）").into()),
    };
    Ok(hall_for(state, user, &key, perm).await?)
}

/// 指标口径: every indicator with its definition, formula, unit, source
/// events, grain, dimensions, owner and purpose.
#[utoipa::path(get, path = "/api/v1/analytics/indicators", security(("govhall" = ["analytics.read"])), tag = "analytics",
    responses((status = 200, body = Vec<IndicatorDto>)))]
async fn indicators(user: CurrentUser) -> ApiResult<Json<Vec<IndicatorDto>>> {
    user.require(READ)?;
    Ok(Json(INDICATORS.iter().map(IndicatorDto::from).collect()))
}

/// Indicators × dimensions × period × grain → rows, within the user's scope
/// (a department head sees their department, a clerk their own figures),
/// optionally beside 同比 or 环比.
#[utoipa::path(post, path = "/api/v1/analytics/query", security(("govhall" = ["analytics.read"])), tag = "analytics",
    request_body = QueryInput,
    responses((status = 200, body = QueryOutput), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn run_query(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<QueryInput>,
) -> ApiResult<Json<QueryOutput>> {
    let hall = hall(&state, &user, body.hall.as_deref(), READ).await?;
    let scope = Scope::of(&state, &user).await?;
    Ok(Json(query::run(&state, &hall.id, &scope, &body).await?))
}

/// The tickets, cases or ratings behind a number (at most 500, newest first).
#[utoipa::path(post, path = "/api/v1/analytics/records", security(("govhall" = ["analytics.read"])), tag = "analytics",
    request_body = RecordsInput,
    responses((status = 200, body = Records), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn records(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<RecordsInput>,
) -> ApiResult<Json<Records>> {
    let hall = hall(&state, &user, body.hall.as_deref(), READ).await?;
    let scope = Scope::of(&state, &user).await?;
    Ok(Json(drill::records(&state, &hall.id, &scope, &body).await?))
}

/// The query's table as an Excel workbook, with the indicators' definitions.
#[utoipa::path(post, path = "/api/v1/analytics/export", security(("govhall" = ["analytics.read"])), tag = "analytics",
    request_body = QueryInput,
    responses((status = 200, description = "xlsx workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<QueryInput>,
) -> ApiResult<Response> {
    let hall = hall(&state, &user, body.hall.as_deref(), READ).await?;
    let scope = Scope::of(&state, &user).await?;
    let out = query::run(&state, &hall.id, &scope, &body).await?;
    let bytes = crate::export::workbook(&hall.name, &out).map_err(AppError::internal)?;
    let name = format!("统计分析-{}-{}至{}.xlsx", hall.code, out.from, out.to);
    Ok(file_response(&name, XLSX, bytes, true))
}

/// 科学测算: per line and hour of the week, arrivals and service time from the
/// history and the windows Erlang C recommends for the service-level target.
#[utoipa::path(post, path = "/api/v1/analytics/planning", security(("govhall" = ["analytics.hall"])), tag = "analytics",
    request_body = PlanningInput,
    responses((status = 200, body = StaffingTable), (status = 422, body = ErrorBody)))]
async fn staffing(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<PlanningInput>,
) -> ApiResult<Json<StaffingTable>> {
    let hall = hall(&state, &user, body.hall.as_deref(), HALL).await?;
    Ok(Json(
        planning::staffing_table(&state, &hall.id, &body).await?,
    ))
}

/// Replays a real day's arrivals through a what-if set of windows (add or
/// remove windows, merge lines, change skills) and compares the waits.
#[utoipa::path(post, path = "/api/v1/analytics/planning/simulate", security(("govhall" = ["analytics.hall"])), tag = "analytics",
    request_body = SimulationInput,
    responses((status = 200, body = SimulationResult), (status = 422, body = ErrorBody)))]
async fn simulate(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<SimulationInput>,
) -> ApiResult<Json<SimulationResult>> {
    let hall = hall(&state, &user, body.hall.as_deref(), HALL).await?;
    Ok(Json(planning::simulate_day(&state, &hall.id, &body).await?))
}

/// One widget of the big screen (数据大屏) for the whole hall, or one
/// department or area of it (the screen's filter box): today's figures
/// beside the same hours last week, the hourly curve, top matters,
/// departments, satisfaction, the 30-day trend. Figures only, no records.
#[utoipa::path(get, path = "/api/v1/analytics/screen", security(("govhall" = ["analytics.screen"])), tag = "analytics",
    params(ScreenQuery),
    responses((status = 200, body = Widget), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn screen(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ScreenQuery>,
) -> ApiResult<Json<Widget>> {
    let hall = hall(&state, &user, q.hall.as_deref(), SCREEN).await?;
    Ok(Json(
        crate::screen::widget(
            &state,
            &hall.id,
            &q.widget,
            &crate::screen::Focus {
                department: q.department,
                area: q.area,
            },
        )
        .await?,
    ))
}

/// What the big screen's filter box offers: the departments and areas of
/// the hall's windows.
#[utoipa::path(get, path = "/api/v1/analytics/screen/options", security(("govhall" = ["analytics.screen"])), tag = "analytics",
    params(HallParam),
    responses((status = 200, body = ScreenOptions), (status = 403, body = ErrorBody)))]
async fn screen_options(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<HallParam>,
) -> ApiResult<Json<ScreenOptions>> {
    let hall = hall(&state, &user, q.hall.as_deref(), SCREEN).await?;
    Ok(Json(crate::screen::options(&state, &hall.id).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct HallParam {
    /// The hall (code or id); default: the user's own.
    hall: Option<String>,
}

#[derive(Debug, serde::Deserialize, ToSchema)]
struct GenerateReport {
    /// The hall (code or id); default: the user's own.
    #[serde(default)]
    hall: Option<String>,
    /// `2026-11` (month) or `2026-Q4` (quarter).
    period: String,
}

/// 成效报告 of a hall, newest period first.
#[utoipa::path(get, path = "/api/v1/analytics/reports", security(("govhall" = ["analytics.hall"])), tag = "analytics",
    params(HallParam), responses((status = 200, body = Vec<ReportSummary>)))]
async fn list_reports(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<HallParam>,
) -> ApiResult<Json<Vec<ReportSummary>>> {
    let hall = hall(&state, &user, q.hall.as_deref(), HALL).await?;
    Ok(Json(archive::list(&state, &hall.id).await?))
}

/// Generates a month's or a quarter's report from the data as a draft (a
/// draft of the same period is replaced; a published one is refused).
#[utoipa::path(post, path = "/api/v1/analytics/reports", security(("govhall" = ["analytics.hall"])), tag = "analytics",
    request_body = GenerateReport,
    responses((status = 200, body = StoredReport), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn generate_report(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<GenerateReport>,
) -> ApiResult<Json<StoredReport>> {
    let hall = hall(&state, &user, body.hall.as_deref(), HALL).await?;
    Ok(Json(
        archive::generate(&state, &user, &hall, &body.period).await?,
    ))
}

async fn report_hall(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<HallRef> {
    let hall_id = archive::hall_of(state, id).await?;
    hall(state, user, Some(&hall_id), HALL).await
}

/// One report with its figures and text.
#[utoipa::path(get, path = "/api/v1/analytics/reports/{id}", security(("govhall" = ["analytics.hall"])), tag = "analytics",
    responses((status = 200, body = StoredReport), (status = 404, body = ErrorBody)))]
async fn get_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<StoredReport>> {
    let hall = report_hall(&state, &user, &id).await?;
    Ok(Json(archive::get(&state, &hall.id, &id).await?))
}

/// Edits a draft's summary, highlights, problems and suggestions.
#[utoipa::path(put, path = "/api/v1/analytics/reports/{id}", security(("govhall" = ["analytics.hall"])), tag = "analytics",
    request_body = ReportText,
    responses((status = 200, body = StoredReport), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn edit_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReportText>,
) -> ApiResult<Json<StoredReport>> {
    let hall = report_hall(&state, &user, &id).await?;
    Ok(Json(archive::edit(&state, &hall.id, &id, body).await?))
}

/// Publishes a draft: figures and text are frozen and archived.
#[utoipa::path(post, path = "/api/v1/analytics/reports/{id}/publish", security(("govhall" = ["analytics.hall"])), tag = "analytics",
    responses((status = 200, body = StoredReport), (status = 409, body = ErrorBody)))]
async fn publish_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<StoredReport>> {
    let hall = report_hall(&state, &user, &id).await?;
    Ok(Json(archive::publish(&state, &user, &hall.id, &id).await?))
}

/// The report as PDF.
#[utoipa::path(get, path = "/api/v1/analytics/reports/{id}/pdf", security(("govhall" = ["analytics.hall"])), tag = "analytics",
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
async fn report_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let hall = report_hall(&state, &user, &id).await?;
    let r = archive::get(&state, &hall.id, &id).await?.report;
    let bytes = crate::report::pdf::render(&r).map_err(AppError::internal)?;
    Ok(file_response(
        &format!("{}.pdf", r.title),
        "application/pdf",
        bytes,
        false,
    ))
}

/// The report as an editable Word document.
#[utoipa::path(get, path = "/api/v1/analytics/reports/{id}/docx", security(("govhall" = ["analytics.hall"])), tag = "analytics",
    responses((status = 200, description = "Word document", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, body = ErrorBody)))]
async fn report_docx(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let hall = report_hall(&state, &user, &id).await?;
    let r = archive::get(&state, &hall.id, &id).await?.report;
    let bytes = crate::report::docx::render(&r).map_err(AppError::internal)?;
    Ok(file_response(
        &format!("{}.docx", r.title),
        DOCX,
        bytes,
        true,
    ))
}
