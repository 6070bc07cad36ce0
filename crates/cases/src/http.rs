//! 办件 endpoints: intake at a window, the hall's case lists and a department's
//! inbox, actions on a case, and the citizen's progress lookup.

use crate::documents::{
    self, Kind,
    templates::{self, Template, TemplateDto},
};
use crate::handover::{self, HandoverDto, HandoverInput, HandoverQuery};
use crate::intake::{self, IntakeInput};
use crate::joint;
use crate::lifecycle::{self, ActInput};
use crate::moves::{self, MaterialActInput};
use crate::numbering::{self, SettingsDto, SettingsInput};
use crate::result_file;
use crate::views::{self, CaseDto, CaseSummary, ListQuery, ProgressDto, StageCounts, TicketCase};
use axum::{
    Extension, Json,
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody, public_base_url},
    auth::CurrentUser,
    client_ip::ClientIp,
    halls::{find_hall, hall_for},
};
use govhall_ratings::{RatingDto, RatingInput};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(receive, list_cases))
        .routes(routes!(get_case))
        .routes(routes!(case_counts))
        .routes(routes!(act))
        .routes(routes!(move_materials))
        .routes(routes!(progress))
        .routes(routes!(ticket_cases))
        .routes(routes!(rate_case))
        .routes(routes!(hand_over, list_handovers))
        .routes(routes!(sign_handover))
        .routes(routes!(return_handover))
        .routes(routes!(receive_joint))
        .routes(routes!(get_joint))
        .routes(routes!(hand_over_joint))
        .routes(routes!(joint_progress))
        .routes(routes!(joint_document))
        .routes(routes!(case_document))
        .routes(routes!(handover_document))
        .routes(routes!(list_templates))
        .routes(routes!(save_template, reset_template))
        .routes(routes!(preview_template))
        .routes(routes!(get_settings, save_settings))
        .routes(routes!(download_result_file))
        .routes(routes!(public_result_file))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(attach_result_file))
                .layer(DefaultBodyLimit::max(result_file::MAX_BYTES + 1024)),
        )
}

/// The hall's case settings: the 办件编号 pattern and a number it makes today.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/case-settings", security(("govhall" = ["cases.read"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = SettingsDto)))]
async fn get_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<SettingsDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(numbering::get(&state, &hall.id, &hall.code).await?))
}

/// Set the 办件编号 pattern: literal letters, digits and '-', with {实施编码} {大厅}
/// {部门} {日期} {年} {月} {日} and one {序号} / {序号:N}; the sequence restarts
/// with the smallest date part shown.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/case-settings", security(("govhall" = ["directory.edit"])), tag = "cases",
    request_body = SettingsInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = SettingsDto), (status = 422, body = ErrorBody)))]
async fn save_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<SettingsInput>,
) -> ApiResult<Json<SettingsDto>> {
    let hall = hall_for(&state, &user, &key, govhall_directory::permissions::EDIT).await?;
    Ok(Json(
        numbering::save(&state, &user, &hall.id, &hall.code, input).await?,
    ))
}

/// Receive a case at a window (无差别受理) and record the intake's outcome:
/// 受理, 一次性告知, 不予受理 / 不受理, or 即办件 finished on the spot.
/// The response carries the 查询密码 for the receipt.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/cases", security(("govhall" = ["cases.intake"])), tag = "cases", request_body = IntakeInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = CaseDto), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn receive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<IntakeInput>,
) -> ApiResult<(StatusCode, Json<CaseDto>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::INTAKE).await?;
    let (c, code) = intake::receive(&state, &user, &hall.id, input).await?;
    let mut dto = views::case_dto(&state, c, &user).await?;
    dto.query_code = Some(code);
    Ok((StatusCode::CREATED, Json(dto)))
}

/// Receive a 一件事 as one joint intake (联办): each member's answers, the
/// joint checklist ticked once, one 一件事编号 and 查询密码 over the member
/// cases; complete members accepted, the others told at once on one notice.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/case-bundles", security(("govhall" = ["cases.intake"])), tag = "cases",
    request_body = joint::JointIntakeInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = joint::JointDto), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn receive_joint(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<joint::JointIntakeInput>,
) -> ApiResult<(StatusCode, Json<joint::JointDto>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::INTAKE).await?;
    let dto = joint::receive(&state, &user, &hall.id, input).await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

/// A joint intake with its member cases as they stand.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/case-bundles/{id}", security(("govhall" = ["cases.read"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = joint::JointDto), (status = 404, body = ErrorBody)))]
async fn get_joint(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<joint::JointDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(joint::get(&state, &user, &hall.id, &id).await?))
}

