//! 金牌管家: 定级 (levels with their criteria and monthly allowance — the pay
//! gradient, passed to the payroll as 管家津贴), the enterprises each butler
//! looks after (by 统一社会信用代码, checked by GB 32100), and the ledger of
//! visits and 帮办代办 services with the result, the enterprise's rating and
//! the follow-up date; reminders of follow-ups due; a report per butler and
//! per enterprise.

use crate::entity::{butler, butler_enterprise, butler_level, butler_service};
use crate::events::{BUTLER_GRADED, BUTLER_SERVED, ButlerGraded, ButlerServed};
use chrono::{Duration, NaiveDate, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{
    AppError,
    error::AppResult,
    new_id, time,
    validate::{Checker, credit_code_problem},
};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write, is_unique_violation},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

pub const KINDS: &[(&str, &str)] = &[
    ("visit", "上门服务"),
    ("assist", "帮办"),
    ("proxy", "代办"),
    ("policy", "政策宣讲"),
];

fn kind_label(k: &str) -> &'static str {
    KINDS.iter().find(|(c, _)| *c == k).map_or("", |(_, l)| l)
}

/// A follow-up is a reminder from this many days before it is due.
pub const REMIND_DAYS: i64 = 3;

/// code, name, rank, criteria, monthly allowance (yuan) — the defaults a
/// hall changes to its own 定级制度.
const DEFAULT_LEVELS: &[(&str, &str, i32, &str, f64)] = &[
    (
        "gold",
        "金牌管家",
        3,
        "从事企业服务满 2 年，年服务企业 30 家以上，企业满意率 98% 以上，无有效投诉",
        600.0,
    ),
    (
        "silver",
        "银牌管家",
        2,
        "从事企业服务满 1 年，年服务企业 15 家以上，企业满意率 95% 以上",
        400.0,
    ),
    (
        "bronze",
        "铜牌管家",
        1,
        "经培训考核合格，能独立开展帮办代办",
        200.0,
    ),
];

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ButlerLevel {
    pub code: String,
    pub name: String,
    pub rank: i32,
    pub criteria: String,
    /// Yuan a month.
    pub monthly_allowance: f64,
}

async fn levels(state: &AppState, hall_id: &str) -> AppResult<Vec<ButlerLevel>> {
    let find = || {
        butler_level::Entity::find()
            .filter(butler_level::Column::HallId.eq(hall_id))
            .order_by_desc(butler_level::Column::Rank)
            .all(&state.db)
    };
    let mut rows = find().await.db_err()?;
    if rows.is_empty() {
        for (code, name, rank, criteria, allowance) in DEFAULT_LEVELS {
            let r = butler_level::ActiveModel {
                hall_id: Set(hall_id.to_string()),
                code: Set((*code).into()),
                name: Set((*name).into()),
                rank: Set(*rank),
                criteria: Set((*criteria).into()),
                monthly_allowance: Set(*allowance),
            }
            .insert(&state.db)
            .await;
            // Two first readers at once: the second's rows collide.
            if let Err(e) = r
                && !is_unique_violation(&e)
            {
                return Err(AppError::internal(e));
            }
        }
        rows = find().await.db_err()?;
    }
    Ok(rows
        .into_iter()
        .map(|l| ButlerLevel {
            code: l.code,
            name: l.name,
            rank: l.rank,
            criteria: l.criteria,
            monthly_allowance: l.monthly_allowance,
        })
        .collect())
}

