//! The ratings' permissions.

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Collect 好差评 at a window (the window's rating pad).
pub const COLLECT: Permission = Permission::new("ratings.collect");
/// Read ratings and work 差评 rectification tickets.
pub const MANAGE: Permission = Permission::new("ratings.manage");

pub static PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        permission: COLLECT,
        label: "采集好差评",
        roles: &[Role::WindowStaff],
        // A window screen doubles as the window's rating pad.
        devices: &["screen"],
    },
    PermissionDef {
        permission: MANAGE,
        label: "好差评与差评整改",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &[],
    },
];
