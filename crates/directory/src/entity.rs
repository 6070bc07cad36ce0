//! Directory tables: halls, areas, departments, windows, staff.

pub mod hall {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "halls")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub code: String,
        pub name: String,
        pub region_code: String,
        pub address: String,
        pub opens_at: String,
        pub closes_at: String,
        pub hours_note: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod area {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "areas")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub name: String,
        pub floor: Option<String>,
        pub sort_order: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod department {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "departments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub name: String,
        pub credit_code: String,
        pub sort_order: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod window {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "windows")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub code: String,
        pub name: String,
        pub kind: String,
        pub status: String,
        /// 休息 / 会议 / 暂离 / 培训 while paused.
        pub pause_reason: Option<String>,
        pub area_id: Option<String>,
        pub department_id: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod staff {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub employee_no: String,
        pub name: String,
        pub department_id: Option<String>,
        pub position: String,
        /// SM4-GCM ciphertext of the mobile number.
        #[sea_orm(column_type = "Text", nullable)]
        pub phone_enc: Option<String>,
        /// SM3-HMAC blind index of the mobile number, for exact lookup.
        pub phone_idx: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod window_session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "window_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub window_id: String,
        pub user_id: String,
        pub started_at: DateTimeUtc,
        pub ended_at: Option<DateTimeUtc>,
    }
    govhall_platform::no_relations!();
}

pub mod staff_photo {
    use sea_orm::entity::prelude::*;

    /// A staff member's photo (JPEG, PNG or WebP), shown on the window screen.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_photos")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: String,
        pub content_type: String,
        #[sea_orm(column_type = "Blob")]
        pub body: Vec<u8>,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod hall_faq {
    use sea_orm::entity::prelude::*;

    /// A question citizens ask about the hall itself (parking, 帮办代办…)
    /// with the hall's answer; 智能导办 answers it.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hall_faqs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub question: String,
        pub answer: String,
        /// Words that bring it up, separated by `；`.
        pub keywords: String,
        pub sort_order: i32,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}
