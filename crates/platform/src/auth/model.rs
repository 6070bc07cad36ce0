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
    /// 安全管理员: accounts, roles and sessions (三权分立).
    SecurityAdmin,
    /// 审计管理员: reads the audit log only (三权分立).
    AuditAdmin,
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
    #[serde(rename = "accounts.manage")]
    AccountsManage,
    #[serde(rename = "audit.read")]
    AuditRead,
    #[serde(rename = "devices.manage")]
    DevicesManage,
    /// Work at a window: sign in and out, pause and resume it (and, later, call tickets).
    #[serde(rename = "queue.operate")]
    QueueOperate,
    /// Issue queue tickets (kiosks; used by the queue module).
    #[serde(rename = "tickets.issue")]
    TicketsIssue,
    /// Configure service lines, window skills and the calling policy.
    #[serde(rename = "queue.configure")]
    QueueConfigure,
    /// Collect 好差评 at a window (the window's rating pad).
    #[serde(rename = "ratings.collect")]
    RatingsCollect,
    /// Read ratings and work 差评 rectification tickets.
    #[serde(rename = "ratings.manage")]
    RatingsManage,
    /// Read the notification outbox, retry messages and manage webhooks.
    #[serde(rename = "notifications.manage")]
    NotificationsManage,
    /// Read the catalog, drafts included.
    #[serde(rename = "catalog.read")]
    CatalogRead,
    /// Edit catalog drafts, bundles and synonyms, and submit drafts for publication.
    #[serde(rename = "catalog.edit")]
    CatalogEdit,
    /// Publish, send back and withdraw item versions; import straight to published.
    #[serde(rename = "catalog.publish")]
    CatalogPublish,
    /// Read cases (办件) and their history.
    #[serde(rename = "cases.read")]
    CasesRead,
    /// Receive and accept cases at a window, hand materials over and deliver results.
    #[serde(rename = "cases.intake")]
    CasesIntake,
    /// Review and decide the department's cases (back office).
    #[serde(rename = "cases.review")]
    CasesReview,
}

impl Permission {
    pub const ALL: [Permission; 20] = [
        Permission::DirectoryRead,
        Permission::DirectoryEdit,
        Permission::HallsEdit,
        Permission::CalendarEdit,
        Permission::EventsRead,
        Permission::DevicesManage,
        Permission::TicketsIssue,
        Permission::QueueOperate,
        Permission::QueueConfigure,
        Permission::RatingsCollect,
        Permission::RatingsManage,
        Permission::NotificationsManage,
        Permission::CatalogRead,
        Permission::CatalogEdit,
        Permission::CatalogPublish,
        Permission::CasesRead,
        Permission::CasesIntake,
        Permission::CasesReview,
        Permission::AccountsManage,
        Permission::AuditRead,
    ];

    /// Held only through the 安全管理员 / 审计管理员 roles, never through an
    /// editable role, so 三权分立 cannot be undone by editing roles.
    pub const RESERVED: [Permission; 2] = [Permission::AccountsManage, Permission::AuditRead];

