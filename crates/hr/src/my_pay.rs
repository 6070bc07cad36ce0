//! A member of staff's own payslips: the approved months only, and only
//! their own — the account's staff record decides, never a parameter.

use crate::entity::{payslip, run};
use crate::payroll::{decrypt_slip, parse_month};
use crate::payslip::Payslip;
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{AppState, auth::CurrentUser, db::DbResultExt};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::HashSet;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyPayslipRow {
    pub month: String,
    pub gross_fen: i64,
    pub net_fen: i64,
    pub iit_fen: i64,
}

fn staff_of(user: &CurrentUser) -> AppResult<&str> {
    user.staff_id
        .as_deref()
        .ok_or_else(|| AppError::Forbidden("当前账号未关联工作人员，没有工资条".into()))
}

async fn approved_runs(state: &AppState, hall_id: &str) -> AppResult<HashSet<String>> {
    Ok(run::Entity::find()
        .filter(run::Column::HallId.eq(hall_id))
        .filter(run::Column::Status.eq("approved"))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// My approved months, newest first.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
) -> AppResult<Vec<MyPayslipRow>> {
    let staff_id = staff_of(user)?;
    let approved = approved_runs(state, hall_id).await?;
    payslip::Entity::find()
        .filter(payslip::Column::HallId.eq(hall_id))
        .filter(payslip::Column::StaffId.eq(staff_id))
        .order_by_desc(payslip::Column::Month)
        .all(&state.db)
        .await
        .db_err()?
        .iter()
        .filter(|r| approved.contains(&r.run_id))
        .map(|r| {
            let s = decrypt_slip(state, r)?;
            Ok(MyPayslipRow {
                month: s.month,
                gross_fen: s.gross_fen,
                net_fen: s.net_fen,
                iit_fen: s.iit_fen,
            })
        })
        .collect()
}

/// My payslip of an approved month.
pub async fn get(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    month: &str,
) -> AppResult<Payslip> {
    let staff_id = staff_of(user)?;
    let month = parse_month(month)?;
    let approved = approved_runs(state, hall_id).await?;
    payslip::Entity::find()
        .filter(payslip::Column::HallId.eq(hall_id))
        .filter(payslip::Column::StaffId.eq(staff_id))
        .filter(payslip::Column::Month.eq(month.to_string()))
        .all(&state.db)
        .await
        .db_err()?
        .iter()
        .find(|r| approved.contains(&r.run_id))
        .map(|r| decrypt_slip(state, r))
        .transpose()?
        .ok_or_else(|| AppError::NotFound(format!("{} 没有已发放的工资条", month.label())))
}
