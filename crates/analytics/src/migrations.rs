//! The analytics tables: facts projected from the event log (one row per
//! ticket, case, rating …), the labels of the things they refer to, and the
//! projection's cursor. All of it can be thrown away and rebuilt from the log
//! (`govhall analytics rebuild`), so the tables are plain SQL both backends
//! accept, without foreign keys to other modules.

use sea_orm_migration::prelude::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_analytics".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Facts),
            Box::new(M0002Reports),
            Box::new(M0003Cube),
            Box::new(M0004CorrectionItems),
            Box::new(M0005RatingParts),
            Box::new(M0006RatingInvalidated),
            Box::new(M0007CaseReturns),
            Box::new(M0008WindowSpans),
        ]
    }
}

/// Time columns every fact carries: the local day, the Monday of its week, the hour.
const WHEN: &str = "day TEXT NOT NULL, week TEXT NOT NULL, hour BIGINT NOT NULL";
/// Where and by whom, as the projection resolved it when the event came.
const WHERE: &str = "window_id TEXT, staff_id TEXT, area_id TEXT, department_id TEXT";

fn tables() -> Vec<String> {
    vec![
        "CREATE TABLE analytics_cursor (name TEXT PRIMARY KEY, last_seq BIGINT NOT NULL, updated_at BIGINT NOT NULL)".into(),
        "CREATE TABLE analytics_labels (kind TEXT NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL, PRIMARY KEY (kind, id))".into(),
        "CREATE TABLE analytics_windows (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, area_id TEXT, department_id TEXT)".into(),
        format!(
            "CREATE TABLE analytics_tickets (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, number TEXT NOT NULL, \
             line_id TEXT NOT NULL, channel TEXT NOT NULL, class TEXT NOT NULL, appointment_id TEXT, \
             issued_at BIGINT NOT NULL, {WHEN}, {WHERE}, called BIGINT NOT NULL DEFAULT 0, \
             first_called_at BIGINT, wait_s BIGINT, started_at BIGINT, service_s BIGINT, \
             served BIGINT NOT NULL DEFAULT 0, no_show BIGINT NOT NULL DEFAULT 0, \
             transfers BIGINT NOT NULL DEFAULT 0, outcome TEXT NOT NULL)"
        ),
        format!(
            "CREATE TABLE analytics_cases (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, number TEXT NOT NULL, \
             task_code TEXT NOT NULL, channel TEXT NOT NULL, bundle_code TEXT, ticket_id TEXT, \
             received_at BIGINT NOT NULL, {WHEN}, {WHERE}, \
             accepted BIGINT NOT NULL DEFAULT 0, instant BIGINT NOT NULL DEFAULT 0, \
             refused BIGINT NOT NULL DEFAULT 0, closed BIGINT NOT NULL DEFAULT 0, \
             corrections BIGINT NOT NULL DEFAULT 0, deferred BIGINT NOT NULL DEFAULT 0, due_on TEXT, \
             decided_at BIGINT, d_day TEXT, d_week TEXT, d_hour BIGINT, stage TEXT NOT NULL, status BIGINT NOT NULL)"
        ),
        format!(
            "CREATE TABLE analytics_ratings (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, subject TEXT NOT NULL, \
             number TEXT NOT NULL, channel TEXT NOT NULL, task_code TEXT, overall BIGINT NOT NULL, {WHEN}, {WHERE})"
        ),
        format!(
            "CREATE TABLE analytics_rectifications (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, rating_id TEXT NOT NULL, \
             due_day TEXT NOT NULL, status TEXT NOT NULL, closed_day TEXT, {WHEN}, {WHERE})"
        ),
        format!(
            "CREATE TABLE analytics_window_days (hall_id TEXT NOT NULL, {WHEN}, {WHERE}, \
             signed_s BIGINT NOT NULL DEFAULT 0, paused_s BIGINT NOT NULL DEFAULT 0, serving_s BIGINT NOT NULL DEFAULT 0, \
             PRIMARY KEY (window_id, staff_id, day))"
        ),
        "CREATE TABLE analytics_open_spans (window_id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, staff_id TEXT NOT NULL, \
         since BIGINT NOT NULL, paused_since BIGINT)".into(),
        format!(
            "CREATE TABLE analytics_appointments (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, line_id TEXT NOT NULL, {WHEN}, \
             cancelled BIGINT NOT NULL DEFAULT 0, checked_in BIGINT NOT NULL DEFAULT 0)"
        ),
        format!(
            "CREATE TABLE analytics_guidance (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, kind TEXT NOT NULL, \
             task_code TEXT, {WHEN})"
        ),
        format!(
            "CREATE TABLE analytics_joint (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, number TEXT NOT NULL, \
             bundle_code TEXT NOT NULL, {WHEN}, window_id TEXT, staff_id TEXT)"
        ),
    ]
}

