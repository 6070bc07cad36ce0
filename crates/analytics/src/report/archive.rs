//! The report archive: one report per hall and period, a draft until it is
//! published. A draft can be regenerated from the data or its text edited;
//! a published report is frozen (figures and text) and stays downloadable.

use super::{Period, Report};
use crate::sql;
use chrono::{DateTime, Utc};
use govhall_kernel::error::{AppError, AppResult};
use govhall_kernel::new_id;
use govhall_platform::{AppState, auth::CurrentUser, db::DbResultExt, halls::HallRef};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportSummary {
    pub id: String,
    pub period: String,
    pub title: String,
    /// draft / published
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoredReport {
    #[serde(flatten)]
    pub summary: ReportSummary,
    pub report: Report,
}

/// The text a manager may change before publishing.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReportText {
    pub summary: String,
    pub highlights: Vec<String>,
    pub problems: Vec<String>,
    pub suggestions: Vec<String>,
}

const COLUMNS: &str =
    "id, period, status, content, created_at, created_by, published_at, published_by";

fn stored(r: &sea_orm::QueryResult) -> AppResult<StoredReport> {
    let report: Report = serde_json::from_str(&sql::string(r, "content").unwrap_or_default())
        .map_err(AppError::internal)?;
    let at = |c: &str| sql::int(r, c).and_then(DateTime::from_timestamp_millis);
    Ok(StoredReport {
        summary: ReportSummary {
            id: sql::string(r, "id").unwrap_or_default(),
            period: sql::string(r, "period").unwrap_or_default(),
            title: report.title.clone(),
            status: sql::string(r, "status").unwrap_or_default(),
            created_at: at("created_at").unwrap_or_default(),
            created_by: sql::string(r, "created_by").unwrap_or_default(),
            published_at: at("published_at"),
            published_by: sql::string(r, "published_by"),
        },
        report,
    })
}

pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<ReportSummary>> {
    let rows = sql::rows(
        &state.read,
        &format!("SELECT {COLUMNS} FROM analytics_reports WHERE hall_id = $1 ORDER BY period DESC"),
        vec![hall_id.into()],
    )
    .await
    .db_err()?;
    rows.iter().map(|r| stored(r).map(|s| s.summary)).collect()
}

/// The published report of a period, if there is one (the CLI writes it as frozen).
pub async fn published(state: &AppState, hall_id: &str, period: &str) -> AppResult<Option<Report>> {
    Ok(by_period(state, hall_id, period)
        .await?
        .filter(|s| s.summary.status == "published")
        .map(|s| s.report))
}

/// The hall a report belongs to (for the access check), 404 when there is none.
pub async fn hall_of(state: &AppState, id: &str) -> AppResult<String> {
    sql::one(
        &state.read,
        "SELECT hall_id FROM analytics_reports WHERE id = $1",
        vec![id.into()],
    )
    .await
    .db_err()?
    .and_then(|r| sql::string(&r, "hall_id"))
    .ok_or_else(|| AppError::NotFound("没有这份成效报告".into()))
}

pub async fn get(state: &AppState, hall_id: &str, id: &str) -> AppResult<StoredReport> {
    let row = sql::one(
        &state.read,
        &format!("SELECT {COLUMNS} FROM analytics_reports WHERE hall_id = $1 AND id = $2"),
        vec![hall_id.into(), id.into()],
    )
    .await
    .db_err()?
    .ok_or_else(|| AppError::NotFound("没有这份成效报告".into()))?;
    stored(&row)
}

async fn by_period(
    state: &AppState,
    hall_id: &str,
    period: &str,
) -> AppResult<Option<StoredReport>> {
    sql::one(
        &state.db,
        &format!("SELECT {COLUMNS} FROM analytics_reports WHERE hall_id = $1 AND period = $2"),
        vec![hall_id.into(), period.into()],
    )
    .await
    .db_err()?
    .as_ref()
    .map(stored)
    .transpose()
}

fn frozen() -> AppError {
    AppError::Conflict {
        message: "报告已发布，内容已冻结，不能再修改或重新生成".into(),
        fields: vec![],
    }
}

