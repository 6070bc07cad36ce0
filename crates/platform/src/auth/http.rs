//! Sign-in endpoints.

use super::{
    SESSION_COOKIE,
    model::{Permission, Role},
    service,
    session::CurrentUser,
};
use crate::{
    AppState,
    access::{Access, RouteAccess},
    api::{ApiJson, ApiResult, ErrorBody},
};
use crate::{
    audit::middleware::{AuditSlot, Who},
    hardening::csrf_cookie,
};
use axum::{
    Extension, Json,
    extract::{ConnectInfo, State},
    http::{HeaderMap, StatusCode, header},
    response::{AppendHeaders, IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

/// Who may call the sign-in endpoints.
pub const ACCESS: &[RouteAccess] = &[
    ("POST", "/api/v1/auth/login", Access::Public),
    ("POST", "/api/v1/auth/logout", Access::SignedIn),
    ("GET", "/api/v1/auth/me", Access::SignedIn),
    ("POST", "/api/v1/auth/password", Access::SignedIn),
];

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleDto {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeDto {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<RoleDto>,
    /// Permission codes, e.g. `directory.edit`; the admin menu shows only what these allow.
    pub permissions: Vec<String>,
    pub hall_id: Option<String>,
    pub must_change_password: bool,
}

fn me_dto(
    id: String,
    username: String,
    display_name: String,
    roles: &[Role],
    perms: &[Permission],
    hall_id: Option<String>,
    must_change_password: bool,
) -> MeDto {
    MeDto {
        id,
        username,
        display_name,
        roles: roles
            .iter()
            .map(|r| RoleDto {
                code: r.code().into(),
                label: r.label().into(),
            })
            .collect(),
        permissions: perms.iter().map(|p| p.code().to_string()).collect(),
        hall_id,
        must_change_password,
    }
}

fn csrf_token() -> String {
    use rand::RngCore;
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

fn cookie(token: &str, max_age_secs: i64) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}")
}

/// Sign in with account and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = MeDto), (status = 401, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    slot: Option<Extension<AuditSlot>>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    if let Some(Extension(slot)) = slot {
        // The audit log names the account that was tried, whether or not the password was right.
        slot.set(Who {
            id: None,
            name: req.username.chars().take(32).collect(),
            roles: String::new(),
        });
    }
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let s = service::login(
        &state,
        &req.username,
        &req.password,
        Some(addr.ip().to_string()),
        ua,
    )
    .await?;
    let must_change = s.user.must_change_password
        || service::password_expired(&s.user, state.config.password_max_age_days);
    let roles = super::model::parse_roles(&s.user.roles);
    let perms = super::model::permissions_of(&roles);
    let body = me_dto(
        s.user.id,
        s.user.username,
        s.user.display_name,
        &roles,
        &perms,
        s.user.hall_id,
        must_change,
    );
    let max_age = state.config.session_max_hours * 3600;
    Ok((
        AppendHeaders([
            (header::SET_COOKIE, cookie(&s.token, max_age)),
            (header::SET_COOKIE, csrf_cookie(&csrf_token(), max_age)),
        ]),
        Json(body),
    )
        .into_response())
}

/// Sign out: the session is revoked on the server.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
async fn logout(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Response> {
    service::logout(&state, &user.session_id).await?;
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([
            (header::SET_COOKIE, cookie("", 0)),
            (header::SET_COOKIE, csrf_cookie("", 0)),
        ]),
    )
        .into_response())
}

/// The signed-in user, roles and permissions.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = MeDto), (status = 401, body = ErrorBody)))]
async fn me(user: CurrentUser) -> Json<MeDto> {
    Json(me_dto(
        user.id,
        user.username,
        user.display_name,
        &user.roles,
        &user.permissions,
        user.hall_id,
        user.must_change_password,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
}

/// Change one's own password (required after a one-time password).
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 422, body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> ApiResult<StatusCode> {
    service::change_password(&state, &user.id, &req.current_password, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}
