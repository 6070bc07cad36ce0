//! The directory's door for other modules: its domain types and the lookups
//! they need. Other crates never read the directory's tables; they ask here.
//! Lookups take a connection (`C`) so a caller may read inside its own
//! transaction: on SQLite that is the one writer, and the pool would wait on it.

use crate::entity::{department, hall, staff, window, window_session};
use chrono::{DateTime, Utc};
use govhall_kernel::{
    AppError,
    error::AppResult,
    ids::{DepartmentId, HallId, StaffId, UserId, WindowId},
};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// A hall with its address and opening hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hall {
    pub id: HallId,
    pub code: String,
    pub name: String,
    /// 行政区划代码, e.g. `610116`.
    pub region_code: String,
    pub address: String,
    pub opens_at: String,
    pub closes_at: String,
    pub hours_note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub id: DepartmentId,
    pub hall_id: HallId,
    pub name: String,
    /// 统一社会信用代码 of the department.
    pub credit_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub id: WindowId,
    pub hall_id: HallId,
    /// e.g. `05`.
    pub code: String,
    pub name: String,
    /// `comprehensive` | `professional` | `delivery` | `consult`
    pub kind: String,
    /// `open` | `paused` | `closed`
    pub status: String,
    pub pause_reason: Option<String>,
    pub area_id: Option<String>,
    pub department_id: Option<DepartmentId>,
}

/// A staff member (their phone stays inside the directory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: StaffId,
    pub hall_id: HallId,
    /// 工号.
    pub employee_no: String,
    pub name: String,
    pub department_id: Option<DepartmentId>,
    /// `window_staff` | `dept_reviewer` | `center_admin` | `guide`
    pub position: String,
    /// When the record was made: for a new hire, about when they joined.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Someone signed in at a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowSession {
    pub hall_id: HallId,
    pub window_id: WindowId,
    /// The account signed in.
    pub user_id: UserId,
    pub started_at: DateTime<Utc>,
    /// When they signed out (`None` while signed in, or never signed out).
    pub ended_at: Option<DateTime<Utc>>,
}

impl Hall {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: hall::Model) -> Self {
        Hall {
            id: HallId::new(m.id),
            code: m.code,
            name: m.name,
            region_code: m.region_code,
            address: m.address,
            opens_at: m.opens_at,
            closes_at: m.closes_at,
            hours_note: m.hours_note,
        }
    }
}

impl Department {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: department::Model) -> Self {
        Department {
            id: DepartmentId::new(m.id),
            hall_id: HallId::new(m.hall_id),
            name: m.name,
            credit_code: m.credit_code,
        }
    }
}

impl Window {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: window::Model) -> Self {
        Window {
            id: WindowId::new(m.id),
            hall_id: HallId::new(m.hall_id),
            code: m.code,
            name: m.name,
            kind: m.kind,
            status: m.status,
            pause_reason: m.pause_reason,
            area_id: m.area_id,
            department_id: m.department_id.map(DepartmentId::new),
        }
    }
}

impl Staff {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: staff::Model) -> Self {
        Staff {
            id: StaffId::new(m.id),
            hall_id: HallId::new(m.hall_id),
            employee_no: m.employee_no,
            name: m.name,
            department_id: m.department_id.map(DepartmentId::new),
            position: m.position,
            created_at: m.created_at,
        }
    }
}

impl WindowSession {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: window_session::Model) -> Self {
        WindowSession {
            hall_id: HallId::new(m.hall_id),
            window_id: WindowId::new(m.window_id),
            user_id: UserId::new(m.user_id),
            started_at: m.started_at,
            ended_at: m.ended_at,
        }
    }
}

/// The hall with this id or code (served from the per-process copy).
pub async fn hall(state: &AppState, key: &str) -> AppResult<Hall> {
    crate::find_hall(state, key).await.map(Hall::from_row)
}

/// The hall's departments, in their display order.
pub async fn departments<C: ConnectionTrait>(db: &C, hall_id: &str) -> AppResult<Vec<Department>> {
    Ok(department::Entity::find()
        .filter(department::Column::HallId.eq(hall_id))
        .order_by_asc(department::Column::SortOrder)
        .order_by_asc(department::Column::Name)
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(Department::from_row)
        .collect())
}

/// A department of the hall by id, `None` when the hall has none with it.
pub async fn department<C: ConnectionTrait>(
    db: &C,
    hall_id: &str,
    id: &str,
) -> AppResult<Option<Department>> {
    Ok(department::Entity::find_by_id(id.to_string())
        .filter(department::Column::HallId.eq(hall_id))
        .one(db)
        .await
        .db_err()?
        .map(Department::from_row))
}

/// The hall's windows as the directory's window events describe them, by
/// code: for another module writing such an event for past days (the
/// history generator's pauses).
pub async fn window_views(
    state: &AppState,
    hall_id: &str,
) -> AppResult<Vec<crate::windows::WindowDto>> {
    let names = crate::windows::names(state, hall_id).await?;
    Ok(window::Entity::find()
        .filter(window::Column::HallId.eq(hall_id))
        .order_by_asc(window::Column::Code)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|m| crate::windows::to_dto(m, &names))
        .collect())
}

/// The hall's windows, by code.
pub async fn windows<C: ConnectionTrait>(db: &C, hall_id: &str) -> AppResult<Vec<Window>> {
    Ok(window::Entity::find()
        .filter(window::Column::HallId.eq(hall_id))
        .order_by_asc(window::Column::Code)
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(Window::from_row)
        .collect())
}

