//! Account and session use cases.

use super::{
    entity::{password_history, session, user},
    model::{Role, format_roles},
    password,
    session::CurrentUser,
    throttle, totp,
};
use crate::{
    AppState,
    events::{self, Actor},
};
use chrono::{Duration, Utc};
use govhall_kernel::{AppError, crypto::sm3_hex, error::AppResult, new_id, validate::Checker};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};

/// Built-in and custom role codes as stored on the account.
pub fn stored_roles(builtin: &[Role], custom: &[String]) -> String {
    let mut all = format_roles(builtin);
    for code in custom {
        if !all.is_empty() {
            all.push(',');
        }
        all.push_str(code);
    }
    all
}

/// A new password may not repeat any of the last this many.
const REUSE_WINDOW: usize = 5;

/// Whether the password is older than the configured maximum age.
pub(crate) fn password_expired(user: &user::Model, max_age_days: i64) -> bool {
    let set_at = user.password_changed_at.unwrap_or(user.created_at);
    Utc::now() - set_at > Duration::days(max_age_days)
}

pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
    /// Codes of custom roles (already checked to exist).
    pub custom_roles: Vec<String>,
    pub hall_id: Option<String>,
    pub staff_id: Option<String>,
    pub must_change_password: bool,
}

/// Creates an account (the password must meet the policy) and returns its id.
pub async fn create_user(state: &AppState, actor: &Actor, new: NewUser) -> AppResult<String> {
    Ok(insert_user(state, actor, new).await?.id)
}

/// Creates an account; the password must meet the policy.
pub(crate) async fn insert_user(
    state: &AppState,
    actor: &Actor,
    new: NewUser,
) -> AppResult<user::Model> {
    let mut c = Checker::new();
    let username = c.text("username", "账号", &new.username, 32);
    c.check(
        username
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '.'),
        "username",
        "账号只能包含字母、数字、下划线和点",
    );
    let display_name = c.text("display_name", "姓名", &new.display_name, 50);
    if let Some(problem) = password::policy_problem(&new.password, &username) {
        c.fail("password", problem);
    }
    c.check(
        !new.roles.is_empty() || !new.custom_roles.is_empty(),
        "roles",
        "至少需要一个角色",
    );
    if let Some(problem) = super::model::separation_problem(&new.roles, new.custom_roles.len()) {
        c.fail("roles", problem);
    }
    c.finish()?;
    if user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(&state.db)
        .await
        .map_err(AppError::internal)?
        .is_some()
    {
        return Err(AppError::duplicate(
            "username",
            format!("账号“{username}”已存在"),
        ));
    }
    let hash = hash_blocking(new.password).await?;
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db)
        .await
        .map_err(AppError::internal)?;
    let row = user::ActiveModel {
        id: Set(new_id().to_string()),
        username: Set(username.clone()),
        display_name: Set(display_name),
        password_hash: Set(hash),
        roles: Set(stored_roles(&new.roles, &new.custom_roles)),
        hall_id: Set(new.hall_id.clone()),
        staff_id: Set(new.staff_id),
        must_change_password: Set(new.must_change_password),
        disabled: Set(false),
        password_changed_at: Set(Some(now)),
        totp_secret_enc: Set(None),
        totp_enabled: Set(false),
        totp_last_step: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(AppError::internal)?;
    let ev = super::event_types::USER_CREATED.event(
        new.hall_id.as_deref(),
        &super::event_types::AccountCreated {
            user_id: row.id.clone(),
            username: username.to_string(),
            roles: row.roles.clone(),
        },
    );
    events::commit_with(state, txn, actor, vec![ev]).await?;
    Ok(row)
}

async fn hash_blocking(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(AppError::internal)
}

async fn verify_blocking(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || password::verify(&password, &hash))
        .await
        .unwrap_or(false)
}

