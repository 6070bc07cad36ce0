//! Devices in the hall — 取号机, 叫号屏, camera boxes — sign in with their own
//! revocable bearer tokens, each bound to one hall and one purpose. A device
//! acts with the permissions of its purpose only, inside its hall only.

use super::session::CurrentUser;
use crate::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
    db::DbResultExt,
    events::Actor,
    events::commit_with,
    halls::hall_for,
};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{DateTime, Duration, Utc};
use govhall_kernel::{AppError, crypto::sm3_hex, error::AppResult, new_id, validate::Checker};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "devices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// kiosk | screen | camera
        pub purpose: String,
        pub name: String,
        /// SM3 of the bearer token; the token itself is shown once and never stored.
        pub token_hash: String,
        pub revoked: bool,
        pub created_at: DateTimeUtc,
        pub last_seen_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 设备用途 and what each may do.
pub const PURPOSES: &[(&str, &str)] = &[
    ("kiosk", "取号机"),
    ("screen", "叫号屏/窗口屏"),
    ("camera", "AI 摄像头盒子"),
    ("dashboard", "数据大屏"),
];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_devices, create_device))
        .routes(routes!(revoke_device))
}

/// The principal a valid device token stands for.
pub async fn authenticate(state: &AppState, token: &str) -> AppResult<Option<CurrentUser>> {
    let token_hash = sm3_hex(token.as_bytes());
    let key = format!("device:{token_hash}");
    if let Some(device) = state.principals.get(&key) {
        return Ok(Some(device));
    }
    let ticket = state.principals.ticket();
    let found = load(state, token_hash).await?;
    if let Some(device) = &found {
        state.principals.put(ticket, &key, device.clone());
    }
    Ok(found)
}

/// The device's principal from the database, `None` when unknown or revoked.
async fn load(state: &AppState, token_hash: String) -> AppResult<Option<CurrentUser>> {
    let Some(device) = entity::Entity::find()
        .filter(entity::Column::TokenHash.eq(token_hash))
        .one(&state.read)
        .await
        .db_err()?
    else {
        return Ok(None);
    };
    if device.revoked {
        return Ok(None);
    }
    let now = Utc::now();
    // Record liveness at most once a minute.
    if device
        .last_seen_at
        .is_none_or(|t| now - t > Duration::seconds(60))
    {
        let mut row: entity::ActiveModel = device.clone().into();
        row.last_seen_at = Set(Some(now));
        row.update(&state.db).await.db_err()?;
    }
    Ok(Some(CurrentUser {
        id: device.id,
        username: format!("device:{}", device.purpose),
        display_name: format!("设备：{}", device.name),
        roles: vec![],
        permissions: crate::auth::permissions::of_device(&device.purpose),
        hall_id: Some(device.hall_id),
        must_change_password: false,
        must_enroll_totp: false,
        totp_enabled: false,
        session_id: String::new(),
        staff_id: None,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceDto {
    pub id: String,
    pub hall_id: String,
    pub purpose: String,
    pub purpose_label: String,
    pub name: String,
    pub revoked: bool,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
}

impl DeviceDto {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: entity::Model) -> Self {
        DeviceDto {
            purpose_label: crate::api::label(PURPOSES, &m.purpose).into(),
            id: m.id,
            hall_id: m.hall_id,
            purpose: m.purpose,
            name: m.name,
            revoked: m.revoked,
            created_at: m.created_at,
            last_seen_at: m.last_seen_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewDeviceRequest {
    pub name: String,
    /// kiosk | screen | camera
    pub purpose: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewDeviceResponse {
    pub device: DeviceDto,
    /// The bearer token, shown only now: configure it on the device.
    pub token: String,
}

/// Registers a device and returns its token (CLI and API share this).
pub async fn register(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    req: &NewDeviceRequest,
) -> AppResult<NewDeviceResponse> {
    let mut c = Checker::new();
    let name = c.text("name", "设备名称", &req.name, 50);
    c.one_of("purpose", "设备用途", req.purpose.trim(), PURPOSES);
    c.finish()?;
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = format!("ghd_{}", hex::encode(raw));
    let txn = crate::db::begin_write(&state.db).await.db_err()?;
    let row = entity::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        purpose: Set(req.purpose.trim().to_string()),
        name: Set(name),
        token_hash: Set(sm3_hex(token.as_bytes())),
        revoked: Set(false),
        created_at: Set(Utc::now()),
        last_seen_at: Set(None),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let device = DeviceDto::from_row(row);
    let ev = super::event_types::DEVICE_REGISTERED.event(Some(hall_id), &device);
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(NewDeviceResponse { device, token })
}

/// Devices of a hall.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/devices", security(("govhall" = ["devices.manage"])), tag = "devices",
    params(("hall" = String, Path, description = "hall id or code")), responses((status = 200, body = Vec<DeviceDto>)))]
async fn list_devices(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<DeviceDto>>> {
    let hall = hall_for(
        &state,
        &user,
        &key,
        crate::auth::permissions::DEVICES_MANAGE,
    )
    .await?;
    let rows = entity::Entity::find()
        .filter(entity::Column::HallId.eq(&hall.id))
        .order_by_desc(entity::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(DeviceDto::from_row).collect()))
}

/// Register a device; the response carries its token once.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/devices", security(("govhall" = ["devices.manage"])), tag = "devices", request_body = NewDeviceRequest,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = NewDeviceResponse), (status = 422, body = ErrorBody)))]
async fn create_device(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(req): ApiJson<NewDeviceRequest>,
) -> ApiResult<(StatusCode, Json<NewDeviceResponse>)> {
    let hall = hall_for(
        &state,
        &user,
        &key,
        crate::auth::permissions::DEVICES_MANAGE,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(register(&state, &user.actor(), &hall.id, &req).await?),
    ))
}

/// Revoke a device's token: it stops working at once.
pub async fn revoke(state: &AppState, actor: &Actor, hall_id: &str, id: &str) -> AppResult<()> {
    let device = entity::Entity::find_by_id(id.to_string())
        .filter(entity::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("设备"))?;
    let txn = crate::db::begin_write(&state.db).await.db_err()?;
    let mut row: entity::ActiveModel = device.into();
    row.revoked = Set(true);
    let device = DeviceDto::from_row(row.update(&txn).await.db_err()?);
    let ev = super::event_types::DEVICE_REVOKED.event(Some(hall_id), &device);
    commit_with(state, txn, actor, vec![ev]).await
}

/// Revoke a device's token (it stops working at once).
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/devices/{id}", security(("govhall" = ["devices.manage"])), tag = "devices",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_device(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(
        &state,
        &user,
        &key,
        crate::auth::permissions::DEVICES_MANAGE,
    )
    .await?;
    revoke(&state, &user.actor(), &hall.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
