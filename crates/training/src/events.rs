//! The training module's events: what the analytics and the performance
//! module read (a course completed), and the refused progress reports an
//! auditor looks at (a script posting fake watching).

use govhall_platform::events::{EventDef, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A course was created (or its settings changed).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseChanged {
    pub course_id: String,
    pub title: String,
    pub public: bool,
}

/// A courseware file was stored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FileUploaded {
    pub file_id: String,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

/// A learner met a lesson's or a course's completion rule.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Completed {
    pub course_id: String,
    /// Absent for the course itself.
    pub lesson_id: Option<String>,
    pub learner_id: String,
    /// The staff member behind the learner's account, when bound.
    pub staff_id: Option<String>,
    /// Seconds of video actually watched (the merged stretches).
    pub watched_s: f64,
}

/// A progress report was refused (impossible, too fast, a seek where it is
/// forbidden, or from a page another page took over).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProgressRejected {
    pub lesson_id: String,
    pub learner_id: String,
    pub reason: String,
}

/// An exam sitting received its final mark (at submission, or when an
/// instructor marked its 简答 questions).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExamMarked {
    pub attempt_id: String,
    pub exam_id: String,
    pub learner_id: String,
    pub staff_id: Option<String>,
    pub score: f64,
    pub max_score: f64,
    pub passed: bool,
}

/// A certificate was issued for a completed course.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CertificateGranted {
    pub certificate_id: String,
    pub number: String,
    pub course_id: String,
    pub learner_id: String,
    pub staff_id: Option<String>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Someone signed in at a 线下培训 class (by its QR code, or by a manager's 补签).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClassAttended {
    pub class_id: String,
    pub title: String,
    pub staff_id: String,
    /// `qr` or `manual`.
    pub method: String,
    /// Scanned more than ten minutes after the start.
    pub late: bool,
    /// Class hours credited.
    pub hours: f64,
}

/// A certificate passed its expiry date (announced once, by the hourly sweep).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CertificateLapsed {
    pub certificate_id: String,
    pub number: String,
    pub course_id: String,
    pub course_title: String,
    pub learner_id: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

pub const COURSE_CREATED: EventType<CourseChanged> =
    EventType::new("training.course.created", "创建培训课程");
pub const FILE_UPLOADED: EventType<FileUploaded> =
    EventType::new("training.file.uploaded", "上传课件");
pub const LESSON_COMPLETED: EventType<Completed> =
    EventType::new("training.lesson.completed", "完成课时");
pub const COURSE_COMPLETED: EventType<Completed> =
    EventType::new("training.course.completed", "完成课程");
pub const PROGRESS_REJECTED: EventType<ProgressRejected> =
    EventType::new("training.progress.rejected", "拒绝学习进度上报");

pub const EXAM_MARKED: EventType<ExamMarked> =
    EventType::new("training.exam.marked", "考试判卷完成");
pub const CERTIFICATE_ISSUED: EventType<CertificateGranted> =
    EventType::new("training.certificate.granted", "颁发培训证书");
pub const CLASS_ATTENDED: EventType<ClassAttended> =
    EventType::new("training.class.attended", "线下培训签到");
pub const CERTIFICATE_EXPIRED: EventType<CertificateLapsed> =
    EventType::new("training.certificate.expired", "培训证书到期");

pub static EVENTS: &[EventDef] = &[
    COURSE_CREATED.def(),
    FILE_UPLOADED.def(),
    LESSON_COMPLETED.def(),
    COURSE_COMPLETED.def(),
    PROGRESS_REJECTED.def(),
    EXAM_MARKED.def(),
    CERTIFICATE_ISSUED.def(),
    CLASS_ATTENDED.def(),
    CERTIFICATE_EXPIRED.def(),
];
