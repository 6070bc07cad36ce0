//! 帮办代办台账: the reception desk records each time staff helped a citizen
//! through a matter (帮办, alongside them) or handled it on their behalf
//! (代办) — who helped whom, with which matter, and how it ended. The manager
//! reads and exports the ledger; the citizen's phone is kept encrypted and
//! shown masked.

use crate::entity::assist;
use crate::events::{ASSIST_RECORDED, ASSIST_UPDATED, AssistEvent};
use chrono::{NaiveDate, Utc};
use govhall_kernel::{
    AppError, error::AppResult, identity::MobilePhone, mask::mask_phone, new_id, time,
    validate::Checker,
};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
    events::commit_with,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// How staff helped.
pub const KINDS: &[(&str, &str)] = &[("help", "帮办"), ("proxy", "代办")];

/// How it ended (or stands).
pub const RESULTS: &[(&str, &str)] = &[
    ("in_progress", "办理中"),
    ("accepted", "已受理"),
    ("done", "已办结"),
    ("referred", "转窗口办理"),
    ("failed", "未办成"),
];

/// The longest period one listing or export covers.
const MAX_DAYS: i64 = 366;
/// At most this many entries in one listing.
const MAX_ROWS: u64 = 5000;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssistInput {
    /// `help` 帮办 / `proxy` 代办.
    pub kind: String,
    pub citizen_name: String,
    /// For telling the citizen how it went (optional; stored encrypted).
    #[serde(default)]
    pub citizen_phone: Option<String>,
    /// The matter: 实施编码 or id in the hall's catalog.
    #[serde(default)]
    pub item: Option<String>,
    /// The matter in words, when it is not in the catalog (e.g. a question about a policy).
    #[serde(default)]
    pub item_name: Option<String>,
    /// The ticket the citizen took, if any.
    #[serde(default)]
    pub ticket_number: Option<String>,
    /// `in_progress` / `accepted` / `done` / `referred` / `failed`.
    pub result: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A later word on how it went.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssistUpdate {
    pub result: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssistDto {
    pub id: String,
    pub day: NaiveDate,
    pub at: chrono::DateTime<Utc>,
    pub kind: String,
    pub kind_label: String,
    pub citizen_name: String,
    /// Masked (`139****5678`).
    pub citizen_phone: Option<String>,
    pub item_code: Option<String>,
    pub item_name: String,
    pub ticket_number: Option<String>,
    pub helper_name: String,
    pub result: String,
    pub result_label: String,
    pub note: String,
    pub updated_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssistQuery {
    /// First day (default today).
    pub from: Option<NaiveDate>,
    /// Last day (default `from`).
    pub to: Option<NaiveDate>,
}

impl AssistQuery {
    /// The days asked for, checked: in order, and at most a year.
    pub fn days(&self) -> AppResult<(NaiveDate, NaiveDate)> {
        let from = self.from.unwrap_or_else(time::today);
        let to = self.to.unwrap_or(from);
        let mut ch = Checker::new();
        ch.check(to >= from, "to", "结束日期不能早于开始日期");
        ch.check(
            (to - from).num_days() < MAX_DAYS,
            "to",
            format!("一次最多查询 {MAX_DAYS} 天"),
        );
        ch.finish()?;
        Ok((from, to))
    }
}

fn label(list: &[(&str, &'static str)], code: &str) -> String {
    govhall_platform::api::label(list, code).to_string()
}

fn dto(state: &AppState, r: assist::Model) -> AssistDto {
    let phone = r
        .citizen_phone_enc
        .as_deref()
        .and_then(|e| state.pii.decrypt(e).ok())
        .map(|p| mask_phone(&p));
    AssistDto {
        kind_label: label(KINDS, &r.kind),
        result_label: label(RESULTS, &r.result),
        citizen_phone: phone,
        id: r.id,
        day: r.day,
        at: r.at,
        kind: r.kind,
        citizen_name: r.citizen_name,
        item_code: r.item_code,
        item_name: r.item_name,
        ticket_number: r.ticket_number,
        helper_name: r.helper_name,
        result: r.result,
        note: r.note,
        updated_at: r.updated_at,
    }
}

fn event(r: &assist::Model) -> AssistEvent {
    AssistEvent {
        assist_id: r.id.clone(),
        kind: r.kind.clone(),
        item_code: r.item_code.clone(),
        item_name: r.item_name.clone(),
        result: r.result.clone(),
    }
}

/// Records one 帮办/代办 by the signed-in member of staff.
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    input: AssistInput,
) -> AppResult<AssistDto> {
    let mut ch = Checker::new();
    ch.one_of("kind", "帮办类型", input.kind.trim(), KINDS);
    ch.one_of("result", "办理结果", input.result.trim(), RESULTS);
    let name = ch.text("citizen_name", "群众姓名", &input.citizen_name, 50);
    let phone = input
        .citizen_phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .and_then(|p| {
            ch.parsed("citizen_phone", MobilePhone::parse(p), |r| {
                format!("联系电话：{r}")
            })
        });
    let ticket = ch.optional_text("ticket_number", "号票", input.ticket_number.as_deref(), 20);
    let note = ch
        .optional_text("note", "备注", input.note.as_deref(), 500)
        .unwrap_or_default();
    let given_name = ch.optional_text("item_name", "事项名称", input.item_name.as_deref(), 200);
    let key = input
        .item
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let item = match key {
        Some(k) => match govhall_catalog::service::item(state, hall_id, k).await {
            Ok(it) => Some(it),
            Err(AppError::NotFound(_)) => {
                ch.fail("item", "本大厅的事项目录中没有这个事项");
                None
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    ch.check(
        item.is_some() || given_name.is_some() || key.is_some(),
        "item_name",
        "请选择事项，或写明帮办的事项",
    );
    ch.finish()?;
    let now = Utc::now();
    let actor = user.actor();
    let row = assist::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        day: Set(time::local_date(now)),
        at: Set(now),
        kind: Set(input.kind.trim().to_string()),
        citizen_name: Set(name),
        citizen_phone_enc: Set(phone.map(|p| state.pii.encrypt(p.as_str()))),
        item_code: Set(item.as_ref().map(|i| i.task_code.clone())),
        item_name: Set(item.map(|i| i.task_name).or(given_name).unwrap_or_default()),
        ticket_number: Set(ticket.map(|t| t.to_uppercase())),
        helper_staff_id: Set(user.staff_id.clone()),
        helper_name: Set(actor.name.clone()),
        result: Set(input.result.trim().to_string()),
        note: Set(note),
        updated_at: Set(now),
    };
    let txn = begin_write(&state.db).await.db_err()?;
    let saved = row.insert(&txn).await.db_err()?;
    let ev = ASSIST_RECORDED.event(Some(hall_id), &event(&saved));
    commit_with(state, txn, &actor, vec![ev]).await?;
    Ok(dto(state, saved))
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<assist::Model> {
    assist::Entity::find_by_id(id.to_string())
        .filter(assist::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("帮办代办记录"))
}

/// Records how an entry ended (a 代办 finished later, a referral taken up).
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
    input: AssistUpdate,
) -> AppResult<AssistDto> {
    let mut ch = Checker::new();
    ch.one_of("result", "办理结果", input.result.trim(), RESULTS);
    let note = ch.optional_text("note", "备注", input.note.as_deref(), 500);
    ch.finish()?;
    let existing = find(state, hall_id, id).await?;
    let actor = user.actor();
    let mut row: assist::ActiveModel = existing.into();
    row.result = Set(input.result.trim().to_string());
    if let Some(note) = note {
        row.note = Set(note);
    }
    row.updated_at = Set(Utc::now());
    let txn = begin_write(&state.db).await.db_err()?;
    let saved = row.update(&txn).await.db_err()?;
    let ev = ASSIST_UPDATED.event(Some(hall_id), &event(&saved));
    commit_with(state, txn, &actor, vec![ev]).await?;
    Ok(dto(state, saved))
}

/// The ledger over the days asked for, newest first.
pub async fn list(state: &AppState, hall_id: &str, q: &AssistQuery) -> AppResult<Vec<AssistDto>> {
    let (from, to) = q.days()?;
    let rows = assist::Entity::find()
        .filter(assist::Column::HallId.eq(hall_id))
        .filter(assist::Column::Day.between(from, to))
        .order_by_desc(assist::Column::At)
        .limit(MAX_ROWS)
        .all(&state.db)
        .await
        .db_err()?;
    Ok(rows.into_iter().map(|r| dto(state, r)).collect())
}

/// The citizen's phone in full, for telling them how it went (an audited read).
pub async fn phone(state: &AppState, hall_id: &str, id: &str) -> AppResult<Option<String>> {
    let r = find(state, hall_id, id).await?;
    Ok(r.citizen_phone_enc
        .as_deref()
        .and_then(|e| state.pii.decrypt(e).ok()))
}

/// The ledger as an Excel workbook: a title row, formatted headers, one row
/// per entry and a count by result (phones masked).
pub fn workbook(
    hall_name: &str,
    from: NaiveDate,
    to: NaiveDate,
    rows: &[AssistDto],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("帮办代办台账")?;
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_background_color("DCE6F2")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let cell = Format::new().set_border(FormatBorder::Thin);
    sheet.write_with_format(
        0,
        0,
        format!("{hall_name} 帮办代办台账（{from} 至 {to}）"),
        &title,
    )?;
    let headers = [
        ("日期", 12),
        ("时间", 8),
        ("类型", 6),
        ("群众", 10),
        ("联系电话", 14),
        ("事项", 36),
        ("实施编码", 34),
        ("号票", 8),
        ("帮办人员", 10),
        ("结果", 10),
        ("备注", 36),
    ];
    for (c, (name, width)) in headers.iter().enumerate() {
        let c = c as u16;
        sheet.write_with_format(2, c, *name, &head)?;
        sheet.set_column_width(c, *width)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        let local = time::local(r.at);
        let values = [
            r.day.to_string(),
            local.format("%H:%M").to_string(),
            r.kind_label.clone(),
            r.citizen_name.clone(),
            r.citizen_phone.clone().unwrap_or_default(),
            r.item_name.clone(),
            r.item_code.clone().unwrap_or_default(),
            r.ticket_number.clone().unwrap_or_default(),
            r.helper_name.clone(),
            r.result_label.clone(),
            r.note.clone(),
        ];
        for (c, v) in values.iter().enumerate() {
            sheet.write_with_format(row, c as u16, v, &cell)?;
        }
    }
    let mut at = 4 + rows.len() as u32;
    sheet.write_with_format(at, 0, format!("合计 {} 件", rows.len()), &head)?;
    for (code, name) in RESULTS {
        let n = rows.iter().filter(|r| r.result == *code).count();
        if n > 0 {
            at += 1;
            sheet.write(at, 0, format!("{name} {n} 件"))?;
        }
    }
    book.save_to_buffer()
}