    pub fn parse(code: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Permission::DirectoryRead => "directory.read",
            Permission::DirectoryEdit => "directory.edit",
            Permission::HallsEdit => "halls.edit",
            Permission::CalendarEdit => "calendar.edit",
            Permission::EventsRead => "events.read",
            Permission::AccountsManage => "accounts.manage",
            Permission::AuditRead => "audit.read",
            Permission::DevicesManage => "devices.manage",
            Permission::TicketsIssue => "tickets.issue",
            Permission::QueueOperate => "queue.operate",
            Permission::QueueConfigure => "queue.configure",
            Permission::RatingsCollect => "ratings.collect",
            Permission::RatingsManage => "ratings.manage",
            Permission::NotificationsManage => "notifications.manage",
            Permission::CatalogRead => "catalog.read",
            Permission::CatalogEdit => "catalog.edit",
            Permission::CatalogPublish => "catalog.publish",
            Permission::CasesRead => "cases.read",
            Permission::CasesIntake => "cases.intake",
            Permission::CasesReview => "cases.review",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Permission::DirectoryRead => "查看大厅目录",
            Permission::DirectoryEdit => "维护大厅目录",
            Permission::HallsEdit => "新建与维护大厅",
            Permission::CalendarEdit => "维护工作日历",
            Permission::EventsRead => "查看实时事件",
            Permission::AccountsManage => "管理账号、角色与会话",
            Permission::AuditRead => "查阅审计日志",
            Permission::DevicesManage => "管理终端设备",
            Permission::TicketsIssue => "取号",
            Permission::QueueOperate => "窗口签到与办理",
            Permission::QueueConfigure => "配置业务队列与叫号",
            Permission::RatingsCollect => "采集好差评",
            Permission::RatingsManage => "好差评与差评整改",
            Permission::NotificationsManage => "短信通知与接口推送",
            Permission::CatalogRead => "查看事项库",
            Permission::CatalogEdit => "编辑事项草稿",
            Permission::CatalogPublish => "审核发布事项",
            Permission::CasesRead => "查看办件",
            Permission::CasesIntake => "窗口收件受理与出件",
            Permission::CasesReview => "部门审查办理",
        }
    }
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
        Role::CenterAdmin,
        Role::WindowStaff,
        Role::DeptReviewer,
    ];

    /// 三权分立: no account may hold two of these.
    pub const SEPARATED: [Role; 3] = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin];

    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::CenterAdmin => "center_admin",
            Role::WindowStaff => "window_staff",
            Role::DeptReviewer => "dept_reviewer",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::CenterAdmin => "中心管理员",
            Role::WindowStaff => "窗口人员",
            Role::DeptReviewer => "部门审批人员",
            Role::SecurityAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
        }
    }

    /// Administrators sign in with a second, cryptographic factor.
    pub fn requires_second_factor(self) -> bool {
        Role::SEPARATED.contains(&self)
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
                DevicesManage,
                QueueConfigure,
                RatingsManage,
                NotificationsManage,
                CatalogRead,
                CatalogEdit,
                CatalogPublish,
            ],
            Role::CenterAdmin => &[
                DirectoryRead,
                DirectoryEdit,
                CalendarEdit,
                EventsRead,
                DevicesManage,
                QueueConfigure,
                RatingsManage,
                NotificationsManage,
                CatalogRead,
                CatalogEdit,
                CatalogPublish,
                CasesRead,
            ],
            Role::WindowStaff => &[
                DirectoryRead,
                EventsRead,
                QueueOperate,
                RatingsCollect,
                CatalogRead,
                CasesRead,
                CasesIntake,
            ],
            // Departments maintain their own items (the center publishes them)
            // and review the cases the front desk hands over.
            Role::DeptReviewer => &[
                DirectoryRead,
                CatalogRead,
                CatalogEdit,
                CasesRead,
                CasesReview,
            ],
            Role::SecurityAdmin => &[AccountsManage],
            Role::AuditAdmin => &[AuditRead],
        }
    }
}

/// Refuses a role set that gives one account two of the separated
/// administrator roles (系统管理员 / 安全管理员 / 审计管理员).
pub fn separation_problem(roles: &[Role]) -> Option<String> {
    let held: Vec<&str> = Role::SEPARATED
        .iter()
        .filter(|r| roles.contains(r))
        .map(|r| r.label())
        .collect();
    (held.len() > 1).then(|| format!("三权分立：同一账号不能同时担任{}", held.join("和")))
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

    #[test]
    fn separated_roles_cannot_be_combined() {
        assert!(separation_problem(&[Role::SystemAdmin, Role::CenterAdmin]).is_none());
        let p = separation_problem(&[Role::SecurityAdmin, Role::AuditAdmin]).unwrap();
        assert!(p.contains("安全管理员和审计管理员"), "{p}");
        // Each separated role has permissions the others lack.
        for a in Role::SEPARATED {
            for b in Role::SEPARATED.into_iter().filter(|b| *b != a) {
                assert!(
                    a.permissions().iter().all(|p| !b.permissions().contains(p)),
                    "{a:?} and {b:?} overlap"
                );
            }
        }
    }
}
