//! The queue's permissions (window work itself is the directory's `WINDOW_WORK`).

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Issue tickets (kiosks).
pub const ISSUE: Permission = Permission::new("tickets.issue");
/// Configure service lines, window skills and the calling policy.
pub const CONFIGURE: Permission = Permission::new("queue.configure");

pub static PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        permission: ISSUE,
        label: "取号",
        roles: &[],
        devices: &["kiosk"],
    },
    PermissionDef {
        permission: CONFIGURE,
        label: "配置业务队列与叫号",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &[],
    },
];
