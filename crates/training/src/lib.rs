//! 人员培训: courses and lessons, courseware files served with Range
//! requests, and completion by the seconds of video actually watched (the
//! player's reports merged and checked against the clock); a matter may
//! require a course before a clerk accepts it (`gate`). Exams draw papers
//! from a question bank (`bank`, `exams`, `attempts`, `marking`); a course
//! may issue certificates that expire (`certificates`). Instructors teach
//! 线下培训 classes whose attendance is taken by a rotating QR code
//! (`instructors`, `classes`, `presence`); textbooks keep their editions (`textbooks`).
//! Other modules read exam results through `results`.

mod attempts;
mod bank;
mod bank_excel;
mod categories;
mod certificates;
mod classes;
mod courses;
pub mod demo;
mod entity;
pub mod events;
mod exams;
mod files;
pub mod gate;
pub mod http;
mod instructors;
pub mod marking;
pub mod migrations;
pub mod permissions;
mod plans;
mod popular;
mod presence;
mod progress;
mod ranking;
mod raster;
mod refresh;
pub mod reminders;
pub mod results;
pub mod sample_video;
mod stats;
mod textbooks;
mod tour;
pub mod watch;
pub mod words;

pub use classes::hours_between as class_hours_between;
pub use courses::{CourseDto, CourseInput, LessonDto, LessonInput};
pub use files::FileDto;
pub use plans::{AssignedPlan, plans_for};
pub use progress::LessonProgressDto;

/// 人员培训.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "training",
    label: "人员培训",
    migrate: govhall_platform::migrate_fn!(migrate),
    open: None,
    router: http::router,
    // The statistics name every learner with their scores: an export.
    audited_reads: &[("GET", "/api/v1/halls/{hall}/training/statistics")],
    tags: &[("training", "人员培训：课程、课件与学习进度")],
    tasks: Some(reminders::spawn),
    permissions: permissions::PERMISSIONS,
    personal_data: &[],
    cleared_on_key_rotation: &[],
    demo: None,
    words: words::WORDS,
    events: events::EVENTS,
    notices: &[
        ("training.plan_reminder", "培训任务提醒"),
        ("training.class_reminder", "线下培训通知"),
    ],
};

pub async fn migrate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm_migration::MigratorTrait;
    migrations::Migrator::up(db, None).await?;
    Ok(())
}
