//! The 审计管理员's view of the audit log: search, export, verify.

use super::{VerifyReport, entity, verify};
use crate::{
    AppState,
    api::{ApiQuery, ApiResult, Page, PageQuery},
    db::contains,
};
use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(export_csv))
        .routes(routes!(verify_chain))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Actor name contains.
    pub actor: Option<String>,
    /// Action or target contains, e.g. `windows` or `auth/login`; or in Chinese, `办件`.
    pub action: Option<String>,
    /// `success` or `failure`.
    pub outcome: Option<String>,
    /// From this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditRow {
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub actor_roles: String,
    pub action: String,
    /// The action in Chinese (办件·办理), empty when the route has no words.
    pub summary: String,
    pub target: String,
    pub ip: Option<String>,
    pub status: i32,
    pub outcome: String,
    pub hash: String,
}

impl AuditRow {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: entity::Model) -> Self {
        AuditRow {
            seq: m.seq,
            occurred_at: m.occurred_at,
            actor_id: m.actor_id,
            actor_name: m.actor_name,
            actor_roles: m.actor_roles,
            summary: m
                .action
                .split_once(' ')
                .and_then(|(method, route)| crate::vocabulary::describe_route(method, route))
                .unwrap_or_default(),
            action: m.action,
            target: m.target,
            ip: m.ip,
            status: m.status,
            outcome: m.outcome,
            hash: m.hash,
        }
    }
}

fn filtered(f: &AuditFilter) -> Select<entity::Entity> {
    let mut q = entity::Entity::find();
    if let Some(actor) = f.actor.as_deref().filter(|s| !s.trim().is_empty()) {
        q = q.filter(entity::Column::ActorName.like(contains(actor)));
    }
    if let Some(action) = f.action.as_deref().filter(|s| !s.trim().is_empty()) {
        // Chinese (办件, 签收) finds the routes whose words say it.
        let by_words = crate::vocabulary::segments_for(action)
            .into_iter()
            .fold(Condition::any(), |c, segment| {
                c.add(entity::Column::Action.like(format!("%/{segment}%")))
            });
        q = q.filter(
            Condition::any()
                .add(entity::Column::Action.like(contains(action)))
                .add(entity::Column::Target.like(contains(action)))
                .add(by_words),
        );
    }
    if let Some(outcome) = f.outcome.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(entity::Column::Outcome.eq(outcome));
    }
    if let Some(from) = f.from {
        q = q.filter(entity::Column::OccurredAt.gte(from));
    }
    if let Some(to) = f.to {
        q = q.filter(entity::Column::OccurredAt.lte(to));
    }
    q.order_by_desc(entity::Column::Seq)
}

/// Search the audit log, newest first.
#[utoipa::path(get, path = "/api/v1/audit", security(("govhall" = ["audit.read"])), tag = "audit", params(AuditFilter, PageQuery),
    responses((status = 200, body = Page<AuditRow>)))]
async fn search(
    State(state): State<AppState>,
    ApiQuery(f): ApiQuery<AuditFilter>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<AuditRow>>> {
    let (page, page_size) = paging.normalized()?;
    let pages = filtered(&f).paginate(&state.db, page_size);
    let total = pages.num_items().await?;
    let items = pages
        .fetch_page(page - 1)
        .await?
        .into_iter()
        .map(AuditRow::from_row)
        .collect();
    Ok(Json(Page {
        items,
        total,
        page,
        page_size,
    }))
}

/// At most this many rows per export; narrow the filter for more.
const EXPORT_LIMIT: u64 = 100_000;

/// Export the matching entries as CSV (UTF-8 with BOM, so Excel shows Chinese correctly).
#[utoipa::path(get, path = "/api/v1/audit/export", security(("govhall" = ["audit.read"])), tag = "audit", params(AuditFilter),
    responses((status = 200, content_type = "text/csv", body = String)))]
async fn export_csv(
    State(state): State<AppState>,
    ApiQuery(f): ApiQuery<AuditFilter>,
) -> ApiResult<Response> {
    let rows = filtered(&f)
        .paginate(&state.db, EXPORT_LIMIT)
        .fetch_page(0)
        .await?;
    let csv = to_csv(rows)?;
    let name = format!("audit-{}.csv", Utc::now().format("%Y%m%d-%H%M%S"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        csv,
    )
        .into_response())
}

fn to_csv(rows: Vec<entity::Model>) -> AppResult<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record([
            "序号",
            "时间",
            "操作人",
            "角色",
            "操作",
            "对象",
            "来源地址",
            "状态码",
            "结果",
            "摘要",
        ])
        .map_err(AppError::internal)?;
        for m in rows {
            w.write_record([
                m.seq.to_string(),
                govhall_kernel::time::local(m.occurred_at)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                m.actor_name,
                m.actor_roles,
                m.action,
                m.target,
                m.ip.unwrap_or_default(),
                m.status.to_string(),
                if m.outcome == "success" {
                    "成功".into()
                } else {
                    "失败".into()
                },
                m.hash,
            ])
            .map_err(AppError::internal)?;
        }
        w.flush().map_err(AppError::internal)?;
    }
    Ok(out)
}

/// Check the keyed chain and its checkpoint: report the first broken link, or rows cut at either end.
#[utoipa::path(get, path = "/api/v1/audit/verify", security(("govhall" = ["audit.read"])), tag = "audit", responses((status = 200, body = VerifyReport)))]
async fn verify_chain(State(state): State<AppState>) -> ApiResult<Json<VerifyReport>> {
    Ok(Json(verify(&state.db, &state.audit_seal).await?))
}