/// 联办交接: every accepted member to its department, one handover sheet per department.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/case-bundles/{id}/hand-over", security(("govhall" = ["cases.intake"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 201, body = Vec<HandoverDto>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn hand_over_joint(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<(StatusCode, Json<Vec<HandoverDto>>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::INTAKE).await?;
    let sheets = joint::hand_over(&state, &user, &hall.id, &id).await?;
    Ok((StatusCode::CREATED, Json(sheets)))
}

/// A 一件事's progress for the citizen: every member where it stands, by 一件事编号 and 查询密码.
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/case-bundles/{number}", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code"), ("number" = String, Path), ProgressQuery),
    responses((status = 200, body = joint::JointDto), (status = 404, body = ErrorBody)))]
async fn joint_progress(
    State(state): State<AppState>,
    client: Option<Extension<ClientIp>>,
    Path((key, number)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<ProgressQuery>,
) -> ApiResult<Json<joint::JointDto>> {
    let hall = find_hall(&state, &key).await?;
    let ip = client.map(|Extension(c)| c.0.to_string());
    Ok(Json(
        joint::progress(&state, &hall.id, &number, &q.code, ip.as_deref()).await?,
    ))
}

/// The hall's cases, newest first: by stage, department (a department's inbox),
/// window, number, or deadline warning.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/cases", security(("govhall" = ["cases.read"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), ListQuery),
    responses((status = 200, body = Vec<CaseSummary>), (status = 422, body = ErrorBody)))]
async fn list_cases(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<CaseSummary>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let mut q = q;
    if let Some(own) = views::department_of_reader(&state, &user).await? {
        q.department = Some(own);
    }
    Ok(Json(views::list(&state, &hall.id, &q, &user).await?))
}

/// How many of the hall's cases are in each stage (a department reader: its own),
/// and how many the caller received that are still open.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/cases/counts", security(("govhall" = ["cases.read"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = StageCounts)))]
async fn case_counts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<StageCounts>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let department = views::department_of_reader(&state, &user).await?;
    Ok(Json(
        views::stage_counts(&state, &hall.id, department.as_deref(), &user).await?,
    ))
}

/// One case with its materials, history, deadline warning and next actions.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/cases/{id}", security(("govhall" = ["cases.read"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = CaseDto), (status = 404, body = ErrorBody)))]
async fn get_case(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<CaseDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let c = views::find_for_reader(&state, &user, &hall.id, &id).await?;
    Ok(Json(views::case_dto(&state, c, &user).await?))
}

/// Act on a case: accept after 补正, refuse, request 补正, hand over, sign for,
/// start or end a 特别程序, decide, return the result to the hall, deliver, withdraw.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/cases/{id}/actions", security(("govhall" = ["cases.read"])), tag = "cases", request_body = ActInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = CaseDto), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ActInput>,
) -> ApiResult<Json<CaseDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let c = lifecycle::act(&state, &user, &hall.id, &id, input.into()).await?;
    Ok(Json(views::case_dto(&state, c, &user).await?))
}

/// Move materials outside the handover sheet: 补交 a 容缺 material, 送交 paper
/// received after the handover to the department, 签收 it there, 归还 an original.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/cases/{id}/material-actions", security(("govhall" = ["cases.read"])), tag = "cases",
    request_body = MaterialActInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = CaseDto), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn move_materials(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<MaterialActInput>,
) -> ApiResult<Json<CaseDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let c = moves::act(&state, &user, &hall.id, &id, input).await?;
    Ok(Json(views::case_dto(&state, c, &user).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileNameQuery {
    /// The file's name (its extension says what it is: pdf, ofd, jpg, png).
    pub name: String,
}

/// Attach (or replace) the case's result document: the department, while the
/// case is in review or decided and not yet delivered.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/cases/{id}/result-file", security(("govhall" = ["cases.review"])), tag = "cases",
    request_body(content = Vec<u8>, description = "the file's bytes", content_type = "application/octet-stream"),
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path), FileNameQuery),
    responses((status = 200, body = CaseDto), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn attach_result_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<FileNameQuery>,
    body: Bytes,
) -> ApiResult<Json<CaseDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::REVIEW).await?;
    let c = result_file::attach(&state, &user, &hall.id, &id, &q.name, &body).await?;
    Ok(Json(views::case_dto(&state, c, &user).await?))
}

/// The case's result document.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/cases/{id}/result-file", security(("govhall" = ["cases.read"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody)))]
async fn download_result_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let c = views::find_for_reader(&state, &user, &hall.id, &id).await?;
    let (name, ct, bytes) = result_file::read(&state, &c.id).await?;
    Ok(file_response(&name, &ct, bytes))
}