fn indexes() -> Vec<&'static str> {
    vec![
        "CREATE INDEX analytics_tickets_hall_day ON analytics_tickets (hall_id, day)",
        "CREATE INDEX analytics_tickets_window_day ON analytics_tickets (window_id, day)",
        "CREATE INDEX analytics_tickets_staff_day ON analytics_tickets (staff_id, day)",
        "CREATE INDEX analytics_tickets_dept_day ON analytics_tickets (department_id, day)",
        "CREATE INDEX analytics_cases_hall_day ON analytics_cases (hall_id, day)",
        "CREATE INDEX analytics_cases_hall_dday ON analytics_cases (hall_id, d_day)",
        "CREATE INDEX analytics_cases_dept_day ON analytics_cases (department_id, day)",
        "CREATE INDEX analytics_cases_staff_day ON analytics_cases (staff_id, day)",
        "CREATE INDEX analytics_ratings_hall_day ON analytics_ratings (hall_id, day)",
        "CREATE INDEX analytics_rect_hall_day ON analytics_rectifications (hall_id, day)",
        "CREATE INDEX analytics_window_days_hall_day ON analytics_window_days (hall_id, day)",
        "CREATE INDEX analytics_appointments_hall_day ON analytics_appointments (hall_id, day)",
        "CREATE INDEX analytics_guidance_hall_day ON analytics_guidance (hall_id, day)",
        "CREATE INDEX analytics_joint_hall_day ON analytics_joint (hall_id, day)",
    ]
}

/// The projected tables, emptied by a rebuild (labels and the cursor too).
pub const PROJECTED: &[&str] = &[
    "analytics_labels",
    "analytics_windows",
    "analytics_tickets",
    "analytics_cases",
    "analytics_ratings",
    "analytics_rectifications",
    "analytics_window_days",
    "analytics_open_spans",
    "analytics_window_spans",
    "analytics_appointments",
    "analytics_guidance",
    "analytics_joint",
    "analytics_correction_items",
    "analytics_cube",
    "analytics_cube_months",
    "analytics_cube_gen",
];

#[derive(DeriveMigrationName)]
struct M0001Facts;

#[async_trait::async_trait]
impl MigrationTrait for M0001Facts {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in tables() {
            db.execute_unprepared(&sql).await?;
        }
        for sql in indexes() {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}

struct M0002Reports;

impl MigrationName for M0002Reports {
    fn name(&self) -> &str {
        "m0002_reports"
    }
}

/// 成效报告: drafts and published reports. Not projected: kept across rebuilds.
#[async_trait::async_trait]
impl MigrationTrait for M0002Reports {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE analytics_reports (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, period TEXT NOT NULL, \
             status TEXT NOT NULL, content TEXT NOT NULL, created_at BIGINT NOT NULL, created_by TEXT NOT NULL, \
             published_at BIGINT, published_by TEXT)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX analytics_reports_hall_period ON analytics_reports (hall_id, period)",
        )
        .await?;
        Ok(())
    }
}

struct M0003Cube;

impl MigrationName for M0003Cube {
    fn name(&self) -> &str {
        "m0003_cube"
    }
}

/// The month cube (`cube.rs`): partial sums per statement shape and closed
/// month, which months are stored, and each hall-month's generation.
#[async_trait::async_trait]
impl MigrationTrait for M0003Cube {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "CREATE TABLE analytics_cube (hall_id TEXT NOT NULL, tbl TEXT NOT NULL, shape TEXT NOT NULL, \
             month TEXT NOT NULL, p TEXT, members TEXT NOT NULL, item TEXT, \
             num DOUBLE PRECISION NOT NULL, den DOUBLE PRECISION NOT NULL, nr DOUBLE PRECISION NOT NULL)",
            "CREATE INDEX analytics_cube_shape_month ON analytics_cube (shape, month)",
            "CREATE INDEX analytics_cube_hall_month ON analytics_cube (hall_id, month)",
            "CREATE TABLE analytics_cube_months (shape TEXT NOT NULL, month TEXT NOT NULL, hall_id TEXT NOT NULL, \
             tbl TEXT NOT NULL, daily BIGINT NOT NULL, made_on TEXT NOT NULL, PRIMARY KEY (shape, month))",
            "CREATE INDEX analytics_cube_months_hall ON analytics_cube_months (hall_id, month)",
            "CREATE TABLE analytics_cube_gen (hall_id TEXT NOT NULL, month TEXT NOT NULL, gen BIGINT NOT NULL, \
             PRIMARY KEY (hall_id, month))",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}

