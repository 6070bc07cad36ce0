//! Roles and permissions. A role is a named bundle of permissions; handlers
//! check permissions, never role names, so roles can become editable data later.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 系统管理员: configuration of the whole system.
    SystemAdmin,
    /// 中心管理员: runs one hall (directory, calendar, reports).
    CenterAdmin,
    /// 窗口人员: works at a window.
    WindowStaff,
    /// 部门审批人员: back-office review for one department.
    DeptReviewer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
pub enum Permission {
    #[serde(rename = "directory.read")]
    DirectoryRead,
    #[serde(rename = "directory.edit")]
    DirectoryEdit,
    #[serde(rename = "halls.edit")]
    HallsEdit,
    #[serde(rename = "calendar.edit")]
    CalendarEdit,
    #[serde(rename = "events.read")]
    EventsRead,
}

impl Permission {
    pub fn code(self) -> &'static str {
        match self {
            Permission::DirectoryRead => "directory.read",
            Permission::DirectoryEdit => "directory.edit",
            Permission::HallsEdit => "halls.edit",
            Permission::CalendarEdit => "calendar.edit",
            Permission::EventsRead => "events.read",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Permission::DirectoryRead => "查看大厅目录",
            Permission::DirectoryEdit => "维护大厅目录",
            Permission::HallsEdit => "新建与维护大厅",
            Permission::CalendarEdit => "维护工作日历",
            Permission::EventsRead => "查看实时事件",
        }
    }
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::SystemAdmin,
        Role::CenterAdmin,
        Role::WindowStaff,
        Role::DeptReviewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::CenterAdmin => "center_admin",
            Role::WindowStaff => "window_staff",
            Role::DeptReviewer => "dept_reviewer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::CenterAdmin => "中心管理员",
            Role::WindowStaff => "窗口人员",
            Role::DeptReviewer => "部门审批人员",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::SystemAdmin => &[
                DirectoryRead,
                DirectoryEdit,
                HallsEdit,
                CalendarEdit,
                EventsRead,
            ],
            Role::CenterAdmin => &[DirectoryRead, DirectoryEdit, CalendarEdit, EventsRead],
            Role::WindowStaff => &[DirectoryRead, EventsRead],
            Role::DeptReviewer => &[DirectoryRead],
        }
    }
}

/// Roles stored as a comma-separated list of codes; unknown codes are ignored.
pub fn parse_roles(stored: &str) -> Vec<Role> {
    stored
        .split(',')
        .filter_map(|c| Role::parse(c.trim()))
        .collect()
}

pub fn format_roles(roles: &[Role]) -> String {
    roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
}

/// The union of the roles' permissions, in a stable order.
pub fn permissions_of(roles: &[Role]) -> Vec<Permission> {
    let mut out: Vec<Permission> = Vec::new();
    for p in roles.iter().flat_map(|r| r.permissions()) {
        if !out.contains(p) {
            out.push(*p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_union_permissions() {
        let roles = parse_roles("window_staff,center_admin,unknown");
        assert_eq!(roles, vec![Role::WindowStaff, Role::CenterAdmin]);
        assert_eq!(format_roles(&roles), "window_staff,center_admin");
        let perms = permissions_of(&roles);
        assert!(perms.contains(&Permission::DirectoryEdit));
        assert!(!perms.contains(&Permission::HallsEdit));
    }
}
