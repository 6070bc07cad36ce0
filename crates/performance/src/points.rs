//! 积分制: points by rule from each month's figures, and awards by hand,
//! in an append-only ledger where every entry carries its evidence.
//!
//! 结算 (settling) a month books, per person and rule, the quantity the
//! figures show now minus what is booked already — so settling again after
//! late ratings adds a correction entry and never edits one. An award names
//! its reason; a deduction by hand must also name its evidence (差评单号,
//! 办件编号 …): no deduction without evidence.

use crate::entity::{point, point_rule};
use crate::events::{POINTS_AWARDED, POINTS_SETTLED, PointsAwarded, PointsSettled};
use chrono::Utc;
use govhall_analytics::query::{self, QueryInput};
use govhall_analytics::scope::Scope;
use govhall_hr::month::Month;
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A rule: key, what earns it, unit, default points per unit, and the
/// analytics indicator whose records are its evidence.
pub struct RuleDef {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub default_points: f64,
    pub evidence: &'static str,
}

pub const RULES: &[RuleDef] = &[
    RuleDef {
        key: "tickets_served",
        label: "办结一个号",
        unit: "张",
        default_points: 1.0,
        evidence: "tickets_served",
    },
    RuleDef {
        key: "cases_accepted",
        label: "受理一件办件",
        unit: "件",
        default_points: 2.0,
        evidence: "cases_accepted",
    },
    RuleDef {
        key: "good_ratings",
        label: "获得一条好评（非常满意、满意）",
        unit: "条",
        default_points: 2.0,
        evidence: "ratings_count",
    },
    RuleDef {
        key: "bad_count",
        label: "差评一条（申诉认定无效的不计）",
        unit: "条",
        default_points: -5.0,
        evidence: "bad_upheld_count",
    },
    RuleDef {
        key: "cases_returned",
        label: "办件被部门退回窗口（受理差错）",
        unit: "件",
        default_points: -3.0,
        evidence: "cases_returned",
    },
    RuleDef {
        key: "overdue_count",
        label: "超期办件一件",
        unit: "件",
        default_points: -3.0,
        evidence: "overdue_count",
    },
    // Booked when a mentee is certified, not when a month settles.
    RuleDef {
        key: MENTORING,
        label: "带教徒弟出师",
        unit: "人",
        default_points: 20.0,
        evidence: "",
    },
    // Booked when a 业务竞赛 is ranked, not when a month settles.
    RuleDef {
        key: COMPETITION_FIRST,
        label: "业务竞赛第一名",
        unit: "次",
        default_points: 10.0,
        evidence: "",
    },
    RuleDef {
        key: COMPETITION_SECOND,
        label: "业务竞赛第二名",
        unit: "次",
        default_points: 6.0,
        evidence: "",
    },
    RuleDef {
        key: COMPETITION_THIRD,
        label: "业务竞赛第三名",
        unit: "次",
        default_points: 3.0,
        evidence: "",
    },
    RuleDef {
        key: COMPETITION_MERIT,
        label: "业务竞赛优胜奖",
        unit: "次",
        default_points: 1.0,
        evidence: "",
    },
    // Booked when a finding is closed as upheld, not when a month settles.
    RuleDef {
        key: FINDING,
        label: "异常服务行为（经核实）",
        unit: "次",
        default_points: -2.0,
        evidence: "",
    },
];

/// The rule of a 异常服务行为 finding upheld.
pub const FINDING: &str = "finding";
/// The rule of a mentee certified (出师): points for the mentor.
pub const MENTORING: &str = "mentoring";

/// The rules of a 业务竞赛's places.
pub const COMPETITION_FIRST: &str = "competition_first";
pub const COMPETITION_SECOND: &str = "competition_second";
pub const COMPETITION_THIRD: &str = "competition_third";
pub const COMPETITION_MERIT: &str = "competition_merit";

/// The key of an award by hand.
pub const MANUAL: &str = "manual";

fn rule_def(key: &str) -> Option<&'static RuleDef> {
    RULES.iter().find(|r| r.key == key)
}

