//! Personal data is kept only as long as the hall needs it: at the close of
//! day, ID numbers, phones and WeChat openids on tickets and bookings older
//! than the hall's `personal_data_days` are erased (with their blind indexes), and so are the
//! phone numbers of its old SMS. Numbers, times and outcomes stay for
//! statistics; ratings keep the applicant's ID for the provincial 好差评 report.

use crate::entity::{appointment, ticket};
use chrono::{DateTime, Utc};
use govhall_kernel::error::AppResult;
use govhall_platform::db::DbResultExt;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct Erased {
    pub tickets: u64,
    pub appointments: u64,
    pub messages: u64,
}

/// Erases the personal data of the hall's records from before `cutoff_day` (`YYYY-MM-DD`).
pub async fn erase_before<C: ConnectionTrait>(
    txn: &C,
    hall_id: &str,
    cutoff_day: &str,
    cutoff: DateTime<Utc>,
) -> AppResult<Erased> {
    let tickets = ticket::Entity::update_many()
        .col_expr(ticket::Column::IdEnc, Expr::value(Option::<String>::None))
        .col_expr(
            ticket::Column::PhoneEnc,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            ticket::Column::PersonIdx,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            ticket::Column::WechatOpenidEnc,
            Expr::value(Option::<String>::None),
        )
        .filter(ticket::Column::HallId.eq(hall_id))
        .filter(ticket::Column::Day.lt(cutoff_day))
        .filter(
            Condition::any()
                .add(ticket::Column::IdEnc.is_not_null())
                .add(ticket::Column::PhoneEnc.is_not_null())
                .add(ticket::Column::WechatOpenidEnc.is_not_null()),
        )
        .exec(txn)
        .await
        .db_err()?
        .rows_affected;
    let appointments = appointment::Entity::update_many()
        .col_expr(
            appointment::Column::IdEnc,
            Expr::value(Option::<String>::None),
        )
        .col_expr(appointment::Column::PhoneEnc, Expr::value(""))
        .col_expr(appointment::Column::PhoneIdx, Expr::value(""))
        .col_expr(appointment::Column::PersonIdx, Expr::value(""))
        .filter(appointment::Column::HallId.eq(hall_id))
        .filter(appointment::Column::Day.lt(cutoff_day))
        .filter(appointment::Column::PhoneEnc.ne(""))
        .exec(txn)
        .await
        .db_err()?
        .rows_affected;
    let messages = govhall_notify::erase_recipients_before(txn, hall_id, cutoff).await?;
    Ok(Erased {
        tickets,
        appointments,
        messages,
    })
}
