//! HTTP hardening: security headers on every response and CSRF protection
//! (double-submit token) for requests made with the session cookie.

use axum::{
    extract::Request,
    http::{HeaderValue, Method, header, request::Parts},
    middleware::Next,
    response::Response,
};

/// Readable by the page's script (not HttpOnly) so it can echo it in a header;
/// a cross-site page can neither read it nor set the header.
pub const CSRF_COOKIE: &str = "govhall_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A fresh CSRF token cookie, issued with the session cookie.
pub fn csrf_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{CSRF_COOKIE}={token}; Path=/; SameSite=Strict; Max-Age={max_age_secs}{}",
        secure_attribute(secure)
    )
}

/// `; Secure` when cookies must travel over HTTPS only.
pub fn secure_attribute(secure: bool) -> &'static str {
    if secure { "; Secure" } else { "" }
}

pub fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Whether a state-changing request carries the matching CSRF token.
pub fn csrf_ok(parts: &Parts) -> bool {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let header = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    match (cookie_value(parts, CSRF_COOKIE), header) {
        (Some(cookie), Some(header)) => !cookie.is_empty() && cookie == header,
        _ => false,
    }
}

/// No inline scripts anywhere; inline styles are needed by the UI library.
/// Media from `blob:` lets the admin read a chosen video's frame (its poster)
/// before uploading it.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
media-src 'self' blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    resp
}

/// Browsers remember to use HTTPS only (set when the server terminates TLS itself).
pub async fn strict_transport_security(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    resp.headers_mut().insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    );
    resp
}
