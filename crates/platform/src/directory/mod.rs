//! The hall directory: halls, areas/floors, departments, windows and staff.
//! Every later module (queues, cases, HR) refers to these rows by id.

pub mod areas;
pub mod departments;
pub mod entity;
pub mod halls;
pub mod model;
pub mod public;
pub mod staff;
pub mod windows;

use crate::{
    AppState,
    auth::{CurrentUser, Permission},
    db::DbResultExt,
};
use entity::hall;
use govhall_kernel::{AppError, error::AppResult};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(halls::router())
        .merge(areas::router())
        .merge(departments::router())
        .merge(windows::router())
        .merge(staff::router())
        .merge(public::router())
}

/// Finds a hall by id or by its code (URLs may use either).
pub async fn find_hall(state: &AppState, key: &str) -> AppResult<hall::Model> {
    let by_id = hall::Entity::find_by_id(key.to_string())
        .one(&state.db)
        .await
        .db_err()?;
    let found = match by_id {
        Some(h) => Some(h),
        None => hall::Entity::find()
            .filter(hall::Column::Code.eq(key))
            .one(&state.db)
            .await
            .db_err()?,
    };
    found.ok_or_else(|| AppError::not_found("大厅"))
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
