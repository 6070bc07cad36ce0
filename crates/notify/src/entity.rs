//! The outbox (every message to send, SMS or webhook) and the webhooks integrators register.

pub mod notification {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notifications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: Option<String>,
        /// sms / webhook
        pub channel: String,
        /// What it says: `ticket.issued`, `verify_code`, … or the event type for a webhook.
        pub kind: String,
        /// Unique: the same message is never enqueued (nor sent) twice.
        pub dedupe_key: String,
        /// SM4-encrypted phone number (SMS) — never stored in clear.
        pub recipient_enc: Option<String>,
        /// `138****5678`, or the webhook's URL.
        pub recipient: String,
        pub webhook_id: Option<String>,
        /// Template parameters (SMS) or the event (webhook), JSON.
        pub params: String,
        /// The text as the citizen reads it.
        pub body: String,
        /// pending / sending / sent / failed
        pub status: String,
        pub attempts: i32,
        /// Due (pending) or lease end (sending).
        pub next_at: DateTimeUtc,
        pub last_error: Option<String>,
        pub provider: Option<String>,
        pub provider_ref: Option<String>,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
    }
    govhall_platform::no_relations!();
}

pub mod webhook {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhooks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// The hall whose events it receives; none: every hall's (系统管理员).
        pub hall_id: Option<String>,
        pub name: String,
        pub url: String,
        /// SM4-encrypted HMAC secret (shown once at creation).
        pub secret_enc: String,
        /// Comma-separated event type prefixes, e.g. `queue.ticket.,queue.rating.`; `*` for all.
        pub events: String,
        pub active: bool,
        /// The last event relayed (events after it are delivered).
        pub last_seq: i64,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod phone_code {
    use sea_orm::entity::prelude::*;

    /// The latest verification code sent to a phone for one purpose.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "phone_codes")]
    pub struct Model {
        /// Blind index of the phone (the number itself is not kept here).
        #[sea_orm(primary_key, auto_increment = false)]
        pub phone_idx: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub purpose: String,
        /// SM3 of the code.
        pub code_hash: String,
        pub expires_at: DateTimeUtc,
        pub attempts: i32,
        pub sent_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}
