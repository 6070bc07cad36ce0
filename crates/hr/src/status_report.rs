//! 人员状态月报 (定期反馈人员状态): a month's staff report to the center —
//! headcount by post against the 编制 with vacancies, joiners and leavers
//! by name, transfers and 转正, leave taken by type, 线下培训 hours, and the
//! contracts ending within two months — as figures, PDF and Excel. The
//! 编制 is the hall's setting; attendance is the 考勤月报's totals.

use crate::entity::{change, establishment, leave_request, profile};
use crate::leave_types;
use crate::month::Month;
use chrono::{Duration, NaiveTime, Utc};
use govhall_directory::{model::STAFF_POSITIONS, service as directory};
use govhall_kernel::{AppError, error::AppResult, time, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
};
use rust_xlsxwriter::{Format, Workbook};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One post's 编制.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PostHeadcount {
    pub position: String,
    pub headcount: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostLine {
    pub position: String,
    pub position_label: String,
    /// 编制.
    pub establishment: i32,
    /// 在岗 at the month's end.
    pub on_staff: i32,
    /// 缺编 (negative: over the establishment).
    pub vacancies: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonMove {
    pub employee_no: String,
    pub name: String,
    pub on: chrono::NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeaveLine {
    pub type_name: String,
    pub requests: i32,
    pub days: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusReport {
    pub month: String,
    pub hall_name: String,
    pub posts: Vec<PostLine>,
    pub total_establishment: i32,
    pub total_on_staff: i32,
    pub joiners: Vec<PersonMove>,
    pub leavers: Vec<PersonMove>,
    pub transfers: Vec<PersonMove>,
    pub regularized: Vec<PersonMove>,
    /// Approved leave starting in the month, by type.
    pub leave: Vec<LeaveLine>,
    pub training_hours: f64,
    pub training_sign_ins: usize,
    /// Contracts in force ending within 60 days of the month's end, not renewed.
    pub contracts_ending: usize,
    /// The month's attendance for the hall (the 考勤月报's totals).
    pub attendance: crate::attendance::sheet::SheetFigures,
    pub generated_at: chrono::DateTime<Utc>,
}

pub async fn establishment(state: &AppState, hall_id: &str) -> AppResult<Vec<PostHeadcount>> {
    let rows = establishment::Entity::find()
        .filter(establishment::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    Ok(STAFF_POSITIONS
        .iter()
        .map(|(code, _)| PostHeadcount {
            position: (*code).into(),
            headcount: rows
                .iter()
                .find(|r| r.position == *code)
                .map_or(0, |r| r.headcount),
        })
        .collect())
}

pub async fn set_establishment(
    state: &AppState,
    hall_id: &str,
    input: &[PostHeadcount],
) -> AppResult<Vec<PostHeadcount>> {
    let mut ch = Checker::new();
    for (i, p) in input.iter().enumerate() {
        ch.one_of(
            &format!("[{i}].position"),
            "岗位",
            &p.position,
            STAFF_POSITIONS,
        );
        ch.check(
            (0..=10_000).contains(&p.headcount),
            &format!("[{i}].headcount"),
            "编制人数须为 0 至 10000",
        );
    }
    ch.finish()?;
    let txn = begin_write(&state.db).await.db_err()?;
    establishment::Entity::delete_many()
        .filter(establishment::Column::HallId.eq(hall_id))
        .exec(&txn)
        .await
        .db_err()?;
    let rows: Vec<establishment::ActiveModel> = input
        .iter()
        .map(|p| establishment::ActiveModel {
            hall_id: Set(hall_id.to_string()),
            position: Set(p.position.clone()),
            headcount: Set(p.headcount),
        })
        .collect();
    if !rows.is_empty() {
        establishment::Entity::insert_many(rows)
            .exec(&txn)
            .await
            .db_err()?;
    }
    txn.commit().await.db_err()?;
    establishment(state, hall_id).await
}

/// The month's report.
pub async fn build(state: &AppState, hall_id: &str, month: &str) -> AppResult<StatusReport> {
    let month = Month::parse(month).map_err(|r| AppError::field("month", format!("月份{r}")))?;
    let (first, last) = (month.first_day(), month.last_day());
    let hall = directory::hall(state, hall_id).await?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let changes = change::Entity::find()
        .filter(change::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let person = |c: &change::Model| {
        let s = staff.iter().find(|s| s.id.as_str() == c.staff_id);
        let detail: crate::changes::ChangeDetail =
            serde_json::from_str(&c.detail).unwrap_or_default();
        PersonMove {
            employee_no: s.map(|s| s.employee_no.clone()).unwrap_or_default(),
            name: s.map(|s| s.name.clone()).unwrap_or_default(),
            on: c.effective_on,
            note: detail.reason,
        }
    };
    let in_month = |kind: &str| -> Vec<PersonMove> {
        let mut v: Vec<PersonMove> = changes
            .iter()
            .filter(|c| c.kind == kind && c.effective_on >= first && c.effective_on <= last)
            .map(person)
            .collect();
        v.sort_by_key(|p| p.on);
        v
    };
    // On staff at the month's end: hired by then (the profile's hire date, or
    // when the record was made), not gone before the last day.
    let end_utc = last
        .and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default())
        .and_local_timezone(time::HALL_TZ)
        .earliest()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc));
    let hired: std::collections::HashMap<String, chrono::NaiveDate> = profile::Entity::find()
        .filter(profile::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .filter_map(|p| p.hired_on.map(|d| (p.staff_id, d)))
        .collect();
    let gone: Vec<&str> = changes
        .iter()
        .filter(|c| c.kind == "leave" && c.effective_on < last)
        .map(|c| c.staff_id.as_str())
        .collect();
    let present: Vec<&directory::Staff> = staff
        .iter()
        .filter(|s| match hired.get(s.id.as_str()) {
            Some(d) => *d <= last,
            None => s.created_at <= end_utc,
        })
        .filter(|s| !gone.contains(&s.id.as_str()))
        .collect();
    let plan = establishment(state, hall_id).await?;
    let posts: Vec<PostLine> = STAFF_POSITIONS
        .iter()
        .map(|(code, label)| {
            let est = plan
                .iter()
                .find(|p| p.position == *code)
                .map_or(0, |p| p.headcount);
            let on = present.iter().filter(|s| s.position == *code).count() as i32;
            PostLine {
                position: (*code).into(),
                position_label: (*label).into(),
                establishment: est,
                on_staff: on,
                vacancies: est - on,
            }
        })
        .collect();
    let types = leave_types::rows(state, hall_id).await?;
    let approved = leave_request::Entity::find()
        .filter(leave_request::Column::HallId.eq(hall_id))
        .filter(leave_request::Column::Status.eq("approved"))
        .filter(leave_request::Column::StartsOn.gte(first))
        .filter(leave_request::Column::StartsOn.lte(last))
        .all(&state.db)
        .await
        .db_err()?;
    let leave = types
        .iter()
        .map(|t| {
            let mine: Vec<&leave_request::Model> =
                approved.iter().filter(|r| r.type_code == t.code).collect();
            LeaveLine {
                type_name: t.name.clone(),
                requests: mine.len() as i32,
                days: mine.iter().map(|r| r.days).sum(),
            }
        })
        .filter(|l| l.requests > 0)
        .collect();
    let from_utc = first
        .and_time(NaiveTime::MIN)
        .and_local_timezone(time::HALL_TZ)
        .earliest()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc));
    let (training_hours, training_sign_ins) = govhall_training::class_hours_between(
        state,
        hall_id,
        from_utc,
        end_utc + Duration::seconds(1),
    )
    .await?;
    let contracts_ending = crate::contracts::list(state, hall_id, Some(60))
        .await?
        .len();
    let attendance = crate::attendance::sheet::build(state, hall_id, &month.to_string(), None)
        .await?
        .totals;
    Ok(StatusReport {
        month: month.to_string(),
        hall_name: hall.name,
        total_establishment: posts.iter().map(|p| p.establishment).sum(),
        total_on_staff: posts.iter().map(|p| p.on_staff).sum(),
        posts,
        joiners: in_month("onboard"),
        leavers: in_month("leave"),
        transfers: in_month("transfer"),
        regularized: in_month("regularize"),
        leave,
        training_hours,
        training_sign_ins,
        contracts_ending,
        attendance,
        generated_at: Utc::now(),
    })
}

fn moves_rows(v: &[PersonMove]) -> Vec<Vec<String>> {
    v.iter()
        .map(|p| {
            vec![
                p.employee_no.clone(),
                p.name.clone(),
                p.on.to_string(),
                p.note.clone(),
            ]
        })
        .collect()
}

/// The report as a PDF for the center.
/// The month's attendance in one sentence.
fn attendance_line(a: &crate::attendance::sheet::SheetFigures) -> String {
    format!(
        "应出勤 {} 人天，实出勤 {} 人天，出勤率 {}；迟到 {} 次，早退 {} 次，旷工 {} 天，缺卡 {} 次，请假 {} 天，加班 {:.1} 小时。",
        a.due_days,
        a.present_days,
        a.attendance_rate
            .map_or_else(|| "—".to_string(), |r| format!("{r:.1}%")),
        a.late_count,
        a.early_count,
        a.absent_days,
        a.missing_count,
        a.leave_days,
        a.overtime_hours
    )
}

pub fn pdf(r: &StatusReport) -> AppResult<Vec<u8>> {
    let month = Month::parse(&r.month).map_err(AppError::internal)?;
    let mut doc = govhall_pdf::Document::new(&format!("人员状态月报 {}", month.label()));
    doc.heading(
        &format!("{}人员状态月报（{}）", r.hall_name, month.label()),
        18.0,
    );
    doc.text(
        &format!(
            "编制 {} 人，月末在岗 {} 人，缺编 {} 人。",
            r.total_establishment,
            r.total_on_staff,
            r.total_establishment - r.total_on_staff
        ),
        11.0,
        false,
    );
    doc.text("一、编制与在岗", 12.0, true);
    let posts: Vec<Vec<String>> = r
        .posts
        .iter()
        .map(|p| {
            vec![
                p.position_label.clone(),
                p.establishment.to_string(),
                p.on_staff.to_string(),
                p.vacancies.to_string(),
            ]
        })
        .collect();
    doc.table(
        &["岗位", "编制", "在岗", "缺编"],
        &[3.0, 1.0, 1.0, 1.0],
        &posts,
        10.5,
    );
    for (title, list) in [
        ("二、入职", &r.joiners),
        ("三、离职", &r.leavers),
        ("四、调岗", &r.transfers),
        ("五、转正", &r.regularized),
    ] {
        doc.text(&format!("{title}（{} 人）", list.len()), 12.0, true);
        if !list.is_empty() {
            doc.table(
                &["工号", "姓名", "日期", "说明"],
                &[1.5, 1.5, 1.5, 4.0],
                &moves_rows(list),
                10.5,
            );
        }
    }
    doc.text("六、请假（本月开始的已批准请假）", 12.0, true);
    let leave: Vec<Vec<String>> = r
        .leave
        .iter()
        .map(|l| {
            vec![
                l.type_name.clone(),
                l.requests.to_string(),
                l.days.to_string(),
            ]
        })
        .collect();
    if leave.is_empty() {
        doc.text("无。", 10.5, false);
    } else {
        doc.table(&["类型", "人次", "天数"], &[3.0, 1.0, 1.0], &leave, 10.5);
    }
    doc.text("七、考勤", 12.0, true);
    doc.text(&attendance_line(&r.attendance), 10.5, false);
    doc.text("八、培训与合同", 12.0, true);
    doc.text(
        &format!(
            "线下培训签到 {} 人次，计 {:.1} 学时；60 天内到期未续签的劳动合同 {} 份。",
            r.training_sign_ins, r.training_hours, r.contracts_ending
        ),
        10.5,
        false,
    );
    govhall_pdf::render(doc).map_err(AppError::internal)
}

/// The report as an Excel workbook: one sheet per part.
pub fn xlsx(r: &StatusReport) -> AppResult<Vec<u8>> {
    let e = AppError::internal;
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let posts = book.add_worksheet();
    posts.set_name("编制与在岗").map_err(e)?;
    for (c, h) in ["岗位", "编制", "在岗", "缺编"].iter().enumerate() {
        posts
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(e)?;
    }
    for (i, p) in r.posts.iter().enumerate() {
        let row = i as u32 + 1;
        posts.write_string(row, 0, &p.position_label).map_err(e)?;
        posts
            .write_number(row, 1, f64::from(p.establishment))
            .map_err(e)?;
        posts
            .write_number(row, 2, f64::from(p.on_staff))
            .map_err(e)?;
        posts
            .write_number(row, 3, f64::from(p.vacancies))
            .map_err(e)?;
    }
    posts.set_column_width(0, 16).map_err(e)?;
    let moves = book.add_worksheet();
    moves.set_name("人员异动").map_err(e)?;
    for (c, h) in ["类型", "工号", "姓名", "日期", "说明"].iter().enumerate() {
        moves
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(e)?;
    }
    let mut row = 1u32;
    for (kind, list) in [
        ("入职", &r.joiners),
        ("离职", &r.leavers),
        ("调岗", &r.transfers),
        ("转正", &r.regularized),
    ] {
        for p in list.iter() {
            for (c, v) in [
                kind.to_string(),
                p.employee_no.clone(),
                p.name.clone(),
                p.on.to_string(),
                p.note.clone(),
            ]
            .iter()
            .enumerate()
            {
                moves.write_string(row, c as u16, v).map_err(e)?;
            }
            row += 1;
        }
    }
    moves.set_column_width(4, 30).map_err(e)?;
    let leave = book.add_worksheet();
    leave.set_name("请假与培训").map_err(e)?;
    for (c, h) in ["请假类型", "人次", "天数"].iter().enumerate() {
        leave
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(e)?;
    }
    for (i, l) in r.leave.iter().enumerate() {
        let row = i as u32 + 1;
        leave.write_string(row, 0, &l.type_name).map_err(e)?;
        leave
            .write_number(row, 1, f64::from(l.requests))
            .map_err(e)?;
        leave.write_number(row, 2, f64::from(l.days)).map_err(e)?;
    }
    let at = r.leave.len() as u32 + 2;
    leave
        .write_string_with_format(at, 0, "线下培训学时", &bold)
        .map_err(e)?;
    leave.write_number(at, 1, r.training_hours).map_err(e)?;
    leave
        .write_string_with_format(at + 1, 0, "60 天内到期未续签合同", &bold)
        .map_err(e)?;
    leave
        .write_number(at + 1, 1, r.contracts_ending as f64)
        .map_err(e)?;
    leave
        .write_string_with_format(at + 2, 0, "考勤", &bold)
        .map_err(e)?;
    leave
        .write_string(at + 2, 1, attendance_line(&r.attendance))
        .map_err(e)?;
    leave.set_column_width(0, 22).map_err(e)?;
    book.save_to_buffer().map_err(e)
}
