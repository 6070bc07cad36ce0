//! The directory's window events, which every hall screen and counter follows
//! (the other directory changes are recorded as untyped events for now).

use crate::windows::WindowDto;
use govhall_platform::events::{EventDef, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A clerk signed in at a window and now serves there.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WindowSignedIn {
    pub window_id: String,
    pub code: String,
    pub name: String,
    pub user_id: String,
    /// The account's display name.
    pub staff_name: String,
}

/// The clerk signed out: the window serves nobody until someone signs in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WindowSignedOut {
    pub window_id: String,
    pub code: String,
    pub user_id: String,
}

/// A window was removed from the directory.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WindowDeleted {
    pub id: String,
    pub code: String,
    pub name: String,
}

pub const WINDOW_CREATED: EventType<WindowDto> =
    EventType::new("directory.window.created", "新增窗口");
pub const WINDOW_UPDATED: EventType<WindowDto> =
    EventType::new("directory.window.updated", "修改窗口");
pub const WINDOW_DELETED: EventType<WindowDeleted> =
    EventType::new("directory.window.deleted", "删除窗口");
pub const WINDOW_PAUSED: EventType<WindowDto> =
    EventType::new("directory.window.paused", "窗口暂停服务");
pub const WINDOW_RESUMED: EventType<WindowDto> =
    EventType::new("directory.window.resumed", "窗口恢复服务");
pub const WINDOW_SIGNED_IN: EventType<WindowSignedIn> =
    EventType::new("directory.window.signed_in", "窗口签到上岗");
pub const WINDOW_SIGNED_OUT: EventType<WindowSignedOut> =
    EventType::new("directory.window.signed_out", "窗口签退");

/// The directory's typed events, for the catalogue.
pub static EVENTS: &[EventDef] = &[
    WINDOW_CREATED.def(),
    WINDOW_UPDATED.def(),
    WINDOW_DELETED.def(),
    WINDOW_PAUSED.def(),
    WINDOW_RESUMED.def(),
    WINDOW_SIGNED_IN.def(),
    WINDOW_SIGNED_OUT.def(),
];
