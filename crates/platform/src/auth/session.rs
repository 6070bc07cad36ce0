//! The signed-in user, extracted from the session cookie on every request.

use super::{
    entity::{session, user},
    model::{Permission, Role, effective_roles, parse_roles, permissions_of},
};
use crate::{AppState, api::ApiError, events::Actor};
use axum::{extract::FromRequestParts, http::request::Parts};
use chrono::{Duration, Utc};
use govhall_kernel::{AppError, crypto::sm3_hex};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

pub const SESSION_COOKIE: &str = "govhall_session";

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub permissions: Vec<Permission>,
    /// `None`: not bound to a hall (a system administrator sees every hall).
    pub hall_id: Option<String>,
    pub must_change_password: bool,
    /// An administrator who has not yet bound a second factor.
    pub must_enroll_totp: bool,
    pub totp_enabled: bool,
    pub session_id: String,
    /// The directory's staff member behind the account (ratings and calls name them).
    pub staff_id: Option<String>,
}

impl CurrentUser {
    pub fn can(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }

    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.can(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "没有“{}”权限（{}）",
                p.label(),
                p.code()
            )))
        }
    }

    /// Only the 系统管理员, bound to no hall, works across halls; every
    /// other account without a hall sees no hall's data at all.
    pub fn sees_every_hall(&self) -> bool {
        self.hall_id.is_none() && self.roles.contains(&Role::SystemAdmin)
    }

    /// A user bound to a hall may only touch that hall; one bound to none,
    /// only as 系统管理员.
    pub fn ensure_hall(&self, hall_id: &str) -> Result<(), AppError> {
        match &self.hall_id {
            Some(own) if own == hall_id => Ok(()),
            Some(_) => Err(AppError::Forbidden("无权访问其他大厅的数据".into())),
            None if self.sees_every_hall() => Ok(()),
            None => Err(AppError::Forbidden(
                "账号未绑定大厅，不能访问大厅的数据（请安全管理员为账号指定所属大厅）".into(),
            )),
        }
    }

    /// A terminal's token (kiosk, screen), not a person's account.
    pub fn is_device(&self) -> bool {
        self.session_id.is_empty() && self.username.starts_with("device:")
    }

    pub fn actor(&self) -> Actor {
        Actor {
            id: Some(self.id.clone()),
            name: self.display_name.clone(),
        }
    }
}

impl CurrentUser {
    /// The user as the rest of the server sees them: roles, permissions and what they must do first.
    pub(crate) fn of(state: &AppState, user: user::Model, session_id: String) -> Self {
        let must_change_password = user.must_change_password
            || super::service::password_expired(&user, state.config.password_max_age_days);
        let stored = parse_roles(&user.roles);
        let must_enroll_totp = state.config.require_admin_totp
            && !user.totp_enabled
            && stored.iter().any(|r| r.requires_second_factor());
        let roles = effective_roles(stored);
        CurrentUser {
            permissions: permissions_of(&roles),
            roles,
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            hall_id: user.hall_id,
            must_change_password,
            must_enroll_totp,
            totp_enabled: user.totp_enabled,
            session_id,
            staff_id: user.staff_id,
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Already loaded by the access middleware for this request.
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let unauthorized = || ApiError(AppError::Unauthorized("请先登录".into()));
        let token =
            crate::hardening::cookie_value(parts, SESSION_COOKIE).ok_or_else(unauthorized)?;
        let session_id = sm3_hex(token.as_bytes());
        let key = format!("session:{session_id}");
        let current = match state.principals.get(&key) {
            Some(current) => current,
            None => {
                let ticket = state.principals.ticket();
                let current = load_current(state, session_id).await?;
                state.principals.put(ticket, &key, current.clone());
                current
            }
        };
        // Until these are done, only the sign-in endpoints work.
        if !parts.uri.path().starts_with("/api/v1/auth/") {
            if current.must_change_password {
                return Err(ApiError(AppError::Forbidden(
                    "请先修改密码（初始密码或已过期的密码）".into(),
                )));
            }
            if current.must_enroll_totp {
                return Err(ApiError(AppError::Forbidden(
                    "管理员账号须先绑定动态口令（TOTP）".into(),
                )));
            }
        }
        Ok(current)
    }
}

/// The session's principal, checked live and not revoked, from the database.
async fn load_current(state: &AppState, session_id: String) -> Result<CurrentUser, ApiError> {
    let unauthorized = || ApiError(AppError::Unauthorized("请先登录".into()));
    let found = load_session(&state.read, &session_id).await?;
    let (sess, user) = found.ok_or_else(unauthorized)?;
    let now = Utc::now();
    let idle = Duration::minutes(state.config.session_idle_minutes);
    if sess.revoked || sess.expires_at <= now || now - sess.last_seen_at > idle {
        return Err(ApiError(AppError::Unauthorized(
            "登录已过期，请重新登录".into(),
        )));
    }
    if user.disabled {
        return Err(ApiError(AppError::Unauthorized("该账号已停用".into())));
    }
    // Refresh the idle clock at most once a minute, not on every request,
    // and more often when the idle limit is short: a session in use must
    // never look idle for longer than a quarter of the limit.
    if now - sess.last_seen_at > refresh_every(idle) {
        let mut row: session::ActiveModel = sess.into();
        row.last_seen_at = Set(now);
        row.update(&state.db).await?;
    }
    let stored_roles = user.roles.clone();
    let mut current = CurrentUser::of(state, user, session_id);
    super::roles::add_custom_permissions(&state.read, &mut current, &stored_roles).await?;
    Ok(current)
}

/// How stale the recorded last use may get before a request refreshes it.
fn refresh_every(idle: Duration) -> Duration {
    (idle / 4).min(Duration::seconds(60))
}

/// A session with its account, in one statement (this runs on every request).
async fn load_session(
    db: &sea_orm::DatabaseConnection,
    session_id: &str,
) -> Result<Option<(session::Model, user::Model)>, sea_orm::DbErr> {
    use sea_orm::{JoinType, QuerySelect};
    let account = session::Entity::belongs_to(user::Entity)
        .from(session::Column::UserId)
        .to(user::Column::Id)
        .into();
    let found = session::Entity::find_by_id(session_id.to_string())
        .select_also(user::Entity)
        .join(JoinType::InnerJoin, account)
        .one(db)
        .await?;
    Ok(found.and_then(|(s, u)| u.map(|u| (s, u))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_clock_is_refreshed_well_within_the_idle_limit() {
        assert_eq!(refresh_every(Duration::minutes(30)), Duration::seconds(60));
        assert_eq!(refresh_every(Duration::minutes(2)), Duration::seconds(30));
        assert_eq!(refresh_every(Duration::minutes(1)), Duration::seconds(15));
    }
}
