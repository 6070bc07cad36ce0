//! The web terminals, built by Vite and embedded in the binary.

use axum::{
    body::Body,
    http::{StatusCode, Uri, header},
    response::{IntoResponse, Redirect, Response},
};
use govhall_platform::api::error_response;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/dist"]
struct Assets;

/// The terminals, each a page of the multi-page app.
pub const TERMINALS: &[(&str, &str)] = &[
    ("admin", "管理后台"),
    ("counter", "窗口工作台"),
    ("reception", "导服台"),
    ("kiosk", "取号机"),
    ("screen", "叫号屏"),
    ("mobile", "群众端 H5"),
    ("dashboard", "数据大屏"),
    ("learn", "培训学习 H5"),
];

/// Serves an asset, a terminal's page (history-mode routes fall back to its
/// index.html) or a JSON 404 under `/api/`.
pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") {
        return error_response(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("接口 {} 不存在", uri.path()),
            vec![],
        );
    }
    if path.is_empty() {
        return file("index.html")
            .unwrap_or_else(|| Redirect::temporary("/admin/").into_response());
    }
    if let Some(resp) = file(path) {
        return resp;
    }
    let entry = path.split('/').next().unwrap_or_default();
    if TERMINALS.iter().any(|(name, _)| *name == entry) {
        if !path.contains('/') {
            return Redirect::permanent(&format!("/{entry}/")).into_response();
        }
        if let Some(resp) = file(&format!("{entry}/index.html")) {
            return resp;
        }
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "界面未构建：请在 web/ 下运行 npm ci && npm run build，或不带 GOVHALL_SKIP_WEB 重新编译",
        )
            .into_response();
    }
    (StatusCode::NOT_FOUND, "页面不存在").into_response()
}

fn file(path: &str) -> Option<Response> {
    let asset = Assets::get(path)?;
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    // Hashed bundles never change; pages must be re-read so new bundles are picked up.
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Some(
        Response::builder()
            .header(header::CONTENT_TYPE, mime.as_ref())
            .header(header::CACHE_CONTROL, cache)
            .body(Body::from(asset.data.into_owned()))
            .expect("static response"),
    )
}
