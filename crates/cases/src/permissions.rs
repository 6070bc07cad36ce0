//! The cases' permissions.

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Read cases (办件) and their history.
pub const READ: Permission = Permission::new("cases.read");
/// Receive and accept cases at a window, hand materials over and deliver results.
pub const INTAKE: Permission = Permission::new("cases.intake");
/// Review and decide the department's cases (back office).
pub const REVIEW: Permission = Permission::new("cases.review");

/// 撤销 a case (status 15) with a written reason: the hall's management.
pub const REVOKE: Permission = Permission::new("cases.revoke");

pub static PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        permission: READ,
        label: "查看办件",
        roles: &[Role::CenterAdmin, Role::WindowStaff, Role::DeptReviewer],
        devices: &[],
    },
    PermissionDef {
        permission: INTAKE,
        label: "窗口收件受理与出件",
        roles: &[Role::WindowStaff],
        devices: &[],
    },
    PermissionDef {
        permission: REVIEW,
        label: "部门审查办理",
        roles: &[Role::DeptReviewer],
        devices: &[],
    },
    PermissionDef {
        permission: REVOKE,
        label: "撤销办件",
        roles: &[Role::CenterAdmin],
        devices: &[],
    },
];
