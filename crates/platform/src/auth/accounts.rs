//! Account, role and session administration for the 安全管理员.

use super::{
    Role,
    entity::{session, user},
    model::separation_problem,
    password, roles, service,
    session::CurrentUser,
};
use crate::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    db::DbResultExt,
    events::commit_with,
};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_account))
        .routes(routes!(set_roles))
        .routes(routes!(set_disabled))
        .routes(routes!(reset_password))
        .routes(routes!(unlock))
        .routes(routes!(list_sessions))
        .routes(routes!(revoke_session))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountDto {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub role_labels: Vec<String>,
    pub hall_id: Option<String>,
    pub staff_id: Option<String>,
    pub disabled: bool,
    /// Locked after too many failed sign-ins (a 安全管理员 may unlock it).
    pub locked: bool,
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
}

impl AccountDto {
    /// `custom`: labels of the custom roles, by code.
    fn of(u: user::Model, custom: &HashMap<String, String>) -> Self {
        let codes: Vec<String> = u
            .roles
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        let role_labels = codes
            .iter()
            .map(|c| {
                Role::parse(c)
                    .map(|r| r.label().to_string())
                    .or_else(|| custom.get(c).cloned())
                    .unwrap_or_else(|| c.clone())
            })
            .collect();
        AccountDto {
            locked: false,
            roles: codes,
            role_labels,
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            hall_id: u.hall_id,
            staff_id: u.staff_id,
            disabled: u.disabled,
            must_change_password: u.must_change_password,
            created_at: u.created_at,
        }
    }
}

