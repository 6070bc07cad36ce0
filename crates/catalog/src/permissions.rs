//! The catalog's permissions.

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Read the catalog, drafts included.
pub const READ: Permission = Permission::new("catalog.read");
/// Edit drafts, bundles and synonyms, and submit drafts for publication.
pub const EDIT: Permission = Permission::new("catalog.edit");
/// Publish, send back and withdraw item versions; import straight to published.
pub const PUBLISH: Permission = Permission::new("catalog.publish");
/// Text a guidance result to a citizen's phone (the kiosk's 发送到手机).
pub const GUIDANCE_SEND: Permission = Permission::new("guidance.send");

pub static PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        permission: READ,
        label: "查看事项库",
        roles: &[
            Role::SystemAdmin,
            Role::CenterAdmin,
            Role::WindowStaff,
            Role::DeptReviewer,
            Role::Guide,
        ],
        devices: &[],
    },
    PermissionDef {
        permission: EDIT,
        label: "编辑事项草稿",
        // Departments maintain their own items; the center publishes them.
        roles: &[Role::SystemAdmin, Role::CenterAdmin, Role::DeptReviewer],
        devices: &[],
    },
    PermissionDef {
        permission: PUBLISH,
        label: "审核发布事项",
        roles: &[Role::SystemAdmin, Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: GUIDANCE_SEND,
        label: "发送导办结果到手机",
        roles: &[],
        devices: &["kiosk"],
    },
];
