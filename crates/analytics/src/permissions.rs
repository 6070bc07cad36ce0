//! The analytics' permissions. `READ` opens the analysis pages; how much of
//! the hall they show is the row-level scope: the whole hall with `HALL`, the
//! user's department with `DEPARTMENT`, otherwise the user's own figures.

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// The analysis pages and the indicator dictionary (own figures at least).
pub const READ: Permission = Permission::new("analytics.read");
/// Every figure of the hall, the big screen, reports and window planning.
pub const HALL: Permission = Permission::new("analytics.hall");
/// The big screen's widgets: whole-hall figures, no records behind them.
pub const SCREEN: Permission = Permission::new("analytics.screen");
/// The figures of the user's own department.
pub const DEPARTMENT: Permission = Permission::new("analytics.department");

pub static PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        permission: READ,
        label: "统计分析",
        roles: &[
            Role::SystemAdmin,
            Role::CenterAdmin,
            Role::DeptReviewer,
            Role::WindowStaff,
        ],
        devices: &[],
    },
    PermissionDef {
        permission: HALL,
        label: "全厅统计与窗口测算",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: DEPARTMENT,
        label: "本部门统计",
        roles: &[Role::DeptReviewer],
        devices: &[],
    },
    PermissionDef {
        permission: SCREEN,
        label: "数据大屏",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &["dashboard"],
    },
];