pub fn rule_label(key: &str) -> &'static str {
    if key == MANUAL {
        return "奖励与扣分";
    }
    rule_def(key).map_or("", |r| r.label)
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PointRule {
    pub key: String,
    pub label: String,
    pub unit: String,
    /// Points per unit; negative for a deduction.
    pub points_per_unit: f64,
    pub enabled: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PointRuleInput {
    pub key: String,
    pub points_per_unit: f64,
    pub enabled: bool,
}

/// The hall's rules (the defaults until it sets its own).
pub async fn rules(state: &AppState, hall_id: &str) -> AppResult<Vec<PointRule>> {
    let stored: HashMap<String, point_rule::Model> = point_rule::Entity::find()
        .filter(point_rule::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| (r.key.clone(), r))
        .collect();
    Ok(RULES
        .iter()
        .map(|d| {
            let s = stored.get(d.key);
            PointRule {
                key: d.key.into(),
                label: d.label.into(),
                unit: d.unit.into(),
                points_per_unit: s.map_or(d.default_points, |s| s.points_per_unit),
                enabled: s.is_none_or(|s| s.enabled),
            }
        })
        .collect())
}

pub async fn set_rules(
    state: &AppState,
    hall_id: &str,
    input: &[PointRuleInput],
) -> AppResult<Vec<PointRule>> {
    let mut ch = Checker::new();
    for (i, r) in input.iter().enumerate() {
        ch.check(
            rule_def(&r.key).is_some(),
            &format!("[{i}].key"),
            format!("积分规则“{}”不存在", r.key),
        );
        ch.check(
            r.points_per_unit.is_finite() && r.points_per_unit.abs() <= 100.0,
            &format!("[{i}].points_per_unit"),
            "每单位积分须在 -100 到 100 之间",
        );
    }
    ch.finish()?;
    let txn = begin_write(&state.db).await.db_err()?;
    for r in input {
        point_rule::Entity::delete_many()
            .filter(point_rule::Column::HallId.eq(hall_id))
            .filter(point_rule::Column::Key.eq(&r.key))
            .exec(&txn)
            .await
            .db_err()?;
        point_rule::ActiveModel {
            hall_id: Set(hall_id.to_string()),
            key: Set(r.key.clone()),
            points_per_unit: Set(r.points_per_unit),
            enabled: Set(r.enabled),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    txn.commit().await.db_err()?;
    rules(state, hall_id).await
}

/// The evidence of a rule entry: the indicator and the month's days.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntryEvidence {
    /// The analytics indicator whose records lie behind the entry.
    pub indicator: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// What an award by hand names as its evidence.
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PointEntry {
    pub id: String,
    pub staff_id: String,
    pub month: String,
    pub source: String,
    pub rule_key: String,
    pub rule_label: String,
    pub quantity: f64,
    pub points: f64,
    pub reason: String,
    pub evidence: EntryEvidence,
    pub created_by: String,
    pub created_at: chrono::DateTime<Utc>,
}

pub(crate) fn entry(m: point::Model) -> PointEntry {
    PointEntry {
        rule_label: rule_label(&m.rule_key).into(),
        evidence: serde_json::from_str(&m.evidence).unwrap_or(EntryEvidence {
            indicator: None,
            from: None,
            to: None,
            text: String::new(),
        }),
        id: m.id,
        staff_id: m.staff_id,
        month: m.month,
        source: m.source,
        rule_key: m.rule_key,
        quantity: m.quantity,
        points: m.points,
        reason: m.reason,
        created_by: m.created_by,
        created_at: m.created_at,
    }
}

pub(crate) fn parse_month(raw: &str) -> AppResult<Month> {
    Month::parse(raw).map_err(|r| AppError::field("month", format!("月份{r}")))
}

pub(crate) async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<PointEntry> {
    point::Entity::find_by_id(id.to_string())
        .filter(point::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .map(entry)
        .ok_or_else(|| AppError::not_found("积分明细"))
}

pub(crate) async fn of_month(
    state: &AppState,
    hall_id: &str,
    month: &Month,
) -> AppResult<Vec<point::Model>> {
    point::Entity::find()
        .filter(point::Column::HallId.eq(hall_id))
        .filter(point::Column::Month.eq(month.to_string()))
        .all(&state.db)
        .await
        .db_err()
}

/// Each person's quantity of each rule in the month, from the figures.
async fn quantities(
    state: &AppState,
    hall_id: &str,
    month: &Month,
) -> AppResult<HashMap<(String, &'static str), f64>> {
    govhall_analytics::follower::catch_up(&state.db, 5_000).await?;
    let keys = [
        "tickets_served",
        "cases_accepted",
        "ratings_count",
        "good_rate",
        "bad_upheld_count",
        "cases_returned",
        "overdue_count",
    ];
    let input = QueryInput::over(&keys, &["staff"], month.first_day(), month.last_day());
    let out = query::run(state, hall_id, &Scope::Hall, &input).await?;
    let mut q = HashMap::new();
    for row in out.rows {
        let Some(staff) = row.members.get("staff") else {
            continue;
        };
        let v = |k: &str| row.values.get(k).copied().flatten().unwrap_or(0.0);
        let good = (v("ratings_count") * v("good_rate") / 100.0).round();
        for (key, n) in [
            ("tickets_served", v("tickets_served")),
            ("cases_accepted", v("cases_accepted")),
            ("good_ratings", good),
            ("bad_count", v("bad_upheld_count")),
            ("cases_returned", v("cases_returned")),
            ("overdue_count", v("overdue_count")),
        ] {
            q.insert((staff.id.clone(), key), n);
        }
    }
    Ok(q)
}

/// 结算: books the month's rule points (or the corrections since the last
/// settling). Only a month that has ended.
pub async fn settle(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    month: &str,
) -> AppResult<Vec<PointEntry>> {
    let m = parse_month(month)?;
    if m.last_day() >= time::today() {
        return Err(AppError::field(
            "month",
            format!("{} 尚未结束，月末之后才能结算积分", m.label()),
        ));
    }
    let rules = rules(state, hall_id).await?;
    let now_q = quantities(state, hall_id, &m).await?;
    let booked_rows = of_month(state, hall_id, &m).await?;
    let mut booked: HashMap<(String, String), f64> = HashMap::new();
    for b in booked_rows.iter().filter(|b| b.source == "rule") {
        *booked
            .entry((b.staff_id.clone(), b.rule_key.clone()))
            .or_default() += b.quantity;
    }
    let staff = govhall_directory::service::hall_staff(&state.db, hall_id).await?;
    let mut rows = Vec::new();
    for s in &staff {
        for r in rules
            .iter()
            .filter(|r| r.enabled && r.points_per_unit != 0.0)
        {
            let Some(def) = rule_def(&r.key).filter(|d| !d.evidence.is_empty()) else {
                continue;
            };
            let now = now_q
                .get(&(s.id.to_string(), def.key))
                .copied()
                .unwrap_or(0.0);
            let before = booked
                .get(&(s.id.to_string(), r.key.clone()))
                .copied()
                .unwrap_or(0.0);
            let delta = now - before;
            if delta.abs() < 1e-9 {
                continue;
            }
            let points = (delta * r.points_per_unit * 100.0).round() / 100.0;
            let reason = if before == 0.0 {
                format!(
                    "{} {}：{} {} × {} 分",
                    m, def.label, delta, def.unit, r.points_per_unit
                )
            } else {
                format!(
                    "{} {} 补结算：由 {} 改为 {} {}（{:+} × {} 分）",
                    m, def.label, before, now, def.unit, delta, r.points_per_unit
                )
            };
            let evidence = EntryEvidence {
                indicator: Some(def.evidence.into()),
                from: Some(m.first_day()),
                to: Some(m.last_day()),
                text: String::new(),
            };
            rows.push(point::ActiveModel {
                id: Set(new_id().to_string()),
                hall_id: Set(hall_id.to_string()),
                staff_id: Set(s.id.to_string()),
                month: Set(m.to_string()),
                source: Set("rule".into()),
                rule_key: Set(r.key.clone()),
                quantity: Set(delta),
                points: Set(points),
                reason: Set(reason),
                evidence: Set(serde_json::to_string(&evidence).map_err(AppError::internal)?),
                created_by: Set(actor.name.clone()),
                created_at: Set(Utc::now()),
            });
        }
    }
    let txn = begin_write(&state.db).await.db_err()?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(entry(r.insert(&txn).await.db_err()?));
    }
    let ev = POINTS_SETTLED.event(
        Some(hall_id),
        &PointsSettled {
            month: m.to_string(),
            entries: out.len(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(out)
}

/// An entry booked by an event of this module (an upheld finding, a
/// mentee certified) rather than by settling a month.
pub(crate) struct Booked<'a> {
    pub rule: &'static str,
    pub staff_id: &'a str,
    pub month: &'a str,
    pub points: f64,
    pub reason: String,
    pub evidence: String,
}

/// Books an entry of one of this module's own events, its record as evidence.
pub(crate) async fn book(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    hall_id: &str,
    b: Booked<'_>,
) -> AppResult<()> {
    point::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        staff_id: Set(b.staff_id.to_string()),
        month: Set(b.month.to_string()),
        source: Set(b.rule.into()),
        rule_key: Set(b.rule.into()),
        quantity: Set(1.0),
        points: Set(b.points),
        reason: Set(b.reason),
        evidence: Set(serde_json::to_string(&EntryEvidence {
            indicator: None,
            from: None,
            to: None,
            text: b.evidence,
        })
        .map_err(AppError::internal)?),
        created_by: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(txn)
    .await
    .db_err()?;
    Ok(())
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AwardInput {
    pub staff_id: String,
    /// `YYYY-MM`, not in the future.
    pub month: String,
    /// Positive for an award (表扬信, 竞赛名次, 带教), negative for a deduction.
    pub points: f64,
    pub reason: String,
    /// What the award or deduction rests on (required for a deduction).
    #[serde(default)]
    pub evidence: String,
}

/// An award or deduction by hand, with its reason; the manager who enters
/// it is its approver (recorded, and the request is in the audit log).
pub async fn award(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &AwardInput,
) -> AppResult<PointEntry> {
    let staff = govhall_directory::service::hall_staff(&state.db, hall_id).await?;
    let mut ch = Checker::new();
    let month = Month::parse(&input.month);
    match &month {
        Err(r) => ch.fail("month", format!("月份{r}")),
        Ok(m) => ch.check(
            m.first_day() <= time::today(),
            "month",
            "不能为将来的月份记积分",
        ),
    }
    ch.check(
        staff.iter().any(|s| s.id.as_str() == input.staff_id),
        "staff_id",
        "本大厅没有这名工作人员",
    );
    ch.check(
        input.points.is_finite() && input.points != 0.0 && input.points.abs() <= 100.0,
        "points",
        "积分须为 -100 到 100 之间、不为 0 的数",
    );
    let reason = ch.text("reason", "事由", &input.reason, 200);
    let evidence = input.evidence.trim().to_string();
    ch.check(
        input.points > 0.0 || !evidence.is_empty(),
        "evidence",
        "扣分须写明依据（如差评单号、办件编号、通报文号），无依据不得扣分",
    );
    ch.check(
        evidence.chars().count() <= 200,
        "evidence",
        "依据不超过 200 字",
    );
    ch.finish()?;
    let m = month.map_err(|r| AppError::field("month", r))?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = point::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        staff_id: Set(input.staff_id.clone()),
        month: Set(m.to_string()),
        source: Set(MANUAL.into()),
        rule_key: Set(MANUAL.into()),
        quantity: Set(1.0),
        points: Set((input.points * 100.0).round() / 100.0),
        reason: Set(reason),
        evidence: Set(serde_json::to_string(&EntryEvidence {
            indicator: None,
            from: None,
            to: None,
            text: evidence,
        })
        .map_err(AppError::internal)?),
        created_by: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = POINTS_AWARDED.event(
        Some(hall_id),
        &PointsAwarded {
            month: row.month.clone(),
            staff_id: row.staff_id.clone(),
            points: row.points,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(entry(row))
}

/// Points per unit of a rule booked by an event (0 when disabled).
pub(crate) async fn event_points(state: &AppState, hall_id: &str, rule: &str) -> AppResult<f64> {
    Ok(rules(state, hall_id)
        .await?
        .into_iter()
        .find(|r| r.key == rule)
        .filter(|r| r.enabled)
        .map_or(0.0, |r| r.points_per_unit))
}