/// The result document for the applicant, by 办件编号 and 查询密码, once the case
/// was delivered electronically (电子送达).
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/cases/{number}/result-file", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code"), ("number" = String, Path), ProgressQuery),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody)))]
async fn public_result_file(
    State(state): State<AppState>,
    client: Option<Extension<ClientIp>>,
    Path((key, number)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<ProgressQuery>,
) -> ApiResult<Response> {
    let hall = find_hall(&state, &key).await?;
    let ip = client.map(|Extension(c)| c.0.to_string());
    let c = views::by_number_and_code(&state, &hall.id, &number, &q.code, ip.as_deref()).await?;
    if !result_file::public(&c) {
        return Err(AppError::not_found("结果文件").into());
    }
    let (name, ct, bytes) = result_file::read(&state, &c.id).await?;
    Ok(file_response(&name, &ct, bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// 查询密码 from the receipt.
    pub code: String,
}

/// A case's progress for the citizen, by 办件编号 and 查询密码 (the receipt's QR code).
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/cases/{number}", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code"), ("number" = String, Path), ProgressQuery),
    responses((status = 200, body = ProgressDto), (status = 404, body = ErrorBody)))]
async fn progress(
    State(state): State<AppState>,
    client: Option<Extension<ClientIp>>,
    Path((key, number)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<ProgressQuery>,
) -> ApiResult<Json<ProgressDto>> {
    let hall = find_hall(&state, &key).await?;
    let ip = client.map(|Extension(c)| c.0.to_string());
    Ok(Json(
        views::progress(&state, &hall.id, &number, &q.code, ip.as_deref()).await?,
    ))
}

/// The cases received on a ticket, for its holder's phone (the slip's token).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/cases", security(()), tag = "public",
    params(("id" = String, Path), govhall_queue::http::TokenQuery),
    responses((status = 200, body = Vec<TicketCase>), (status = 404, body = ErrorBody)))]
async fn ticket_cases(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<govhall_queue::http::TokenQuery>,
) -> ApiResult<Json<Vec<TicketCase>>> {
    // Refuses (as not found) anyone without the ticket's token.
    govhall_queue::tickets::by_token(&state, &id, &q.token).await?;
    Ok(Json(views::of_ticket(&state, &id).await?))
}

/// 一事一评: the applicant rates a closed case once (by 办件编号 and 查询密码);
/// a 差评 opens a rectification ticket like a visit's.
#[utoipa::path(post, path = "/api/v1/public/halls/{hall}/cases/{number}/rating", security(()), tag = "public",
    request_body = RatingInput,
    params(("hall" = String, Path, description = "hall id or code"), ("number" = String, Path), ProgressQuery),
    responses((status = 201, body = RatingDto), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rate_case(
    State(state): State<AppState>,
    client: Option<Extension<ClientIp>>,
    Path((key, number)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<ProgressQuery>,
    ApiJson(input): ApiJson<RatingInput>,
) -> ApiResult<(StatusCode, Json<RatingDto>)> {
    let hall = find_hall(&state, &key).await?;
    let ip = client.map(|Extension(c)| c.0.to_string());
    let rating =
        crate::rating::rate(&state, &hall.id, &number, &q.code, ip.as_deref(), &input).await?;
    Ok((StatusCode::CREATED, Json(rating)))
}

/// Pack accepted cases of one department into a handover sheet (材料交接单).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/handovers", security(("govhall" = ["cases.intake"])), tag = "cases", request_body = HandoverInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = HandoverDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn hand_over(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<HandoverInput>,
) -> ApiResult<(StatusCode, Json<HandoverDto>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::INTAKE).await?;
    Ok((
        StatusCode::CREATED,
        Json(handover::hand_over(&state, &user, &hall.id, input).await?),
    ))
}

/// Handover sheets, newest first: a department's, or only the unsigned (overdue ones flagged).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/handovers", security(("govhall" = ["cases.read"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), HandoverQuery),
    responses((status = 200, body = Vec<HandoverDto>)))]
async fn list_handovers(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<HandoverQuery>,
) -> ApiResult<Json<Vec<HandoverDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(handover::list(&state, &hall.id, &q).await?))
}

/// The department signs for a sheet: every case on it enters review.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/handovers/{id}/sign", security(("govhall" = ["cases.review"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = HandoverDto), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn sign_handover(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<HandoverDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::REVIEW).await?;
    Ok(Json(handover::sign(&state, &user, &hall.id, &id).await?))
}

