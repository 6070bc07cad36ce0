//! Notify's permission.

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Read the notification outbox, retry messages and manage webhooks.
pub const MANAGE: Permission = Permission::new("notifications.manage");

pub static PERMISSIONS: &[PermissionDef] = &[PermissionDef {
    permission: MANAGE,
    label: "短信通知与接口推送",
    roles: &[Role::SystemAdmin, Role::CenterAdmin],
    devices: &[],
}];
