//! The platform's own events: sign-in, accounts, roles, sessions and devices
//! (security reviews and the 异常服务行为 rules read them).

use super::devices::DeviceDto;
use super::roles::RoleInfo;
use crate::events::{EventDef, EventType};
use serde::Serialize;
use utoipa::ToSchema;

/// A sign-in tried, with the name given and the address it came from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoginAttempt {
    pub username: String,
    pub ip: Option<String>,
}

/// An account the event is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountRef {
    pub user_id: String,
    pub username: String,
}

/// An account created, with its roles (codes, comma-separated).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountCreated {
    pub user_id: String,
    pub username: String,
    pub roles: String,
}

/// An account's roles changed (codes, comma-separated).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolesChanged {
    pub user_id: String,
    pub username: String,
    pub before: String,
    pub after: String,
}

/// Something that concerns one account only by its id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserRef {
    pub user_id: String,
}

/// A password changed; the account's other sessions ended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PasswordChanged {
    pub user_id: String,
    pub other_sessions_ended: u64,
}

/// A session ended by the 安全管理员.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionRevoked {
    pub session_id: String,
}

/// A custom role's permissions changed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleChanged {
    pub code: String,
    pub label: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

/// A custom role removed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleRemoved {
    pub code: String,
    pub label: String,
}

pub const LOGIN_SUCCEEDED: EventType<LoginAttempt> =
    EventType::new("auth.login.succeeded", "登录成功");
pub const LOGIN_FAILED: EventType<LoginAttempt> = EventType::new("auth.login.failed", "登录失败");
pub const USER_CREATED: EventType<AccountCreated> = EventType::new("auth.user.created", "新增账号");
pub const USER_ROLES_CHANGED: EventType<RolesChanged> =
    EventType::new("auth.user.roles_changed", "变更账号角色");
pub const USER_DISABLED: EventType<AccountRef> = EventType::new("auth.user.disabled", "停用账号");
pub const USER_ENABLED: EventType<AccountRef> = EventType::new("auth.user.enabled", "启用账号");
pub const USER_PASSWORD_RESET: EventType<AccountRef> =
    EventType::new("auth.user.password_reset", "重置密码");
pub const USER_UNLOCKED: EventType<AccountRef> = EventType::new("auth.user.unlocked", "解锁账号");
pub const PASSWORD_CHANGED: EventType<PasswordChanged> =
    EventType::new("auth.password.changed", "修改密码");
pub const TOTP_ENABLED: EventType<UserRef> = EventType::new("auth.totp.enabled", "绑定动态口令");
pub const SESSION_ENDED: EventType<UserRef> = EventType::new("auth.session.ended", "退出登录");
pub const SESSION_REVOKED: EventType<SessionRevoked> =
    EventType::new("auth.session.revoked", "强制下线");
pub const ROLE_CREATED: EventType<RoleInfo> = EventType::new("auth.role.created", "新增角色");
pub const ROLE_UPDATED: EventType<RoleChanged> = EventType::new("auth.role.updated", "修改角色");
pub const ROLE_DELETED: EventType<RoleRemoved> = EventType::new("auth.role.deleted", "删除角色");
pub const DEVICE_REGISTERED: EventType<DeviceDto> =
    EventType::new("auth.device.registered", "登记终端设备");
pub const DEVICE_REVOKED: EventType<DeviceDto> =
    EventType::new("auth.device.revoked", "吊销终端设备");

/// The platform's typed events, for the catalogue.
pub static EVENTS: &[EventDef] = &[
    LOGIN_SUCCEEDED.def(),
    LOGIN_FAILED.def(),
    USER_CREATED.def(),
    USER_ROLES_CHANGED.def(),
    USER_DISABLED.def(),
    USER_ENABLED.def(),
    USER_PASSWORD_RESET.def(),
    USER_UNLOCKED.def(),
    PASSWORD_CHANGED.def(),
    TOTP_ENABLED.def(),
    SESSION_ENDED.def(),
    SESSION_REVOKED.def(),
    ROLE_CREATED.def(),
    ROLE_UPDATED.def(),
    ROLE_DELETED.def(),
    DEVICE_REGISTERED.def(),
    DEVICE_REVOKED.def(),
];
