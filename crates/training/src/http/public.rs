//! What anyone may open without signing in: 政务公开课 (the courses marked
//! public, and their courseware), 云游大厅 (the hall's panoramas), and the
//! check of a certificate's QR code.

use crate::certificates::{self, VerificationDto};
use crate::courses::{self, CourseDto};
use crate::files;
use crate::tour::{self, SceneDto};
use axum::{
    Json,
    extract::{Path, Request, State},
    response::Response,
};
use govhall_platform::{
    AppState,
    api::{ApiResult, ErrorBody},
    halls::find_hall,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(public_courses))
        .routes(routes!(public_file))
        .routes(routes!(verify_certificate))
        .routes(routes!(public_tour))
}

/// 政务公开课: the hall's public courses with their lessons (exam lessons left out).
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/training/courses", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<CourseDto>), (status = 404, body = ErrorBody)))]
async fn public_courses(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<CourseDto>>> {
    let hall = find_hall(&state, &key).await?;
    Ok(Json(courses::public_list(&state, &hall.id).await?))
}

/// A public course's courseware or a 云游大厅 panorama (Range requests
/// answered with 206); other files are not found here.
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/training/files/{id}", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, description = "the file"), (status = 206, description = "the part asked for"), (status = 404, body = ErrorBody)))]
async fn public_file(
    State(state): State<AppState>,
    Path((key, id)): Path<(String, String)>,
    request: Request,
) -> ApiResult<Response> {
    let hall = find_hall(&state, &key).await?;
    let open = courses::file_is_public(&state, &hall.id, &id).await?
        || tour::file_is_panorama(&state, &hall.id, &id).await?;
    if !open {
        return Err(govhall_kernel::AppError::not_found("课件文件").into());
    }
    let (f, path) = files::find(&state, &hall.id, &id).await?;
    Ok(files::serve(&path, &f.mime, request).await?)
}

/// What a certificate's QR code opens: the course, the holder (masked), the
/// dates and whether it is still valid.
#[utoipa::path(get, path = "/api/v1/public/training/certificates/{number}", security(()), tag = "public",
    params(("number" = String, Path, description = "the certificate number")),
    responses((status = 200, body = VerificationDto), (status = 404, body = ErrorBody)))]
async fn verify_certificate(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> ApiResult<Json<VerificationDto>> {
    Ok(Json(certificates::verify(&state, &number).await?))
}

/// 云游大厅: the hall's panoramas in order, with their hotspots and the
/// published matters each hotspot's window accepts (the windows' live state
/// is the public hall view's).
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/training/tour", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<SceneDto>), (status = 404, body = ErrorBody)))]
async fn public_tour(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<SceneDto>>> {
    let hall = find_hall(&state, &key).await?;
    Ok(Json(tour::public_tour(&state, &hall.id).await?))
}
