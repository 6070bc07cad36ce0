//! 签到/签退: a clerk signs in at one window at a time, and only the clerk
//! signed in at a window may pause or resume it. The queue module's window
//! actions (call, recall, finish …) will use the same guard.

use super::{
    entity::{window, window_session},
    events, find_in_hall, hall_for,
    windows::{WindowDto, names, to_dto},
};
use axum::{
    Json,
    extract::{Path, State},
};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::events::commit_with;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
    auth::CurrentUser,
    db::{DbResultExt, is_unique_violation},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in))
        .routes(routes!(sign_out))
        .routes(routes!(set_state))
        .routes(routes!(my_window))
}

/// 暂停原因
pub const PAUSE_REASONS: &[(&str, &str)] = &[
    ("休息", "休息"),
    ("会议", "会议"),
    ("暂离", "暂离"),
    ("培训", "培训"),
];

#[derive(Debug, Serialize, ToSchema)]
pub struct WindowSessionDto {
    pub window: WindowDto,
    pub started_at: DateTime<Utc>,
}

async fn open_session_of_window(
    txn: &DatabaseTransaction,
    window_id: &str,
) -> AppResult<Option<window_session::Model>> {
    window_session::Entity::find()
        .filter(window_session::Column::WindowId.eq(window_id))
        .filter(window_session::Column::EndedAt.is_null())
        .one(txn)
        .await
        .db_err()
}

async fn open_session_of_user<C: sea_orm::ConnectionTrait>(
    conn: &C,
    user_id: &str,
) -> AppResult<Option<window_session::Model>> {
    window_session::Entity::find()
        .filter(window_session::Column::UserId.eq(user_id))
        .filter(window_session::Column::EndedAt.is_null())
        .one(conn)
        .await
        .db_err()
}

async fn end(txn: &DatabaseTransaction, s: window_session::Model) -> AppResult<()> {
    let mut row: window_session::ActiveModel = s.into();
    row.ended_at = Set(Some(Utc::now()));
    row.update(txn).await.db_err()?;
    Ok(())
}

/// The only door to acting on a window: the caller must be signed in at it.
pub async fn ensure_signed_in_at(
    state: &AppState,
    user: &CurrentUser,
    window_id: &str,
) -> AppResult<()> {
    match open_session_of_user(&state.read, &user.id).await? {
        Some(s) if s.window_id == window_id => Ok(()),
        _ => Err(not_signed_in()),
    }
}

/// A check another module makes before a member of staff signs in at a
/// window (HR: not on a day of approved leave, only at windows they are
/// authorised for); an error refuses the sign-in with its message.
pub type SignInCheck =
    for<'a> fn(&'a AppState, &'a SignInAttempt) -> futures::future::BoxFuture<'a, AppResult<()>>;

/// Who signs in where, for a [`SignInCheck`].
pub struct SignInAttempt {
    pub hall_id: String,
    pub window_id: String,
    pub window_name: String,
    pub staff_id: String,
}

#[derive(Clone, Default)]
struct SignInChecks(std::sync::Arc<Vec<SignInCheck>>);

/// Adds a check to every window sign-in (at start-up, from a module's `open`).
pub fn add_sign_in_check(state: &AppState, check: SignInCheck) {
    let mut checks: Vec<SignInCheck> = state
        .extension::<SignInChecks>()
        .map(|c| c.0.as_ref().clone())
        .unwrap_or_default();
    checks.push(check);
    state.insert_extension(SignInChecks(std::sync::Arc::new(checks)));
}

/// Refusal of an action at a window the caller is not signed in at.
pub fn not_signed_in() -> AppError {
    AppError::Forbidden("只能操作本人签到的窗口，请先在该窗口签到".into())
}

