//! What the lifecycle does by the clock, every minute and whenever a change
//! is recorded (and, each minute, the contracts' expiry reminders): a transfer moves the person in the directory on its date;
//! a leaver's accounts are disabled once the hall's hours end on the last
//! working day (sessions end at once). Each change is applied once
//! (`applied`), by a conditional write, so two servers sweeping agree.

use crate::changes::apply_transfer;
use crate::entity::change;
use chrono::{DateTime, NaiveTime, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{error::AppResult, time};
use govhall_platform::{AppState, auth::service as accounts, db::DbResultExt, events::Actor};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

pub fn spawn(state: &AppState) {
    let every = std::time::Duration::from_secs(60);
    govhall_platform::periodic::every(state, every, "hr lifecycle", |s| async move {
        apply_due(&s, Utc::now()).await?;
        crate::contracts::remind(&s, time::today()).await?;
        Ok(())
    });
}

/// When a leaver's last day ends: the hall's closing time that day (18:00 when unreadable).
async fn last_moment(state: &AppState, c: &change::Model) -> AppResult<DateTime<Utc>> {
    let closes = directory::hall(state, &c.hall_id)
        .await
        .ok()
        .and_then(|h| NaiveTime::parse_from_str(&h.closes_at, "%H:%M").ok())
        .unwrap_or(NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default());
    let local = c
        .effective_on
        .and_time(closes)
        .and_local_timezone(time::HALL_TZ)
        .earliest();
    Ok(local.map_or_else(Utc::now, |t| t.with_timezone(&Utc)))
}

/// Applies every change due at `now`; answers how many.
pub async fn apply_due(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let today = time::local_date(now);
    let due = change::Entity::find()
        .filter(change::Column::Applied.eq(false))
        .filter(change::Column::Kind.is_in(["transfer", "leave"]))
        .filter(change::Column::EffectiveOn.lte(today))
        .all(&state.db)
        .await
        .db_err()?;
    let mut applied = 0;
    for c in due {
        if c.kind == "leave" && now < last_moment(state, &c).await? {
            continue;
        }
        // Claim it first: another server sweeping at the same minute skips it.
        let claimed = change::Entity::update_many()
            .col_expr(change::Column::Applied, Expr::value(true))
            .filter(change::Column::Id.eq(&c.id))
            .filter(change::Column::Applied.eq(false))
            .exec(&state.db)
            .await
            .db_err()?;
        if claimed.rows_affected == 0 {
            continue;
        }
        let done = if c.kind == "transfer" {
            apply_transfer(state, &c).await
        } else {
            let actor = Actor {
                id: None,
                name: "人员管理·离职".into(),
            };
            accounts::disable_staff_accounts(state, &actor, &c.staff_id)
                .await
                .map(|_| ())
        };
        if let Err(e) = done {
            // Not applied after all: the next sweep tries again.
            change::Entity::update_many()
                .col_expr(change::Column::Applied, Expr::value(false))
                .filter(change::Column::Id.eq(&c.id))
                .exec(&state.db)
                .await
                .db_err()?;
            return Err(e);
        }
        applied += 1;
    }
    Ok(applied)
}
