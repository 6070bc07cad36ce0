//! Staff photos (工作人员照片) for the window screen: JPEG, PNG or WebP up to
//! 512 KB, recognised by their bytes rather than by what the upload claims.
//! Read by screens (devices with `events.read`) and hall staff.

use super::{
    commit_with,
    entity::{staff, staff_photo},
    find_in_hall, hall_for,
};
use crate::events;
use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{StatusCode, header},
    response::IntoResponse,
};
use chrono::Utc;
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiResult, ErrorBody},
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use utoipa_axum::{router::OpenApiRouter, routes};

const PHOTO_LIMIT: usize = 512 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(put_photo, delete_photo, get_photo))
        .layer(DefaultBodyLimit::max(PHOTO_LIMIT + 1024))
}

/// The image type by its first bytes.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', ..] => Some("image/png"),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some("image/webp"),
        _ => None,
    }
}

/// Upload (or replace) a staff member's photo: JPEG, PNG or WebP, at most 512 KB.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/staff/{id}/photo", security(("govhall" = ["directory.edit"])), tag = "directory",
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let member =
        find_in_hall::<staff::Entity>(&state, staff::Column::HallId, &hall.id, &id, "人员").await?;
    let Some(content_type) = image_type(&body) else {
        return Err(AppError::field("photo", "照片须为 JPEG、PNG 或 WebP 图片").into());
    };
    if body.len() > PHOTO_LIMIT {
        return Err(AppError::field("photo", "照片不能超过 512 KB").into());
    }
    let txn = begin_write(&state.db).await.db_err()?;
    staff_photo::Entity::delete_by_id(member.id.clone())
        .exec(&txn)
        .await
        .db_err()?;
    staff_photo::ActiveModel {
        staff_id: Set(member.id.clone()),
        content_type: Set(content_type.into()),
        body: Set(body.to_vec()),
        updated_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    commit_with(
        &state,
        txn,
        &user.actor(),
        vec![events::STAFF_PHOTO_SET.event(
            Some(&hall.id),
            &events::StaffPhoto {
                staff_id: member.id.clone(),
                employee_no: member.employee_no.clone(),
                bytes: Some(body.len()),
            },
        )],
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a staff member's photo.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/staff/{id}/photo", security(("govhall" = ["directory.edit"])), tag = "directory",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let member =
        find_in_hall::<staff::Entity>(&state, staff::Column::HallId, &hall.id, &id, "人员").await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let res = staff_photo::Entity::delete_by_id(member.id.clone())
        .exec(&txn)
        .await
        .db_err()?;
    if res.rows_affected == 0 {
        return Err(AppError::not_found("照片").into());
    }
    commit_with(
        &state,
        txn,
        &user.actor(),
        vec![events::STAFF_PHOTO_REMOVED.event(
            Some(&hall.id),
            &events::StaffPhoto {
                staff_id: member.id.clone(),
                employee_no: member.employee_no.clone(),
                bytes: None,
            },
        )],
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A staff member's photo.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/staff/{id}/photo", security(("govhall" = ["events.read"])), tag = "directory",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = ErrorBody)))]
async fn get_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<impl IntoResponse> {
    let hall = hall_for(
        &state,
        &user,
        &key,
        govhall_platform::auth::permissions::EVENTS_READ,
    )
    .await?;
    let member =
        find_in_hall::<staff::Entity>(&state, staff::Column::HallId, &hall.id, &id, "人员").await?;
    let photo = staff_photo::Entity::find_by_id(member.id)
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("照片"))?;
    Ok((
        [
            (header::CONTENT_TYPE, photo.content_type),
            (header::CACHE_CONTROL, "private, max-age=300".to_string()),
        ],
        photo.body,
    ))
}

/// Which of these staff members have a photo.
pub async fn with_photo(
    state: &AppState,
    staff_ids: impl IntoIterator<Item = String>,
) -> govhall_kernel::error::AppResult<std::collections::HashSet<String>> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    Ok(staff_photo::Entity::find()
        .select_only()
        .column(staff_photo::Column::StaffId)
        .filter(staff_photo::Column::StaffId.is_in(staff_ids))
        .into_tuple::<String>()
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::image_type;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(image_type(b"\x89PNG\r\n"), Some("image/png"));
        assert_eq!(image_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_type(b"GIF89a"), None);
    }
}
