//! The hall directory: halls, areas/floors, departments, windows, staff, who
//! works at which window, and the working-day calendar. Every later module
//! (queues, cases, HR, training) refers to these by id, through the service
//! functions here; the tables are the directory's own.

pub mod areas;
pub mod calendar;
pub mod departments;
mod entity;
pub mod events;
pub mod hall_faqs;
pub mod halls;
mod migrations;
pub mod model;
pub mod permissions;
pub mod public;
mod records;
pub mod service;
pub mod staff;
pub mod staff_photos;
pub mod window_sessions;
pub mod windows;
pub mod words;

use entity::hall;
use futures::future::BoxFuture;
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{
    AppState,
    auth::{CurrentUser, Permission},
    cache::Cache,
    db::DbResultExt,
    halls::HallRef,
    state::CACHE_TTL,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;

pub use service::{Department, Hall, Staff, Window, WindowSession};

// The platform's helpers every directory page uses.
pub(crate) use govhall_platform::{
    api::{fetch_page, refuse_if_referenced},
    db::contains,
    events::commit_with,
};

/// The hall directory: halls, areas, departments, windows, staff, who works
/// at which window, staff photos, and the working-day calendar.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "directory",
    label: "大厅目录",
    // Its first tables came with the platform's first migrations.
    migrate: govhall_platform::migrate_fn!(migrate),
    open: Some(govhall_platform::hook_fn!(open)),
    router: || router().merge(crate::calendar::http::router()),
    audited_reads: &[],
    tags: &[
        ("directory", "大厅目录：大厅、区域、部门、窗口、人员"),
        ("windows", "窗口签到、签退、暂停与恢复"),
        ("calendar", "工作日历"),
    ],
    tasks: None,
    permissions: permissions::PERMISSIONS,
    personal_data: &[govhall_platform::keys::EncryptedTable {
        label: "人员手机号",
        table: "staff",
        key: "id",
        columns: &["phone_enc"],
        indexes: &[("phone_idx", &["phone_enc"])],
    }],
    cleared_on_key_rotation: &[],
    demo: None,
    words: words::WORDS,
    events: events::EVENTS,
    notices: &[],
};

/// Brings the directory's own tables up to date.
pub async fn migrate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm_migration::MigratorTrait;
    migrations::Migrator::up(db, None)
        .await
        .map_err(|e| anyhow::anyhow!("大厅目录数据迁移失败：{e}"))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(halls::router())
        .merge(areas::router())
        .merge(departments::router())
        .merge(windows::router())
        .merge(staff::router())
        .merge(staff_photos::router())
        .merge(window_sessions::router())
        .merge(public::router())
        .merge(hall_faqs::router())
}

/// Halls by id or code, kept per process and dropped by any `directory.hall.`
/// event: a hall is resolved on nearly every request.
struct HallCache(Cache<hall::Model>);

/// Registers the directory's services: how the platform resolves a hall key,
/// and the per-process copies of the halls and the calendar.
async fn open(state: &AppState) -> anyhow::Result<()> {
    state.insert_extension(Arc::new(HallCache(Cache::new(
        &state.bus,
        &["directory.hall."],
        CACHE_TTL,
    ))));
    calendar::register(state);
    let _ = state.hall_resolver.set(resolve);
    Ok(())
}

fn resolve<'a>(state: &'a AppState, key: &'a str) -> BoxFuture<'a, AppResult<Option<HallRef>>> {
    Box::pin(async move {
        match find_hall(state, key).await {
            Ok(h) => Ok(Some(HallRef {
                id: h.id,
                code: h.code,
                name: h.name,
            })),
            Err(AppError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    })
}

/// The hall row by id or by its code (URLs may use either).
pub(crate) async fn find_hall(state: &AppState, key: &str) -> AppResult<hall::Model> {
    let cache = state
        .extension::<Arc<HallCache>>()
        .ok_or_else(|| AppError::internal("大厅目录未启动"))?;
    if let Some(hall) = cache.0.get(key) {
        return Ok(hall);
    }
    let ticket = cache.0.ticket();
    let hall = hall::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(hall::Column::Id.eq(key))
                .add(hall::Column::Code.eq(key)),
        )
        .one(&state.read)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("大厅"))?;
    cache.0.put(ticket, key, hall.clone());
    Ok(hall)
}

/// The hall row named in the path, after checking the user's permission and hall scope.
pub(crate) async fn hall_for(
    state: &AppState,
    user: &CurrentUser,
    key: &str,
    perm: Permission,
) -> AppResult<hall::Model> {
    user.require(perm)?;
    let hall = find_hall(state, key).await?;
    user.ensure_hall(&hall.id)?;
    Ok(hall)
}

/// The row `id` of entity `E`, provided it belongs to the hall; `what` names it in the 404.
pub(crate) async fn find_in_hall<E>(
    state: &AppState,
    hall_column: E::Column,
    hall_id: &str,
    id: &str,
    what: &str,
) -> AppResult<E::Model>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<String>,
{
    E::find_by_id(id.to_string())
        .filter(hall_column.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found(what))
}
