//! The HR module's permissions.

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Payroll: profiles with ID and card, rates, pay items, runs, bank files.
pub const PAYROLL: Permission = Permission::new("hr.payroll");
/// One's own HR records: payslips.
pub const SELF: Permission = Permission::new("hr.self");

pub static PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        permission: PAYROLL,
        label: "薪酬核算",
        // A hall's finance staff get it through a custom role.
        roles: &[Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: SELF,
        label: "查看本人工资条",
        roles: &[
            Role::CenterAdmin,
            Role::WindowStaff,
            Role::DeptReviewer,
            Role::Guide,
        ],
        devices: &[],
    },
];
