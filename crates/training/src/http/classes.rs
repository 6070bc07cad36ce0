//! Instructors, 线下培训 classes with QR sign-in and attendance, textbooks,
//! the category tree, and the learner's 热门课程.

use crate::categories::{self, CategoryNode};
use crate::classes::{self, ClassDetail, ClassDto, ClassInput, MyClass};
use crate::instructors::{self, InstructorDto, InstructorInput};
use crate::permissions::{LEARN, MANAGE};
use crate::popular::{self, PopularCourse};
use crate::presence::{self, ClassCode, ManualAttendanceInput, PresenceDto, PresenceInput};
use crate::textbooks::{self, TextbookDto, TextbookInput, TextbookVersionInput};
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
        .routes(routes!(list_instructors, create_instructor))
        .routes(routes!(update_instructor))
        .routes(routes!(list_classes, create_class))
        .routes(routes!(get_class))
        .routes(routes!(class_code))
        .routes(routes!(sign_in))
        .routes(routes!(sign_in_by_hand))
        .routes(routes!(my_classes))
        .routes(routes!(list_textbooks, create_textbook))
        .routes(routes!(add_textbook_version))
        .routes(routes!(popular_courses))
        .routes(routes!(get_categories, put_categories))
}

/// 培训分类: the hall's category tree (the defaults until it sets its own).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/categories", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<CategoryNode>)))]
async fn get_categories(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<CategoryNode>>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(categories::tree(&state, &hall.id).await?))
}

/// 培训分类设置: replace the tree (two levels, names unique); a category
/// that courses or textbooks are filed under cannot be removed.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/training/categories", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = Vec<CategoryNode>,
    responses((status = 200, body = Vec<CategoryNode>), (status = 422, body = ErrorBody)))]
async fn put_categories(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<Vec<CategoryNode>>,
) -> ApiResult<Json<Vec<CategoryNode>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(categories::set(&state, &hall.id, &body).await?))
}

/// 讲师: the hall's instructors with their courses and classes.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/instructors", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<InstructorDto>)))]
async fn list_instructors(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<InstructorDto>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(instructors::list(&state, &hall.id).await?))
}

/// Add an instructor: a member of staff (内部) or an outside teacher (外部).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/instructors", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = InstructorInput,
    responses((status = 201, body = InstructorDto), (status = 422, body = ErrorBody)))]
async fn create_instructor(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<InstructorInput>,
) -> ApiResult<(StatusCode, Json<InstructorDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(instructors::create(&state, &hall.id, &body).await?),
    ))
}

/// Change an instructor's details and courses.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/training/instructors/{id}", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = InstructorInput,
    responses((status = 200, body = InstructorDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_instructor(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<InstructorInput>,
) -> ApiResult<Json<InstructorDto>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        instructors::update(&state, &hall.id, &id, &body).await?,
    ))
}

/// 线下培训: the hall's classes, latest first, with how many came.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/classes", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<ClassDto>)))]
async fn list_classes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<ClassDto>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(classes::list(&state, &hall.id).await?))
}

/// Plan a class for a department and/or post: place, time, instructor.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/classes", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = ClassInput,
    responses((status = 201, body = ClassDto), (status = 422, body = ErrorBody)))]
async fn create_class(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<ClassInput>,
) -> ApiResult<(StatusCode, Json<ClassDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(classes::create(&state, &hall.id, &body).await?),
    ))
}

/// One class and its attendance: everyone asked, and anyone else who came.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/classes/{id}", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ClassDetail), (status = 404, body = ErrorBody)))]
async fn get_class(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<ClassDetail>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(classes::detail(&state, &hall.id, &id).await?))
}

/// The sign-in code to show as a QR now (it changes every 30 seconds);
/// refused before sign-in opens and after the class.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/classes/{id}/qr", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = ClassCode), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn class_code(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<ClassCode>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(presence::code(&state, &hall.id, &id).await?))
}

/// Sign in at a class with the token of the QR code just scanned.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/classes/{id}/presence", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = PresenceInput,
    responses((status = 200, body = PresenceDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn sign_in(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<PresenceInput>,
) -> ApiResult<Json<PresenceDto>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(
        presence::sign_in(&state, &user, &hall.id, &id, &body).await?,
    ))
}

/// 补签: a manager records someone's attendance by hand, with the reason.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/classes/{id}/attendance", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = ManualAttendanceInput,
    responses((status = 200, body = ClassDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn sign_in_by_hand(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ManualAttendanceInput>,
) -> ApiResult<Json<ClassDetail>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        presence::sign_in_by_hand(&state, &user, &hall.id, &id, &body).await?,
    ))
}

/// My 线下培训: classes for my department and post from a week ago on, with my sign-in.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/my-classes", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<MyClass>)))]
async fn my_classes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<MyClass>>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(classes::mine(&state, &user, &hall.id).await?))
}

/// 培训教材 with their editions, newest edition first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/textbooks", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<TextbookDto>)))]
async fn list_textbooks(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<TextbookDto>>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(textbooks::list(&state, &hall.id).await?))
}

/// Add a textbook (its editions are added as PDFs).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/textbooks", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = TextbookInput,
    responses((status = 201, body = TextbookDto), (status = 422, body = ErrorBody)))]
async fn create_textbook(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<TextbookInput>,
) -> ApiResult<(StatusCode, Json<TextbookDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(textbooks::create(&state, &hall.id, &body).await?),
    ))
}

/// Add an edition of a textbook: an uploaded PDF with a version label.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/training/textbooks/{id}/versions", security(("govhall" = ["training.manage"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    request_body = TextbookVersionInput,
    responses((status = 201, body = TextbookDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_textbook_version(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<TextbookVersionInput>,
) -> ApiResult<(StatusCode, Json<TextbookDto>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(textbooks::add_version(&state, &hall.id, &id, &body).await?),
    ))
}

/// 热门课程: up to six courses most learners took up in the last 30 days.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/training/popular", security(("govhall" = ["training.learn"])), tag = "training",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<PopularCourse>)))]
async fn popular_courses(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<PopularCourse>>> {
    let hall = hall_for(&state, &user, &key, LEARN).await?;
    Ok(Json(popular::list(&state, &hall.id).await?))
}