/// A new session: the token goes into the cookie, only its SM3 into the database.
pub struct NewSession {
    pub token: String,
    pub(crate) user: user::Model,
}

pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    totp_code: Option<&str>,
    ip: Option<String>,
    user_agent: Option<String>,
) -> AppResult<NewSession> {
    let mut keys = vec![(
        throttle::account_key(username),
        state.config.lockout_account_failures,
    )];
    keys.extend(ip.as_deref().map(|ip| {
        (
            throttle::address_key(ip),
            state.config.lockout_address_failures,
        )
    }));
    let attempt = throttle::Attempt::begin(state, &keys).await?;
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(username.trim()))
        .one(&state.db)
        .await
        .map_err(AppError::internal)?;
    let hash = found
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let ok = verify_blocking(password.to_string(), hash).await;
    let actor = Actor {
        id: found.as_ref().map(|u| u.id.clone()),
        name: username.chars().take(32).collect(),
    };
    // A disabled account answers exactly as a wrong password does, and counts
    // as a try, so guessing cannot tell which accounts exist or are disabled.
    let Some(user) = found.filter(|u| ok && !u.disabled) else {
        return Err(login_failed(state, attempt, &actor, &ip, WRONG_PASSWORD).await);
    };
    if user.totp_enabled {
        let Some(code) = totp_code.map(str::trim).filter(|c| !c.is_empty()) else {
            // The password was right; the page now asks for the second factor.
            attempt.withdrawn(state).await?;
            return Err(AppError::field(
                "totp_code",
                "请输入身份验证器上的 6 位动态验证码",
            ));
        };
        let secret = decrypt_totp_secret(state, &user)?;
        let step = totp::matching_step(secret, &user.username, code);
        let fresh = match step {
            Some(step) => use_totp_step(state, &user.id, step).await?,
            None => false,
        };
        if !fresh {
            let message = if step.is_some() {
                "动态验证码已使用过，请等待验证器显示下一个验证码"
            } else {
                "动态验证码不正确"
            };
            return Err(login_failed(state, attempt, &actor, &ip, message).await);
        }
    }
    attempt.succeeded(state).await?;
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = hex::encode(raw);
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db)
        .await
        .map_err(AppError::internal)?;
    session::ActiveModel {
        id: Set(sm3_hex(token.as_bytes())),
        user_id: Set(user.id.clone()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::hours(state.config.session_max_hours)),
        ip: Set(ip.clone()),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(200).collect())),
        revoked: Set(false),
    }
    .insert(&txn)
    .await
    .map_err(AppError::internal)?;
    let actor = Actor {
        id: Some(user.id.clone()),
        name: user.display_name.clone(),
    };
    let ev = super::event_types::LOGIN_SUCCEEDED.event(
        user.hall_id.as_deref(),
        &super::event_types::LoginAttempt {
            username: user.username.clone(),
            ip: ip.clone(),
        },
    );
    events::commit_with(state, txn, &actor, vec![ev]).await?;
    Ok(NewSession { token, user })
}

/// What a wrong password, an unknown account and a disabled one all answer.
const WRONG_PASSWORD: &str = "账号或密码错误";

/// Records a failed sign-in (event, and the lock if this try reached the
/// limit) and returns the error to show.
async fn login_failed(
    state: &AppState,
    attempt: throttle::Attempt,
    actor: &Actor,
    ip: &Option<String>,
    message: &str,
) -> AppError {
    let recorded = async {
        attempt.failed(state).await?;
        let txn = crate::db::begin_write(&state.db)
            .await
            .map_err(AppError::internal)?;
        let ev = super::event_types::LOGIN_FAILED.event(
            None,
            &super::event_types::LoginAttempt {
                username: actor.name.clone(),
                ip: ip.clone(),
            },
        );
        events::commit_with(state, txn, actor, vec![ev]).await
    };
    match recorded.await {
        Ok(()) => AppError::Unauthorized(message.to_string()),
        Err(e) => e,
    }
}

