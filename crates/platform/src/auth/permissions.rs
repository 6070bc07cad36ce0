//! Every permission the modules define, installed once at start-up from the
//! server's module list. The platform defines only its own (events, devices,
//! accounts, audit); each module defines the rest beside its code.

use super::model::{Permission, PermissionDef, Role};
use std::sync::OnceLock;

pub const EVENTS_READ: Permission = Permission::new("events.read");
pub const DEVICES_MANAGE: Permission = Permission::new("devices.manage");
pub const ACCOUNTS_MANAGE: Permission = Permission::new("accounts.manage");
pub const AUDIT_READ: Permission = Permission::new("audit.read");

/// Held only through the 安全管理员 / 审计管理员 roles, never through an
/// editable role, so 三权分立 cannot be undone by editing roles.
pub const RESERVED: [Permission; 2] = [ACCOUNTS_MANAGE, AUDIT_READ];

/// Whether only the separated administrator roles may hold `p`: the
/// [`RESERVED`] ones and any a module grants to administrator roles alone
/// (creating halls is the 系统管理员's). Custom roles never carry these.
pub fn is_reserved(p: Permission) -> bool {
    RESERVED.contains(&p)
        || find(p.code()).is_some_and(|d| {
            !d.roles.is_empty() && d.roles.iter().all(|r| Role::SEPARATED.contains(r))
        })
}

/// The platform's own permissions.
pub static PLATFORM: &[PermissionDef] = &[
    PermissionDef {
        permission: EVENTS_READ,
        label: "查看实时事件",
        roles: &[
            Role::SystemAdmin,
            Role::CenterAdmin,
            Role::WindowStaff,
            Role::Guide,
        ],
        // Kiosks follow the feed for their waiting counts, screens for their
        // calls, the big screen for its live figures.
        devices: &["kiosk", "screen", "dashboard"],
    },
    PermissionDef {
        permission: DEVICES_MANAGE,
        label: "管理终端设备",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: ACCOUNTS_MANAGE,
        label: "管理账号、角色与会话",
        roles: &[Role::SecurityAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: AUDIT_READ,
        label: "查阅审计日志",
        roles: &[Role::AuditAdmin],
        devices: &[],
    },
];

static INSTALLED: OnceLock<Vec<&'static PermissionDef>> = OnceLock::new();

/// Installs every module's permissions (the first call wins: the module list
/// is the same for the whole process). Panics when a code is defined twice.
pub fn install(defs: impl IntoIterator<Item = &'static PermissionDef>) {
    let defs: Vec<&'static PermissionDef> = defs.into_iter().collect();
    for (i, d) in defs.iter().enumerate() {
        assert!(
            defs[..i].iter().all(|e| e.permission != d.permission),
            "permission {} is defined twice",
            d.permission.code()
        );
    }
    let _ = INSTALLED.set(defs);
}

/// Every known permission, in module order (only the platform's before `install`).
pub fn all() -> impl Iterator<Item = &'static PermissionDef> {
    let installed: &'static [&'static PermissionDef] =
        INSTALLED.get().map_or(&[], |v| v.as_slice());
    let fallback = if installed.is_empty() { PLATFORM } else { &[] };
    installed.iter().copied().chain(fallback.iter())
}

pub fn find(code: &str) -> Option<&'static PermissionDef> {
    all().find(|d| d.permission.code() == code)
}

/// What a device token of this purpose may do.
pub fn of_device(purpose: &str) -> Vec<Permission> {
    all()
        .filter(|d| d.devices.contains(&purpose))
        .map(|d| d.permission)
        .collect()
}