/// Sign in at a window (leaving any other window first).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/windows/{id}/sign-in", security(("govhall" = ["queue.operate"])), tag = "windows",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = WindowSessionDto), (status = 409, body = ErrorBody)))]
async fn sign_in(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<WindowSessionDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::WINDOW_WORK).await?;
    let w = find_in_hall::<window::Entity>(&state, window::Column::HallId, &hall.id, &id, "窗口")
        .await?;
    // Looked up before the transaction: a handler holding a transaction must not wait for a second connection.
    let names = names(&state, &hall.id).await?;
    if w.status == "closed" {
        return Err(AppError::Conflict {
            message: format!("{}已关闭，不能签到", w.name),
            fields: vec![],
        }
        .into());
    }
    if let (Some(staff_id), Some(checks)) = (&user.staff_id, state.extension::<SignInChecks>()) {
        let attempt = SignInAttempt {
            hall_id: hall.id.clone(),
            window_id: w.id.clone(),
            window_name: w.name.clone(),
            staff_id: staff_id.clone(),
        };
        for check in checks.0.iter() {
            check(&state, &attempt).await?;
        }
    }
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    if let Some(other) = open_session_of_window(&txn, &w.id)
        .await?
        .filter(|s| s.user_id != user.id)
    {
        let who = govhall_platform::auth::service::accounts(&txn, &[other.user_id])
            .await?
            .into_values()
            .next()
            .map(|a| a.display_name)
            .unwrap_or_default();
        return Err(AppError::Conflict {
            message: format!("{}已由{who}签到，请选择其他窗口", w.name),
            fields: vec![],
        }
        .into());
    }
    if let Some(previous) = open_session_of_user(&txn, &user.id).await? {
        if previous.window_id == w.id {
            return Ok(Json(WindowSessionDto {
                window: to_dto(w, &names),
                started_at: previous.started_at,
            }));
        }
        end(&txn, previous).await?;
    }
    let started_at = Utc::now();
    let inserted = window_session::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall.id.clone()),
        window_id: Set(w.id.clone()),
        user_id: Set(user.id.clone()),
        started_at: Set(started_at),
        ended_at: Set(None),
    }
    .insert(&txn)
    .await;
    if let Err(e) = inserted {
        // Another clerk signed in between our check and our write.
        return Err(if is_unique_violation(&e) {
            AppError::Conflict {
                message: format!("{}刚刚已由他人签到，请选择其他窗口", w.name),
                fields: vec![],
            }
        } else {
            AppError::internal(e)
        }
        .into());
    }
    let dto = to_dto(w, &names);
    let ev = events::WINDOW_SIGNED_IN.event(
        Some(&hall.id),
        &events::WindowSignedIn {
            window_id: dto.id.clone(),
            code: dto.code.clone(),
            name: dto.name.clone(),
            user_id: user.id.clone(),
            staff_name: user.display_name.clone(),
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(Json(WindowSessionDto {
        window: dto,
        started_at,
    }))
}

/// Sign out of the window.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/windows/{id}/sign-out", security(("govhall" = ["queue.operate"])), tag = "windows",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = WindowDto), (status = 403, body = ErrorBody)))]
async fn sign_out(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<WindowDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::WINDOW_WORK).await?;
    let w = find_in_hall::<window::Entity>(&state, window::Column::HallId, &hall.id, &id, "窗口")
        .await?;
    let names = names(&state, &hall.id).await?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let Some(session) = open_session_of_user(&txn, &user.id)
        .await?
        .filter(|s| s.window_id == w.id)
    else {
        return Err(AppError::Forbidden("您没有在该窗口签到".into()).into());
    };
    end(&txn, session).await?;
    let dto = to_dto(w, &names);
    let ev = events::WINDOW_SIGNED_OUT.event(
        Some(&hall.id),
        &events::WindowSignedOut {
            window_id: dto.id.clone(),
            code: dto.code.clone(),
            user_id: user.id.clone(),
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(Json(dto))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct WindowStateRequest {
    /// `open` (恢复) or `paused` (暂停)
    pub status: String,
    /// Required when pausing: 休息 / 会议 / 暂离 / 培训
    pub reason: Option<String>,
}

/// Pause (with a reason) or resume the window one is signed in at.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/windows/{id}/state", security(("govhall" = ["queue.operate"])), tag = "windows", request_body = WindowStateRequest,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = WindowDto), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_state(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(req): ApiJson<WindowStateRequest>,
) -> ApiResult<Json<WindowDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::WINDOW_WORK).await?;
    let w = find_in_hall::<window::Entity>(&state, window::Column::HallId, &hall.id, &id, "窗口")
        .await?;
    let mut c = Checker::new();
    c.one_of(
        "status",
        "窗口状态",
        &req.status,
        &[("open", "恢复服务"), ("paused", "暂停服务")],
    );
    let reason = req
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if req.status == "paused" {
        match reason {
            Some(r) => c.one_of("reason", "暂停原因", r, PAUSE_REASONS),
            None => c.fail("reason", "暂停时必须选择原因（休息、会议、暂离或培训）"),
        }
    }
    c.finish()?;
    ensure_signed_in_at(&state, &user, &w.id).await?;
    let names = names(&state, &hall.id).await?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let mut row: window::ActiveModel = w.into();
    row.status = Set(req.status.clone());
    row.pause_reason = Set(if req.status == "paused" {
        reason.map(str::to_string)
    } else {
        None
    });
    row.updated_at = Set(Utc::now());
    let dto = to_dto(row.update(&txn).await?, &names);
    let kind = if req.status == "paused" {
        &events::WINDOW_PAUSED
    } else {
        &events::WINDOW_RESUMED
    };
    let ev = kind.event(Some(&hall.id), &dto);
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(Json(dto))
}

/// The window the caller is signed in at, if any.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/my-window", security(("govhall" = ["queue.operate"])), tag = "windows",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Option<WindowSessionDto>)))]
async fn my_window(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Option<WindowSessionDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::WINDOW_WORK).await?;
    let Some(s) = open_session_of_user(&state.db, &user.id)
        .await?
        .filter(|s| s.hall_id == hall.id)
    else {
        return Ok(Json(None));
    };
    let w = find_in_hall::<window::Entity>(
        &state,
        window::Column::HallId,
        &hall.id,
        &s.window_id,
        "窗口",
    )
    .await?;
    Ok(Json(Some(WindowSessionDto {
        window: to_dto(w, &names(&state, &hall.id).await?),
        started_at: s.started_at,
    })))
}