/// Records that `step`'s code was used, unless this or a later step already
/// was: one statement, so two requests racing with one code cannot both win.
async fn use_totp_step(state: &AppState, user_id: &str, step: i64) -> AppResult<bool> {
    let used = user::Entity::update_many()
        .col_expr(
            user::Column::TotpLastStep,
            sea_orm::sea_query::Expr::value(step),
        )
        .filter(user::Column::Id.eq(user_id))
        .filter(
            sea_orm::Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(&state.db)
        .await
        .map_err(AppError::internal)?;
    Ok(used.rows_affected == 1)
}

pub(crate) fn decrypt_totp_secret(state: &AppState, user: &user::Model) -> AppResult<Vec<u8>> {
    let enc = user
        .totp_secret_enc
        .as_deref()
        .ok_or_else(|| AppError::BadRequest("尚未生成动态口令密钥".into()))?;
    let hex_secret = state.pii.decrypt(enc).map_err(AppError::internal)?;
    hex::decode(hex_secret).map_err(AppError::internal)
}

/// Starts TOTP enrolment: a new secret, stored encrypted and pending until confirmed.
pub async fn totp_setup(state: &AppState, user_id: &str) -> AppResult<totp::Enrolment> {
    let user = find_account(state, user_id).await?;
    if user.totp_enabled {
        return Err(AppError::Conflict {
            message: "已绑定动态口令；如需更换，请联系安全管理员重置".into(),
            fields: vec![],
        });
    }
    let secret = totp::new_secret();
    let enrolment = totp::enrolment(secret.clone(), &user.username)
        .ok_or_else(|| AppError::internal("TOTP enrolment"))?;
    let mut row: user::ActiveModel = user.into();
    row.totp_secret_enc = Set(Some(state.pii.encrypt(&hex::encode(secret))));
    row.updated_at = Set(Utc::now());
    row.update(&state.db).await.map_err(AppError::internal)?;
    Ok(enrolment)
}

/// Finishes enrolment once the user proves their app shows the right code.
pub async fn totp_confirm(state: &AppState, user_id: &str, code: &str) -> AppResult<()> {
    let user = find_account(state, user_id).await?;
    let secret = decrypt_totp_secret(state, &user)?;
    let Some(step) = totp::matching_step(secret, &user.username, code) else {
        return Err(AppError::field(
            "code",
            "动态验证码不正确，请核对手机时间后重试",
        ));
    };
    // The enrolment code cannot then be used again to sign in.
    if !use_totp_step(state, &user.id, step).await? {
        return Err(AppError::field(
            "code",
            "动态验证码已使用过，请等待验证器显示下一个验证码",
        ));
    }
    let actor = Actor {
        id: Some(user.id.clone()),
        name: user.display_name.clone(),
    };
    let txn = crate::db::begin_write(&state.db)
        .await
        .map_err(AppError::internal)?;
    let mut row: user::ActiveModel = user.into();
    row.totp_enabled = Set(true);
    row.updated_at = Set(Utc::now());
    row.update(&txn).await.map_err(AppError::internal)?;
    let ev = super::event_types::TOTP_ENABLED.event(
        None,
        &super::event_types::UserRef {
            user_id: user_id.to_string(),
        },
    );
    events::commit_with(state, txn, &actor, vec![ev]).await?;
    Ok(())
}

async fn find_account(state: &AppState, user_id: &str) -> AppResult<user::Model> {
    user::Entity::find_by_id(user_id.to_string())
        .one(&state.db)
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::not_found("账号"))
}

