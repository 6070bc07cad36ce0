//! Platform tables: hall directory, accounts and sessions, event log, calendar.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Halls {
    Table,
    Id,
    Code,
    Name,
    RegionCode,
    Address,
    OpensAt,
    ClosesAt,
    HoursNote,
}

#[derive(DeriveIden)]
enum Areas {
    Table,
    Id,
    HallId,
    Name,
    Floor,
    SortOrder,
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
    HallId,
    Name,
    CreditCode,
    SortOrder,
}

#[derive(DeriveIden)]
enum Windows {
    Table,
    Id,
    HallId,
    Code,
    Name,
    Kind,
    Status,
    AreaId,
    DepartmentId,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    HallId,
    EmployeeNo,
    Name,
    DepartmentId,
    Position,
    PhoneEnc,
    PhoneIdx,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Roles,
    HallId,
    StaffId,
    MustChangePassword,
    Disabled,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    LastSeenAt,
    ExpiresAt,
    Ip,
    UserAgent,
    Revoked,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Seq,
    Id,
    HallId,
    EventType,
    ActorId,
    ActorName,
    OccurredAt,
    Payload,
}

#[derive(DeriveIden)]
enum CalendarDays {
    Table,
    Date,
    Kind,
    Name,
    UpdatedAt,
}

const CREATED_AT: &str = "created_at";
const UPDATED_AT: &str = "updated_at";

/// Every directory table carries the same two timestamps.
fn with_timestamps(t: &mut TableCreateStatement) -> TableCreateStatement {
    t.col(timestamp_with_time_zone(Alias::new(CREATED_AT)))
        .col(timestamp_with_time_zone(Alias::new(UPDATED_AT)))
        .to_owned()
}

fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn unique(name: &str, table: impl IntoIden, cols: &[&str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table).unique();
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(with_timestamps(
            Table::create()
                .table(Halls::Table)
                .col(string(Halls::Id).primary_key())
                .col(string_uniq(Halls::Code))
                .col(string(Halls::Name))
                .col(string(Halls::RegionCode))
                .col(string(Halls::Address))
                .col(string(Halls::OpensAt))
                .col(string(Halls::ClosesAt))
                .col(string(Halls::HoursNote)),
        ))
        .await?;

        m.create_table(with_timestamps(
            Table::create()
                .table(Areas::Table)
                .col(string(Areas::Id).primary_key())
                .col(string(Areas::HallId))
                .col(string(Areas::Name))
                .col(string_null(Areas::Floor))
                .col(integer(Areas::SortOrder))
                .foreign_key(&mut fk(
                    Areas::Table,
                    Areas::HallId,
                    Halls::Table,
                    Halls::Id,
                )),
        ))
        .await?;
        m.create_index(unique(
            "ux_areas_hall_name",
            Areas::Table,
            &["hall_id", "name"],
        ))
        .await?;

        m.create_table(with_timestamps(
            Table::create()
                .table(Departments::Table)
                .col(string(Departments::Id).primary_key())
                .col(string(Departments::HallId))
                .col(string(Departments::Name))
                .col(string(Departments::CreditCode))
                .col(integer(Departments::SortOrder))
                .foreign_key(&mut fk(
                    Departments::Table,
                    Departments::HallId,
                    Halls::Table,
                    Halls::Id,
                )),
        ))
        .await?;
        m.create_index(unique(
            "ux_departments_hall_credit",
            Departments::Table,
            &["hall_id", "credit_code"],
        ))
        .await?;

        m.create_table(with_timestamps(
            Table::create()
                .table(Windows::Table)
                .col(string(Windows::Id).primary_key())
                .col(string(Windows::HallId))
                .col(string(Windows::Code))
                .col(string(Windows::Name))
                .col(string(Windows::Kind))
                .col(string(Windows::Status))
                .col(string_null(Windows::AreaId))
                .col(string_null(Windows::DepartmentId))
                .foreign_key(&mut fk(
                    Windows::Table,
                    Windows::HallId,
                    Halls::Table,
                    Halls::Id,
                ))
                .foreign_key(&mut fk(
                    Windows::Table,
                    Windows::AreaId,
                    Areas::Table,
                    Areas::Id,
                ))
                .foreign_key(&mut fk(
                    Windows::Table,
                    Windows::DepartmentId,
                    Departments::Table,
                    Departments::Id,
                )),
        ))
        .await?;
        m.create_index(unique(
            "ux_windows_hall_code",
            Windows::Table,
            &["hall_id", "code"],
        ))
        .await?;

        m.create_table(with_timestamps(
            Table::create()
                .table(Staff::Table)
                .col(string(Staff::Id).primary_key())
                .col(string(Staff::HallId))
                .col(string(Staff::EmployeeNo))
                .col(string(Staff::Name))
                .col(string_null(Staff::DepartmentId))
                .col(string(Staff::Position))
                .col(text_null(Staff::PhoneEnc))
                .col(string_null(Staff::PhoneIdx))
                .foreign_key(&mut fk(
                    Staff::Table,
                    Staff::HallId,
                    Halls::Table,
                    Halls::Id,
                ))
                .foreign_key(&mut fk(
                    Staff::Table,
                    Staff::DepartmentId,
                    Departments::Table,
                    Departments::Id,
                )),
        ))
        .await?;
        m.create_index(unique(
            "ux_staff_hall_employee_no",
            Staff::Table,
            &["hall_id", "employee_no"],
        ))
        .await?;
        m.create_index(
            Index::create()
                .name("ix_staff_phone_idx")
                .table(Staff::Table)
                .col(Staff::PhoneIdx)
                .to_owned(),
        )
        .await?;

        m.create_table(with_timestamps(
            Table::create()
                .table(Users::Table)
                .col(string(Users::Id).primary_key())
                .col(string_uniq(Users::Username))
                .col(string(Users::DisplayName))
                .col(string(Users::PasswordHash))
                .col(string(Users::Roles))
                .col(string_null(Users::HallId))
                .col(string_null(Users::StaffId))
                .col(boolean(Users::MustChangePassword))
                .col(boolean(Users::Disabled))
                .foreign_key(&mut fk(
                    Users::Table,
                    Users::HallId,
                    Halls::Table,
                    Halls::Id,
                ))
                .foreign_key(&mut fk(
                    Users::Table,
                    Users::StaffId,
                    Staff::Table,
                    Staff::Id,
                )),
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string(Sessions::Id).primary_key())
                .col(string(Sessions::UserId))
                .col(timestamp_with_time_zone(Alias::new(CREATED_AT)))
                .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .col(string_null(Sessions::Ip))
                .col(string_null(Sessions::UserAgent))
                .col(boolean(Sessions::Revoked))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(
                    ColumnDef::new(Events::Seq)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(string_uniq(Events::Id))
                .col(string_null(Events::HallId))
                .col(string(Events::EventType))
                .col(string_null(Events::ActorId))
                .col(string(Events::ActorName))
                .col(timestamp_with_time_zone(Events::OccurredAt))
                .col(text(Events::Payload))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_events_hall_seq")
                .table(Events::Table)
                .col(Events::HallId)
                .col(Events::Seq)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CalendarDays::Table)
                .col(date(CalendarDays::Date).primary_key())
                .col(string(CalendarDays::Kind))
                .col(string(CalendarDays::Name))
                .col(timestamp_with_time_zone(CalendarDays::UpdatedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
