//! The hall directory: halls, areas/floors, departments, windows and staff.
//! Every later module (queues, cases, HR) refers to these rows by id.

pub mod areas;
pub mod departments;
pub mod entity;
pub mod halls;
pub mod model;
pub mod permissions;
pub mod public;
pub mod staff;
pub mod staff_photos;
pub mod window_sessions;
pub mod windows;

use crate::{
    AppState,
    api::{Page, PageQuery},
    auth::{CurrentUser, Permission},
    db::DbResultExt,
    events::{Actor, NewEvent, commit_with},
};
use entity::hall;
use govhall_kernel::{AppError, error::AppResult};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use utoipa_axum::router::OpenApiRouter;

/// The hall directory: halls, areas, departments, windows, staff, who works
/// at which window, staff photos, and the working-day calendar.
pub static MODULE: crate::module::Module = crate::module::Module {
    name: "directory",
    label: "大厅目录",
    // Its tables came with the platform's first migrations.
    migrate: crate::migrate_fn!(no_migrations),
    open: None,
    router: || router().merge(crate::calendar::http::router()),
    access: &[
        ACCESS,
        window_sessions::ACCESS,
        staff_photos::ACCESS,
        crate::calendar::http::ACCESS,
    ],
    tags: &[
        ("directory", "大厅目录：大厅、区域、部门、窗口、人员"),
        ("windows", "窗口签到、签退、暂停与恢复"),
        ("calendar", "工作日历"),
    ],
    tasks: None,
    permissions: permissions::PERMISSIONS,
    personal_data: &[crate::keys::EncryptedTable {
        label: "人员手机号",
        table: "staff",
        key: "id",
        columns: &["phone_enc"],
        indexes: &[("phone_idx", &["phone_enc"])],
    }],
    cleared_on_key_rotation: &[],
    demo: None,
};

async fn no_migrations(_: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    Ok(())
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
}

use crate::access::{Access, RouteAccess};
const READ: Access = Access::Permission(permissions::READ);
const EDIT: Access = Access::Permission(permissions::EDIT);

/// Who may call the directory endpoints.
pub const ACCESS: &[RouteAccess] = &[
    ("GET", "/api/v1/halls", READ),
    (
        "POST",
        "/api/v1/halls",
        Access::Permission(permissions::HALLS_EDIT),
    ),
    ("GET", "/api/v1/halls/{hall}", READ),
    ("PUT", "/api/v1/halls/{hall}", EDIT),
    ("GET", "/api/v1/halls/{hall}/areas", READ),
    ("POST", "/api/v1/halls/{hall}/areas", EDIT),
    ("PUT", "/api/v1/halls/{hall}/areas/{id}", EDIT),
    ("DELETE", "/api/v1/halls/{hall}/areas/{id}", EDIT),
    ("GET", "/api/v1/halls/{hall}/departments", READ),
    ("POST", "/api/v1/halls/{hall}/departments", EDIT),
    ("PUT", "/api/v1/halls/{hall}/departments/{id}", EDIT),
    ("DELETE", "/api/v1/halls/{hall}/departments/{id}", EDIT),
    ("GET", "/api/v1/halls/{hall}/windows", READ),
    ("POST", "/api/v1/halls/{hall}/windows", EDIT),
    ("PUT", "/api/v1/halls/{hall}/windows/{id}", EDIT),
    ("DELETE", "/api/v1/halls/{hall}/windows/{id}", EDIT),
    ("GET", "/api/v1/halls/{hall}/staff", READ),
    ("POST", "/api/v1/halls/{hall}/staff", EDIT),
    ("PUT", "/api/v1/halls/{hall}/staff/{id}", EDIT),
    ("DELETE", "/api/v1/halls/{hall}/staff/{id}", EDIT),
    ("GET", "/api/v1/public/halls", Access::Public),
    ("GET", "/api/v1/public/halls/{hall}", Access::Public),
];

/// Finds a hall by id or by its code (URLs may use either).
pub async fn find_hall(state: &AppState, key: &str) -> AppResult<hall::Model> {
    // This runs on nearly every request: served from the per-process copy.
    if let Some(hall) = state.halls.get(key) {
        return Ok(hall);
    }
    let ticket = state.halls.ticket();
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
    state.halls.put(ticket, key, hall.clone());
    Ok(hall)
}

/// The hall named in the path, after checking the user's permission and hall scope.
pub async fn hall_for(
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

/// A `LIKE '%q%'` with `%` and `_` escaped, so a search for "50%" matches literally.
pub fn contains(q: &str) -> sea_orm::sea_query::LikeExpr {
    let escaped = q
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// Records a directory change in `txn` (the payload is the row as the API shows
/// it, so never plaintext personal data) and commits.
pub(crate) async fn commit_change(
    state: &AppState,
    txn: sea_orm::DatabaseTransaction,
    actor: &Actor,
    hall_id: &str,
    event_type: &str,
    payload: impl serde::Serialize,
) -> AppResult<()> {
    let ev = NewEvent::new(
        Some(hall_id),
        event_type,
        serde_json::to_value(payload).unwrap_or_default(),
    );
    commit_with(state, txn, actor, vec![ev]).await
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

/// One page of `query`.
pub async fn fetch_page<E>(
    state: &AppState,
    query: sea_orm::Select<E>,
    paging: &PageQuery,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let (page, page_size) = paging.normalized();
    let pages = query.paginate(&state.db, page_size);
    let total = pages.num_items().await.db_err()?;
    let items = pages.fetch_page(page - 1).await.db_err()?;
    Ok(Page {
        items,
        total,
        page,
        page_size,
    })
}

/// Refuses a delete while other rows still refer to the one being deleted.
pub(crate) fn refuse_if_referenced(
    references: u64,
    message: impl FnOnce() -> String,
) -> AppResult<()> {
    if references == 0 {
        Ok(())
    } else {
        Err(AppError::Conflict {
            message: message(),
            fields: vec![],
        })
    }
}