/// Revokes the session server-side: the cookie stops working at once (the
/// event also drops every instance's cached copy of the session).
pub async fn logout(state: &AppState, user: &CurrentUser) -> AppResult<()> {
    let txn = crate::db::begin_write(&state.db)
        .await
        .map_err(AppError::internal)?;
    session::Entity::update_many()
        .col_expr(
            session::Column::Revoked,
            sea_orm::sea_query::Expr::value(true),
        )
        .filter(session::Column::Id.eq(&user.session_id))
        .exec(&txn)
        .await
        .map_err(AppError::internal)?;
    let ev = super::event_types::SESSION_ENDED.event(
        user.hall_id.as_deref(),
        &super::event_types::UserRef {
            user_id: user.id.clone(),
        },
    );
    events::commit_with(state, txn, &user.actor(), vec![ev]).await
}

/// Changes the password; every other session of the account ends (whoever
/// knew the old password is signed out), `keep_session` goes on.
pub async fn change_password(
    state: &AppState,
    user_id: &str,
    keep_session: &str,
    current: &str,
    new_password: &str,
) -> AppResult<()> {
    let user = user::Entity::find_by_id(user_id.to_string())
        .one(&state.db)
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::not_found("账号"))?;
    if !verify_blocking(current.to_string(), user.password_hash.clone()).await {
        return Err(AppError::field("current_password", "当前密码不正确"));
    }
    if let Some(problem) = password::policy_problem(new_password, &user.username) {
        return Err(AppError::field("new_password", problem));
    }
    // The current password and the ones before it (five in all) may not be reused.
    let history = password_history::Entity::find()
        .filter(password_history::Column::UserId.eq(user_id))
        .order_by_desc(password_history::Column::CreatedAt)
        .all(&state.db)
        .await
        .map_err(AppError::internal)?;
    let mut recent: Vec<String> = vec![user.password_hash.clone()];
    recent.extend(
        history
            .iter()
            .take(REUSE_WINDOW - 1)
            .map(|h| h.password_hash.clone()),
    );
    for old in recent {
        if verify_blocking(new_password.to_string(), old).await {
            return Err(AppError::field(
                "new_password",
                format!("新密码不能与最近 {REUSE_WINDOW} 次使用过的密码相同"),
            ));
        }
    }
    let hash = hash_blocking(new_password.to_string()).await?;
    let txn = crate::db::begin_write(&state.db)
        .await
        .map_err(AppError::internal)?;
    let actor = Actor {
        id: Some(user.id.clone()),
        name: user.display_name.clone(),
    };
    let hall_id = user.hall_id.clone();
    let now = Utc::now();
    password_history::ActiveModel {
        id: Set(new_id().to_string()),
        user_id: Set(user.id.clone()),
        password_hash: Set(user.password_hash.clone()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(AppError::internal)?;
    // Keep only what the reuse rule needs.
    let stale: Vec<String> = history
        .iter()
        .skip(REUSE_WINDOW - 2)
        .map(|h| h.id.clone())
        .collect();
    if !stale.is_empty() {
        password_history::Entity::delete_many()
            .filter(password_history::Column::Id.is_in(stale))
            .exec(&txn)
            .await
            .map_err(AppError::internal)?;
    }
    let mut row: user::ActiveModel = user.into();
    row.password_hash = Set(hash);
    row.must_change_password = Set(false);
    row.password_changed_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(AppError::internal)?;
    let ended = session::Entity::update_many()
        .col_expr(
            session::Column::Revoked,
            sea_orm::sea_query::Expr::value(true),
        )
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.ne(keep_session))
        .filter(session::Column::Revoked.eq(false))
        .exec(&txn)
        .await
        .map_err(AppError::internal)?
        .rows_affected;
    let ev = super::event_types::PASSWORD_CHANGED.event(
        hall_id.as_deref(),
        &super::event_types::PasswordChanged {
            user_id: user_id.to_string(),
            other_sessions_ended: ended,
        },
    );
    events::commit_with(state, txn, &actor, vec![ev]).await?;
    Ok(())
}

