//! The training module's background work: a text to each learner whose
//! plan is due within three days (or overdue by up to a week) and not
//! finished — once a day, in office hours — and to each member of a 线下培训
//! class's group the day before it (once); and the announcement of every
//! certificate that expired (the event the analytics and performance
//! modules read), once.

use crate::entity::certificate;
use crate::events::{CERTIFICATE_EXPIRED, CertificateLapsed};
use chrono::{Duration, Timelike, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{error::AppResult, time};
use govhall_notify::{Sms, enqueue_sms};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

/// Days before the due date the reminders start.
const DAYS_AHEAD: i64 = 3;
/// Days after it they go on.
const DAYS_OVERDUE: i64 = 7;
/// Local hours in which texts are sent.
const OFFICE_HOURS: std::ops::Range<u32> = 9..18;

/// Starts the sweep; it stops with the server.
pub fn spawn(state: &AppState) {
    let every = std::time::Duration::from_secs(5 * 60);
    govhall_platform::periodic::every(state, every, "training reminders", |s| async move {
        announce_expired(&s).await?;
        if OFFICE_HOURS.contains(&time::local(Utc::now()).hour()) {
            remind_plans(&s).await?;
            remind_classes(&s).await?;
        }
        Ok(())
    });
}

/// Records `training.certificate.expired` once for every certificate past
/// its expiry; returns how many were announced.
pub async fn announce_expired(state: &AppState) -> AppResult<usize> {
    let now = Utc::now();
    let due = certificate::Entity::find()
        .filter(certificate::Column::ExpiresAt.lte(now))
        .filter(certificate::Column::ExpiryAnnouncedAt.is_null())
        .all(&state.db)
        .await
        .db_err()?;
    let mut announced = 0;
    for c in due {
        let txn = begin_write(&state.db).await.db_err()?;
        // Conditional: two servers sweeping at once announce it once.
        let claimed = certificate::Entity::update_many()
            .col_expr(certificate::Column::ExpiryAnnouncedAt, Expr::value(now))
            .filter(certificate::Column::Id.eq(&c.id))
            .filter(certificate::Column::ExpiryAnnouncedAt.is_null())
            .exec(&txn)
            .await
            .db_err()?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let ev = CERTIFICATE_EXPIRED.event(
            Some(&c.hall_id),
            &CertificateLapsed {
                certificate_id: c.id,
                number: c.number,
                course_id: c.course_id,
                course_title: c.course_title,
                learner_id: c.learner_id,
                expires_at: c.expires_at,
            },
        );
        commit_with(state, txn, &Actor::system(), vec![ev]).await?;
        announced += 1;
    }
    Ok(announced)
}

/// Texts each unfinished learner of a plan due soon or lately overdue;
/// one message per plan, person and day. Returns how many were queued.
pub async fn remind_plans(state: &AppState) -> AppResult<usize> {
    let today = time::today();
    let day = today.format("%Y-%m-%d").to_string();
    let plans = crate::plans::due_between(
        state,
        today - Duration::days(DAYS_OVERDUE),
        today + Duration::days(DAYS_AHEAD),
    )
    .await?;
    let mut queued = 0;
    let mut phones_by_hall = std::collections::HashMap::new();
    for (hall_id, plan, learners) in plans {
        if !phones_by_hall.contains_key(&hall_id) {
            let phones = directory::phones_of_hall(state, &hall_id).await?;
            phones_by_hall.insert(hall_id.clone(), phones);
        }
        let phones = &phones_by_hall[&hall_id];
        let left_days = (plan.due_on - today).num_days();
        let when = match left_days {
            0 => "今天到期".to_string(),
            d if d > 0 => format!("还剩 {d} 天"),
            d => format!("已超期 {} 天", -d),
        };
        for l in learners.iter().filter(|l| !l.finished && l.has_account) {
            let Some((_, phone)) = phones.iter().find(|(s, _)| s.id.as_str() == l.staff_id) else {
                continue;
            };
            let left = plan.courses.len() - l.completed_courses;
            let text = format!(
                "培训提醒：{}，您在《{}》中还有 {left} 门课程未完成，完成期限 {}（{when}），请登录学习平台完成学习。",
                l.name, plan.title, plan.due_on
            );
            let fresh = enqueue_sms(
                &state.db,
                state.pii.as_ref(),
                Sms {
                    hall_id: Some(&hall_id),
                    phone,
                    kind: "training.plan_reminder",
                    params: serde_json::json!({
                        "name": l.name, "plan": plan.title, "left": left,
                        "due": plan.due_on.to_string(), "when": when,
                    }),
                    text,
                    dedupe_key: format!("training-plan:{}:{}:{day}", plan.id, l.staff_id),
                    secret: None,
                },
            )
            .await?;
            queued += usize::from(fresh);
        }
    }
    Ok(queued)
}

/// Texts the group of every class starting within a day (those with a
/// phone); once per class and person. Returns how many were queued.
pub async fn remind_classes(state: &AppState) -> AppResult<usize> {
    let now = Utc::now();
    let classes = crate::classes::starting_between(state, now, now + Duration::days(1)).await?;
    let mut queued = 0;
    let mut phones_by_hall = std::collections::HashMap::new();
    for (c, audience) in classes {
        if !phones_by_hall.contains_key(&c.hall_id) {
            let phones = directory::phones_of_hall(state, &c.hall_id).await?;
            phones_by_hall.insert(c.hall_id.clone(), phones);
        }
        let phones = &phones_by_hall[&c.hall_id];
        let when = crate::classes::when_and_where(&c);
        for member in &audience {
            let Some((_, phone)) = phones.iter().find(|(s, _)| s.id == member.id) else {
                continue;
            };
            let text = format!(
                "培训通知：{}，线下培训《{}》将于{when}举行，请准时到场，用手机扫描现场二维码签到。",
                member.name, c.title
            );
            let fresh = enqueue_sms(
                &state.db,
                state.pii.as_ref(),
                Sms {
                    hall_id: Some(&c.hall_id),
                    phone,
                    kind: "training.class_reminder",
                    params: serde_json::json!({"name": member.name, "title": c.title, "when": when}),
                    text,
                    dedupe_key: format!("training-class:{}:{}", c.id, member.id.as_str()),
                    secret: None,
                },
            )
            .await?;
            queued += usize::from(fresh);
        }
    }
    Ok(queued)
}
