//! The directory's four hall records — areas, departments, windows, staff —
//! live the same life: input checked (with a uniqueness rule), created,
//! updated and deleted inside the hall's scope, each step committed with its
//! typed event, a delete refused while something still refers to the record.
//! Each record says what differs (its checks, its columns, its references);
//! the steps, and the write endpoints (`write_routes!`), are written here once.

use govhall_kernel::{AppError, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, EventType, commit_with},
};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PrimaryKeyTrait, QueryFilter,
};
use serde::Serialize;

type Model<R> = <<R as Record>::Entity as EntityTrait>::Model;
type Active<R> = <<R as Record>::Entity as EntityTrait>::ActiveModel;

/// A record of a hall's directory.
pub(crate) trait Record {
    type Entity: EntityTrait;
    type Input: Sync;
    /// The input once checked, with what showing the row needs (names of areas, departments).
    type Checked: Send;
    type Dto: Serialize + Send;
    /// The deleted event's payload.
    type Removed: Serialize + Send;

    /// What it is called in messages (区域, 部门, 窗口, 人员).
    const WHAT: &'static str;
    const CREATED: EventType<Self::Dto>;
    const UPDATED: EventType<Self::Dto>;
    const DELETED: EventType<Self::Removed>;

    fn hall_column() -> <Self::Entity as EntityTrait>::Column;

    /// Checks the input; `except` is the record being updated (its own values do not clash).
    async fn check(
        state: &AppState,
        hall_id: &str,
        input: &Self::Input,
        except: Option<&str>,
    ) -> AppResult<Self::Checked>;

    /// A new row with its id, hall and creation time; `write` fills the rest.
    fn new_row(id: String, hall_id: &str, now: chrono::DateTime<chrono::Utc>) -> Active<Self>;

    /// Sets the checked values on the row, and its update time.
    fn write(state: &AppState, row: &mut Active<Self>, checked: &Self::Checked);

    fn dto(state: &AppState, row: Model<Self>, checked: &Self::Checked) -> Self::Dto;

    fn removed(row: &Model<Self>) -> Self::Removed;

    /// Refuses the delete while other rows refer to the record, and removes
    /// what goes with it, inside the deleting transaction.
    async fn before_delete(_txn: &DatabaseTransaction, _row: &Model<Self>) -> AppResult<()> {
        Ok(())
    }
}

/// The record `id`, provided it belongs to the hall.
async fn find<R: Record>(state: &AppState, hall_id: &str, id: &str) -> AppResult<Model<R>>
where
    <<R::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
{
    R::Entity::find_by_id(id.to_string())
        .filter(R::hall_column().eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found(R::WHAT))
}

pub(crate) async fn create<R: Record>(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &R::Input,
) -> AppResult<R::Dto>
where
    Active<R>: ActiveModelTrait<Entity = R::Entity> + ActiveModelBehavior + Send,
    Model<R>: IntoActiveModel<Active<R>>,
{
    let checked = R::check(state, hall_id, input, None).await?;
    let mut row = R::new_row(new_id().to_string(), hall_id, chrono::Utc::now());
    R::write(state, &mut row, &checked);
    let txn = begin_write(&state.db).await.db_err()?;
    let dto = R::dto(state, row.insert(&txn).await.db_err()?, &checked);
    let ev = R::CREATED.event(Some(hall_id), &dto);
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto)
}

pub(crate) async fn update<R: Record>(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    input: &R::Input,
) -> AppResult<R::Dto>
where
    Active<R>: ActiveModelTrait<Entity = R::Entity> + ActiveModelBehavior + Send,
    Model<R>: IntoActiveModel<Active<R>>,
    <<R::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
{
    let existing = find::<R>(state, hall_id, id).await?;
    let checked = R::check(state, hall_id, input, Some(id)).await?;
    let mut row = existing.into_active_model();
    R::write(state, &mut row, &checked);
    let txn = begin_write(&state.db).await.db_err()?;
    let dto = R::dto(state, row.update(&txn).await.db_err()?, &checked);
    let ev = R::UPDATED.event(Some(hall_id), &dto);
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto)
}

