//! The training endpoints: courseware files (upload, and playback with Range
//! requests), courses and lessons, and a learner's viewing sessions and
//! progress reports.

mod classes;
mod exams;
mod plans;
mod public;
mod tour;

use crate::courses::{self, CourseDto, CourseInput, LessonDto, LessonInput};
use crate::files::{self, FileDto};
use crate::gate::{self, RequirementDto, RequirementInput};
use crate::permissions::{LEARN, MANAGE};
use crate::progress::{self, LessonProgressDto, MyLearningDto, PagesReport};
use crate::watch::ProgressReport;
use axum::{
    Json,
    body::Body,
    extract::{Path, Request, State},
    http::StatusCode,
    response::Response,
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
        .routes(routes!(upload_file))
        .routes(routes!(get_file))
        .routes(routes!(list_courses, create_course))
        .routes(routes!(get_course))
        .routes(routes!(add_lesson))
        .routes(routes!(start_lesson))
        .routes(routes!(report_progress))
        .routes(routes!(view_pages))
        .routes(routes!(my_progress))
        .routes(routes!(list_requirements))
        .routes(routes!(set_requirement, remove_requirement))
        .merge(exams::router())
        .merge(classes::router())
        .merge(plans::router())
        .merge(tour::router())
        .merge(public::router())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name (its ending must agree with its content).
    pub name: String,
}

/// Upload courseware as the request body: MP4 (H.264) video up to 1 GB, PDF
/// up to 100 MB, JPG/PNG up to 20 MB. The content decides the type.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/files", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = FileDto), (status = 422, body = ErrorBody)))]
async fn upload_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Body,
) -> ApiResult<(StatusCode, Json<FileDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    let f = files::upload(&state, &user.actor(), &hall.id, &q.name, body).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// A courseware file's bytes; a `Range` header gets the part asked for (206).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/files/{id}", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, description = "the file"), (status = 206, description = "the part asked for"), (status = 404, body = ErrorBody)))]
async fn get_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    request: Request,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    let (f, path) = files::find(&state, &hall.id, &id).await?;
    Ok(files::serve(&path, &f.mime, request).await?)
}

/// The hall's courses with their lessons, newest first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/courses", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<CourseDto>)))]
async fn list_courses(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<CourseDto>>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(courses::list(&state, &hall.id).await?))
}

/// Create a course (title, category, public or not, how its videos may be played).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/courses", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = CourseInput,
    responses((status = 201, body = CourseDto), (status = 422, body = ErrorBody)))]
async fn create_course(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<CourseInput>,
) -> ApiResult<(StatusCode, Json<CourseDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    let c = courses::create(&state, &user.actor(), &hall.id, &body).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// One course with its lessons.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/courses/{id}", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = CourseDto), (status = 404, body = ErrorBody)))]
async fn get_course(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<CourseDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(courses::detail(&state, &hall.id, &id).await?))
}

/// Add a lesson at the end of a course: a video (an uploaded MP4 and the
/// share to watch) or a text.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/courses/{id}/lessons", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = LessonInput,
    responses((status = 201, body = LessonDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_lesson(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<LessonInput>,
) -> ApiResult<(StatusCode, Json<LessonDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    let l = courses::add_lesson(&state, &hall.id, &id, &body).await?;
    Ok((StatusCode::CREATED, Json(l)))
}

/// Start (or resume) a lesson on this page: a new viewing session, which
/// takes over from any other page of the same learner. A text lesson counts
/// as read.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/lessons/{id}/sessions", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = LessonProgressDto), (status = 404, body = ErrorBody)))]
async fn start_lesson(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<LessonProgressDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(progress::start(&state, &user, &hall.id, &id).await?))
}

/// The player's report of what it played since the last one. Impossible
/// reports (outside the video, overlapping, faster than the clock, a seek
/// where forbidden, another page's session) are refused with the reason and
/// recorded; nothing of them counts.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/lessons/{id}/progress", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = ProgressReport,
    responses((status = 200, body = LessonProgressDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn report_progress(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ProgressReport>,
) -> ApiResult<Json<LessonProgressDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(
        progress::report(&state, &user, &hall.id, &id, &body).await?,
    ))
}

/// The PDF pages shown since the last report. Pages that do not exist, a
/// page faster than every two seconds, or another page's session are
/// refused with the reason and recorded; nothing of them counts.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/lessons/{id}/pages", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = PagesReport,
    responses((status = 200, body = LessonProgressDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn view_pages(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<PagesReport>,
) -> ApiResult<Json<LessonProgressDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(
        progress::view_pages(&state, &user, &hall.id, &id, &body).await?,
    ))
}

/// My lessons begun (watched seconds, where to resume, completed) and
/// courses completed.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/progress", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = MyLearningDto)))]
async fn my_progress(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<MyLearningDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(progress::mine(&state, &user, &hall.id).await?))
}

/// The matters that require a course before a clerk may accept them.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/requirements", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<RequirementDto>)))]
async fn list_requirements(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<RequirementDto>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(gate::list(&state, &hall.id).await?))
}

/// Require a course for a matter (by 实施编码): the counter's intake refuses
/// the matter to a clerk who has not completed it.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/training/requirements/{task_code}", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("task_code" = String, Path)),
    request_body = RequirementInput,
    responses((status = 200, body = RequirementDto), (status = 422, body = ErrorBody)))]
async fn set_requirement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, task_code)): Path<(String, String)>,
    ApiJson(body): ApiJson<RequirementInput>,
) -> ApiResult<Json<RequirementDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(gate::set(&state, &hall.id, &task_code, &body).await?))
}

/// Lift a matter's course requirement.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/training/requirements/{task_code}", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("task_code" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn remove_requirement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, task_code)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    gate::remove(&state, &hall.id, &task_code).await?;
    Ok(StatusCode::NO_CONTENT)
}
