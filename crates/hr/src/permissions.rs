//! The HR module's permissions.

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Compute and check pay: the tax calculator now, the payroll later.
pub const PAYROLL: Permission = Permission::new("hr.payroll");

pub static PERMISSIONS: &[PermissionDef] = &[PermissionDef {
    permission: PAYROLL,
    label: "薪酬核算",
    // A hall's finance staff get it through a custom role.
    roles: &[Role::CenterAdmin],
    devices: &[],
}];
