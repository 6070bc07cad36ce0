//! The performance module's permissions.

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Set the quarter's KPI scheme, compute the figures, review, decide
/// appeals and finalize the grades.
pub const MANAGE: Permission = Permission::new("performance.manage");
/// One's own assessment: figures with evidence, self-assessment,
/// acknowledgement or appeal.
pub const SELF: Permission = Permission::new("performance.self");

/// Read the 光荣榜 (服务之星, 流动红旗) — the hall screen shows it.
pub const BOARD: Permission = Permission::new("performance.board");

pub static PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        permission: MANAGE,
        label: "绩效考核管理",
        roles: &[Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: SELF,
        label: "本人绩效考核",
        roles: &[
            Role::CenterAdmin,
            Role::WindowStaff,
            Role::DeptReviewer,
            Role::Guide,
        ],
        devices: &[],
    },
    PermissionDef {
        permission: BOARD,
        label: "查看光荣榜（服务之星、流动红旗）",
        roles: &[Role::CenterAdmin],
        devices: &["screen"],
    },
];