/// The department sends cases of a sheet (all, or those listed) back to the
/// front desk with the reason instead of signing for them.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/handovers/{id}/return", security(("govhall" = ["cases.review"])), tag = "cases",
    request_body = handover::ReturnInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = HandoverDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn return_handover(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<handover::ReturnInput>,
) -> ApiResult<Json<HandoverDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::REVIEW).await?;
    Ok(Json(
        handover::send_back(&state, &user, &hall.id, &id, input).await?,
    ))
}

fn pdf_response(name: &str, bytes: Vec<u8>) -> Response {
    file_response(name, "application/pdf", bytes)
}

fn file_response(name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    govhall_platform::api::file_response(name, content_type, bytes, false)
}

/// A case's document as PDF (收件凭证 receipt, 受理通知书 acceptance, 一次性告知书
/// correction, 不予受理通知书 refusal, 办结通知 completion) with a QR code to the
/// citizen's progress page; 409 when the case has not reached it.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/cases/{id}/documents/{kind}", security(("govhall" = ["cases.intake"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path),
        ("kind" = String, Path, description = "receipt / acceptance / correction / refusal / completion")),
    responses((status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn case_document(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((key, id, kind)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, crate::permissions::INTAKE).await?;
    let kind = Kind::parse(&kind)?;
    let base = public_base_url(&state, &headers);
    let (name, bytes) = documents::case_pdf(&state, &hall.id, &id, kind, &base).await?;
    Ok(pdf_response(&name, bytes))
}

/// The 一件事联办受理通知书 as PDF: every member with its case number and
/// department, what is owed once, the members not needed, a QR code to the
/// whole bundle's progress.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/case-bundles/{id}/document", security(("govhall" = ["cases.intake"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 404, body = ErrorBody)))]
async fn joint_document(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, crate::permissions::INTAKE).await?;
    let base = public_base_url(&state, &headers);
    let (name, bytes) = joint::notice_pdf(&state, &hall.id, &id, &base).await?;
    Ok(pdf_response(&name, bytes))
}

/// A handover sheet (材料交接单) as PDF, for both sides to sign.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/handovers/{id}/document", security(("govhall" = ["cases.read"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 404, body = ErrorBody)))]
async fn handover_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let (name, bytes) = documents::handover_pdf(&state, &hall.id, &id).await?;
    Ok(pdf_response(&name, bytes))
}

/// The wording of every printed document (the hall's own or the default).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/document-templates", security(("govhall" = ["cases.read"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<TemplateDto>)))]
async fn list_templates(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<TemplateDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(templates::list(&state, &hall.id).await?))
}

/// Save the hall's wording of one document (placeholders such as {申请人} are checked).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/document-templates/{kind}", security(("govhall" = ["directory.edit"])), tag = "cases",
    request_body = Template,
    params(("hall" = String, Path, description = "hall id or code"), ("kind" = String, Path)),
    responses((status = 200, body = TemplateDto), (status = 422, body = ErrorBody)))]
async fn save_template(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, kind)): Path<(String, String)>,
    ApiJson(input): ApiJson<Template>,
) -> ApiResult<Json<TemplateDto>> {
    let hall = hall_for(&state, &user, &key, govhall_directory::permissions::EDIT).await?;
    let kind = Kind::parse(&kind)?;
    Ok(Json(
        templates::save(&state, &user, &hall.id, kind, Some(input)).await?,
    ))
}

/// A document in this wording, laid out on a sample case, before saving it.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/document-templates/{kind}/preview", security(("govhall" = ["cases.read"])), tag = "cases",
    request_body = Template,
    params(("hall" = String, Path, description = "hall id or code"), ("kind" = String, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 422, body = ErrorBody)))]
async fn preview_template(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((key, kind)): Path<(String, String)>,
    ApiJson(input): ApiJson<Template>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let kind = Kind::parse(&kind)?;
    let base = public_base_url(&state, &headers);
    let (name, bytes) = documents::preview(&state, &hall.id, kind, &input, &base).await?;
    Ok(pdf_response(&name, bytes))
}

/// Go back to the product's wording of one document.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/document-templates/{kind}", security(("govhall" = ["directory.edit"])), tag = "cases",
    params(("hall" = String, Path, description = "hall id or code"), ("kind" = String, Path)),
    responses((status = 200, body = TemplateDto)))]
async fn reset_template(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, kind)): Path<(String, String)>,
) -> ApiResult<Json<TemplateDto>> {
    let hall = hall_for(&state, &user, &key, govhall_directory::permissions::EDIT).await?;
    let kind = Kind::parse(&kind)?;
    Ok(Json(
        templates::save(&state, &user, &hall.id, kind, None).await?,
    ))
}
