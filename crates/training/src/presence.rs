//! Signing in at a 线下培训 class. The room's screen shows a QR code that
//! changes every 30 seconds: its token is a keyed hash (HMAC-SHA256, the
//! class's own secret) of the class and the current half-minute, good for
//! that half-minute and the next, so a photo of it sent to someone at home
//! stops working within a minute. The token never names a person: the
//! learner's signed-in account does. A manager may enter a sign-in by hand
//! (补签) with a reason. One row per person and class: two racing scans
//! count once.

use crate::classes::{
    ClassDetail, LATE_AFTER_MIN, OPENS_BEFORE_MIN, detail, find, hours_of, local_time, status_of,
};
use crate::entity::{attendance, class};
use crate::events::{CLASS_ATTENDED, ClassAttended};
use chrono::{DateTime, Duration, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write, is_unique_violation},
    events::commit_with,
};
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long one sign-in code is shown; the one before it is still taken
/// (a scan made just as the code changed).
pub const CODE_PERIOD_S: i64 = 30;

/// The code to show as a QR: the learner's page path with the current token.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassCode {
    pub token: String,
    /// The learner's page to open (prefix the server's address).
    pub path: String,
    /// When the next code replaces it.
    pub changes_at: DateTime<Utc>,
    pub period_s: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PresenceInput {
    /// The token from the scanned QR code.
    pub token: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ManualAttendanceInput {
    pub staff_id: String,
    /// Why it is entered by hand (e.g. 手机没电，现场核实).
    pub note: String,
}

/// A learner's own sign-in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PresenceDto {
    pub class_id: String,
    pub title: String,
    pub place: String,
    pub signed_at: DateTime<Utc>,
    pub late: bool,
    /// They had signed in before (the earlier time stands).
    pub already: bool,
}

type HmacSha256 = Hmac<sha2::Sha256>;

/// The token of a class for the half-minute `slot`.
fn token(c: &class::Model, slot: i64) -> String {
    let mut mac = HmacSha256::new_from_slice(c.secret.as_bytes()).expect("any key length");
    mac.update(format!("{}:{slot}", c.id).as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..6])
}

fn slot_of(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(CODE_PERIOD_S)
}

/// A token is good for its half-minute and the next one.
fn token_is_current(c: &class::Model, given: &str, now: DateTime<Utc>) -> bool {
    let given = given.trim().to_ascii_lowercase();
    let slot = slot_of(now);
    [slot, slot - 1].iter().any(|s| token(c, *s) == given)
}

/// The code to show now; refused outside the sign-in time, so an old
/// screen cannot be left showing it.
pub async fn code(state: &AppState, hall_id: &str, id: &str) -> AppResult<ClassCode> {
    let c = find(state, hall_id, id).await?;
    let now = Utc::now();
    match status_of(&c, now) {
        "未开始" => Err(AppError::BadRequest(format!(
            "签到尚未开始：开课前 {OPENS_BEFORE_MIN} 分钟（{}）起可显示签到二维码",
            local_time(c.starts_at - Duration::minutes(OPENS_BEFORE_MIN))
        ))),
        "已结束" => Err(AppError::BadRequest(
            "培训已结束，签到二维码已停用；缺席人员可由管理员补签".into(),
        )),
        _ => {
            let slot = slot_of(now);
            let token = token(&c, slot);
            Ok(ClassCode {
                path: format!("/learn/#/presence/{}/{token}", c.id),
                token,
                changes_at: DateTime::from_timestamp((slot + 1) * CODE_PERIOD_S, 0).unwrap_or(now),
                period_s: CODE_PERIOD_S,
            })
        }
    }
}

