//! 人员: the hall's staff with 工号, department and position. Mobile numbers
//! are stored SM4-encrypted with an SM3-HMAC blind index and shown masked.

use super::{
    commit_with, contains,
    entity::{department, staff},
    fetch_page, find_in_hall, hall_for,
    model::{STAFF_POSITIONS, label},
    refuse_if_referenced,
};
use crate::events;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use govhall_kernel::{
    AppError,
    error::AppResult,
    mask::mask_phone,
    new_id,
    validate::{Checker, is_mobile_phone},
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody, Page, PageQuery},
    auth::CurrentUser,
    db::DbResultExt,
    events::Actor,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_staff, create_staff))
        .routes(routes!(update_staff, delete_staff))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct StaffInput {
    /// 工号, unique in the hall.
    pub employee_no: String,
    pub name: String,
    pub department_id: Option<String>,
    /// window_staff | dept_reviewer | center_admin | guide
    pub position: String,
    /// 11-digit mobile number. On update, a masked value (with `*`) keeps the stored number; empty removes it.
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffDto {
    pub id: String,
    pub hall_id: String,
    pub employee_no: String,
    pub name: String,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
    pub position: String,
    pub position_label: String,
    /// Masked, e.g. `138****5678`.
    pub phone_masked: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffFilter {
    /// Matches 工号 or name; a full 11-digit mobile number matches exactly.
    pub q: Option<String>,
    pub department_id: Option<String>,
    pub position: Option<String>,
}

async fn department_names(state: &AppState, hall_id: &str) -> AppResult<HashMap<String, String>> {
    Ok(department::Entity::find()
        .filter(department::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect())
}

fn to_dto(state: &AppState, m: staff::Model, departments: &HashMap<String, String>) -> StaffDto {
    let phone_masked = m.phone_enc.as_deref().map(|enc| {
        state
            .pii
            .decrypt(enc)
            .map(|p| mask_phone(&p))
            .unwrap_or_else(|_| "（无法解密）".into())
    });
    StaffDto {
        position_label: label(STAFF_POSITIONS, &m.position).into(),
        department_name: m
            .department_id
            .as_ref()
            .and_then(|id| departments.get(id).cloned()),
        phone_masked,
        id: m.id,
        hall_id: m.hall_id,
        employee_no: m.employee_no,
        name: m.name,
        department_id: m.department_id,
        position: m.position,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// What to do with the stored phone.
enum PhoneChange {
    Keep,
    Clear,
    Set(String),
}

struct Valid {
    employee_no: String,
    name: String,
    department_id: Option<String>,
    position: String,
    phone: PhoneChange,
}

async fn validate(
    state: &AppState,
    hall_id: &str,
    input: &StaffInput,
    except: Option<&str>,
    departments: &HashMap<String, String>,
) -> AppResult<Valid> {
    let mut c = Checker::new();
    let employee_no = c.text("employee_no", "工号", &input.employee_no, 20);
    c.check(
        employee_no
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-'),
        "employee_no",
        "工号只能包含字母、数字和短横线",
    );
    let name = c.text("name", "姓名", &input.name, 50);
    let department_id = input
        .department_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(id) = &department_id {
        c.check(
            departments.contains_key(id),
            "department_id",
            "所选部门不属于本大厅或已被删除",
        );
    }
    let position = if input.position.trim().is_empty() {
        "window_staff".into()
    } else {
        input.position.trim().to_string()
    };
    c.one_of("position", "岗位", &position, STAFF_POSITIONS);
    let phone = match input.phone.as_deref().map(str::trim) {
        None if except.is_some() => PhoneChange::Keep,
        None | Some("") => PhoneChange::Clear,
        Some(p) if p.contains('*') && except.is_some() => PhoneChange::Keep,
        Some(p) => {
            c.check(
                is_mobile_phone(p),
                "phone",
                "手机号应为以 1 开头的 11 位数字",
            );
            PhoneChange::Set(p.to_string())
        }
    };
    c.finish()?;
    let clash = staff::Entity::find()
        .filter(staff::Column::HallId.eq(hall_id))
        .filter(staff::Column::EmployeeNo.eq(&employee_no))
        .one(&state.db)
        .await
        .db_err()?;
    if let Some(other) = clash.filter(|s| Some(s.id.as_str()) != except) {
        return Err(AppError::duplicate(
            "employee_no",
            format!("工号“{employee_no}”已分配给{}", other.name),
        ));
    }
    Ok(Valid {
        employee_no,
        name,
        department_id,
        position,
        phone,
    })
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &StaffInput,
) -> AppResult<StaffDto> {
    let departments = department_names(state, hall_id).await?;
    let v = validate(state, hall_id, input, None, &departments).await?;
    let (phone_enc, phone_idx) = match &v.phone {
        PhoneChange::Set(p) => (Some(state.pii.encrypt(p)), Some(state.pii.blind_index(p))),
        _ => (None, None),
    };
    let now = Utc::now();
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .db_err()?;
    let row = staff::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        employee_no: Set(v.employee_no),
        name: Set(v.name),
        department_id: Set(v.department_id),
        position: Set(v.position),
        phone_enc: Set(phone_enc),
        phone_idx: Set(phone_idx),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let dto = to_dto(state, row, &departments);
    commit_with(
        state,
        txn,
        actor,
        vec![events::STAFF_CREATED.event(Some(hall_id), &dto)],
    )
    .await?;
    Ok(dto)
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<staff::Model> {
    find_in_hall::<staff::Entity>(state, staff::Column::HallId, hall_id, id, "人员").await
}

/// Staff of a hall with search, filters and paging (phones masked).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/staff", tag = "directory",
    params(("hall" = String, Path, description = "hall id or code"), StaffFilter, PageQuery),
    responses((status = 200, body = Page<StaffDto>), (status = 404, body = ErrorBody)))]
async fn list_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(filter): ApiQuery<StaffFilter>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<StaffDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let mut q = staff::Entity::find().filter(staff::Column::HallId.eq(&hall.id));
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        q = if is_mobile_phone(text) {
            q.filter(staff::Column::PhoneIdx.eq(state.pii.blind_index(text)))
        } else {
            q.filter(
                Condition::any()
                    .add(staff::Column::EmployeeNo.like(contains(text)))
                    .add(staff::Column::Name.like(contains(text))),
            )
        };
    }
    if let Some(d) = filter.department_id.filter(|s| !s.is_empty()) {
        q = q.filter(staff::Column::DepartmentId.eq(d));
    }
    if let Some(p) = filter.position.filter(|s| !s.is_empty()) {
        q = q.filter(staff::Column::Position.eq(p));
    }
    let rows = fetch_page(&state, q.order_by_asc(staff::Column::EmployeeNo), &paging).await?;
    let departments = department_names(&state, &hall.id).await?;
    Ok(Json(rows.map(|m| to_dto(&state, m, &departments))))
}

/// Add a staff member.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/staff", tag = "directory", request_body = StaffInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = StaffDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<StaffInput>,
) -> ApiResult<(StatusCode, Json<StaffDto>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    Ok((
        StatusCode::CREATED,
        Json(create(&state, &user.actor(), &hall.id, &input).await?),
    ))
}

/// Update a staff member.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/staff/{id}", tag = "directory", request_body = StaffInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = StaffDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<StaffInput>,
) -> ApiResult<Json<StaffDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let existing = find(&state, &hall.id, &id).await?;
    let departments = department_names(&state, &hall.id).await?;
    let v = validate(&state, &hall.id, &input, Some(&id), &departments).await?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let mut row: staff::ActiveModel = existing.into();
    row.employee_no = Set(v.employee_no);
    row.name = Set(v.name);
    row.department_id = Set(v.department_id);
    row.position = Set(v.position);
    match v.phone {
        PhoneChange::Keep => {}
        PhoneChange::Clear => {
            row.phone_enc = Set(None);
            row.phone_idx = Set(None);
        }
        PhoneChange::Set(p) => {
            row.phone_enc = Set(Some(state.pii.encrypt(&p)));
            row.phone_idx = Set(Some(state.pii.blind_index(&p)));
        }
    }
    row.updated_at = Set(Utc::now());
    let dto = to_dto(&state, row.update(&txn).await?, &departments);
    commit_with(
        &state,
        txn,
        &user.actor(),
        vec![events::STAFF_UPDATED.event(Some(&hall.id), &dto)],
    )
    .await?;
    Ok(Json(dto))
}

/// Delete a staff member who has no sign-in account.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/staff/{id}", tag = "directory",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 409, body = ErrorBody)))]
async fn delete_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let existing = find(&state, &hall.id, &id).await?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let accounts = govhall_platform::auth::service::accounts_of_staff(&txn, &id).await?;
    refuse_if_referenced(accounts, || {
        format!(
            "{}仍有登录账号，请先由安全管理员停用或解绑账号",
            existing.name
        )
    })?;
    staff::Entity::delete_by_id(id.clone()).exec(&txn).await?;
    // The photo goes with the person.
    super::entity::staff_photo::Entity::delete_by_id(id.clone())
        .exec(&txn)
        .await?;
    commit_with(
        &state,
        txn,
        &user.actor(),
        vec![events::STAFF_DELETED.event(
            Some(&hall.id),
            &events::StaffRemoved {
                id: id.clone(),
                employee_no: existing.employee_no.clone(),
            },
        )],
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
