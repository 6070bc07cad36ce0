//! The queue's own migrations, tracked in their own table.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_queue".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Queue),
            Box::new(M0002VisitsAndRatings),
            Box::new(M0003Appointments),
            Box::new(M0004VoicePacks),
            Box::new(M0005HallVersions),
            Box::new(M0006LineAging),
            Box::new(M0007TicketGuidance),
            Box::new(M0008RatingSubjects),
            Box::new(M0009TicketWeChat),
            Box::new(M0010TicketIndexes),
            Box::new(M0011AppointmentCodes),
            Box::new(M0012Assists),
        ]
    }
}

#[derive(DeriveIden, Clone)]
enum QueueLines {
    Table,
    Id,
    HallId,
    Prefix,
    Name,
    OpensAt,
    ClosesAt,
    DailyCap,
    Active,
    SortOrder,
}

#[derive(DeriveIden, Clone)]
enum QueueWindowSkills {
    Table,
    WindowId,
    LineId,
    HallId,
    Level,
}

#[derive(DeriveIden, Clone)]
enum QueueTickets {
    Table,
    Id,
    HallId,
    LineId,
    Day,
    Seq,
    Number,
    Class,
    Channel,
    Status,
    IssuedAt,
    Since,
    WindowId,
    CalledAt,
    CalledCount,
    FinishedAt,
    TokenHash,
    Note,
}

#[derive(DeriveIden, Clone)]
enum QueueDayCounters {
    Table,
    LineId,
    Day,
    LastSeq,
}

#[derive(DeriveIden, Clone)]
enum QueueWindowCounters {
    Table,
    WindowId,
    Day,
    OthersSinceGreen,
    GreensInRow,
    Calls,
    AppointmentCalls,
}

