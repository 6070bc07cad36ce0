//! A hall's queue settings: the calling policy's parameters, the no-show
//! policy, estimates and rating deadlines. Read on every call, so a change
//! applies at once without a restart; every change is an audited event.

use crate::entity::settings;
use crate::policy::Policy;
use chrono::Utc;
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct QueueSettings {
    pub policy: Policy,
    /// 过号: 0 voids the ticket; k > 0 puts it back k places behind the line's head.
    pub no_show_requeue_places: u32,
    /// How many times one ticket may be put back before it is voided.
    pub no_show_max_requeues: u32,
    /// Mean service minutes assumed before a line has served anyone today.
    pub default_service_minutes: u32,
    /// Notify the holder when this many people are ahead (0 = never).
    pub notify_ahead: u32,
    /// Working days to close a 差评 rectification ticket.
    pub rectification_days: u32,
    /// Appointments can be booked this many days ahead (today included).
    pub booking_days_ahead: u32,
    /// This many missed appointments …
    pub appointment_no_show_limit: u32,
    /// … within this many days suspend booking until the oldest of them is that old.
    pub appointment_ban_days: u32,
    /// ID numbers and phones on tickets, bookings and SMS are erased after this many days.
    pub personal_data_days: u32,
}

impl Default for QueueSettings {
    fn default() -> Self {
        QueueSettings {
            policy: Policy::default(),
            no_show_requeue_places: 3,
            no_show_max_requeues: 1,
            default_service_minutes: 8,
            notify_ahead: 3,
            rectification_days: 5,
            booking_days_ahead: 7,
            appointment_no_show_limit: 3,
            appointment_ban_days: 30,
            personal_data_days: 180,
        }
    }
}

impl QueueSettings {
    fn check(&self) -> Result<(), AppError> {
        let mut c = Checker::new();
        let p = &self.policy;
        c.check(
            (1..=10).contains(&p.green_share),
            "policy.green_share",
            "绿色通道份额须在 1—10 之间",
        );
        c.check(
            (1..=20).contains(&p.other_share),
            "policy.other_share",
            "普通号份额须在 1—20 之间",
        );
        c.check(
            (5..=240).contains(&p.aging_minutes),
            "policy.aging_minutes",
            "超时优先阈值须在 5—240 分钟之间",
        );
        c.check(
            (0..=60).contains(&p.appointment_tolerance),
            "policy.appointment_tolerance",
            "预约迟到容忍须在 0—60 分钟之间",
        );
        c.check(
            (10..=100).contains(&p.appointment_cap_percent),
            "policy.appointment_cap_percent",
            "预约号占比上限须在 10%—100% 之间",
        );
        c.check(
            self.no_show_requeue_places <= 50,
            "no_show_requeue_places",
            "过号后顺延位数须在 0—50 之间（0 表示作废）",
        );
        c.check(
            self.no_show_max_requeues <= 5,
            "no_show_max_requeues",
            "过号顺延次数须在 0—5 之间",
        );
        c.check(
            (1..=120).contains(&self.default_service_minutes),
            "default_service_minutes",
            "默认办理时长须在 1—120 分钟之间",
        );
        c.check(
            self.notify_ahead <= 50,
            "notify_ahead",
            "提前提醒人数须在 0—50 之间",
        );
        c.check(
            (1..=30).contains(&self.rectification_days),
            "rectification_days",
            "差评整改时限须在 1—30 个工作日之间",
        );
        c.check(
            (1..=30).contains(&self.booking_days_ahead),
            "booking_days_ahead",
            "可预约天数须在 1—30 天之间",
        );
        c.check(
            (1..=10).contains(&self.appointment_no_show_limit),
            "appointment_no_show_limit",
            "预约爽约次数上限须在 1—10 次之间",
        );
        c.check(
            (1..=180).contains(&self.appointment_ban_days),
            "appointment_ban_days",
            "爽约统计与暂停预约天数须在 1—180 天之间",
        );
        c.check(
            (30..=1095).contains(&self.personal_data_days),
            "personal_data_days",
            "个人信息保存天数须在 30—1095 天之间（至少覆盖一次爽约统计与来访记录）",
        );
        c.finish()
    }
}

/// The hall's settings, or the defaults when none were saved.
pub async fn load<C: ConnectionTrait>(db: &C, hall_id: &str) -> AppResult<QueueSettings> {
    let row = settings::Entity::find_by_id(hall_id.to_string())
        .one(db)
        .await
        .db_err()?;
    Ok(row
        .and_then(|r| serde_json::from_str(&r.body).ok())
        .unwrap_or_default())
}

pub async fn save(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    new: &QueueSettings,
) -> AppResult<QueueSettings> {
    new.check()?;
    let txn = begin_write(&state.db).await.db_err()?;
    let old = settings::Entity::find_by_id(hall_id.to_string())
        .one(&txn)
        .await
        .db_err()?;
    let row = settings::ActiveModel {
        hall_id: Set(hall_id.to_string()),
        body: Set(serde_json::to_string(new).map_err(AppError::internal)?),
        updated_at: Set(Utc::now()),
    };
    let before = old
        .as_ref()
        .and_then(|r| serde_json::from_str::<QueueSettings>(&r.body).ok())
        .unwrap_or_default();
    if old.is_some() {
        row.update(&txn).await.db_err()?;
    } else {
        row.insert(&txn).await.db_err()?;
    }
    let ev = crate::events::SETTINGS_UPDATED.event(
        Some(hall_id),
        &crate::events::SettingsChanged {
            before,
            after: new.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(new.clone())
}