/// All accounts.
#[utoipa::path(get, path = "/api/v1/security/users", security(("govhall" = ["accounts.manage"])), tag = "security", responses((status = 200, body = Vec<AccountDto>)))]
async fn list_users(State(state): State<AppState>) -> ApiResult<Json<Vec<AccountDto>>> {
    let rows = user::Entity::find()
        .order_by_asc(user::Column::Username)
        .all(&state.db)
        .await?;
    let custom = roles::custom_labels(&state).await?;
    let locked = super::throttle::locked_accounts(&state).await?;
    Ok(Json(
        rows.into_iter()
            .map(|u| {
                let is_locked = locked.contains(&super::throttle::account_key(&u.username));
                AccountDto {
                    locked: is_locked,
                    ..AccountDto::of(u, &custom)
                }
            })
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewAccountRequest {
    pub username: String,
    pub display_name: String,
    /// Role codes, e.g. `["window_staff"]`.
    pub roles: Vec<String>,
    pub hall_id: Option<String>,
    pub staff_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewAccountResponse {
    pub account: AccountDto,
    /// Shown once; the user must change it at first sign-in.
    pub one_time_password: String,
}

/// Create an account with a one-time password (no default passwords).
#[utoipa::path(post, path = "/api/v1/security/users", security(("govhall" = ["accounts.manage"])), tag = "security", request_body = NewAccountRequest,
    responses((status = 201, body = NewAccountResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_account(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<NewAccountRequest>,
) -> ApiResult<(StatusCode, Json<NewAccountResponse>)> {
    let (roles, custom_roles) = roles::parse_assignable(&state, &req.roles).await?;
    let one_time = password::generate_one_time();
    let created = service::insert_user(
        &state,
        &user.actor(),
        service::NewUser {
            username: req.username,
            display_name: req.display_name,
            password: one_time.clone(),
            roles,
            custom_roles,
            hall_id: req.hall_id.filter(|h| !h.is_empty()),
            staff_id: req.staff_id.filter(|s| !s.is_empty()),
            must_change_password: true,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewAccountResponse {
            account: AccountDto::of(created, &roles::custom_labels(&state).await?),
            one_time_password: one_time,
        }),
    ))
}

async fn find_user(state: &AppState, id: &str) -> AppResult<user::Model> {
    user::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("账号"))
}

/// Nobody changes their own roles or locks themselves out: another security administrator must.
fn refuse_self(user: &CurrentUser, id: &str) -> AppResult<()> {
    if user.id == id {
        return Err(AppError::Forbidden(
            "不能修改自己的角色或停用自己的账号".into(),
        ));
    }
    Ok(())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RolesRequest {
    pub roles: Vec<String>,
}

/// Replace an account's roles (三权分立 enforced).
#[utoipa::path(put, path = "/api/v1/security/users/{id}/roles", security(("govhall" = ["accounts.manage"])), tag = "security", request_body = RolesRequest,
    params(("id" = String, Path)), responses((status = 200, body = AccountDto), (status = 422, body = ErrorBody)))]
async fn set_roles(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RolesRequest>,
) -> ApiResult<Json<AccountDto>> {
    refuse_self(&user, &id)?;
    let (roles, custom_roles) = roles::parse_assignable(&state, &req.roles).await?;
    if roles.is_empty() && custom_roles.is_empty() {
        return Err(AppError::field("roles", "至少需要一个角色").into());
    }
    if let Some(problem) = separation_problem(&roles, custom_roles.len()) {
        return Err(AppError::field("roles", problem).into());
    }
    let target = find_user(&state, &id).await?;
    let before = target.roles.clone();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut row: user::ActiveModel = target.into();
    row.roles = Set(service::stored_roles(&roles, &custom_roles));
    row.updated_at = Set(Utc::now());
    let updated = row.update(&txn).await?;
    let ev = super::event_types::USER_ROLES_CHANGED.event(
        None,
        &super::event_types::RolesChanged {
            user_id: id.clone(),
            username: updated.username.clone(),
            before,
            after: updated.roles.clone(),
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(Json(AccountDto::of(
        updated,
        &roles::custom_labels(&state).await?,
    )))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct DisabledRequest {
    pub disabled: bool,
}

/// Disable (all sessions end at once) or re-enable an account.
#[utoipa::path(put, path = "/api/v1/security/users/{id}/disabled", security(("govhall" = ["accounts.manage"])), tag = "security", request_body = DisabledRequest,
    params(("id" = String, Path)), responses((status = 200, body = AccountDto)))]
async fn set_disabled(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<DisabledRequest>,
) -> ApiResult<Json<AccountDto>> {
    refuse_self(&user, &id)?;
    let target = find_user(&state, &id).await?;
    let updated = set_account_disabled(&state, &user.actor(), target, req.disabled).await?;
    Ok(Json(AccountDto::of(
        updated,
        &roles::custom_labels(&state).await?,
    )))
}

/// Disables an account (its sessions end at once) or enables it again, with
/// the event; for the security page and for HR's leaving.
pub(crate) async fn set_account_disabled(
    state: &AppState,
    actor: &crate::events::Actor,
    target: user::Model,
    disabled: bool,
) -> AppResult<user::Model> {
    let id = target.id.clone();
    let txn = crate::db::begin_write(&state.db)
        .await
        .map_err(AppError::internal)?;
    let mut row: user::ActiveModel = target.into();
    row.disabled = Set(disabled);
    row.updated_at = Set(Utc::now());
    let updated = row.update(&txn).await.map_err(AppError::internal)?;
    if disabled {
        revoke_where(&txn, session::Column::UserId.eq(&id))
            .await
            .map_err(AppError::internal)?;
    }
    let kind = if disabled {
        &super::event_types::USER_DISABLED
    } else {
        &super::event_types::USER_ENABLED
    };
    let ev = kind.event(
        None,
        &super::event_types::AccountRef {
            user_id: id,
            username: updated.username.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(updated)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordReset {
    /// Shown once; the user must change it at the next sign-in.
    pub one_time_password: String,
}

/// Reset a forgotten password: a new one-time password, the account's
/// sessions ended and its sign-in lock lifted.
#[utoipa::path(post, path = "/api/v1/security/users/{id}/reset-password", security(("govhall" = ["accounts.manage"])), tag = "security",
    params(("id" = String, Path)), responses((status = 200, body = PasswordReset), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<PasswordReset>> {
    if user.id == id {
        return Err(
            AppError::Forbidden("不能重置自己的密码，请在个人设置中修改密码".into()).into(),
        );
    }
    let target = find_user(&state, &id).await?;
    let one_time = password::generate_one_time();
    let username = target.username.clone();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut row: user::ActiveModel = target.into();
    row.password_hash = Set(password::hash(&one_time));
    row.must_change_password = Set(true);
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    revoke_where(&txn, session::Column::UserId.eq(&id)).await?;
    super::throttle::clear(&txn, &super::throttle::account_key(&username)).await?;
    let ev = super::event_types::USER_PASSWORD_RESET.event(
        None,
        &super::event_types::AccountRef {
            user_id: id.clone(),
            username: username.clone(),
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(Json(PasswordReset {
        one_time_password: one_time,
    }))
}

/// Lift an account's lock after too many failed sign-ins (its count starts over).
#[utoipa::path(post, path = "/api/v1/security/users/{id}/unlock", security(("govhall" = ["accounts.manage"])), tag = "security",
    params(("id" = String, Path)), responses((status = 200, body = AccountDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn unlock(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<AccountDto>> {
    let target = find_user(&state, &id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    if !super::throttle::clear(&txn, &super::throttle::account_key(&target.username)).await? {
        return Err(AppError::Conflict {
            message: "该账号没有被锁定".into(),
            fields: vec![],
        }
        .into());
    }
    let ev = super::event_types::USER_UNLOCKED.event(
        None,
        &super::event_types::AccountRef {
            user_id: id.clone(),
            username: target.username.clone(),
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(Json(AccountDto::of(
        target,
        &roles::custom_labels(&state).await?,
    )))
}

async fn revoke_where<C: sea_orm::ConnectionTrait>(
    conn: &C,
    filter: sea_orm::sea_query::SimpleExpr,
) -> Result<u64, sea_orm::DbErr> {
    let res = session::Entity::update_many()
        .col_expr(session::Column::Revoked, Expr::value(true))
        .filter(filter)
        .filter(session::Column::Revoked.eq(false))
        .exec(conn)
        .await?;
    Ok(res.rows_affected)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionFilter {
    pub user_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDto {
    /// The session's identifier (a hash of the cookie token, not the token).
    pub id: String,
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Active (not revoked, not expired) sessions, optionally of one account.
#[utoipa::path(get, path = "/api/v1/security/sessions", security(("govhall" = ["accounts.manage"])), tag = "security", params(SessionFilter),
    responses((status = 200, body = Vec<SessionDto>)))]
async fn list_sessions(
    State(state): State<AppState>,
    ApiQuery(f): ApiQuery<SessionFilter>,
) -> ApiResult<Json<Vec<SessionDto>>> {
    let now = Utc::now();
    let mut q = session::Entity::find()
        .filter(session::Column::Revoked.eq(false))
        .filter(session::Column::ExpiresAt.gt(now))
        .order_by_desc(session::Column::LastSeenAt);
    if let Some(uid) = f.user_id.filter(|u| !u.is_empty()) {
        q = q.filter(session::Column::UserId.eq(uid));
    }
    let idle = chrono::Duration::minutes(state.config.session_idle_minutes);
    let sessions: Vec<_> = q
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|s| now - s.last_seen_at <= idle)
        .collect();
    let users: HashMap<String, user::Model> = user::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id.clone(), u))
        .collect();
    Ok(Json(
        sessions
            .into_iter()
            .map(|s| {
                let u = users.get(&s.user_id);
                SessionDto {
                    username: u.map(|u| u.username.clone()).unwrap_or_default(),
                    display_name: u.map(|u| u.display_name.clone()).unwrap_or_default(),
                    id: s.id,
                    user_id: s.user_id,
                    created_at: s.created_at,
                    last_seen_at: s.last_seen_at,
                    expires_at: s.expires_at,
                    ip: s.ip,
                    user_agent: s.user_agent,
                }
            })
            .collect(),
    ))
}

/// Revoke a session: its cookie stops working at once.
#[utoipa::path(delete, path = "/api/v1/security/sessions/{id}", security(("govhall" = ["accounts.manage"])), tag = "security",
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let txn = crate::db::begin_write(&state.db).await?;
    if revoke_where(&txn, session::Column::Id.eq(&id)).await? == 0 {
        return Err(AppError::NotFound("会话不存在或已失效".into()).into());
    }
    let ev = super::event_types::SESSION_REVOKED
        .event(None, &super::event_types::SessionRevoked { session_id: id });
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(StatusCode::NO_CONTENT)
}