/// Records an attendance row and its event; a second sign-in of the same
/// person (two scans racing, or a 补签 after a scan) keeps the first.
async fn record(
    state: &AppState,
    user: &CurrentUser,
    c: &class::Model,
    staff_id: &str,
    method: &str,
    note: &str,
) -> AppResult<(attendance::Model, bool)> {
    if let Some(existing) = attendance::Entity::find_by_id((c.id.clone(), staff_id.to_string()))
        .one(&state.db)
        .await
        .db_err()?
    {
        return Ok((existing, true));
    }
    let now = Utc::now();
    let row = attendance::ActiveModel {
        class_id: Set(c.id.clone()),
        staff_id: Set(staff_id.to_string()),
        hall_id: Set(c.hall_id.clone()),
        signed_at: Set(now),
        method: Set(method.to_string()),
        note: Set(note.to_string()),
        recorded_by: Set(user.id.clone()),
    };
    let txn = begin_write(&state.db).await.db_err()?;
    match row.insert(&txn).await {
        Ok(row) => {
            let ev = CLASS_ATTENDED.event(
                Some(&c.hall_id),
                &ClassAttended {
                    class_id: c.id.clone(),
                    title: c.title.clone(),
                    staff_id: staff_id.to_string(),
                    method: method.to_string(),
                    late: method == "qr" && now > c.starts_at + Duration::minutes(LATE_AFTER_MIN),
                    hours: hours_of(c),
                },
            );
            commit_with(state, txn, &user.actor(), vec![ev]).await?;
            Ok((row, false))
        }
        Err(e) if is_unique_violation(&e) => {
            drop(txn);
            let existing = attendance::Entity::find_by_id((c.id.clone(), staff_id.to_string()))
                .one(&state.db)
                .await
                .db_err()?
                .ok_or_else(|| AppError::internal("签到记录冲突后未找到"))?;
            Ok((existing, true))
        }
        Err(e) => Err(AppError::internal(e)),
    }
}

/// A learner signs in with the token from the scanned code.
pub async fn sign_in(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
    input: &PresenceInput,
) -> AppResult<PresenceDto> {
    let staff_id = user.staff_id.clone().ok_or_else(|| {
        AppError::Forbidden("只有登记在人员档案中的工作人员可以签到，请使用本人账号登录".into())
    })?;
    let c = find(state, hall_id, id).await?;
    let now = Utc::now();
    match status_of(&c, now) {
        "未开始" => {
            return Err(AppError::field(
                "token",
                format!(
                    "签到尚未开始：{} 起可签到",
                    local_time(c.starts_at - Duration::minutes(OPENS_BEFORE_MIN))
                ),
            ));
        }
        "已结束" => {
            return Err(AppError::field(
                "token",
                "培训已结束，不能再扫码签到；如确实到场，请联系培训管理员补签",
            ));
        }
        _ => {}
    }
    if !token_is_current(&c, &input.token, now) {
        return Err(AppError::field(
            "token",
            "签到码已失效（每 30 秒更换一次），请扫描现场屏幕上的最新二维码",
        ));
    }
    let (row, already) = record(state, user, &c, &staff_id, "qr", "").await?;
    Ok(PresenceDto {
        late: row.signed_at > c.starts_at + Duration::minutes(LATE_AFTER_MIN),
        class_id: c.id,
        title: c.title,
        place: c.place,
        signed_at: row.signed_at,
        already,
    })
}

/// A manager enters a sign-in by hand (补签) with the reason.
pub async fn sign_in_by_hand(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
    input: &ManualAttendanceInput,
) -> AppResult<ClassDetail> {
    let c = find(state, hall_id, id).await?;
    let mut ch = Checker::new();
    let note = ch.text("note", "补签原因", &input.note, 100);
    let member = directory::staff_member(&state.db, &input.staff_id)
        .await?
        .filter(|s| s.hall_id.as_str() == hall_id);
    ch.check(member.is_some(), "staff_id", "工作人员不存在或不属于本大厅");
    ch.check(
        Utc::now() >= c.starts_at,
        "staff_id",
        format!("培训 {} 才开始，开始后才能补签", local_time(c.starts_at)),
    );
    ch.finish()?;
    let (_, already) = record(state, user, &c, &input.staff_id, "manual", &note).await?;
    if already {
        return Err(AppError::Conflict {
            message: "此人已签到，无需补签".into(),
            fields: vec![],
        });
    }
    detail(state, hall_id, id).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classes::tests::class_at;

    #[test]
    fn a_code_lasts_its_half_minute_and_the_next_only() {
        let now = Utc::now();
        let c = class_at(now);
        let t = token(&c, slot_of(now));
        assert!(token_is_current(&c, &t, now));
        assert!(token_is_current(&c, &t.to_uppercase(), now));
        assert!(token_is_current(
            &c,
            &t,
            now + Duration::seconds(CODE_PERIOD_S)
        ));
        assert!(!token_is_current(
            &c,
            &t,
            now + Duration::seconds(2 * CODE_PERIOD_S)
        ));
        let mut other = c.clone();
        other.secret = "another".into();
        assert!(!token_is_current(&other, &t, now));
    }
}
