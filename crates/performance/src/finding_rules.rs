//! The 异常服务行为 rules a hall sets: each rule's limit, which rules run,
//! and the working days given to put a finding right. Until a hall sets its
//! own, the defaults below apply.

use crate::entity::finding_rules;
use crate::findings::RULES;
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::{AppState, db::DbResultExt, events::Actor};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FindingRules {
    /// 暂停超时: a day's pauses at a window above this many minutes (5–480).
    pub pause_limit_minutes: i64,
    /// 办理超时: a service over this many times the line's weekly median (1.5–10) …
    pub slow_factor: f64,
    /// … and at least this many minutes over it (1–120).
    pub slow_extra_minutes: f64,
    /// 差评集中: this many 差评 of one person in a week (1–20).
    pub bad_cluster: usize,
    /// 有人等候时空闲: idle at a stretch this many minutes (3–120) while
    /// people waited for the window's lines.
    #[serde(default = "default_idle_limit")]
    pub idle_limit_minutes: i64,
    /// 整改期限 in working days (1–30).
    pub rectify_working_days: u32,
    /// Rules switched off, by key (`long_pause`, `slow_service`,
    /// `called_not_served`, `bad_cluster`, `overdue_case`, `idle_waiting`).
    #[serde(default)]
    pub disabled: Vec<String>,
}

fn default_idle_limit() -> i64 {
    10
}

impl Default for FindingRules {
    fn default() -> Self {
        FindingRules {
            pause_limit_minutes: 30,
            slow_factor: 3.0,
            slow_extra_minutes: 15.0,
            bad_cluster: 2,
            idle_limit_minutes: default_idle_limit(),
            rectify_working_days: 3,
            disabled: Vec::new(),
        }
    }
}

impl FindingRules {
    /// Whether the rule `key` runs.
    pub fn on(&self, key: &str) -> bool {
        !self.disabled.iter().any(|d| d == key)
    }

    /// The rules in force, as the bulletin states them.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (
                "long_pause",
                format!("每日暂停超过 {} 分钟", self.pause_limit_minutes),
            ),
            (
                "slow_service",
                format!(
                    "办理时长超过本业务中位数 {} 倍且多出 {} 分钟",
                    self.slow_factor, self.slow_extra_minutes
                ),
            ),
            ("called_not_served", "叫号后未办理也未标记过号".to_string()),
            (
                "bad_cluster",
                format!(
                    "一周差评 {} 条及以上（申诉认定无效的不计）",
                    self.bad_cluster
                ),
            ),
            ("overdue_case", "办件超过承诺期限".to_string()),
            (
                "idle_waiting",
                format!(
                    "有人等候时窗口连续空闲 {} 分钟及以上（既未暂停也未叫号）",
                    self.idle_limit_minutes
                ),
            ),
        ]
        .into_iter()
        .filter(|(k, _)| self.on(k))
        .map(|(_, t)| t)
        .collect();
        if parts.is_empty() {
            "本厅未启用系统监测规则。".into()
        } else {
            format!("{}。", parts.join("；"))
        }
    }

    fn check(&self) -> AppResult<()> {
        let mut ch = Checker::new();
        ch.check(
            (5..=480).contains(&self.pause_limit_minutes),
            "pause_limit_minutes",
            "暂停超时的限度须为 5–480 分钟",
        );
        ch.check(
            self.slow_factor.is_finite() && (1.5..=10.0).contains(&self.slow_factor),
            "slow_factor",
            "办理超时的倍数须为 1.5–10 倍",
        );
        ch.check(
            self.slow_extra_minutes.is_finite() && (1.0..=120.0).contains(&self.slow_extra_minutes),
            "slow_extra_minutes",
            "办理超时须多出 1–120 分钟",
        );
        ch.check(
            (1..=20).contains(&self.bad_cluster),
            "bad_cluster",
            "差评集中的条数须为 1–20 条",
        );
        ch.check(
            (3..=120).contains(&self.idle_limit_minutes),
            "idle_limit_minutes",
            "有人等候时空闲的限度须为 3–120 分钟",
        );
        ch.check(
            (1..=30).contains(&self.rectify_working_days),
            "rectify_working_days",
            "整改期限须为 1–30 个工作日",
        );
        for (i, d) in self.disabled.iter().enumerate() {
            ch.check(
                d != "manual" && RULES.iter().any(|(k, _)| k == d),
                &format!("disabled[{i}]"),
                format!("没有名为“{d}”的监测规则"),
            );
        }
        ch.finish()
    }
}

/// The hall's rules (the defaults until it sets its own).
pub async fn get(state: &AppState, hall_id: &str) -> AppResult<FindingRules> {
    Ok(finding_rules::Entity::find_by_id(hall_id.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .and_then(|r| serde_json::from_str(&r.rules).ok())
        .unwrap_or_default())
}

/// Sets the hall's rules; checked whole, nothing written when one is wrong.
pub async fn set(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &FindingRules,
) -> AppResult<FindingRules> {
    input.check()?;
    let mut rules = input.clone();
    rules.disabled.sort();
    rules.disabled.dedup();
    let row = finding_rules::ActiveModel {
        hall_id: Set(hall_id.to_string()),
        rules: Set(serde_json::to_string(&rules).map_err(AppError::internal)?),
        updated_by: Set(actor.name.clone()),
        updated_at: Set(chrono::Utc::now()),
    };
    match finding_rules::Entity::find_by_id(hall_id.to_string())
        .one(&state.db)
        .await
        .db_err()?
    {
        Some(_) => row.update(&state.db).await.db_err()?,
        None => row.insert(&state.db).await.db_err()?,
    };
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_pass_their_own_checks_and_describe_every_rule() {
        let d = FindingRules::default();
        assert!(d.check().is_ok());
        assert!(d.describe().contains("每日暂停超过 30 分钟"));
        let off = FindingRules {
            disabled: vec!["long_pause".into()],
            ..FindingRules::default()
        };
        assert!(!off.describe().contains("每日暂停"));
        assert!(d.describe().contains("有人等候时窗口连续空闲 10 分钟"));
        let bad = FindingRules {
            slow_factor: 1.0,
            disabled: vec!["manual".into()],
            ..FindingRules::default()
        };
        assert!(bad.check().is_err());
    }
}
