//! Sign-in and roles: staff accounts with argon2id password hashes,
//! server-side sessions in HttpOnly SameSite cookies, role → permission mapping.

pub mod accounts;
pub mod devices;
mod entity;
pub mod event_types;
pub mod http;
pub mod model;
pub mod password;
pub mod permissions;
pub mod roles;
pub mod service;
mod session;
pub mod throttle;
pub mod totp;

pub use model::{Permission, PermissionDef, Role};
pub use session::{CurrentUser, SESSION_COOKIE};
