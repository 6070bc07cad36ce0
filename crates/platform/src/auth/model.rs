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
    /// 导服人员: the reception desk — proxy tickets, the green channel, 帮办代办.
    Guide,
    /// 安全管理员: accounts, roles and sessions (三权分立).
    SecurityAdmin,
    /// 审计管理员: reads the audit log only (三权分立).
    AuditAdmin,
    /// 培训学员: a trainee who is not staff yet (a new hire before their 工号,
    /// an outside learner) — the training H5 only.
    Trainee,
}

/// A permission: a dotted code (`cases.read`) that the module owning it
/// defines as a constant and describes in its [`PermissionDef`]s. Handlers
/// and the access table check permissions, never role names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Permission(&'static str);

impl Permission {
    pub const fn new(code: &'static str) -> Self {
        Permission(code)
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    /// The Chinese name its module gave it (the code when none is known).
    pub fn label(self) -> &'static str {
        super::permissions::find(self.0).map_or(self.0, |d| d.label)
    }

    /// A known permission by its code.
    pub fn parse(code: &str) -> Option<Permission> {
        super::permissions::find(code).map(|d| d.permission)
    }
}

impl Serialize for Permission {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl utoipa::PartialSchema for Permission {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        String::schema()
    }
}

impl ToSchema for Permission {}

/// What a module says of one of its permissions.
#[derive(Debug)]
pub struct PermissionDef {
    pub permission: Permission,
    pub label: &'static str,
    /// The built-in roles that hold it.
    pub roles: &'static [Role],
    /// The device purposes (`kiosk`, `screen`) whose tokens hold it.
    pub devices: &'static [&'static str],
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
        Role::CenterAdmin,
        Role::WindowStaff,
        Role::DeptReviewer,
        Role::Guide,
        Role::Trainee,
    ];

    /// 三权分立: no account may hold two of these.
    pub const SEPARATED: [Role; 3] = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin];

    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::CenterAdmin => "center_admin",
            Role::WindowStaff => "window_staff",
            Role::DeptReviewer => "dept_reviewer",
            Role::Guide => "guide",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
            Role::Trainee => "trainee",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::CenterAdmin => "中心管理员",
            Role::WindowStaff => "窗口人员",
            Role::DeptReviewer => "部门审批人员",
            Role::Guide => "导服人员",
            Role::SecurityAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
            Role::Trainee => "培训学员",
        }
    }

    /// Administrators sign in with a second, cryptographic factor.
    pub fn requires_second_factor(self) -> bool {
        Role::SEPARATED.contains(&self)
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The permissions the modules grant this role.
    pub fn permissions(self) -> Vec<Permission> {
        super::permissions::all()
            .filter(|d| d.roles.contains(&self))
            .map(|d| d.permission)
            .collect()
    }
}

/// 安全管理员 and 审计管理员 hold their role alone: no business role beside them.
pub const ALONE: [Role; 2] = [Role::SecurityAdmin, Role::AuditAdmin];

/// Refuses a role set that breaks 三权分立: two of the separated
/// administrator roles (系统管理员 / 安全管理员 / 审计管理员), a custom role
/// beside any of them, or any other role beside 安全管理员 / 审计管理员.
pub fn separation_problem(roles: &[Role], custom_roles: usize) -> Option<String> {
    let held: Vec<Role> = Role::SEPARATED
        .into_iter()
        .filter(|r| roles.contains(r))
        .collect();
    let names = |rs: &[Role]| rs.iter().map(|r| r.label()).collect::<Vec<_>>().join("和");
    if held.len() > 1 {
        return Some(format!("三权分立：同一账号不能同时担任{}", names(&held)));
    }
    let admin = held.first()?;
    if custom_roles > 0 {
        return Some(format!("三权分立：{}不能再兼任自定义角色", admin.label()));
    }
    (ALONE.contains(admin) && roles.len() > 1)
        .then(|| format!("三权分立：{}不能兼任其他角色", admin.label()))
}

/// The roles that count for an account, whatever is stored: a role set that
/// breaks the separation (written before the rule, or by hand) grants only
/// what the separated role alone grants, and two separated roles grant nothing.
pub fn effective_roles(roles: Vec<Role>) -> Vec<Role> {
    let held: Vec<Role> = Role::SEPARATED
        .into_iter()
        .filter(|r| roles.contains(r))
        .collect();
    match held.as_slice() {
        [] => roles,
        [alone] if ALONE.contains(alone) => vec![*alone],
        [_] => roles,
        _ => Vec::new(),
    }
}

/// Whether custom roles may add to these roles' permissions.
pub fn takes_custom_roles(roles: &[Role]) -> bool {
    !roles.iter().any(|r| Role::SEPARATED.contains(r))
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
        if !out.contains(&p) {
            out.push(p);
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
        // Only the platform's own permissions are known here (no module installed).
        let perms = permissions_of(&roles);
        assert!(perms.contains(&super::super::permissions::DEVICES_MANAGE));
        assert!(!perms.contains(&super::super::permissions::ACCOUNTS_MANAGE));
    }

    #[test]
    fn stored_role_sets_that_break_the_separation_grant_only_the_admin_role() {
        use Role::*;
        assert_eq!(
            effective_roles(vec![AuditAdmin, CenterAdmin]),
            vec![AuditAdmin]
        );
        assert_eq!(
            effective_roles(vec![WindowStaff, SecurityAdmin]),
            vec![SecurityAdmin]
        );
        assert!(effective_roles(vec![SystemAdmin, AuditAdmin]).is_empty());
        assert_eq!(
            effective_roles(vec![SystemAdmin, CenterAdmin]),
            vec![SystemAdmin, CenterAdmin]
        );
        assert!(!takes_custom_roles(&[SystemAdmin]));
        assert!(takes_custom_roles(&[CenterAdmin, WindowStaff]));
        assert!(takes_custom_roles(&[]));
    }

    #[test]
    fn separated_roles_cannot_be_combined() {
        assert!(separation_problem(&[Role::SystemAdmin, Role::CenterAdmin], 0).is_none());
        assert!(separation_problem(&[Role::CenterAdmin], 2).is_none());
        let p = separation_problem(&[Role::SecurityAdmin, Role::AuditAdmin], 0).unwrap();
        assert!(p.contains("安全管理员和审计管理员"), "{p}");
        for admin in Role::SEPARATED {
            let p = separation_problem(&[admin], 1).unwrap();
            assert!(p.contains("自定义角色"), "{p}");
        }
        for alone in ALONE {
            let p = separation_problem(&[alone, Role::CenterAdmin], 0).unwrap();
            assert!(p.contains("不能兼任其他角色"), "{p}");
        }
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