/// These windows, by id (unknown ids are left out).
pub async fn windows_by_ids<C: ConnectionTrait>(db: &C, ids: &[String]) -> AppResult<Vec<Window>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(window::Entity::find()
        .filter(window::Column::Id.is_in(ids.iter().cloned()))
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(Window::from_row)
        .collect())
}

/// A window of the hall by its id or its code (`05`), `None` when there is none.
pub async fn window<C: ConnectionTrait>(
    db: &C,
    hall_id: &str,
    key: &str,
) -> AppResult<Option<Window>> {
    Ok(window::Entity::find()
        .filter(window::Column::HallId.eq(hall_id))
        .filter(
            Condition::any()
                .add(window::Column::Id.eq(key))
                .add(window::Column::Code.eq(key)),
        )
        .one(db)
        .await
        .db_err()?
        .map(Window::from_row))
}

/// A window of the hall by id or code, or a 404 naming it.
pub async fn window_in_hall<C: ConnectionTrait>(
    db: &C,
    hall_id: &str,
    key: &str,
) -> AppResult<Window> {
    window(db, hall_id, key)
        .await?
        .ok_or_else(|| AppError::not_found("窗口"))
}

/// A staff member by id (any hall), `None` when unknown.
pub async fn staff_member<C: ConnectionTrait>(db: &C, id: &str) -> AppResult<Option<Staff>> {
    Ok(staff::Entity::find_by_id(id.to_string())
        .one(db)
        .await
        .db_err()?
        .map(Staff::from_row))
}

/// The department a staff member belongs to; `None` for no one, an unknown
/// id, or a member of no department.
pub async fn department_of_staff<C: ConnectionTrait>(
    db: &C,
    staff_id: Option<&str>,
) -> AppResult<Option<DepartmentId>> {
    let Some(id) = staff_id else {
        return Ok(None);
    };
    Ok(staff_member(db, id).await?.and_then(|s| s.department_id))
}

/// Every staff member of a hall, by 工号.
pub async fn hall_staff<C: ConnectionTrait>(db: &C, hall_id: &str) -> AppResult<Vec<Staff>> {
    Ok(staff::Entity::find()
        .filter(staff::Column::HallId.eq(hall_id))
        .order_by_asc(staff::Column::EmployeeNo)
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(Staff::from_row)
        .collect())
}

/// These staff members, by id (unknown ids are left out).
pub async fn staff_by_ids<C: ConnectionTrait>(db: &C, ids: &[String]) -> AppResult<Vec<Staff>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(staff::Entity::find()
        .filter(staff::Column::Id.is_in(ids.iter().cloned()))
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(Staff::from_row)
        .collect())
}

/// The hall's staff in a position who have a mobile number, each with it
/// decrypted: whom to text (e.g. the 中心管理员 about overdue rectifications).
pub async fn phones_of_position(
    state: &AppState,
    hall_id: &str,
    position: &str,
) -> AppResult<Vec<(Staff, String)>> {
    phones(state, hall_id, Some(position)).await
}

/// Every staff member of the hall who has a mobile number, with it
/// decrypted: whom to text about their own tasks (training due, …).
pub async fn phones_of_hall(state: &AppState, hall_id: &str) -> AppResult<Vec<(Staff, String)>> {
    phones(state, hall_id, None).await
}

async fn phones(
    state: &AppState,
    hall_id: &str,
    position: Option<&str>,
) -> AppResult<Vec<(Staff, String)>> {
    let mut q = staff::Entity::find()
        .filter(staff::Column::HallId.eq(hall_id))
        .filter(staff::Column::PhoneEnc.is_not_null());
    if let Some(p) = position {
        q = q.filter(staff::Column::Position.eq(p));
    }
    let rows = q.all(&state.db).await.db_err()?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let Some(enc) = m.phone_enc.clone() else {
            continue;
        };
        // A number the key cannot read (say, mid-rotation) is passed over, not fatal.
        let Ok(phone) = state.pii.decrypt(&enc) else {
            tracing::warn!(staff = %m.id, "人员手机号无法解密");
            continue;
        };
        out.push((Staff::from_row(m), phone));
    }
    Ok(out)
}

/// Who is signed in at the hall's windows now.
pub async fn open_sessions<C: ConnectionTrait>(
    db: &C,
    hall_id: &str,
) -> AppResult<Vec<WindowSession>> {
    Ok(window_session::Entity::find()
        .filter(window_session::Column::HallId.eq(hall_id))
        .filter(window_session::Column::EndedAt.is_null())
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(WindowSession::from_row)
        .collect())
}

/// The hall's window sign-ins that began in `from..to` (HR reads them as
/// clock marks: the sign-in an arrival, the sign-out a departure).
pub async fn sessions_between<C: ConnectionTrait>(
    db: &C,
    hall_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<WindowSession>> {
    Ok(window_session::Entity::find()
        .filter(window_session::Column::HallId.eq(hall_id))
        .filter(window_session::Column::StartedAt.gte(from))
        .filter(window_session::Column::StartedAt.lt(to))
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(WindowSession::from_row)
        .collect())
}

/// Whether `user_id` is signed in at the window now.
pub async fn signed_in_at<C: ConnectionTrait>(
    db: &C,
    window_id: &str,
    user_id: &str,
) -> AppResult<bool> {
    Ok(window_session::Entity::find()
        .filter(window_session::Column::WindowId.eq(window_id))
        .filter(window_session::Column::UserId.eq(user_id))
        .filter(window_session::Column::EndedAt.is_null())
        .one(db)
        .await
        .db_err()?
        .is_some())
}
