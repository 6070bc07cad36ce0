//! The training tables: courses, their lessons, courseware files (the bytes
//! live on disk under the data directory, by checksum), and each learner's
//! progress per lesson and course.

mod classes;
mod exams;
mod plans;
mod refreshers;
mod tour;

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_training".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Courses),
            Box::new(M0002Requirements),
            Box::new(exams::M0003Exams),
            Box::new(plans::M0004Plans),
            Box::new(tour::M0005Tour),
            Box::new(refreshers::M0006Refreshers),
            Box::new(classes::M0007Classes),
        ]
    }
}

#[derive(DeriveIden)]
enum TrainingCourses {
    Table,
    Id,
    HallId,
    Title,
    Category,
    Summary,
    Public,
    ForbidSeek,
    ForbidSpeed,
    Rule,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainingLessons {
    Table,
    Id,
    CourseId,
    HallId,
    SortOrder,
    Kind,
    Title,
    FileId,
    Body,
    DurationS,
    RequiredPct,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingFiles {
    Table,
    Id,
    HallId,
    Name,
    Mime,
    Size,
    Sha256,
    DurationS,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum TrainingProgress {
    Table,
    LessonId,
    LearnerId,
    HallId,
    CourseId,
    Spans,
    WatchedS,
    Position,
    Session,
    LastReportAt,
    CompletedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainingCompletions {
    Table,
    CourseId,
    LearnerId,
    HallId,
    CompletedAt,
}

struct M0001Courses;

impl MigrationName for M0001Courses {
    fn name(&self) -> &str {
        "m0001_courses"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Courses {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TrainingCourses::Table)
                .col(string(TrainingCourses::Id).primary_key())
                .col(string(TrainingCourses::HallId))
                .col(string(TrainingCourses::Title))
                .col(string(TrainingCourses::Category))
                .col(text(TrainingCourses::Summary))
                .col(boolean(TrainingCourses::Public))
                .col(boolean(TrainingCourses::ForbidSeek))
                .col(boolean(TrainingCourses::ForbidSpeed))
                .col(string(TrainingCourses::Rule))
                .col(timestamp_with_time_zone(TrainingCourses::CreatedAt))
                .col(timestamp_with_time_zone(TrainingCourses::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingLessons::Table)
                .col(string(TrainingLessons::Id).primary_key())
                .col(string(TrainingLessons::CourseId))
                .col(string(TrainingLessons::HallId))
                .col(integer(TrainingLessons::SortOrder))
                .col(string(TrainingLessons::Kind))
                .col(string(TrainingLessons::Title))
                .col(string_null(TrainingLessons::FileId))
                .col(text(TrainingLessons::Body))
                .col(double(TrainingLessons::DurationS))
                .col(integer(TrainingLessons::RequiredPct))
                .col(timestamp_with_time_zone(TrainingLessons::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_training_lessons_course")
                .table(TrainingLessons::Table)
                .col(TrainingLessons::CourseId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingFiles::Table)
                .col(string(TrainingFiles::Id).primary_key())
                .col(string(TrainingFiles::HallId))
                .col(string(TrainingFiles::Name))
                .col(string(TrainingFiles::Mime))
                .col(big_integer(TrainingFiles::Size))
                .col(string(TrainingFiles::Sha256))
                .col(double_null(TrainingFiles::DurationS))
                .col(timestamp_with_time_zone(TrainingFiles::CreatedAt))
                .col(string(TrainingFiles::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingProgress::Table)
                .col(string(TrainingProgress::LessonId))
                .col(string(TrainingProgress::LearnerId))
                .col(string(TrainingProgress::HallId))
                .col(string(TrainingProgress::CourseId))
                .col(text(TrainingProgress::Spans))
                .col(double(TrainingProgress::WatchedS))
                .col(double(TrainingProgress::Position))
                .col(string(TrainingProgress::Session))
                .col(timestamp_with_time_zone(TrainingProgress::LastReportAt))
                .col(timestamp_with_time_zone_null(TrainingProgress::CompletedAt))
                .col(timestamp_with_time_zone(TrainingProgress::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(TrainingProgress::LessonId)
                        .col(TrainingProgress::LearnerId),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingCompletions::Table)
                .col(string(TrainingCompletions::CourseId))
                .col(string(TrainingCompletions::LearnerId))
                .col(string(TrainingCompletions::HallId))
                .col(timestamp_with_time_zone(TrainingCompletions::CompletedAt))
                .primary_key(
                    Index::create()
                        .col(TrainingCompletions::CourseId)
                        .col(TrainingCompletions::LearnerId),
                )
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum TrainingRequirements {
    Table,
    HallId,
    TaskCode,
    CourseId,
    UpdatedAt,
}

struct M0002Requirements;

impl MigrationName for M0002Requirements {
    fn name(&self) -> &str {
        "m0002_requirements"
    }
}

/// Which course a matter requires before a clerk may accept it (上岗认证).
#[async_trait::async_trait]
impl MigrationTrait for M0002Requirements {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TrainingRequirements::Table)
                .col(string(TrainingRequirements::HallId))
                .col(string(TrainingRequirements::TaskCode))
                .col(string(TrainingRequirements::CourseId))
                .col(timestamp_with_time_zone(TrainingRequirements::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(TrainingRequirements::HallId)
                        .col(TrainingRequirements::TaskCode),
                )
                .to_owned(),
        )
        .await
    }
}
