//! The directory's permissions.

use govhall_platform::auth::{Permission, PermissionDef, Role};

pub const READ: Permission = Permission::new("directory.read");
pub const EDIT: Permission = Permission::new("directory.edit");
pub const HALLS_EDIT: Permission = Permission::new("halls.edit");
/// A hall's own open and closed days.
pub const CALENDAR_EDIT: Permission = Permission::new("calendar.edit");
/// The national schedule of holidays and 调休 every hall follows.
pub const NATIONAL_CALENDAR_EDIT: Permission = Permission::new("calendar.national.edit");
/// Work at a window: sign in and out, pause and resume it, call and serve.
/// The code is the queue's, where it began: stored custom roles name it.
pub const WINDOW_WORK: Permission = Permission::new("queue.operate");

pub static PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        permission: READ,
        label: "查看大厅目录",
        roles: &[
            Role::SystemAdmin,
            Role::CenterAdmin,
            Role::WindowStaff,
            Role::DeptReviewer,
        ],
        devices: &[],
    },
    PermissionDef {
        permission: EDIT,
        label: "维护大厅目录",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: HALLS_EDIT,
        label: "新建与维护大厅",
        roles: &[Role::SystemAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: CALENDAR_EDIT,
        label: "维护本厅开放日与闭厅日",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: NATIONAL_CALENDAR_EDIT,
        label: "维护全国节假日与调休安排",
        roles: &[Role::SystemAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: WINDOW_WORK,
        label: "窗口签到与办理",
        roles: &[Role::WindowStaff],
        devices: &[],
    },
];
