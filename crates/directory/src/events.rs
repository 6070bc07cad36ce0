//! The directory's events: the hall, its areas, departments, windows and
//! staff. Every hall screen and counter follows the window events; HR,
//! training and the analytics read the staff and department ones.

use crate::{
    areas::AreaDto, departments::DepartmentDto, halls::HallDto, staff::StaffDto, windows::WindowDto,
};
use govhall_platform::events::{EventDef, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A clerk signed in at a window and now serves there.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WindowSignedIn {
    pub window_id: String,
    pub code: String,
    pub name: String,
    pub user_id: String,
    /// The account's display name.
    pub staff_name: String,
}

/// The clerk signed out: the window serves nobody until someone signs in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WindowSignedOut {
    pub window_id: String,
    pub code: String,
    pub user_id: String,
}

/// A window was removed from the directory.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WindowDeleted {
    pub id: String,
    pub code: String,
    pub name: String,
}

/// An area or department was removed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Removed {
    pub id: String,
    pub name: String,
}

/// A staff member was removed from the directory.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StaffRemoved {
    pub id: String,
    pub employee_no: String,
}

/// A staff member's photo was set (its size in bytes) or removed (no size).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StaffPhoto {
    pub staff_id: String,
    pub employee_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<usize>,
}

/// A day of the national working calendar (放假 / 调休上班) or of one hall's
/// own calendar (本厅开放 / 闭厅) set.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarDaySet {
    pub date: chrono::NaiveDate,
    /// holiday / workday (national); open / closed (a hall's)
    pub kind: String,
    pub name: String,
}

/// A calendar day's setting removed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarDayRemoved {
    pub date: chrono::NaiveDate,
}

/// A year's national calendar imported (the State Council's notice).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarImported {
    pub count: usize,
    pub years: Vec<i32>,
    /// The years' earlier settings were replaced.
    pub replace_years: bool,
}

pub const CALENDAR_IMPORTED: EventType<CalendarImported> =
    EventType::new("calendar.import.completed", "导入全国工作日历");
pub const CALENDAR_DAY_SET: EventType<CalendarDaySet> =
    EventType::new("calendar.day.set", "设置全国工作日历");
pub const CALENDAR_DAY_REMOVED: EventType<CalendarDayRemoved> =
    EventType::new("calendar.day.removed", "删除全国工作日历设置");
pub const HALL_DAY_SET: EventType<CalendarDaySet> =
    EventType::new("calendar.hall_day.set", "设置本厅开放日历");
pub const HALL_DAY_REMOVED: EventType<CalendarDayRemoved> =
    EventType::new("calendar.hall_day.removed", "删除本厅开放日历设置");
pub const HALL_CREATED: EventType<HallDto> = EventType::new("directory.hall.created", "新增大厅");
pub const HALL_UPDATED: EventType<HallDto> = EventType::new("directory.hall.updated", "修改大厅");
pub const AREA_CREATED: EventType<AreaDto> = EventType::new("directory.area.created", "新增区域");
pub const AREA_UPDATED: EventType<AreaDto> = EventType::new("directory.area.updated", "修改区域");
pub const AREA_DELETED: EventType<Removed> = EventType::new("directory.area.deleted", "删除区域");
pub const DEPARTMENT_CREATED: EventType<DepartmentDto> =
    EventType::new("directory.department.created", "新增部门");
pub const DEPARTMENT_UPDATED: EventType<DepartmentDto> =
    EventType::new("directory.department.updated", "修改部门");
pub const DEPARTMENT_DELETED: EventType<Removed> =
    EventType::new("directory.department.deleted", "删除部门");
pub const STAFF_CREATED: EventType<StaffDto> =
    EventType::new("directory.staff.created", "新增人员");
pub const STAFF_UPDATED: EventType<StaffDto> =
    EventType::new("directory.staff.updated", "修改人员");
pub const STAFF_DELETED: EventType<StaffRemoved> =
    EventType::new("directory.staff.deleted", "删除人员");
pub const STAFF_PHOTO_SET: EventType<StaffPhoto> =
    EventType::new("directory.staff.photo_set", "设置人员照片");
pub const STAFF_PHOTO_REMOVED: EventType<StaffPhoto> =
    EventType::new("directory.staff.photo_removed", "删除人员照片");
pub const WINDOW_CREATED: EventType<WindowDto> =
    EventType::new("directory.window.created", "新增窗口");
pub const WINDOW_UPDATED: EventType<WindowDto> =
    EventType::new("directory.window.updated", "修改窗口");
pub const WINDOW_DELETED: EventType<WindowDeleted> =
    EventType::new("directory.window.deleted", "删除窗口");
pub const WINDOW_PAUSED: EventType<WindowDto> =
    EventType::new("directory.window.paused", "窗口暂停服务");
pub const WINDOW_RESUMED: EventType<WindowDto> =
    EventType::new("directory.window.resumed", "窗口恢复服务");
pub const WINDOW_SIGNED_IN: EventType<WindowSignedIn> =
    EventType::new("directory.window.signed_in", "窗口签到上岗");
pub const WINDOW_SIGNED_OUT: EventType<WindowSignedOut> =
    EventType::new("directory.window.signed_out", "窗口签退");

/// A hall's questions and answers replaced.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HallFaqsReplaced {
    pub count: usize,
}

pub const HALL_FAQS_REPLACED: EventType<HallFaqsReplaced> =
    EventType::new("directory.hall_faqs.replaced", "修改大厅常见问题");

/// The directory's typed events, for the catalogue.
pub static EVENTS: &[EventDef] = &[
    CALENDAR_IMPORTED.def(),
    CALENDAR_DAY_SET.def(),
    CALENDAR_DAY_REMOVED.def(),
    HALL_DAY_SET.def(),
    HALL_DAY_REMOVED.def(),
    HALL_CREATED.def(),
    HALL_UPDATED.def(),
    AREA_CREATED.def(),
    AREA_UPDATED.def(),
    AREA_DELETED.def(),
    DEPARTMENT_CREATED.def(),
    DEPARTMENT_UPDATED.def(),
    DEPARTMENT_DELETED.def(),
    STAFF_CREATED.def(),
    STAFF_UPDATED.def(),
    STAFF_DELETED.def(),
    STAFF_PHOTO_SET.def(),
    STAFF_PHOTO_REMOVED.def(),
    WINDOW_CREATED.def(),
    WINDOW_UPDATED.def(),
    WINDOW_DELETED.def(),
    WINDOW_PAUSED.def(),
    WINDOW_RESUMED.def(),
    WINDOW_SIGNED_IN.def(),
    WINDOW_SIGNED_OUT.def(),
    HALL_FAQS_REPLACED.def(),
];
