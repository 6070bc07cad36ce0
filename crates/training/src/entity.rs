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
        /// Months a certificate for completing the course stays valid (0: no certificate).
        pub certificate_months: i32,
        /// A course to complete before this one opens (访问条件).
        pub prerequisite_id: Option<String>,
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
        /// `video`, `pdf`, `image`, `text`, `matter` or `exam`.
        pub kind: String,
        pub title: String,
        pub file_id: Option<String>,
        /// A video's poster frame (an image file), shown before it plays.
        pub poster_file_id: Option<String>,
        /// An exam lesson's paper.
        pub exam_id: Option<String>,
        /// A matter lesson's 实施编码: its published guide is the lesson.
        pub task_code: Option<String>,
        /// A text lesson's content.
        #[sea_orm(column_type = "Text")]
        pub body: String,
        /// A video's length in seconds (read from the file).
        pub duration_s: f64,
        /// A PDF's number of pages (read from the file).
        pub pages: i32,
        /// The share of a video to watch, or of a PDF's pages to view (1–100).
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
        pub pages: Option<i32>,
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
        /// JSON `[1, 2, …]`: a PDF's pages viewed.
        #[sea_orm(column_type = "Text")]
        pub pages_seen: String,
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
        /// The matter's published version the certification is for (set on
        /// first check; moved on when a change needs no refresher).
        pub version: Option<i32>,
        /// Days certified clerks keep the matter after a change before passing its refresher.
        pub grace_days: i32,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod question {
    use sea_orm::entity::prelude::*;

    /// A question of the hall's bank (题库).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_questions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// 题库分类 (free text, e.g. 营业执照, 服务礼仪).
        pub category: String,
        /// 1 易, 2 中, 3 难.
        pub difficulty: i32,
        /// single, multiple, judge, fill, essay (see `marking::KINDS`).
        pub kind: String,
        #[sea_orm(column_type = "Text")]
        pub stem: String,
        /// JSON array of the options' texts (choice questions).
        #[sea_orm(column_type = "Text")]
        pub options: String,
        /// The key in its written form (`marking`).
        #[sea_orm(column_type = "Text")]
        pub answer: String,
        #[sea_orm(column_type = "Text")]
        pub explanation: String,
        pub active: bool,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod exam {
    use sea_orm::entity::prelude::*;

    /// An exam: how its paper is drawn from the bank, and its limits.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_exams")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub title: String,
        /// JSON `[{category, difficulty, kind, count, points}]`.
        #[sea_orm(column_type = "Text")]
        pub rules: String,
        pub time_limit_min: i32,
        /// 0: unlimited.
        pub attempts_limit: i32,
        /// The share of the points that passes, 1–100.
        pub pass_pct: i32,
        pub shuffle: bool,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod attempt {
    use sea_orm::entity::prelude::*;

    /// One sitting of an exam: the paper drawn for it, the answers, the marks.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_attempts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub exam_id: String,
        /// The exam lesson it was sat for, if any (passing completes it).
        pub lesson_id: Option<String>,
        pub learner_id: String,
        pub learner_name: String,
        pub staff_id: Option<String>,
        /// JSON `[{question_id, points, order}]` in the order shown.
        #[sea_orm(column_type = "Text")]
        pub paper: String,
        /// JSON `{question_id: answer}` as given (shown letters).
        #[sea_orm(column_type = "Text")]
        pub answers: String,
        /// JSON `{question_id: points}` once marked.
        #[sea_orm(column_type = "Text")]
        pub marks: String,
        pub started_at: DateTimeUtc,
        pub deadline: DateTimeUtc,
        pub submitted_at: Option<DateTimeUtc>,
        pub score: f64,
        pub max_score: f64,
        /// open, marking (an instructor marks 简答), passed, failed.
        pub status: String,
        pub marked_by: Option<String>,
    }
    govhall_platform::no_relations!();
}

pub mod certificate {
    use sea_orm::entity::prelude::*;

    /// A certificate for a completed course, valid until it expires.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_certificates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// Printed on it and checked by its QR code (not guessable).
        #[sea_orm(unique)]
        pub number: String,
        pub hall_id: String,
        pub course_id: String,
        pub learner_id: String,
        /// The holder's name as printed.
        pub holder: String,
        pub course_title: String,
        pub issued_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        /// When the expiry was announced (the event sent once).
        pub expiry_announced_at: Option<DateTimeUtc>,
    }
    govhall_platform::no_relations!();
}

