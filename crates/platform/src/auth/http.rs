//! Sign-in endpoints.

use super::{SESSION_COOKIE, service, session::CurrentUser};
use crate::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
};
use crate::{
    audit::middleware::{AuditSlot, Who},
    hardening::csrf_cookie,
};
use axum::{
    Extension, Json,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{AppendHeaders, IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(totp_setup))
        .routes(routes!(totp_confirm))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    /// The authenticator's 6-digit code, for accounts with TOTP enabled.
    #[serde(default)]
    pub totp_code: String,
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
    /// The password is a one-time or expired one: change it before anything else.
    pub must_change_password: bool,
    /// An administrator without a second factor: enrol TOTP before anything else.
    pub must_enroll_totp: bool,
    pub totp_enabled: bool,
}

impl From<&CurrentUser> for MeDto {
    fn from(u: &CurrentUser) -> Self {
        MeDto {
            id: u.id.clone(),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            roles: u
                .roles
                .iter()
                .map(|r| RoleDto {
                    code: r.code().into(),
                    label: r.label().into(),
                })
                .collect(),
            permissions: u.permissions.iter().map(|p| p.code().to_string()).collect(),
            hall_id: u.hall_id.clone(),
            must_change_password: u.must_change_password,
            must_enroll_totp: u.must_enroll_totp,
            totp_enabled: u.totp_enabled,
        }
    }
}

fn csrf_token() -> String {
    use rand::RngCore;
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

fn cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{}",
        crate::hardening::secure_attribute(secure)
    )
}

/// Sign in with account and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", security(()), tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = MeDto), (status = 401, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    client: Option<Extension<crate::client_ip::ClientIp>>,
    headers: HeaderMap,
    slot: Option<Extension<AuditSlot>>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    if let Some(Extension(slot)) = &slot {
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
        Some(&req.totp_code),
        client.map(|Extension(c)| c.0.to_string()),
        ua,
    )
    .await?;
    let session_id = govhall_kernel::crypto::sm3_hex(s.token.as_bytes());
    let stored_roles = s.user.roles.clone();
    let mut current = CurrentUser::of(&state, s.user, session_id);
    super::roles::add_custom_permissions(&state.db, &mut current, &stored_roles).await?;
    if let Some(Extension(slot)) = &slot {
        // A sign-in that succeeded is recorded with the account and its roles.
        slot.set_user(&current);
    }
    let body = MeDto::from(&current);
    let max_age = state.config.session_max_hours * 3600;
    let secure = state.config.cookies_secure();
    Ok((
        AppendHeaders([
            (header::SET_COOKIE, cookie(&s.token, max_age, secure)),
            (
                header::SET_COOKIE,
                csrf_cookie(&csrf_token(), max_age, secure),
            ),
        ]),
        Json(body),
    )
        .into_response())
}

/// Sign out: the session is revoked on the server.
#[utoipa::path(post, path = "/api/v1/auth/logout", security(("govhall" = [])), tag = "auth", responses((status = 204)))]
async fn logout(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Response> {
    service::logout(&state, &user).await?;
    let secure = state.config.cookies_secure();
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([
            (header::SET_COOKIE, cookie("", 0, secure)),
            (header::SET_COOKIE, csrf_cookie("", 0, secure)),
        ]),
    )
        .into_response())
}

/// The signed-in user, roles and permissions.
#[utoipa::path(get, path = "/api/v1/auth/me", security(("govhall" = [])), tag = "auth",
    responses((status = 200, body = MeDto), (status = 401, body = ErrorBody)))]
async fn me(user: CurrentUser) -> Json<MeDto> {
    Json(MeDto::from(&user))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
}

/// Change one's own password (required after a one-time password).
#[utoipa::path(post, path = "/api/v1/auth/password", security(("govhall" = [])), tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 422, body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> ApiResult<StatusCode> {
    service::change_password(
        &state,
        &user.id,
        &user.session_id,
        &req.current_password,
        &req.new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpSetupDto {
    /// `otpauth://totp/...` for authenticator apps.
    pub otpauth_url: String,
    /// The secret in Base32, for typing in by hand.
    pub secret: String,
    /// A QR code of the URL (SVG markup).
    pub qr_svg: String,
}

/// Start binding an authenticator app: returns the QR code to scan.
#[utoipa::path(post, path = "/api/v1/auth/totp/setup", security(("govhall" = [])), tag = "auth",
    responses((status = 200, body = TotpSetupDto), (status = 409, body = ErrorBody)))]
async fn totp_setup(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<TotpSetupDto>> {
    let e = service::totp_setup(&state, &user.id).await?;
    Ok(Json(TotpSetupDto {
        otpauth_url: e.url,
        secret: e.secret_base32,
        qr_svg: e.qr_svg,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct TotpConfirmRequest {
    pub code: String,
}

/// Finish binding: the app's current code proves the secret was captured.
#[utoipa::path(post, path = "/api/v1/auth/totp/confirm", security(("govhall" = [])), tag = "auth", request_body = TotpConfirmRequest,
    responses((status = 204), (status = 422, body = ErrorBody)))]
async fn totp_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<TotpConfirmRequest>,
) -> ApiResult<StatusCode> {
    service::totp_confirm(&state, &user.id, &req.code).await?;
    Ok(StatusCode::NO_CONTENT)
}