/// How many accounts are bound to a staff member (a staff member with an
/// account is not deleted). `db` may be the caller's transaction.
pub async fn accounts_of_staff<C: sea_orm::ConnectionTrait>(
    db: &C,
    staff_id: &str,
) -> AppResult<u64> {
    use crate::db::DbResultExt;
    use sea_orm::PaginatorTrait;
    user::Entity::find()
        .filter(user::Column::StaffId.eq(staff_id))
        .count(db)
        .await
        .db_err()
}

/// An account as other modules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRef {
    pub id: String,
    pub display_name: String,
    /// The directory's staff member behind the account.
    pub staff_id: Option<String>,
}

/// Disables every enabled account of a member of staff (their sessions end
/// at once); answers how many. HR calls it when someone has left.
pub async fn disable_staff_accounts(
    state: &AppState,
    actor: &Actor,
    staff_id: &str,
) -> AppResult<usize> {
    let accounts = user::Entity::find()
        .filter(user::Column::StaffId.eq(staff_id))
        .filter(user::Column::Disabled.eq(false))
        .all(&state.db)
        .await
        .map_err(AppError::internal)?;
    let n = accounts.len();
    for a in accounts {
        super::accounts::set_account_disabled(state, actor, a, true).await?;
    }
    Ok(n)
}

/// The account name is in use already.
pub async fn username_taken<C: sea_orm::ConnectionTrait>(
    db: &C,
    username: &str,
) -> AppResult<bool> {
    Ok(user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await
        .map_err(AppError::internal)?
        .is_some())
}

/// A one-time password that meets the policy (changed at the first sign-in).
pub fn one_time_password() -> String {
    password::generate_one_time()
}

/// A member of staff's accounts: (how many, how many disabled).
pub async fn staff_account_count<C: sea_orm::ConnectionTrait>(
    db: &C,
    staff_id: &str,
) -> AppResult<(usize, usize)> {
    let all = user::Entity::find()
        .filter(user::Column::StaffId.eq(staff_id))
        .all(db)
        .await
        .map_err(AppError::internal)?;
    Ok((all.len(), all.iter().filter(|u| u.disabled).count()))
}

/// The account bound to a staff member, if any (the first, when several are).
pub async fn account_of_staff<C: sea_orm::ConnectionTrait>(
    db: &C,
    staff_id: &str,
) -> AppResult<Option<AccountRef>> {
    use crate::db::DbResultExt;
    use sea_orm::QueryOrder;
    Ok(user::Entity::find()
        .filter(user::Column::StaffId.eq(staff_id))
        .order_by_asc(user::Column::CreatedAt)
        .one(db)
        .await
        .db_err()?
        .map(|u| AccountRef {
            id: u.id,
            display_name: u.display_name,
            staff_id: u.staff_id,
        }))
}

/// The hall's accounts that hold a built-in role (e.g. the 培训学员 the
/// training module counts beside the staff), by name.
pub async fn accounts_with_role<C: sea_orm::ConnectionTrait>(
    db: &C,
    hall_id: &str,
    role: crate::auth::Role,
) -> AppResult<Vec<AccountRef>> {
    use crate::db::DbResultExt;
    use sea_orm::QueryOrder;
    Ok(user::Entity::find()
        .filter(user::Column::HallId.eq(hall_id))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .filter(|u| u.roles.split(',').any(|r| r == role.code()))
        .map(|u| AccountRef {
            id: u.id,
            display_name: u.display_name,
            staff_id: u.staff_id,
        })
        .collect())
}

/// These accounts, by id (unknown ids are left out). `db` may be the caller's transaction.
pub async fn accounts<C: sea_orm::ConnectionTrait>(
    db: &C,
    ids: &[String],
) -> AppResult<std::collections::HashMap<String, AccountRef>> {
    use crate::db::DbResultExt;
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().cloned()))
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(|u| {
            let a = AccountRef {
                id: u.id,
                display_name: u.display_name,
                staff_id: u.staff_id,
            };
            (a.id.clone(), a)
        })
        .collect())
}