/// Changes a level's criteria or allowance (the allowance reaches the
/// payroll for every butler graded at it).
pub async fn set_level(
    state: &AppState,
    hall_id: &str,
    input: &ButlerLevel,
) -> AppResult<Vec<ButlerLevel>> {
    let all = levels(state, hall_id).await?;
    let mut ch = Checker::new();
    ch.check(
        all.iter().any(|l| l.code == input.code),
        "code",
        "没有这个管家等级",
    );
    let name = ch.text("name", "等级名称", &input.name, 20);
    let criteria = ch.text("criteria", "定级条件", &input.criteria, 500);
    ch.check(
        input.monthly_allowance.is_finite() && (0.0..=10_000.0).contains(&input.monthly_allowance),
        "monthly_allowance",
        "月津贴须在 0 到 10000 元之间",
    );
    ch.finish()?;
    let txn = begin_write(&state.db).await.db_err()?;
    butler_level::Entity::delete_many()
        .filter(butler_level::Column::HallId.eq(hall_id))
        .filter(butler_level::Column::Code.eq(&input.code))
        .exec(&txn)
        .await
        .db_err()?;
    let rank = all
        .iter()
        .find(|l| l.code == input.code)
        .map_or(0, |l| l.rank);
    butler_level::ActiveModel {
        hall_id: Set(hall_id.to_string()),
        code: Set(input.code.clone()),
        name: Set(name),
        rank: Set(rank),
        criteria: Set(criteria),
        monthly_allowance: Set(input.monthly_allowance),
    }
    .insert(&txn)
    .await
    .db_err()?;
    txn.commit().await.db_err()?;
    // The allowance of everyone at this level follows.
    let new_levels = levels(state, hall_id).await?;
    for b in butler::Entity::find()
        .filter(butler::Column::HallId.eq(hall_id))
        .filter(butler::Column::LevelCode.eq(&input.code))
        .all(&state.db)
        .await
        .db_err()?
    {
        govhall_hr::service::record_butler(
            state,
            hall_id,
            &b.staff_id,
            &input.name,
            input.monthly_allowance,
        )
        .await?;
    }
    Ok(new_levels)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct GradeInput {
    pub staff_id: String,
    /// A level's code; empty to take the person off the butlers.
    pub level_code: String,
    #[serde(default)]
    pub note: String,
}

/// 定级: grades (or regrades, or removes) a butler; the level's allowance
/// goes to the payroll as 管家津贴.
pub async fn grade(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &GradeInput,
) -> AppResult<ButlersPage> {
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let all = levels(state, hall_id).await?;
    let level = all.iter().find(|l| l.code == input.level_code);
    let mut ch = Checker::new();
    ch.check(
        staff.iter().any(|s| s.id.as_str() == input.staff_id),
        "staff_id",
        "本大厅没有这名工作人员",
    );
    ch.check(
        input.level_code.is_empty() || level.is_some(),
        "level_code",
        "没有这个管家等级",
    );
    let note = ch.optional_text("note", "定级说明", Some(&input.note), 200);
    ch.finish()?;
    if input.level_code.is_empty() {
        let open = butler_enterprise::Entity::find()
            .filter(butler_enterprise::Column::ButlerStaffId.eq(&input.staff_id))
            .all(&state.db)
            .await
            .db_err()?;
        if !open.is_empty() {
            return Err(AppError::field(
                "level_code",
                format!(
                    "该管家还联系着 {} 家企业，请先把企业改由其他管家联系",
                    open.len()
                ),
            ));
        }
    }
    govhall_hr::service::record_butler(
        state,
        hall_id,
        &input.staff_id,
        level.map_or("", |l| l.name.as_str()),
        level.map_or(0.0, |l| l.monthly_allowance),
    )
    .await?;
    let txn = begin_write(&state.db).await.db_err()?;
    butler::Entity::delete_by_id(input.staff_id.clone())
        .exec(&txn)
        .await
        .db_err()?;
    if let Some(l) = level {
        butler::ActiveModel {
            staff_id: Set(input.staff_id.clone()),
            hall_id: Set(hall_id.to_string()),
            level_code: Set(l.code.clone()),
            graded_on: Set(time::today()),
            note: Set(note.unwrap_or_default()),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    let ev = BUTLER_GRADED.event(
        Some(hall_id),
        &ButlerGraded {
            staff_id: input.staff_id.clone(),
            level_code: input.level_code.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    page(state, hall_id).await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EnterpriseInput {
    pub butler_staff_id: String,
    pub credit_code: String,
    pub name: String,
    #[serde(default)]
    pub contact: String,
}

/// Assigns an enterprise to a butler (or moves it to another).
pub async fn assign(
    state: &AppState,
    hall_id: &str,
    input: &EnterpriseInput,
) -> AppResult<ButlersPage> {
    let is_butler = butler::Entity::find_by_id(input.butler_staff_id.clone())
        .filter(butler::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .is_some();
    let code = input.credit_code.trim().to_uppercase();
    let mut ch = Checker::new();
    ch.check(is_butler, "butler_staff_id", "此人尚未定级为管家");
    if let Some(p) = credit_code_problem(&code) {
        ch.fail("credit_code", format!("统一社会信用代码{p}"));
    }
    let name = ch.text("name", "企业名称", &input.name, 100);
    let contact = ch.optional_text("contact", "联系人", Some(&input.contact), 40);
    ch.finish()?;
    let txn = begin_write(&state.db).await.db_err()?;
    butler_enterprise::Entity::delete_many()
        .filter(butler_enterprise::Column::HallId.eq(hall_id))
        .filter(butler_enterprise::Column::CreditCode.eq(&code))
        .exec(&txn)
        .await
        .db_err()?;
    butler_enterprise::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        butler_staff_id: Set(input.butler_staff_id.clone()),
        credit_code: Set(code),
        name: Set(name),
        contact: Set(contact.unwrap_or_default()),
        assigned_on: Set(time::today()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    txn.commit().await.db_err()?;
    page(state, hall_id).await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ServiceInput {
    /// The enterprise's 统一社会信用代码 (one the butler looks after).
    pub credit_code: String,
    pub kind: String,
    pub day: NaiveDate,
    pub what: String,
    pub result: String,
    /// The enterprise's rating, 1–5.
    #[serde(default)]
    pub rating: Option<i32>,
    #[serde(default)]
    pub follow_up_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceDto {
    pub id: String,
    pub butler_staff_id: String,
    pub butler_name: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub credit_code: String,
    pub kind: String,
    pub kind_label: String,
    pub day: NaiveDate,
    pub what: String,
    pub result: String,
    pub rating: Option<i32>,
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_done: bool,
    /// The follow-up is due within [`REMIND_DAYS`] days, or past.
    pub follow_up_due: bool,
}

/// A butler records a service to one of their enterprises.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    butler_staff_id: &str,
    input: &ServiceInput,
) -> AppResult<ServiceDto> {
    let code = input.credit_code.trim().to_uppercase();
    let enterprise = butler_enterprise::Entity::find()
        .filter(butler_enterprise::Column::HallId.eq(hall_id))
        .filter(butler_enterprise::Column::CreditCode.eq(&code))
        .one(&state.db)
        .await
        .db_err()?;
    let today = time::today();
    let mut ch = Checker::new();
    match &enterprise {
        None => ch.fail(
            "credit_code",
            "这家企业未分配给任何管家，请先在“金牌管家”中分配",
        ),
        Some(e) => ch.check(
            e.butler_staff_id == butler_staff_id,
            "credit_code",
            "这家企业不由你联系，不能记入你的服务台账",
        ),
    }
    ch.one_of("kind", "服务方式", &input.kind, KINDS);
    ch.check(input.day <= today, "day", "服务日期不能在将来");
    ch.check(
        input.day >= today - Duration::days(90),
        "day",
        "只能登记 90 天内的服务",
    );
    let what = ch.text("what", "服务内容", &input.what, 500);
    let result = ch.text("result", "办理结果", &input.result, 500);
    if let Some(r) = input.rating {
        ch.check((1..=5).contains(&r), "rating", "企业评价须为 1 到 5 分");
    }
    if let Some(f) = input.follow_up_on {
        ch.check(f > input.day, "follow_up_on", "回访日期须在服务日期之后");
    }
    ch.finish()?;
    let e = enterprise.ok_or_else(|| AppError::internal("checked"))?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = butler_service::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        butler_staff_id: Set(butler_staff_id.to_string()),
        enterprise_id: Set(e.id.clone()),
        kind: Set(input.kind.clone()),
        day: Set(input.day),
        what: Set(what),
        result: Set(result),
        rating: Set(input.rating),
        follow_up_on: Set(input.follow_up_on),
        follow_up_done: Set(false),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = BUTLER_SERVED.event(
        Some(hall_id),
        &ButlerServed {
            staff_id: butler_staff_id.to_string(),
            credit_code: e.credit_code.clone(),
            kind: row.kind.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    let names = names(state, hall_id).await?;
    Ok(service_dto(
        row,
        &HashMap::from([(e.id.clone(), e)]),
        &names,
    ))
}

/// Marks a follow-up done (by the butler whose service it is).
pub async fn follow_up_done(
    state: &AppState,
    hall_id: &str,
    butler_staff_id: &str,
    id: &str,
) -> AppResult<()> {
    let s = butler_service::Entity::find_by_id(id.to_string())
        .filter(butler_service::Column::HallId.eq(hall_id))
        .filter(butler_service::Column::ButlerStaffId.eq(butler_staff_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("服务记录"))?;
    let mut a: butler_service::ActiveModel = s.into();
    a.follow_up_done = Set(true);
    a.update(&state.db).await.db_err()?;
    Ok(())
}

async fn names(state: &AppState, hall_id: &str) -> AppResult<HashMap<String, String>> {
    Ok(directory::hall_staff(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|s| (s.id.to_string(), format!("{} {}", s.employee_no, s.name)))
        .collect())
}

fn service_dto(
    s: butler_service::Model,
    enterprises: &HashMap<String, butler_enterprise::Model>,
    names: &HashMap<String, String>,
) -> ServiceDto {
    let e = enterprises.get(&s.enterprise_id);
    let today = time::today();
    ServiceDto {
        follow_up_due: !s.follow_up_done
            && s.follow_up_on
                .is_some_and(|f| f <= today + Duration::days(REMIND_DAYS)),
        kind_label: kind_label(&s.kind).into(),
        butler_name: names.get(&s.butler_staff_id).cloned().unwrap_or_default(),
        enterprise_name: e.map_or_else(String::new, |e| e.name.clone()),
        credit_code: e.map_or_else(String::new, |e| e.credit_code.clone()),
        id: s.id,
        butler_staff_id: s.butler_staff_id,
        enterprise_id: s.enterprise_id,
        kind: s.kind,
        day: s.day,
        what: s.what,
        result: s.result,
        rating: s.rating,
        follow_up_on: s.follow_up_on,
        follow_up_done: s.follow_up_done,
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnterpriseDto {
    pub id: String,
    pub credit_code: String,
    pub name: String,
    pub contact: String,
    pub butler_staff_id: String,
    pub assigned_on: NaiveDate,
    pub services: usize,
    pub last_service: Option<NaiveDate>,
    pub average_rating: Option<f64>,
}

/// One butler's report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ButlerReport {
    pub staff_id: String,
    pub name: String,
    pub level_code: String,
    pub level_name: String,
    pub monthly_allowance: f64,
    pub graded_on: NaiveDate,
    pub enterprises: usize,
    pub services: usize,
    /// Services by kind label.
    pub by_kind: std::collections::BTreeMap<String, usize>,
    pub average_rating: Option<f64>,
    pub follow_ups_due: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ButlersPage {
    pub levels: Vec<ButlerLevel>,
    pub butlers: Vec<ButlerReport>,
    pub enterprises: Vec<EnterpriseDto>,
    /// The ledger, newest first.
    pub services: Vec<ServiceDto>,
    pub kinds: Vec<ServiceKind>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceKind {
    pub code: String,
    pub label: String,
}

fn mean(v: &[i32]) -> Option<f64> {
    (!v.is_empty()).then(|| (v.iter().sum::<i32>() as f64 / v.len() as f64 * 100.0).round() / 100.0)
}

/// Everything of the hall's butlers: levels, reports, enterprises, ledger.
pub async fn page(state: &AppState, hall_id: &str) -> AppResult<ButlersPage> {
    let levels = levels(state, hall_id).await?;
    let names = names(state, hall_id).await?;
    let butlers = butler::Entity::find()
        .filter(butler::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let enterprises = butler_enterprise::Entity::find()
        .filter(butler_enterprise::Column::HallId.eq(hall_id))
        .order_by_asc(butler_enterprise::Column::Name)
        .all(&state.db)
        .await
        .db_err()?;
    let by_id: HashMap<String, butler_enterprise::Model> = enterprises
        .iter()
        .map(|e| (e.id.clone(), e.clone()))
        .collect();
    let services: Vec<ServiceDto> = butler_service::Entity::find()
        .filter(butler_service::Column::HallId.eq(hall_id))
        .order_by_desc(butler_service::Column::Day)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|s| service_dto(s, &by_id, &names))
        .collect();
    let mut reports: Vec<ButlerReport> = butlers
        .iter()
        .map(|b| {
            let level = levels.iter().find(|l| l.code == b.level_code);
            let mine: Vec<&ServiceDto> = services
                .iter()
                .filter(|s| s.butler_staff_id == b.staff_id)
                .collect();
            let mut by_kind = std::collections::BTreeMap::new();
            for s in &mine {
                *by_kind.entry(s.kind_label.clone()).or_default() += 1;
            }
            let ratings: Vec<i32> = mine.iter().filter_map(|s| s.rating).collect();
            ButlerReport {
                staff_id: b.staff_id.clone(),
                name: names.get(&b.staff_id).cloned().unwrap_or_default(),
                level_code: b.level_code.clone(),
                level_name: level.map_or_else(String::new, |l| l.name.clone()),
                monthly_allowance: level.map_or(0.0, |l| l.monthly_allowance),
                graded_on: b.graded_on,
                enterprises: enterprises
                    .iter()
                    .filter(|e| e.butler_staff_id == b.staff_id)
                    .count(),
                services: mine.len(),
                by_kind,
                average_rating: mean(&ratings),
                follow_ups_due: mine.iter().filter(|s| s.follow_up_due).count(),
            }
        })
        .collect();
    reports.sort_by(|a, b| a.name.cmp(&b.name));
    let enterprises = enterprises
        .iter()
        .map(|e| {
            let mine: Vec<&ServiceDto> = services
                .iter()
                .filter(|s| s.enterprise_id == e.id)
                .collect();
            let ratings: Vec<i32> = mine.iter().filter_map(|s| s.rating).collect();
            EnterpriseDto {
                id: e.id.clone(),
                credit_code: e.credit_code.clone(),
                name: e.name.clone(),
                contact: e.contact.clone(),
                butler_staff_id: e.butler_staff_id.clone(),
                assigned_on: e.assigned_on,
                services: mine.len(),
                last_service: mine.iter().map(|s| s.day).max(),
                average_rating: mean(&ratings),
            }
        })
        .collect();
    Ok(ButlersPage {
        levels,
        butlers: reports,
        enterprises,
        services,
        kinds: KINDS
            .iter()
            .map(|(c, l)| ServiceKind {
                code: (*c).into(),
                label: (*l).into(),
            })
            .collect(),
    })
}

/// A butler's own page: their report, enterprises and ledger.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyButlerPage {
    pub report: Option<ButlerReport>,
    pub enterprises: Vec<EnterpriseDto>,
    pub services: Vec<ServiceDto>,
    pub kinds: Vec<ServiceKind>,
}

pub async fn mine(state: &AppState, hall_id: &str, staff_id: &str) -> AppResult<MyButlerPage> {
    let p = page(state, hall_id).await?;
    Ok(MyButlerPage {
        report: p.butlers.into_iter().find(|b| b.staff_id == staff_id),
        enterprises: p
            .enterprises
            .into_iter()
            .filter(|e| e.butler_staff_id == staff_id)
            .collect(),
        services: p
            .services
            .into_iter()
            .filter(|s| s.butler_staff_id == staff_id)
            .collect(),
        kinds: p.kinds,
    })
}
