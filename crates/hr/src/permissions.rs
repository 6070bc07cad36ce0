//! The HR module's permissions.

use govhall_platform::auth::{Permission, PermissionDef, Role};

/// Payroll: profiles with ID and card, rates, pay items, runs, bank files.
pub const PAYROLL: Permission = Permission::new("hr.payroll");
/// One's own HR records: payslips, leave, attendance (and clocking in).
pub const SELF: Permission = Permission::new("hr.self");
/// 人事管理: hires, 转正/调岗/离职 records and window authorisation.
pub const STAFF: Permission = Permission::new("hr.staff");
/// Approve leave and set the leave types.
pub const LEAVE: Permission = Permission::new("hr.leave");

/// 考勤管理: shifts, the roster, machine imports, the monthly sheet, and
/// the decisions on 补卡 and 换班.
pub const ATTENDANCE: Permission = Permission::new("hr.attendance");
/// Show the hall screen's rotating clock-in code.
pub const CLOCK_CODE: Permission = Permission::new("hr.clock_code");

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
        label: "本人工资条与请假",
        roles: &[
            Role::CenterAdmin,
            Role::WindowStaff,
            Role::DeptReviewer,
            Role::Guide,
        ],
        devices: &[],
    },
    PermissionDef {
        permission: STAFF,
        label: "人事管理（入转调离）",
        roles: &[Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: LEAVE,
        label: "请假审批",
        roles: &[Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: ATTENDANCE,
        label: "考勤管理（班次、排班、考勤月报、补卡与换班审批）",
        roles: &[Role::CenterAdmin],
        devices: &[],
    },
    PermissionDef {
        permission: CLOCK_CODE,
        label: "显示考勤打卡码",
        roles: &[Role::CenterAdmin],
        devices: &["screen"],
    },
];
