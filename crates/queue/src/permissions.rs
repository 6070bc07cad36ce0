//! The queue's permissions (window work itself is the directory's `WINDOW_WORK`).

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Issue tickets (kiosks).
pub const ISSUE: Permission = Permission::new("tickets.issue");
/// Configure service lines, window skills and the calling policy.
pub const CONFIGURE: Permission = Permission::new("queue.configure");
/// Collect 好差评 at a window (the window's rating pad).
pub const RATINGS_COLLECT: Permission = Permission::new("ratings.collect");
/// Read ratings and work 差评 rectification tickets.
pub const RATINGS_MANAGE: Permission = Permission::new("ratings.manage");

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
    PermissionDef {
        permission: RATINGS_COLLECT,
        label: "采集好差评",
        roles: &[Role::WindowStaff],
        // A window screen doubles as the window's rating pad.
        devices: &["screen"],
    },
    PermissionDef {
        permission: RATINGS_MANAGE,
        label: "好差评与差评整改",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &[],
    },
];
