//! Notify's events: webhooks configured, and messages sent again by hand.

use crate::webhooks::WebhookDto;
use govhall_platform::events::{EventDef, EventType};
use serde::Serialize;
use utoipa::ToSchema;

/// A webhook removed (its name and address, for the record).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookRemoved {
    pub webhook_id: String,
    pub name: String,
    pub url: String,
}

/// A webhook changed: before and after.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookChanged {
    pub webhook_id: String,
    pub before: WebhookDto,
    pub after: WebhookDto,
}

/// A failed or waiting message queued again by hand.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationRetried {
    pub notification_id: String,
    /// What it is about (ticket.called, verify_code, a webhook's event type …).
    pub kind: String,
    /// sms / wechat / webhook
    pub channel: String,
}

pub const WEBHOOK_CREATED: EventType<WebhookDto> =
    EventType::new("notify.webhook.created", "新增推送地址");
pub const WEBHOOK_UPDATED: EventType<WebhookChanged> =
    EventType::new("notify.webhook.updated", "修改推送地址");
pub const WEBHOOK_DELETED: EventType<WebhookRemoved> =
    EventType::new("notify.webhook.deleted", "删除推送地址");
pub const NOTIFICATION_RETRIED: EventType<NotificationRetried> =
    EventType::new("notify.notification.retried", "重发通知");

/// Notify's typed events, for the catalogue.
pub static EVENTS: &[EventDef] = &[
    WEBHOOK_CREATED.def(),
    WEBHOOK_UPDATED.def(),
    WEBHOOK_DELETED.def(),
    NOTIFICATION_RETRIED.def(),
];
