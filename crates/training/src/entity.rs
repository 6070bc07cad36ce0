//! The training tables (private to the module; other modules use the service API).

pub mod course {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_courses")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub title: String,
        /// 岗前, 日常, 政策法规, 服务礼仪, 业务条线, 信息系统操作 …
        pub category: String,
        #[sea_orm(column_type = "Text")]
        pub summary: String,
        /// 政务公开课: open to citizens without signing in.
        pub public: bool,
        /// Seeking beyond the watched part of a video is refused.
        pub forbid_seek: bool,
        /// Playing faster than normal speed does not count.
        pub forbid_speed: bool,
        /// `all` lessons or `any` one completes the course.
        pub rule: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod lesson {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_lessons")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub course_id: String,
        pub hall_id: String,
        pub sort_order: i32,
        /// `video` or `text`.
        pub kind: String,
        pub title: String,
        pub file_id: Option<String>,
        /// A text lesson's content.
        #[sea_orm(column_type = "Text")]
        pub body: String,
        /// A video's length in seconds (read from the file).
        pub duration_s: f64,
        /// The share of a video that must be watched (1–100).
        pub required_pct: i32,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod file {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_files")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub name: String,
        pub mime: String,
        pub size: i64,
        /// Names the bytes on disk (`<data>/training/<sha256>`).
        pub sha256: String,
        pub duration_s: Option<f64>,
        pub created_at: DateTimeUtc,
        pub created_by: String,
    }
    govhall_platform::no_relations!();
}

pub mod progress {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_progress")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub lesson_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub learner_id: String,
        pub hall_id: String,
        pub course_id: String,
        /// JSON `[[from, to], …]`: the merged stretches watched.
        #[sea_orm(column_type = "Text")]
        pub spans: String,
        pub watched_s: f64,
        pub position: f64,
        /// The page that may report (the latest to start the lesson).
        pub session: String,
        /// The last accepted report, or the session's start.
        pub last_report_at: DateTimeUtc,
        pub completed_at: Option<DateTimeUtc>,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod completion {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_completions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub course_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub learner_id: String,
        pub hall_id: String,
        pub completed_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod requirement {
    use sea_orm::entity::prelude::*;

    /// A matter (by 实施编码) a clerk may accept only after completing the course.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_requirements")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub task_code: String,
        pub course_id: String,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}
