//! The queue's permissions (window work itself is the directory's `WINDOW_WORK`).

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Issue tickets: kiosks, the reception desk's proxy tickets and a window's follow-up.
pub const ISSUE: Permission = Permission::new("tickets.issue");
/// Record 帮办代办 at the reception desk.
pub const ASSIST: Permission = Permission::new("assists.record");
/// Read and export the 帮办代办 ledger.
pub const ASSIST_LEDGER: Permission = Permission::new("assists.read");
/// Configure service lines, window skills and the calling policy.
pub const CONFIGURE: Permission = Permission::new("queue.configure");

pub static PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        permission: ISSUE,
        label: "取号",
        roles: &[Role::Guide, Role::WindowStaff],
        devices: &["kiosk"],
    },
    PermissionDef {
        permission: ASSIST,
        label: "登记帮办代办",
        roles: &[Role::Guide],
        devices: &[],
    },
    PermissionDef {
        permission: ASSIST_LEDGER,
        label: "查看与导出帮办代办台账",
        roles: &[Role::Guide, Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: CONFIGURE,
        label: "配置业务队列与叫号",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &[],
    },
];
