//! 语音包 endpoints: the center uploads or removes its hall's pack; screens
//! read the manifest and the clips without signing in.

use crate::voice::{self, Manifest};
use axum::{
    Json,
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{StatusCode, header},
    response::IntoResponse,
};
use govhall_platform::{
    AppState,
    api::{ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::{find_hall, hall_for},
};
use utoipa_axum::{router::OpenApiRouter, routes};

/// A pack of 44 clips is a few megabytes.
const PACK_LIMIT: usize = 50 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_pack, remove_pack))
        .layer(DefaultBodyLimit::max(PACK_LIMIT))
        .routes(routes!(pack_manifest))
        .routes(routes!(pack_clip))
}

/// Upload the hall's voice pack: a ZIP of WAV clips named `0.wav`…`9.wav`, `A.wav`…`Z.wav`, `chime.wav`,
/// `please.wav`, `hao.wav`, `to.wav`, `window.wav`, `window_short.wav`, `ten.wav`, `hundred.wav`.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/voice-pack", security(("govhall" = ["queue.configure"])), tag = "queue",
    request_body(content = Vec<u8>, content_type = "application/zip"),
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Manifest), (status = 422, body = ErrorBody)))]
async fn upload_pack(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Manifest>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CONFIGURE).await?;
    Ok(Json(
        voice::upload(&state, &user.actor(), &hall.id, &body).await?,
    ))
}

/// Remove the hall's pack: screens use the built-in one again.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/voice-pack", security(("govhall" = ["queue.configure"])), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn remove_pack(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CONFIGURE).await?;
    voice::remove(&state, &user.actor(), &hall.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The hall's pack manifest; 204 (no content) when the hall uses the built-in
/// pack, so a screen's every start does not log a failed request.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/voice/manifest.json", security(()), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Manifest), (status = 204, description = "the hall uses the built-in pack"), (status = 404, body = ErrorBody)))]
async fn pack_manifest(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> ApiResult<axum::response::Response> {
    let hall = find_hall(&state, &key).await?;
    Ok(match voice::manifest(&state, &hall.id).await? {
        Some(m) => Json(m).into_response(),
        None => axum::http::StatusCode::NO_CONTENT.into_response(),
    })
}

/// One clip (WAV) of the hall's pack.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/voice/{file}", security(()), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code"), ("file" = String, Path, description = "e.g. A.wav")),
    responses((status = 200, content_type = "audio/wav"), (status = 404, body = ErrorBody)))]
async fn pack_clip(
    State(state): State<AppState>,
    Path((key, file)): Path<(String, String)>,
) -> ApiResult<impl IntoResponse> {
    let hall = find_hall(&state, &key).await?;
    let body = voice::clip(&state, &hall.id, &file).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "audio/wav"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    ))
}
