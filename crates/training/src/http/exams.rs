//! The exam endpoints: the question bank (with its Excel template and
//! import), exams, sittings (start, submit, review, an instructor's marks)
//! and certificates.

use crate::attempts::{self, AttemptDto, MarksInput, SubmissionInput};
use crate::bank::{self, QuestionDto, QuestionInput, QuestionQuery};
use crate::certificates::{self, CertificateDto};
use crate::exams::{self, ExamDto, ExamInput};
use crate::permissions::{LEARN, MANAGE};
use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody, public_base_url},
    auth::CurrentUser,
    halls::hall_for,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_questions, create_question))
        .routes(routes!(retire_question))
        .routes(routes!(question_template))
        .routes(routes!(import_questions))
        .routes(routes!(list_exams, create_exam))
        .routes(routes!(get_exam))
        .routes(routes!(start_attempt))
        .routes(routes!(list_attempts))
        .routes(routes!(get_attempt))
        .routes(routes!(submit_attempt))
        .routes(routes!(mark_attempt))
        .routes(routes!(my_certificates))
        .routes(routes!(certificate_pdf))
}

fn download(bytes: Vec<u8>, content_type: &str, disposition: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition.to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The bank's questions (active ones unless `all`), by category.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/questions", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), QuestionQuery),
    responses((status = 200, body = Vec<QuestionDto>)))]
async fn list_questions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<QuestionQuery>,
) -> ApiResult<Json<Vec<QuestionDto>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(bank::list(&state, &hall.id, &q).await?))
}

/// Add a question to the bank.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/questions", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = QuestionInput,
    responses((status = 201, body = QuestionDto), (status = 422, body = ErrorBody)))]
async fn create_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<QuestionInput>,
) -> ApiResult<(StatusCode, Json<QuestionDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(bank::create(&state, &hall.id, &body).await?),
    ))
}

/// Retire a question: papers drawn later leave it out; papers already sat keep it.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/training/questions/{id}", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = QuestionDto), (status = 404, body = ErrorBody)))]
async fn retire_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<QuestionDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(bank::retire(&state, &hall.id, &id).await?))
}

/// The Excel template for importing questions (题型, 分类, 难度, 题干, 答案,
/// 解析, 选项A…选项H) with three example rows.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/questions/template", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String)))]
async fn question_template(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Response> {
    hall_for(&state, &user, &key, MANAGE).await?;
    let bytes = crate::bank_excel::template()?;
    Ok(download(
        bytes,
        XLSX,
        "attachment; filename=\"question-template.xlsx\"",
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionImportOutcome {
    pub imported: usize,
}

/// Import questions from a filled template (the workbook as the body). Every
/// bad row is listed by row and column; with any, nothing is imported.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/questions/import", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = QuestionImportOutcome), (status = 422, body = ErrorBody)))]
async fn import_questions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    body: Bytes,
) -> ApiResult<Json<QuestionImportOutcome>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    let questions = crate::bank_excel::read(&body)?;
    let imported = bank::insert_all(&state, &hall.id, questions).await?;
    Ok(Json(QuestionImportOutcome { imported }))
}

/// The hall's exams, newest first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/exams", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<ExamDto>)))]
async fn list_exams(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<ExamDto>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(exams::list(&state, &hall.id).await?))
}

/// Create an exam: its drawing rules (checked against the bank), time
/// limit, attempts and pass mark.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/exams", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = ExamInput,
    responses((status = 201, body = ExamDto), (status = 422, body = ErrorBody)))]
async fn create_exam(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<ExamInput>,
) -> ApiResult<(StatusCode, Json<ExamDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(exams::create(&state, &hall.id, &body).await?),
    ))
}

/// One exam's settings (what a learner reads before starting).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/exams/{id}", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ExamDto), (status = 404, body = ErrorBody)))]
async fn get_exam(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<ExamDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(exams::detail(&state, &hall.id, &id).await?))
}

/// Start a sitting (a paper drawn for it), or resume the open one.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/exams/{id}/attempts", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = AttemptDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn start_attempt(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<AttemptDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(attempts::start(&state, &user, &hall.id, &id).await?))
}

/// The sittings waiting for an instructor to mark their 简答 questions.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/attempts", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<AttemptDto>)))]
async fn list_attempts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<AttemptDto>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(attempts::awaiting_marks(&state, &hall.id).await?))
}

/// A sitting with its paper; after submission with the keys, marks and
/// explanations (the learner's own, or any for a training manager).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/attempts/{id}", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = AttemptDto), (status = 404, body = ErrorBody)))]
async fn get_attempt(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<AttemptDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(attempts::review(&state, &user, &hall.id, &id).await?))
}

/// Hand in the answers (once, before the deadline); marked at once.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/attempts/{id}/submission", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = SubmissionInput,
    responses((status = 200, body = AttemptDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_attempt(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<SubmissionInput>,
) -> ApiResult<Json<AttemptDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(
        attempts::submit(&state, &user, &hall.id, &id, &body).await?,
    ))
}

/// Mark a sitting's 简答 questions; it then passes or fails.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/attempts/{id}/marks", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = MarksInput,
    responses((status = 200, body = AttemptDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn mark_attempt(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<MarksInput>,
) -> ApiResult<Json<AttemptDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        attempts::mark_by_hand(&state, &user, &hall.id, &id, &body).await?,
    ))
}

/// My certificates, newest first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/certificates", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<CertificateDto>)))]
async fn my_certificates(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<CertificateDto>>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(
        certificates::of_learner(&state, &hall.id, &user.id).await?,
    ))
}

/// A certificate as a PDF with its verification QR code (the holder's own,
/// or any for a training manager).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/certificates/{id}/pdf", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = String), (status = 404, body = ErrorBody)))]
async fn certificate_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    let (c, holder) = certificates::get(&state, &hall.id, &id).await?;
    if holder != user.id && !user.can(MANAGE) {
        return Err(AppError::not_found("证书").into());
    }
    let url = format!(
        "{}/learn/#/verify/{}",
        public_base_url(&state, &headers),
        c.number
    );
    let bytes = certificates::pdf(&c, &hall.name, &url)?;
    Ok(download(
        bytes,
        "application/pdf",
        &format!("inline; filename=\"certificate-{}.pdf\"", c.number),
    ))
}