/// Generates the period's report from the data as a draft (replacing an
/// earlier draft of the same period; a published one is refused).
pub async fn generate(
    state: &AppState,
    user: &CurrentUser,
    hall: &HallRef,
    period: &str,
) -> AppResult<StoredReport> {
    let period = Period::parse(period)?;
    if period.from > govhall_kernel::time::today() {
        return Err(AppError::field(
            "period",
            format!("报告期 {} 尚未开始", period.label),
        ));
    }
    let report = super::build(state, hall, &period).await?;
    let content = serde_json::to_string(&report).map_err(AppError::internal)?;
    let now = Utc::now().timestamp_millis();
    match by_period(state, &hall.id, &period.key).await? {
        Some(s) if s.summary.status == "published" => return Err(frozen()),
        Some(s) => {
            sql::exec(
                &state.db,
                "UPDATE analytics_reports SET content = $1, created_at = $2, created_by = $3 WHERE id = $4",
                vec![content.into(), now.into(), user.display_name.clone().into(), s.summary.id.into()],
            )
            .await
            .db_err()?;
        }
        None => {
            sql::exec(
                &state.db,
                "INSERT INTO analytics_reports (id, hall_id, period, status, content, created_at, created_by) \
                 VALUES ($1, $2, $3, 'draft', $4, $5, $6)",
                vec![
                    new_id().to_string().into(),
                    hall.id.clone().into(),
                    period.key.clone().into(),
                    content.into(),
                    now.into(),
                    user.display_name.clone().into(),
                ],
            )
            .await
            .db_err()?;
        }
    }
    by_period(state, &hall.id, &period.key)
        .await?
        .ok_or_else(|| AppError::internal("report vanished"))
}

/// Replaces a draft's text; every item must say something.
pub async fn edit(
    state: &AppState,
    hall_id: &str,
    id: &str,
    text: ReportText,
) -> AppResult<StoredReport> {
    let current = get(state, hall_id, id).await?;
    if current.summary.status == "published" {
        return Err(frozen());
    }
    if text.summary.trim().is_empty() {
        return Err(AppError::field("summary", "报告概述不能为空"));
    }
    for (field, label, items) in [
        ("highlights", "服务亮点", &text.highlights),
        ("problems", "存在问题", &text.problems),
        ("suggestions", "改进建议", &text.suggestions),
    ] {
        if items.len() > 30
            || items
                .iter()
                .any(|i| i.trim().is_empty() || i.chars().count() > 500)
        {
            return Err(AppError::field(
                field,
                format!("{label}每条须有内容、不超过 500 字，最多 30 条"),
            ));
        }
    }
    let mut report = current.report;
    report.summary = text.summary.trim().to_string();
    let clean = |v: Vec<String>| v.into_iter().map(|s| s.trim().to_string()).collect();
    report.highlights = clean(text.highlights);
    report.problems = clean(text.problems);
    report.suggestions = clean(text.suggestions);
    let content = serde_json::to_string(&report).map_err(AppError::internal)?;
    sql::exec(
        &state.db,
        "UPDATE analytics_reports SET content = $1 WHERE id = $2 AND status = 'draft'",
        vec![content.into(), id.into()],
    )
    .await
    .db_err()?;
    get(state, hall_id, id).await
}

/// Publishes a draft: frozen from now on, and recorded as an event.
pub async fn publish(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
) -> AppResult<StoredReport> {
    let current = get(state, hall_id, id).await?;
    if current.summary.status == "published" {
        return Err(frozen());
    }
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .db_err()?;
    sql::exec(
        &txn,
        "UPDATE analytics_reports SET status = 'published', published_at = $1, published_by = $2 WHERE id = $3",
        vec![
            Utc::now().timestamp_millis().into(),
            user.display_name.clone().into(),
            id.into(),
        ],
    )
    .await
    .db_err()?;
    let ev = crate::events::REPORT_PUBLISHED.event(
        Some(hall_id),
        &crate::events::ReportPublished {
            report_id: id.into(),
            period: current.summary.period.clone(),
            title: current.report.title.clone(),
        },
    );
    govhall_platform::events::commit_with(state, txn, &user.actor(), vec![ev]).await?;
    get(state, hall_id, id).await
}