pub(crate) async fn delete<R: Record>(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
) -> AppResult<()>
where
    <<R::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
{
    let existing = find::<R>(state, hall_id, id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    R::before_delete(&txn, &existing).await?;
    R::Entity::delete_by_id(id.to_string())
        .exec(&txn)
        .await
        .db_err()?;
    let ev = R::DELETED.event(Some(hall_id), &R::removed(&existing));
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(())
}

/// The create, update and delete endpoints of a record, with their OpenAPI
/// descriptions: `write_routes!(Record, Input, Dto, "/collection", "/collection/{id}",
/// create_fn, update_fn, delete_fn, "添加…", "修改…", "删除…")`.
macro_rules! write_routes {
    ($record:ty, $input:ty, $dto:ty, $path:tt, $item_path:tt,
     $create:ident, $update:ident, $delete:ident,
     $create_doc:tt, $update_doc:tt, $delete_doc:tt) => {
        #[doc = $create_doc]
        #[utoipa::path(post, path = $path, security(("govhall" = ["directory.edit"])), tag = "directory", request_body = $input,
            params(("hall" = String, Path, description = "hall id or code")),
            responses((status = 201, body = $dto), (status = 409, body = govhall_platform::api::ErrorBody),
                (status = 422, body = govhall_platform::api::ErrorBody)))]
        async fn $create(
            axum::extract::State(state): axum::extract::State<govhall_platform::AppState>,
            user: govhall_platform::auth::CurrentUser,
            axum::extract::Path(key): axum::extract::Path<String>,
            govhall_platform::api::ApiJson(input): govhall_platform::api::ApiJson<$input>,
        ) -> govhall_platform::api::ApiResult<(axum::http::StatusCode, axum::Json<$dto>)> {
            let hall = crate::hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
            let dto =
                crate::records::create::<$record>(&state, &user.actor(), &hall.id, &input).await?;
            Ok((axum::http::StatusCode::CREATED, axum::Json(dto)))
        }

        #[doc = $update_doc]
        #[utoipa::path(put, path = $item_path, security(("govhall" = ["directory.edit"])), tag = "directory", request_body = $input,
            params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
            responses((status = 200, body = $dto), (status = 404, body = govhall_platform::api::ErrorBody),
                (status = 409, body = govhall_platform::api::ErrorBody),
                (status = 422, body = govhall_platform::api::ErrorBody)))]
        async fn $update(
            axum::extract::State(state): axum::extract::State<govhall_platform::AppState>,
            user: govhall_platform::auth::CurrentUser,
            axum::extract::Path((key, id)): axum::extract::Path<(String, String)>,
            govhall_platform::api::ApiJson(input): govhall_platform::api::ApiJson<$input>,
        ) -> govhall_platform::api::ApiResult<axum::Json<$dto>> {
            let hall = crate::hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
            let actor = user.actor();
            let dto =
                crate::records::update::<$record>(&state, &actor, &hall.id, &id, &input).await?;
            Ok(axum::Json(dto))
        }

        #[doc = $delete_doc]
        #[utoipa::path(delete, path = $item_path, security(("govhall" = ["directory.edit"])), tag = "directory",
            params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
            responses((status = 204), (status = 404, body = govhall_platform::api::ErrorBody),
                (status = 409, body = govhall_platform::api::ErrorBody)))]
        async fn $delete(
            axum::extract::State(state): axum::extract::State<govhall_platform::AppState>,
            user: govhall_platform::auth::CurrentUser,
            axum::extract::Path((key, id)): axum::extract::Path<(String, String)>,
        ) -> govhall_platform::api::ApiResult<axum::http::StatusCode> {
            let hall = crate::hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
            crate::records::delete::<$record>(&state, &user.actor(), &hall.id, &id).await?;
            Ok(axum::http::StatusCode::NO_CONTENT)
        }
    };
}
pub(crate) use write_routes;
