//! Instructors, instructor-led classes (线下培训) with their attendance,
//! textbooks (教材) with versions, the hall's category tree (培训分类), a
//! video lesson's poster frame, a lesson that is a matter's guide, a plan
//! for new hires, and the mark that a certificate's expiry was announced.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum TrainingInstructors {
    Table,
    Id,
    HallId,
    Name,
    Kind,
    StaffId,
    Title,
    Bio,
    CourseIds,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingClasses {
    Table,
    Id,
    HallId,
    Title,
    InstructorId,
    CourseId,
    Place,
    StartsAt,
    EndsAt,
    DepartmentId,
    Position,
    Secret,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingAttendance {
    Table,
    ClassId,
    StaffId,
    HallId,
    SignedAt,
    Method,
    Note,
    RecordedBy,
}

#[derive(DeriveIden)]
enum TrainingTextbooks {
    Table,
    Id,
    HallId,
    Title,
    Category,
    Summary,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingTextbookVersions {
    Table,
    Id,
    TextbookId,
    HallId,
    Version,
    FileId,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingPlans {
    Table,
    JoinedWithinDays,
}

#[derive(DeriveIden)]
enum TrainingCategories {
    Table,
    HallId,
    Name,
    Parent,
    SortOrder,
}

#[derive(DeriveIden)]
enum TrainingLessons {
    Table,
    PosterFileId,
    TaskCode,
}

#[derive(DeriveIden)]
enum TrainingCertificates {
    Table,
    ExpiryAnnouncedAt,
}

pub struct M0007Classes;

impl MigrationName for M0007Classes {
    fn name(&self) -> &str {
        "m0007_classes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0007Classes {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TrainingInstructors::Table)
                .col(string(TrainingInstructors::Id).primary_key())
                .col(string(TrainingInstructors::HallId))
                .col(string(TrainingInstructors::Name))
                .col(string(TrainingInstructors::Kind))
                .col(string_null(TrainingInstructors::StaffId))
                .col(string(TrainingInstructors::Title))
                .col(text(TrainingInstructors::Bio))
                .col(text(TrainingInstructors::CourseIds))
                .col(timestamp_with_time_zone(TrainingInstructors::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingClasses::Table)
                .col(string(TrainingClasses::Id).primary_key())
                .col(string(TrainingClasses::HallId))
                .col(string(TrainingClasses::Title))
                .col(string_null(TrainingClasses::InstructorId))
                .col(string_null(TrainingClasses::CourseId))
                .col(string(TrainingClasses::Place))
                .col(timestamp_with_time_zone(TrainingClasses::StartsAt))
                .col(timestamp_with_time_zone(TrainingClasses::EndsAt))
                .col(string_null(TrainingClasses::DepartmentId))
                .col(string_null(TrainingClasses::Position))
                .col(string(TrainingClasses::Secret))
                .col(timestamp_with_time_zone(TrainingClasses::CreatedAt))
                .to_owned(),
        )
        .await?;
        // One sign-in per person and class, even when two scans race.
        m.create_table(
            Table::create()
                .table(TrainingAttendance::Table)
                .col(string(TrainingAttendance::ClassId))
                .col(string(TrainingAttendance::StaffId))
                .col(string(TrainingAttendance::HallId))
                .col(timestamp_with_time_zone(TrainingAttendance::SignedAt))
                .col(string(TrainingAttendance::Method))
                .col(string(TrainingAttendance::Note))
                .col(string(TrainingAttendance::RecordedBy))
                .primary_key(
                    Index::create()
                        .col(TrainingAttendance::ClassId)
                        .col(TrainingAttendance::StaffId),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingTextbooks::Table)
                .col(string(TrainingTextbooks::Id).primary_key())
                .col(string(TrainingTextbooks::HallId))
                .col(string(TrainingTextbooks::Title))
                .col(string(TrainingTextbooks::Category))
                .col(text(TrainingTextbooks::Summary))
                .col(timestamp_with_time_zone(TrainingTextbooks::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingTextbookVersions::Table)
                .col(string(TrainingTextbookVersions::Id).primary_key())
                .col(string(TrainingTextbookVersions::TextbookId))
                .col(string(TrainingTextbookVersions::HallId))
                .col(string(TrainingTextbookVersions::Version))
                .col(string(TrainingTextbookVersions::FileId))
                .col(text(TrainingTextbookVersions::Note))
                .col(timestamp_with_time_zone(
                    TrainingTextbookVersions::CreatedAt,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("training_textbook_versions_label")
                .table(TrainingTextbookVersions::Table)
                .col(TrainingTextbookVersions::TextbookId)
                .col(TrainingTextbookVersions::Version)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingCategories::Table)
                .col(string(TrainingCategories::HallId))
                .col(string(TrainingCategories::Name))
                .col(string_null(TrainingCategories::Parent))
                .col(integer(TrainingCategories::SortOrder))
                .primary_key(
                    Index::create()
                        .col(TrainingCategories::HallId)
                        .col(TrainingCategories::Name),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingLessons::Table)
                .add_column(string_null(TrainingLessons::PosterFileId))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingLessons::Table)
                .add_column(string_null(TrainingLessons::TaskCode))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingPlans::Table)
                .add_column(integer_null(TrainingPlans::JoinedWithinDays))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingCertificates::Table)
                .add_column(timestamp_with_time_zone_null(
                    TrainingCertificates::ExpiryAnnouncedAt,
                ))
                .to_owned(),
        )
        .await
    }
}
