//! 人员: the hall's staff with 工号, department and position. Mobile numbers
//! are stored SM4-encrypted with an SM3-HMAC blind index and shown masked.

use super::{
    contains,
    entity::{department, staff},
    fetch_page, hall_for,
    model::{STAFF_POSITIONS, label},
    records::{self, Record, write_routes},
    refuse_if_referenced,
};
use crate::events;
use axum::{
    Json,
    extract::{Path, State},
};
use chrono::{DateTime, Utc};
use govhall_kernel::{
    AppError,
    error::AppResult,
    identity::MobilePhone,
    mask::mask_phone,
    validate::{Checker, is_mobile_phone},
};
use govhall_platform::{
    AppState,
    api::{ApiQuery, ApiResult, ErrorBody, Page, PageQuery},
    auth::CurrentUser,
    db::DbResultExt,
    events::{Actor, EventType},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter,
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
pub(crate) enum PhoneChange {
    Keep,
    Clear,
    Set(MobilePhone),
}

pub(crate) struct Valid {
    employee_no: String,
    name: String,
    department_id: Option<String>,
    position: String,
    phone: PhoneChange,
    /// Names of the hall's departments, for the row shown back.
    departments: HashMap<String, String>,
}

/// 人员 as a directory record.
pub(crate) struct Staff;

impl Record for Staff {
    type Entity = staff::Entity;
    type Input = StaffInput;
    type Checked = Valid;
    type Dto = StaffDto;
    type Removed = events::StaffRemoved;
    const WHAT: &'static str = "人员";
    const CREATED: EventType<StaffDto> = events::STAFF_CREATED;
    const UPDATED: EventType<StaffDto> = events::STAFF_UPDATED;
    const DELETED: EventType<events::StaffRemoved> = events::STAFF_DELETED;

    fn hall_column() -> staff::Column {
        staff::Column::HallId
    }

    async fn check(
        state: &AppState,
        hall_id: &str,
        input: &StaffInput,
        except: Option<&str>,
    ) -> AppResult<Valid> {
        let departments = department_names(state, hall_id).await?;
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
            Some(p) => c
                .parsed("phone", MobilePhone::parse(p), |reason| reason)
                .map_or(PhoneChange::Keep, PhoneChange::Set),
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
            departments,
        })
    }

    fn new_row(id: String, hall_id: &str, now: DateTime<Utc>) -> staff::ActiveModel {
        staff::ActiveModel {
            id: Set(id),
            hall_id: Set(hall_id.to_string()),
            phone_enc: Set(None),
            phone_idx: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
    }

    fn write(state: &AppState, row: &mut staff::ActiveModel, v: &Valid) {
        row.employee_no = Set(v.employee_no.clone());
        row.name = Set(v.name.clone());
        row.department_id = Set(v.department_id.clone());
        row.position = Set(v.position.clone());
        match &v.phone {
            PhoneChange::Keep => {}
            PhoneChange::Clear => {
                row.phone_enc = Set(None);
                row.phone_idx = Set(None);
            }
            PhoneChange::Set(p) => {
                row.phone_enc = Set(Some(state.pii.encrypt(p.as_str())));
                row.phone_idx = Set(Some(state.pii.blind_index(p.as_str())));
            }
        }
        row.updated_at = Set(Utc::now());
    }

    fn dto(state: &AppState, row: staff::Model, v: &Valid) -> StaffDto {
        to_dto(state, row, &v.departments)
    }

    fn removed(row: &staff::Model) -> events::StaffRemoved {
        events::StaffRemoved {
            id: row.id.clone(),
            employee_no: row.employee_no.clone(),
        }
    }

    /// Refused while the person has a sign-in account; the photo goes with them.
    async fn before_delete(txn: &DatabaseTransaction, row: &staff::Model) -> AppResult<()> {
        let accounts = govhall_platform::auth::service::accounts_of_staff(txn, &row.id).await?;
        refuse_if_referenced(accounts, || {
            format!("{}仍有登录账号，请先由安全管理员停用或解绑账号", row.name)
        })?;
        super::entity::staff_photo::Entity::delete_by_id(row.id.clone())
            .exec(txn)
            .await
            .db_err()?;
        Ok(())
    }
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &StaffInput,
) -> AppResult<StaffDto> {
    records::create::<Staff>(state, actor, hall_id, input).await
}

/// Changes a member of staff (an absent phone keeps the stored one): for
/// modules that move people, as HR's 调岗 does.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    input: &StaffInput,
) -> AppResult<StaffDto> {
    records::update::<Staff>(state, actor, hall_id, id, input).await
}

/// Staff of a hall with search, filters and paging (phones masked).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/staff", security(("govhall" = ["directory.read"])), tag = "directory",
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

write_routes!(
    Staff,
    StaffInput,
    StaffDto,
    "/api/v1/halls/{hall}/staff",
    "/api/v1/halls/{hall}/staff/{id}",
    create_staff,
    update_staff,
    delete_staff,
    "Add a staff member.",
    "Update a staff member.",
    "Delete a staff member who has no sign-in account."
);