pub mod plan {
    use sea_orm::entity::prelude::*;

    /// A training plan: courses for a group of staff by a date.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_plans")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub title: String,
        /// 岗前 or 日常.
        pub kind: String,
        /// JSON array of course ids.
        #[sea_orm(column_type = "Text")]
        pub course_ids: String,
        pub department_id: Option<String>,
        pub position: Option<String>,
        pub due_on: Date,
        pub created_at: DateTimeUtc,
        /// Only staff who joined within this many days (新入职人员).
        pub joined_within_days: Option<i32>,
    }
    govhall_platform::no_relations!();
}

pub mod scene {
    use sea_orm::entity::prelude::*;

    /// 云游大厅: one equirectangular panorama of an area of the hall.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_tour_scenes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub title: String,
        /// The panorama image (a courseware file, JPG or PNG, 2:1).
        pub file_id: String,
        pub sort_order: i32,
        /// JSON `[{yaw, pitch, label, target_scene, window_code}]`.
        #[sea_orm(column_type = "Text")]
        pub spots: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod refresher {
    use sea_orm::entity::prelude::*;

    /// 更新提示: what changed in a matter a course certifies for (its
    /// conditions or materials), with a three-question quiz; certified
    /// clerks keep the matter until `grace_until`, then need to pass it.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_refreshers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub task_code: String,
        pub task_name: String,
        pub course_id: String,
        pub from_version: i32,
        pub to_version: i32,
        /// JSON `["申请材料「…」：… → …", …]`.
        #[sea_orm(column_type = "Text")]
        pub changes: String,
        /// JSON `[{stem, answer}]`: three true/false questions.
        #[sea_orm(column_type = "Text")]
        pub quiz: String,
        pub grace_until: DateTimeUtc,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod refresher_pass {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_refresher_passes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub refresher_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub learner_id: String,
        pub passed_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod level {
    use sea_orm::entity::prelude::*;

    /// 学习等级: reached at a number of learning points.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_levels")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub min_points: i32,
        pub name: String,
    }
    govhall_platform::no_relations!();
}

pub mod instructor {
    use sea_orm::entity::prelude::*;

    /// 讲师: a member of staff or an outside teacher.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_instructors")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub name: String,
        /// 内部 or 外部.
        pub kind: String,
        pub staff_id: Option<String>,
        /// 职称 or unit.
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub bio: String,
        /// JSON array of the course ids they teach.
        #[sea_orm(column_type = "Text")]
        pub course_ids: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod class {
    use sea_orm::entity::prelude::*;

    /// 线下培训: an instructor-led class at a place and time.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_classes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub title: String,
        pub instructor_id: Option<String>,
        pub course_id: Option<String>,
        pub place: String,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub department_id: Option<String>,
        pub position: Option<String>,
        /// Keys the rotating sign-in code; never leaves the server.
        pub secret: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod attendance {
    use sea_orm::entity::prelude::*;

    /// A person's sign-in at a class (by QR code, or entered by a manager).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_attendance")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub class_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: String,
        pub hall_id: String,
        pub signed_at: DateTimeUtc,
        /// `qr` or `manual`.
        pub method: String,
        pub note: String,
        pub recorded_by: String,
    }
    govhall_platform::no_relations!();
}

pub mod textbook {
    use sea_orm::entity::prelude::*;

    /// 培训教材.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_textbooks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub title: String,
        pub category: String,
        #[sea_orm(column_type = "Text")]
        pub summary: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod textbook_version {
    use sea_orm::entity::prelude::*;

    /// One edition of a textbook: a PDF file.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_textbook_versions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub textbook_id: String,
        pub hall_id: String,
        pub version: String,
        pub file_id: String,
        #[sea_orm(column_type = "Text")]
        pub note: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod category {
    use sea_orm::entity::prelude::*;

    /// 培训分类: a category of the hall's tree (two levels; names unique in the hall).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_categories")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        /// The top-level category it sits under (absent: it is one).
        pub parent: Option<String>,
        pub sort_order: i32,
    }
    govhall_platform::no_relations!();
}
