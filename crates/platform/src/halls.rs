//! Halls as the platform sees them: the scope of nearly every request. The
//! directory owns the halls; at start-up it registers how a hall key (its id
//! or its code) is resolved, and the platform and every module ask through
//! this door.

use crate::{
    AppState,
    auth::{CurrentUser, Permission},
};
use futures::future::BoxFuture;
use govhall_kernel::{AppError, error::AppResult};

/// A hall's identity: enough to scope a request and name the hall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HallRef {
    pub id: String,
    pub code: String,
    pub name: String,
}

/// Resolves a hall key (id or code), `None` when no hall has it.
pub type Resolve = for<'a> fn(&'a AppState, &'a str) -> BoxFuture<'a, AppResult<Option<HallRef>>>;

/// The hall with this id or code.
pub async fn find_hall(state: &AppState, key: &str) -> AppResult<HallRef> {
    let resolve = state
        .hall_resolver
        .get()
        .ok_or_else(|| AppError::internal("大厅目录未注册"))?;
    resolve(state, key)
        .await?
        .ok_or_else(|| AppError::not_found("大厅"))
}

/// The hall named in the path, after checking the user's permission and hall scope.
pub async fn hall_for(
    state: &AppState,
    user: &CurrentUser,
    key: &str,
    perm: Permission,
) -> AppResult<HallRef> {
    user.require(perm)?;
    let hall = find_hall(state, key).await?;
    user.ensure_hall(&hall.id)?;
    Ok(hall)
}
