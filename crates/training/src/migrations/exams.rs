//! Exams and certificates: the question bank, exam papers drawn by rule, each
//! sitting with its answers and marks, and the certificates a completed
//! course issues; lessons may be exams or PDFs (pages viewed tracked),
//! courses may issue certificates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum TrainingQuestions {
    Table,
    Id,
    HallId,
    Category,
    Difficulty,
    Kind,
    Stem,
    Options,
    Answer,
    Explanation,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingExams {
    Table,
    Id,
    HallId,
    Title,
    Rules,
    TimeLimitMin,
    AttemptsLimit,
    PassPct,
    Shuffle,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingAttempts {
    Table,
    Id,
    HallId,
    ExamId,
    LessonId,
    LearnerId,
    LearnerName,
    StaffId,
    Paper,
    Answers,
    Marks,
    StartedAt,
    Deadline,
    SubmittedAt,
    Score,
    MaxScore,
    Status,
    MarkedBy,
}

#[derive(DeriveIden)]
enum TrainingCertificates {
    Table,
    Id,
    Number,
    HallId,
    CourseId,
    LearnerId,
    Holder,
    CourseTitle,
    IssuedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum TrainingLessons {
    Table,
    ExamId,
    Pages,
}

#[derive(DeriveIden)]
enum TrainingFiles {
    Table,
    Pages,
}

#[derive(DeriveIden)]
enum TrainingProgress {
    Table,
    PagesSeen,
}

#[derive(DeriveIden)]
enum TrainingCourses {
    Table,
    CertificateMonths,
}

pub struct M0003Exams;

impl MigrationName for M0003Exams {
    fn name(&self) -> &str {
        "m0003_exams"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0003Exams {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TrainingQuestions::Table)
                .col(string(TrainingQuestions::Id).primary_key())
                .col(string(TrainingQuestions::HallId))
                .col(string(TrainingQuestions::Category))
                .col(integer(TrainingQuestions::Difficulty))
                .col(string(TrainingQuestions::Kind))
                .col(text(TrainingQuestions::Stem))
                .col(text(TrainingQuestions::Options))
                .col(text(TrainingQuestions::Answer))
                .col(text(TrainingQuestions::Explanation))
                .col(boolean(TrainingQuestions::Active))
                .col(timestamp_with_time_zone(TrainingQuestions::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("training_questions_draw")
                .table(TrainingQuestions::Table)
                .col(TrainingQuestions::HallId)
                .col(TrainingQuestions::Category)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingExams::Table)
                .col(string(TrainingExams::Id).primary_key())
                .col(string(TrainingExams::HallId))
                .col(string(TrainingExams::Title))
                .col(text(TrainingExams::Rules))
                .col(integer(TrainingExams::TimeLimitMin))
                .col(integer(TrainingExams::AttemptsLimit))
                .col(integer(TrainingExams::PassPct))
                .col(boolean(TrainingExams::Shuffle))
                .col(timestamp_with_time_zone(TrainingExams::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingAttempts::Table)
                .col(string(TrainingAttempts::Id).primary_key())
                .col(string(TrainingAttempts::HallId))
                .col(string(TrainingAttempts::ExamId))
                .col(string_null(TrainingAttempts::LessonId))
                .col(string(TrainingAttempts::LearnerId))
                .col(string(TrainingAttempts::LearnerName))
                .col(string_null(TrainingAttempts::StaffId))
                .col(text(TrainingAttempts::Paper))
                .col(text(TrainingAttempts::Answers))
                .col(text(TrainingAttempts::Marks))
                .col(timestamp_with_time_zone(TrainingAttempts::StartedAt))
                .col(timestamp_with_time_zone(TrainingAttempts::Deadline))
                .col(timestamp_with_time_zone_null(TrainingAttempts::SubmittedAt))
                .col(double(TrainingAttempts::Score))
                .col(double(TrainingAttempts::MaxScore))
                .col(string(TrainingAttempts::Status))
                .col(string_null(TrainingAttempts::MarkedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("training_attempts_learner")
                .table(TrainingAttempts::Table)
                .col(TrainingAttempts::ExamId)
                .col(TrainingAttempts::LearnerId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingCertificates::Table)
                .col(string(TrainingCertificates::Id).primary_key())
                .col(string(TrainingCertificates::Number).unique_key())
                .col(string(TrainingCertificates::HallId))
                .col(string(TrainingCertificates::CourseId))
                .col(string(TrainingCertificates::LearnerId))
                .col(string(TrainingCertificates::Holder))
                .col(string(TrainingCertificates::CourseTitle))
                .col(timestamp_with_time_zone(TrainingCertificates::IssuedAt))
                .col(timestamp_with_time_zone(TrainingCertificates::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("training_certificates_learner")
                .table(TrainingCertificates::Table)
                .col(TrainingCertificates::LearnerId)
                .col(TrainingCertificates::CourseId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingLessons::Table)
                .add_column(string_null(TrainingLessons::ExamId))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingLessons::Table)
                .add_column(integer(TrainingLessons::Pages).default(0))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingFiles::Table)
                .add_column(integer_null(TrainingFiles::Pages))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingProgress::Table)
                .add_column(text(TrainingProgress::PagesSeen).default("[]"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingCourses::Table)
                .add_column(integer(TrainingCourses::CertificateMonths).default(0))
                .to_owned(),
        )
        .await
    }
}