#[derive(DeriveIden)]
enum Halls {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Windows {
    Table,
    Id,
}

struct M0001Queue;

impl MigrationName for M0001Queue {
    fn name(&self) -> &str {
        "m0001_queue"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Queue {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(QueueLines::Table)
                .col(string(QueueLines::Id).primary_key())
                .col(string(QueueLines::HallId))
                .col(string(QueueLines::Prefix))
                .col(string(QueueLines::Name))
                .col(string(QueueLines::OpensAt))
                .col(string(QueueLines::ClosesAt))
                .col(integer(QueueLines::DailyCap))
                .col(boolean(QueueLines::Active))
                .col(integer(QueueLines::SortOrder))
                .foreign_key(
                    ForeignKey::create()
                        .from(QueueLines::Table, QueueLines::HallId)
                        .to(Halls::Table, Halls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_queue_lines_prefix")
                .table(QueueLines::Table)
                .col(QueueLines::HallId)
                .col(QueueLines::Prefix)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueWindowSkills::Table)
                .col(string(QueueWindowSkills::WindowId))
                .col(string(QueueWindowSkills::LineId))
                .col(string(QueueWindowSkills::HallId))
                .col(string(QueueWindowSkills::Level))
                .primary_key(
                    Index::create()
                        .col(QueueWindowSkills::WindowId)
                        .col(QueueWindowSkills::LineId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(QueueWindowSkills::Table, QueueWindowSkills::WindowId)
                        .to(Windows::Table, Windows::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(QueueWindowSkills::Table, QueueWindowSkills::LineId)
                        .to(QueueLines::Table, QueueLines::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueTickets::Table)
                .col(string(QueueTickets::Id).primary_key())
                .col(string(QueueTickets::HallId))
                .col(string(QueueTickets::LineId))
                .col(string(QueueTickets::Day))
                .col(integer(QueueTickets::Seq))
                .col(string(QueueTickets::Number))
                .col(string(QueueTickets::Class))
                .col(string(QueueTickets::Channel))
                .col(string(QueueTickets::Status))
                .col(timestamp_with_time_zone(QueueTickets::IssuedAt))
                .col(timestamp_with_time_zone(QueueTickets::Since))
                .col(string_null(QueueTickets::WindowId))
                .col(timestamp_with_time_zone_null(QueueTickets::CalledAt))
                .col(integer(QueueTickets::CalledCount))
                .col(timestamp_with_time_zone_null(QueueTickets::FinishedAt))
                .col(string(QueueTickets::TokenHash))
                .col(string_null(QueueTickets::Note))
                .foreign_key(
                    ForeignKey::create()
                        .from(QueueTickets::Table, QueueTickets::LineId)
                        .to(QueueLines::Table, QueueLines::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // A number is issued once per hall and day (it keeps its number when transferred).
        m.create_index(
            Index::create()
                .name("ux_queue_tickets_number")
                .table(QueueTickets::Table)
                .col(QueueTickets::HallId)
                .col(QueueTickets::Day)
                .col(QueueTickets::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_queue_tickets_waiting")
                .table(QueueTickets::Table)
                .col(QueueTickets::HallId)
                .col(QueueTickets::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueDayCounters::Table)
                .col(string(QueueDayCounters::LineId))
                .col(string(QueueDayCounters::Day))
                .col(integer(QueueDayCounters::LastSeq))
                .primary_key(
                    Index::create()
                        .col(QueueDayCounters::LineId)
                        .col(QueueDayCounters::Day),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueWindowCounters::Table)
                .col(string(QueueWindowCounters::WindowId))
                .col(string(QueueWindowCounters::Day))
                .col(integer(QueueWindowCounters::OthersSinceGreen))
                .col(integer(QueueWindowCounters::GreensInRow))
                .col(integer(QueueWindowCounters::Calls))
                .col(integer(QueueWindowCounters::AppointmentCalls))
                .primary_key(
                    Index::create()
                        .col(QueueWindowCounters::WindowId)
                        .col(QueueWindowCounters::Day),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

/// Ticket columns added by m0002.
#[derive(DeriveIden)]
enum TicketsV2 {
    IdEnc,
    PhoneEnc,
    PersonIdx,
    GreenReason,
    QuotedWait,
    NoShowCount,
    StaffId,
}

#[derive(DeriveIden)]
enum QueueSettings {
    Table,
    HallId,
    Body,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum QueueRatings {
    Table,
    Id,
    HallId,
    TicketId,
    Number,
    LineName,
    WindowId,
    WindowName,
    StaffId,
    StaffName,
    Overall,
    Efficiency,
    Skill,
    Attitude,
    Tags,
    Comment,
    Channel,
    RatedAt,
    ServedAt,
    HallCode,
    DeptCode,
    DeptName,
    WindowCode,
    EmployeeNo,
    ApplicantIdEnc,
}

#[derive(DeriveIden)]
enum QueueRectifications {
    Table,
    Id,
    HallId,
    RatingId,
    Status,
    DueDay,
    Handler,
    History,
    CreatedAt,
    UpdatedAt,
}

/// Personal data and green-channel reason on tickets, the quoted wait, the
/// per-hall settings, ratings (好差评) and their rectification tickets.
struct M0002VisitsAndRatings;

impl MigrationName for M0002VisitsAndRatings {
    fn name(&self) -> &str {
        "m0002_visits_and_ratings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0002VisitsAndRatings {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column at a time.
        for col in [
            string_null(TicketsV2::IdEnc),
            string_null(TicketsV2::PhoneEnc),
            string_null(TicketsV2::PersonIdx),
            string_null(TicketsV2::GreenReason),
            integer_null(TicketsV2::QuotedWait),
            integer(TicketsV2::NoShowCount).default(0).to_owned(),
            string_null(TicketsV2::StaffId),
        ] {
            let mut col = col;
            m.alter_table(
                Table::alter()
                    .table(QueueTickets::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        // Heads of line per class (call next) and places in line (people ahead).
        m.create_index(
            Index::create()
                .name("ix_queue_tickets_line_head")
                .table(QueueTickets::Table)
                .col(QueueTickets::LineId)
                .col(QueueTickets::Status)
                .col(QueueTickets::Day)
                .col(QueueTickets::Class)
                .col(QueueTickets::Since)
                .col(QueueTickets::Seq)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_queue_tickets_line_place")
                .table(QueueTickets::Table)
                .col(QueueTickets::LineId)
                .col(QueueTickets::Status)
                .col(QueueTickets::Day)
                .col(QueueTickets::Since)
                .col(QueueTickets::Seq)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_queue_tickets_person")
                .table(QueueTickets::Table)
                .col(TicketsV2::PersonIdx)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueSettings::Table)
                .col(string(QueueSettings::HallId).primary_key())
                .col(text(QueueSettings::Body))
                .col(timestamp_with_time_zone(QueueSettings::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueRatings::Table)
                .col(string(QueueRatings::Id).primary_key())
                .col(string(QueueRatings::HallId))
                .col(string(QueueRatings::TicketId).unique_key())
                .col(string(QueueRatings::Number))
                .col(string(QueueRatings::LineName))
                .col(string_null(QueueRatings::WindowId))
                .col(string(QueueRatings::WindowName))
                .col(string_null(QueueRatings::StaffId))
                .col(string(QueueRatings::StaffName))
                .col(integer(QueueRatings::Overall))
                .col(integer(QueueRatings::Efficiency))
                .col(integer(QueueRatings::Skill))
                .col(integer(QueueRatings::Attitude))
                .col(text(QueueRatings::Tags))
                .col(text(QueueRatings::Comment))
                .col(string(QueueRatings::Channel))
                .col(timestamp_with_time_zone(QueueRatings::RatedAt))
                .col(timestamp_with_time_zone_null(QueueRatings::ServedAt))
                .col(string(QueueRatings::HallCode))
                .col(string(QueueRatings::DeptCode))
                .col(string(QueueRatings::DeptName))
                .col(string(QueueRatings::WindowCode))
                .col(string(QueueRatings::EmployeeNo))
                .col(string_null(QueueRatings::ApplicantIdEnc))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueRectifications::Table)
                .col(string(QueueRectifications::Id).primary_key())
                .col(string(QueueRectifications::HallId))
                .col(string(QueueRectifications::RatingId).unique_key())
                .col(string(QueueRectifications::Status))
                .col(string(QueueRectifications::DueDay))
                .col(string_null(QueueRectifications::Handler))
                .col(text(QueueRectifications::History))
                .col(timestamp_with_time_zone(QueueRectifications::CreatedAt))
                .col(timestamp_with_time_zone(QueueRectifications::UpdatedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum LinesV3 {
    SlotMinutes,
    SlotQuota,
}

#[derive(DeriveIden)]
enum TicketsV3 {
    AppointmentId,
    ApptFrom,
    ApptTo,
    TargetWindowId,
}

#[derive(DeriveIden)]
enum QueueAppointments {
    Table,
    Id,
    HallId,
    LineId,
    Day,
    SlotFrom,
    SlotTo,
    Code,
    TokenHash,
    PhoneEnc,
    PhoneIdx,
    IdEnc,
    PersonIdx,
    Status,
    TicketId,
    CreatedAt,
    UpdatedAt,
}

/// Appointments (预约): per-line slots and quotas, the bookings, and the
/// appointment and target-window columns on tickets.
struct M0003Appointments;

impl MigrationName for M0003Appointments {
    fn name(&self) -> &str {
        "m0003_appointments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0003Appointments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            integer(LinesV3::SlotMinutes).default(30).to_owned(),
            integer(LinesV3::SlotQuota).default(0).to_owned(),
        ] {
            let mut col = col;
            m.alter_table(
                Table::alter()
                    .table(QueueLines::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        for col in [
            string_null(TicketsV3::AppointmentId),
            integer_null(TicketsV3::ApptFrom),
            integer_null(TicketsV3::ApptTo),
            string_null(TicketsV3::TargetWindowId),
        ] {
            let mut col = col;
            m.alter_table(
                Table::alter()
                    .table(QueueTickets::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(QueueAppointments::Table)
                .col(string(QueueAppointments::Id).primary_key())
                .col(string(QueueAppointments::HallId))
                .col(string(QueueAppointments::LineId))
                .col(string(QueueAppointments::Day))
                .col(integer(QueueAppointments::SlotFrom))
                .col(integer(QueueAppointments::SlotTo))
                .col(string(QueueAppointments::Code))
                .col(string(QueueAppointments::TokenHash))
                .col(string(QueueAppointments::PhoneEnc))
                .col(string(QueueAppointments::PhoneIdx))
                .col(string_null(QueueAppointments::IdEnc))
                .col(string(QueueAppointments::PersonIdx))
                .col(string(QueueAppointments::Status))
                .col(string_null(QueueAppointments::TicketId))
                .col(timestamp_with_time_zone(QueueAppointments::CreatedAt))
                .col(timestamp_with_time_zone(QueueAppointments::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // Check-in by code: unique per hall and day.
        m.create_index(
            Index::create()
                .name("ux_queue_appointments_code")
                .table(QueueAppointments::Table)
                .col(QueueAppointments::HallId)
                .col(QueueAppointments::Day)
                .col(QueueAppointments::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        // Quota per slot.
        m.create_index(
            Index::create()
                .name("ix_queue_appointments_slot")
                .table(QueueAppointments::Table)
                .col(QueueAppointments::LineId)
                .col(QueueAppointments::Day)
                .col(QueueAppointments::SlotFrom)
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_queue_appointments_person", QueueAppointments::PersonIdx),
            ("ix_queue_appointments_phone", QueueAppointments::PhoneIdx),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(QueueAppointments::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum QueueVoiceClips {
    Table,
    HallId,
    Clip,
    Body,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LinesV4 {
    Matters,
}

/// A hall's own voice pack (one row per clip), and the matters each line serves.
struct M0004VoicePacks;

impl MigrationName for M0004VoicePacks {
    fn name(&self) -> &str {
        "m0004_voice_packs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0004VoicePacks {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(QueueVoiceClips::Table)
                .col(string(QueueVoiceClips::HallId))
                .col(string(QueueVoiceClips::Clip))
                .col(blob(QueueVoiceClips::Body))
                .col(timestamp_with_time_zone(QueueVoiceClips::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(QueueVoiceClips::HallId)
                        .col(QueueVoiceClips::Clip),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(QueueLines::Table)
                .add_column(text(LinesV4::Matters).default("[]"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum QueueHallVersions {
    Table,
    HallId,
    Version,
}

/// One counter per hall, raised by every change to its tickets: the queue
/// engine keeps a hall's waiting tickets in memory and reloads them when the
/// counter moved under it (another instance, or a window action).
struct M0005HallVersions;

impl MigrationName for M0005HallVersions {
    fn name(&self) -> &str {
        "m0005_hall_versions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0005HallVersions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(QueueHallVersions::Table)
                .col(string(QueueHallVersions::HallId).primary_key())
                .col(big_integer(QueueHallVersions::Version))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum LinesV6 {
    AgingMinutes,
}

/// A line's own 超时优先 threshold (a per-line priority rule).
struct M0006LineAging;

impl MigrationName for M0006LineAging {
    fn name(&self) -> &str {
        "m0006_line_aging"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0006LineAging {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(QueueLines::Table)
                .add_column(integer_null(LinesV6::AgingMinutes))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum TicketsV7 {
    Guidance,
}

/// The guidance result (matter and scenario answers) a ticket was taken with.
struct M0007TicketGuidance;

impl MigrationName for M0007TicketGuidance {
    fn name(&self) -> &str {
        "m0007_ticket_guidance"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0007TicketGuidance {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(QueueTickets::Table)
                .add_column(text_null(TicketsV7::Guidance))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum RatingSubject {
    Subject,
    TaskCode,
    ItemName,
}

/// Ratings of cases (一事一评) beside those of visits.
struct M0008RatingSubjects;

impl MigrationName for M0008RatingSubjects {
    fn name(&self) -> &str {
        "m0008_rating_subjects"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0008RatingSubjects {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            string(RatingSubject::Subject).default("visit").to_owned(),
            string_null(RatingSubject::TaskCode).to_owned(),
            string_null(RatingSubject::ItemName).to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(QueueRatings::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TicketWeChat {
    WechatOpenidEnc,
}

struct M0009TicketWeChat;

impl MigrationName for M0009TicketWeChat {
    fn name(&self) -> &str {
        "m0009_ticket_wechat"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0009TicketWeChat {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(QueueTickets::Table)
                .add_column(string_null(TicketWeChat::WechatOpenidEnc))
                .to_owned(),
        )
        .await
    }
}

/// The index of a line's waiting heads per class has been unused since the
/// engine keeps the waiting tickets in memory, yet every call rewrote it; the
/// estimate's recent calls get the index they read instead.
struct M0010TicketIndexes;

impl MigrationName for M0010TicketIndexes {
    fn name(&self) -> &str {
        "m0010_ticket_indexes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0010TicketIndexes {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_queue_tickets_line_head")
                .table(QueueTickets::Table)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_queue_tickets_line_called")
                .table(QueueTickets::Table)
                .col(QueueTickets::LineId)
                .col(QueueTickets::Day)
                .col(QueueTickets::CalledAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum AppointmentCode {
    CodeEnc,
}

/// 签到码 are kept encrypted (`code_enc`), `code` becomes their keyed index;
/// the queue rewrites existing bookings when it opens (this needs the key).
struct M0011AppointmentCodes;

impl MigrationName for M0011AppointmentCodes {
    fn name(&self) -> &str {
        "m0011_appointment_codes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0011AppointmentCodes {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(QueueAppointments::Table)
                .add_column(string_null(AppointmentCode::CodeEnc))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum QueueAssists {
    Table,
    Id,
    HallId,
    Day,
    At,
    Kind,
    CitizenName,
    CitizenPhoneEnc,
    ItemCode,
    ItemName,
    TicketNumber,
    HelperStaffId,
    HelperName,
    Result,
    Note,
    UpdatedAt,
}

/// The 帮办代办 ledger kept at the reception desk.
struct M0012Assists;

impl MigrationName for M0012Assists {
    fn name(&self) -> &str {
        "m0012_assists"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0012Assists {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use QueueAssists as A;
        m.create_table(
            Table::create()
                .table(A::Table)
                .col(string(A::Id).primary_key())
                .col(string(A::HallId))
                .col(date(A::Day))
                .col(timestamp_with_time_zone(A::At))
                .col(string(A::Kind))
                .col(string(A::CitizenName))
                .col(text_null(A::CitizenPhoneEnc))
                .col(string_null(A::ItemCode))
                .col(string(A::ItemName))
                .col(string_null(A::TicketNumber))
                .col(string_null(A::HelperStaffId))
                .col(string(A::HelperName))
                .col(string(A::Result))
                .col(text(A::Note))
                .col(timestamp_with_time_zone(A::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(A::Table, A::HallId)
                        .to(Halls::Table, Halls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_queue_assists_hall_day")
                .table(A::Table)
                .col(A::HallId)
                .col(A::Day)
                .to_owned(),
        )
        .await
    }
}