struct M0004CorrectionItems;

impl MigrationName for M0004CorrectionItems {
    fn name(&self) -> &str {
        "m0004_correction_items"
    }
}

/// Each item of a 一次性告知 (补正) as its own fact: which materials a
/// matter's applicants most often lack.
#[async_trait::async_trait]
impl MigrationTrait for M0004CorrectionItems {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "CREATE TABLE analytics_correction_items (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, \
             case_id TEXT NOT NULL, task_code TEXT NOT NULL, item TEXT NOT NULL, {WHEN}, {WHERE})"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE INDEX analytics_correction_items_hall_day ON analytics_correction_items (hall_id, day)",
        )
        .await?;
        Ok(())
    }
}

struct M0005RatingParts;

impl MigrationName for M0005RatingParts {
    fn name(&self) -> &str {
        "m0005_rating_parts"
    }
}

/// The three parts of a rating (办事效率, 业务水平, 服务态度): what a 差评 is
/// about. Ratings projected before this migration have none until
/// `govhall analytics rebuild`.
#[async_trait::async_trait]
impl MigrationTrait for M0005RatingParts {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for col in ["efficiency", "skill", "attitude"] {
            db.execute_unprepared(&format!(
                "ALTER TABLE analytics_ratings ADD COLUMN {col} BIGINT"
            ))
            .await?;
        }
        Ok(())
    }
}

struct M0006RatingInvalidated;

impl MigrationName for M0006RatingInvalidated {
    fn name(&self) -> &str {
        "m0006_rating_invalidated"
    }
}

/// A 差评 认定无效 on appeal (申诉复核) no longer counts against the clerk:
/// the rating is marked, from the rectifications already projected.
#[async_trait::async_trait]
impl MigrationTrait for M0006RatingInvalidated {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "ALTER TABLE analytics_ratings ADD COLUMN invalidated BIGINT NOT NULL DEFAULT 0",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE analytics_ratings SET invalidated = 1 WHERE id IN \
             (SELECT rating_id FROM analytics_rectifications WHERE status = 'invalid')",
        )
        .await?;
        Ok(())
    }
}

struct M0007CaseReturns;

impl MigrationName for M0007CaseReturns {
    fn name(&self) -> &str {
        "m0007_case_returns"
    }
}

/// How often a department sent a case back to the window after the
/// handover (退回窗口): an intake error the assessment counts. Cases
/// projected before this migration have none until `govhall analytics rebuild`.
#[async_trait::async_trait]
impl MigrationTrait for M0007CaseReturns {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE analytics_cases ADD COLUMN returned BIGINT NOT NULL DEFAULT 0",
            )
            .await?;
        Ok(())
    }
}

struct M0008WindowSpans;

impl MigrationName for M0008WindowSpans {
    fn name(&self) -> &str {
        "m0008_window_spans"
    }
}

/// When each window was signed in, paused and busy with a ticket (from its
/// call until it left the window), so a rule can find a window idle while
/// people waited for its lines. Days projected before this migration have
/// no spans until `govhall analytics rebuild`.
#[async_trait::async_trait]
impl MigrationTrait for M0008WindowSpans {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "CREATE TABLE analytics_window_spans (hall_id TEXT NOT NULL, day TEXT NOT NULL, window_id TEXT NOT NULL, \
             staff_id TEXT NOT NULL, kind TEXT NOT NULL, from_at BIGINT NOT NULL, to_at BIGINT NOT NULL)",
            "CREATE INDEX analytics_window_spans_hall_day ON analytics_window_spans (hall_id, day)",
            "ALTER TABLE analytics_open_spans ADD COLUMN busy_since BIGINT",
            "ALTER TABLE analytics_open_spans ADD COLUMN busy_ticket TEXT",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
