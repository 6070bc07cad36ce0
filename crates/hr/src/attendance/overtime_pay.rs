//! 加班工资 from the attendance sheet: the month's overtime hours by kind
//! become one 加班工资 pay item per person, at 劳动法 第四十四条's rates —
//! 150 % after a working day's shift, 200 % on a rest day (this hall gives
//! no 补休 for it), 300 % on a statutory holiday — of the hourly wage
//! 月工资 ÷ 21.75 ÷ 8 (劳社部发〔2008〕3号), where the month's wage is the
//! profile's 基本工资 + 岗位工资 + 工龄工资. The item's reason spells out
//! the sum, so finance can check it by hand.

use super::sheet;
use crate::money::{fen, yuan};
use crate::pay_items::{self, PayItemDto, PayItemInput};
use crate::profiles;
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{AppState, events::Actor};
use serde::Serialize;
use utoipa::ToSchema;

/// Marks the items this makes, so a month is not paid twice.
pub const REASON_PREFIX: &str = "考勤加班";

/// The pay for overtime minutes (workday, rest day, holiday) on a monthly
/// wage, both in fen: the wage × Σ(minutes × rate) ÷ (21.75 × 8 × 60),
/// rounded half up to the fen.
pub fn pay_fen(monthly_fen: i64, workday_min: i64, rest_min: i64, holiday_min: i64) -> i64 {
    // Rates in percent; 21.75 days × 8 h × 60 min × 100 % = 1,044,000.
    let weighted = 150 * workday_min + 200 * rest_min + 300 * holiday_min;
    let numerator = i128::from(monthly_fen) * i128::from(weighted);
    ((numerator * 2 + 1_044_000) / (2 * 1_044_000)) as i64
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OvertimePayOutcome {
    pub month: String,
    pub items: Vec<PayItemDto>,
    /// People with overtime but no salary structure in their profile.
    pub skipped: Vec<String>,
}

/// Makes the month's 加班工资 items from its attendance sheet; refused when
/// the month already has them (delete those first to make them again).
pub async fn make(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    month: &str,
) -> AppResult<OvertimePayOutcome> {
    let sheet = sheet::build(state, hall_id, month, None).await?;
    let existing = pay_items::list(state, hall_id, &sheet.month).await?;
    if existing
        .iter()
        .any(|i| i.kind == "overtime" && i.reason.starts_with(REASON_PREFIX))
    {
        return Err(AppError::field(
            "month",
            format!(
                "{} 已从考勤生成过加班工资；如需重算，请先删除这些调整项",
                sheet.month
            ),
        ));
    }
    let profiles = profiles::of_hall(state, &state.db, hall_id).await?;
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    let minutes = |h: f64| (h * 60.0).round() as i64;
    for row in sheet.rows.iter().filter(|r| r.figures.overtime_hours > 0.0) {
        let f = &row.figures;
        let pay = profiles.get(&row.staff_id).and_then(|p| p.pay.as_ref());
        let Some(monthly) = pay.and_then(|p| fen(p.base + p.post + p.seniority)) else {
            skipped.push(format!("{} {}", row.employee_no, row.name));
            continue;
        };
        let amount = pay_fen(
            monthly,
            minutes(f.overtime_workday_hours),
            minutes(f.overtime_rest_hours),
            minutes(f.overtime_holiday_hours),
        );
        if amount <= 0 {
            continue;
        }
        let mut parts = Vec::new();
        for (h, what, rate) in [
            (f.overtime_workday_hours, "工作日延时", 150),
            (f.overtime_rest_hours, "休息日", 200),
            (f.overtime_holiday_hours, "法定节假日", 300),
        ] {
            if h > 0.0 {
                parts.push(format!("{what} {h:.1} 小时×{rate}%"));
            }
        }
        let reason = format!(
            "{REASON_PREFIX} {}：{}；时薪 = 月工资 {:.2} 元 ÷ 21.75 ÷ 8",
            sheet.month,
            parts.join("、"),
            yuan(monthly)
        );
        items.push(
            pay_items::create(
                state,
                actor,
                hall_id,
                &PayItemInput {
                    staff_id: row.staff_id.clone(),
                    month: sheet.month.clone(),
                    kind: "overtime".into(),
                    amount: yuan(amount),
                    reason,
                    refers_month: None,
                    separately: None,
                },
            )
            .await?,
        );
    }
    Ok(OvertimePayOutcome {
        month: sheet.month,
        items,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 5,000 yuan a month: the hourly wage is 5,000 ÷ 21.75 ÷ 8 = 28.7356…;
    /// an hour and a half after the shift is 28.7356 × 1.5 × 1.5 = 64.655…
    /// → 64.66; a rest day's eight hours 28.7356 × 8 × 2 = 459.77; a
    /// holiday's eight hours 689.66.
    #[test]
    fn overtime_at_the_legal_rates() {
        assert_eq!(pay_fen(5_000_00, 90, 0, 0), 64_66);
        assert_eq!(pay_fen(5_000_00, 0, 480, 0), 459_77);
        assert_eq!(pay_fen(5_000_00, 0, 0, 480), 689_66);
        assert_eq!(pay_fen(5_000_00, 0, 0, 0), 0);
        // A day's wage is the month ÷ 21.75, whatever the month.
        assert_eq!(pay_fen(21_75_00, 0, 480, 0), 200_00);
    }
}
