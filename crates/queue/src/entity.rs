//! Queue tables: service lines, window skills, tickets, per-day numbering and
//! per-window calling counters.

pub mod line {
    use sea_orm::entity::prelude::*;

    /// 业务队列: a ticket prefix with its hours and daily cap.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_lines")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub prefix: String,
        pub name: String,
        /// `HH:MM`
        pub opens_at: String,
        pub closes_at: String,
        /// 0 = no cap.
        pub daily_cap: i32,
        pub active: bool,
        pub sort_order: i32,
        /// Length of an appointment slot in minutes.
        pub slot_minutes: i32,
        /// Appointments per slot; 0 = the line takes no appointments.
        pub slot_quota: i32,
        /// JSON array of the 实施编码 of the matters it serves (guides on the phone and kiosk).
        #[sea_orm(column_type = "Text")]
        pub matters: String,
        /// The line's own aging threshold (minutes); `None`: the hall policy's.
        pub aging_minutes: Option<i32>,
    }
    govhall_platform::no_relations!();
}

pub mod skill {
    use sea_orm::entity::prelude::*;

    /// A window serves a line as primary or secondary.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_window_skills")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub window_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub line_id: String,
        pub hall_id: String,
        /// primary / secondary
        pub level: String,
    }
    govhall_platform::no_relations!();
}

pub mod ticket {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_tickets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub line_id: String,
        /// Service day in Asia/Shanghai, `YYYY-MM-DD`.
        pub day: String,
        pub seq: i32,
        /// `A001`
        pub number: String,
        /// normal / green
        pub class: String,
        /// kiosk / mobile / proxy / appointment / followup
        pub channel: String,
        /// waiting / called / serving / parked / completed / no_show
        pub status: String,
        pub issued_at: DateTimeUtc,
        /// When it joined its current line (a transfer keeps the original time).
        pub since: DateTimeUtc,
        pub window_id: Option<String>,
        pub called_at: Option<DateTimeUtc>,
        pub called_count: i32,
        pub finished_at: Option<DateTimeUtc>,
        /// SM3 of the citizen's access token (the token itself is shown once).
        pub token_hash: String,
        /// The previous window's note after a transfer.
        pub note: Option<String>,
        /// The holder's ID number / phone, SM4-encrypted (optional).
        pub id_enc: Option<String>,
        pub phone_enc: Option<String>,
        /// Blind index of the ID number (else the phone): one active ticket per person per line.
        pub person_idx: Option<String>,
        /// The holder's openid at the hall's WeChat 公众号, SM4-encrypted, once
        /// they turned on WeChat reminders on the phone.
        pub wechat_openid_enc: Option<String>,
        /// Why green: elderly / disabled / pregnant / military / other.
        pub green_reason: Option<String>,
        /// Minutes quoted at issue (kept to measure the estimate's accuracy).
        pub quoted_wait: Option<i32>,
        pub no_show_count: i32,
        /// The staff member who called it (for ratings and statistics).
        pub staff_id: Option<String>,
        /// The booking it was checked in from.
        pub appointment_id: Option<String>,
        /// The booked slot (minutes of the day) while it is due; a late arrival has none.
        pub appt_from: Option<i32>,
        pub appt_to: Option<i32>,
        /// Transferred to this window: only it may call the ticket.
        pub target_window_id: Option<String>,
        /// The guidance result the holder took it with (JSON `tickets::TicketGuidance`).
        #[sea_orm(column_type = "Text", nullable)]
        pub guidance: Option<String>,
    }
    govhall_platform::no_relations!();
}

pub mod day_counter {
    use sea_orm::entity::prelude::*;

    /// The last number issued per line and day.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_day_counters")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub line_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: String,
        pub last_seq: i32,
    }
    govhall_platform::no_relations!();
}

pub mod window_counter {
    use sea_orm::entity::prelude::*;

    /// What the weighted calling rules remember per window and day.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_window_counters")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub window_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: String,
        pub others_since_green: i32,
        pub greens_in_row: i32,
        pub calls: i32,
        pub appointment_calls: i32,
    }
    govhall_platform::no_relations!();
}

pub mod settings {
    use sea_orm::entity::prelude::*;

    /// A hall's queue settings (calling policy, no-show policy, estimates), as JSON.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(column_type = "Text")]
        pub body: String,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod appointment {
    use sea_orm::entity::prelude::*;

    /// 预约: a booked slot of a line on a working day.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_appointments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub line_id: String,
        /// `YYYY-MM-DD`
        pub day: String,
        /// Minutes of the day.
        pub slot_from: i32,
        pub slot_to: i32,
        /// Keyed index of the six-digit check-in code (签到码), unique per
        /// hall and day; the code itself is only in `code_enc`.
        pub code: String,
        /// SM4-encrypted 签到码 (for the holder's view and the reminder).
        pub code_enc: Option<String>,
        /// SM3 of the holder's token (to view or cancel from the phone).
        pub token_hash: String,
        pub phone_enc: String,
        pub phone_idx: String,
        pub id_enc: Option<String>,
        /// Blind index of the ID number, else the phone: one booking per person, line and day.
        pub person_idx: String,
        /// booked / cancelled / checked_in / no_show
        pub status: String,
        pub ticket_id: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod voice_clip {
    use sea_orm::entity::prelude::*;

    /// One clip of a hall's own voice pack (WAV).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_voice_clips")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub clip: String,
        #[sea_orm(column_type = "Blob")]
        pub body: Vec<u8>,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod hall_version {
    use sea_orm::entity::prelude::*;

    /// Raised by every change to a hall's tickets (see the queue engine).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_hall_versions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        pub version: i64,
    }
    govhall_platform::no_relations!();
}

pub mod assist {
    use sea_orm::entity::prelude::*;

    /// 帮办代办 ledger: a member of staff helped a citizen with a matter.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_assists")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// The hall's day it was recorded on.
        pub day: Date,
        pub at: DateTimeUtc,
        /// `help` 帮办 (alongside the citizen) / `proxy` 代办 (on their behalf).
        pub kind: String,
        pub citizen_name: String,
        /// Encrypted; shown masked.
        pub citizen_phone_enc: Option<String>,
        /// 实施编码 when the matter is in the catalog.
        pub item_code: Option<String>,
        pub item_name: String,
        pub ticket_number: Option<String>,
        pub helper_staff_id: Option<String>,
        pub helper_name: String,
        /// `AssistResult` code.
        pub result: String,
        #[sea_orm(column_type = "Text")]
        pub note: String,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}
