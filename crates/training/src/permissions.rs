//! The training module's permissions.

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Build courses and upload courseware.
pub const MANAGE: Permission = Permission::new("training.manage");
/// Take the hall's courses: watch, read, be counted.
pub const LEARN: Permission = Permission::new("training.learn");

pub static PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        permission: MANAGE,
        label: "培训课程管理",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: LEARN,
        label: "参加培训学习",
        roles: &[
            Role::CenterAdmin,
            Role::WindowStaff,
            Role::DeptReviewer,
            Role::Guide,
            Role::Trainee,
        ],
        devices: &[],
    },
];
