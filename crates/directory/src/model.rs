//! Code lists of the directory (stored as codes, shown as Chinese labels).

/// 窗口类型
pub const WINDOW_KINDS: &[(&str, &str)] = &[
    ("comprehensive", "综合窗口"),
    ("professional", "专业窗口"),
    ("delivery", "出件窗口"),
    ("consult", "咨询台"),
];

/// 窗口状态
pub const WINDOW_STATUSES: &[(&str, &str)] =
    &[("open", "开放"), ("paused", "暂停"), ("closed", "关闭")];

/// 人员岗位
pub const STAFF_POSITIONS: &[(&str, &str)] = &[
    ("window_staff", "窗口人员"),
    ("dept_reviewer", "部门审批人员"),
    ("center_admin", "中心管理员"),
    ("guide", "导服人员"),
];

pub use govhall_platform::api::label;
