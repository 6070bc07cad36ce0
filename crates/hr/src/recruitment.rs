//! 招聘: an opening for a post (how many, why), its candidates and their way
//! through 报名 → 面试 (time, interviewer, then the score) → 录用通知 (start
//! date and salary) → 入职, which runs the usual 办理入职 (staff record,
//! profile, account, window authorisation, checklist) from the candidate's
//! own details; or 未录用/放弃 with the reason. An opening closes itself
//! when its headcount is hired. Phones and offered salaries are encrypted,
//! shown masked, and read in full only with a reason the audit log keeps.

use crate::entity::{candidate, opening};
use crate::events::{self, CandidateMoved};
use crate::money::{fen, yuan};
use crate::onboarding::{self, HireInput, HireResult};
use chrono::{DateTime, NaiveDate, Utc};
use govhall_directory::model::STAFF_POSITIONS;
use govhall_kernel::{
    AppError,
    error::AppResult,
    mask::mask_phone,
    new_id, time,
    validate::{Checker, is_mobile_phone},
};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write, is_unique_violation},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const STAGES: &[(&str, &str)] = &[
    ("applied", "已报名"),
    ("interview", "待面试"),
    ("offer", "已发录用通知"),
    ("hired", "已入职"),
    ("rejected", "未录用"),
    ("withdrawn", "本人放弃"),
];

/// The stages a candidate may move to from each.
fn next_stages(from: &str) -> &'static [&'static str] {
    match from {
        "applied" => &["interview", "rejected", "withdrawn"],
        "interview" => &["offer", "rejected", "withdrawn"],
        "offer" => &["rejected", "withdrawn"],
        _ => &[],
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OpeningInput {
    pub position: String,
    pub title: String,
    pub headcount: i32,
    pub reason: String,
    /// `open` or `closed` (when changing an opening).
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningDto {
    pub id: String,
    pub position: String,
    pub position_label: String,
    pub title: String,
    pub headcount: i32,
    pub reason: String,
    pub status: String,
    pub candidates: usize,
    pub hired: usize,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CandidateInput {
    pub opening_id: String,
    pub name: String,
    pub phone: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CandidateDto {
    pub id: String,
    pub opening_id: String,
    pub name: String,
    /// Masked (`138****5678`).
    pub phone: String,
    pub source: String,
    pub stage: String,
    pub stage_label: String,
    pub interview_at: Option<DateTime<Utc>>,
    pub interviewer: String,
    pub score: Option<i32>,
    pub notes: String,
    pub offer_start: Option<NaiveDate>,
    /// Yuan a month.
    pub offer_salary: Option<f64>,
    pub staff_id: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A move to another stage, with what that stage needs.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StageInput {
    pub stage: String,
    /// For `interview`: when and who.
    #[serde(default)]
    pub interview_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub interviewer: String,
    /// For `offer`: the interview's score (0–100), the start date, the salary (yuan a month).
    #[serde(default)]
    pub score: Option<i32>,
    #[serde(default)]
    pub offer_start: Option<NaiveDate>,
    #[serde(default)]
    pub offer_salary: Option<f64>,
    /// For `rejected` and `withdrawn`: why.
    #[serde(default)]
    pub reason: String,
}

/// 入职 of a candidate with an offer: the rest comes from the candidate.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CandidateHireInput {
    pub employee_no: String,
    #[serde(default)]
    pub department_id: Option<String>,
    /// Default: the offer's start date.
    #[serde(default)]
    pub hired_on: Option<NaiveDate>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub window_ids: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ContactRevealInput {
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CandidateContact {
    pub phone: String,
}

fn offer_salary(state: &AppState, c: &candidate::Model) -> Option<f64> {
    let enc = c.offer_enc.as_deref()?;
    let fen: i64 = serde_json::from_str(&state.pii.decrypt(enc).ok()?).ok()?;
    Some(yuan(fen))
}

fn candidate_dto(state: &AppState, c: candidate::Model) -> CandidateDto {
    CandidateDto {
        phone: mask_phone(&state.pii.decrypt(&c.phone_enc).unwrap_or_default()),
        stage_label: govhall_platform::api::label(STAGES, &c.stage).into(),
        offer_salary: offer_salary(state, &c),
        id: c.id,
        opening_id: c.opening_id,
        name: c.name,
        source: c.source,
        stage: c.stage,
        interview_at: c.interview_at,
        interviewer: c.interviewer,
        score: c.score,
        notes: c.notes,
        offer_start: c.offer_start,
        staff_id: c.staff_id,
        updated_at: c.updated_at,
    }
}

async fn candidates_of_hall(state: &AppState, hall_id: &str) -> AppResult<Vec<candidate::Model>> {
    candidate::Entity::find()
        .filter(candidate::Column::HallId.eq(hall_id))
        .order_by_desc(candidate::Column::UpdatedAt)
        .all(&state.db)
        .await
        .db_err()
}

/// The hall's openings, newest first, with their counts.
pub async fn openings(state: &AppState, hall_id: &str) -> AppResult<Vec<OpeningDto>> {
    let rows = opening::Entity::find()
        .filter(opening::Column::HallId.eq(hall_id))
        .order_by_desc(opening::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let people = candidates_of_hall(state, hall_id).await?;
    Ok(rows
        .into_iter()
        .map(|o| {
            let mine = people.iter().filter(|c| c.opening_id == o.id);
            OpeningDto {
                position_label: govhall_platform::api::label(STAFF_POSITIONS, &o.position).into(),
                candidates: mine.clone().count(),
                hired: mine.filter(|c| c.stage == "hired").count(),
                id: o.id,
                position: o.position,
                title: o.title,
                headcount: o.headcount,
                reason: o.reason,
                status: o.status,
                created_at: o.created_at,
            }
        })
        .collect())
}

fn check_opening(input: &OpeningInput) -> AppResult<(String, String)> {
    let mut ch = Checker::new();
    ch.one_of("position", "岗位", &input.position, STAFF_POSITIONS);
    let title = ch.text("title", "招聘名称", &input.title, 60);
    ch.check(
        (1..=500).contains(&input.headcount),
        "headcount",
        "招聘人数须为 1 至 500",
    );
    let reason = ch.text("reason", "招聘原因", &input.reason, 200);
    if let Some(s) = &input.status {
        ch.one_of(
            "status",
            "状态",
            s,
            &[("open", "招聘中"), ("closed", "已结束")],
        );
    }
    ch.finish()?;
    Ok((title, reason))
}

/// Opens a recruitment for a post.
pub async fn create_opening(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &OpeningInput,
) -> AppResult<OpeningDto> {
    let (title, reason) = check_opening(input)?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = opening::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        position: Set(input.position.clone()),
        title: Set(title),
        headcount: Set(input.headcount),
        reason: Set(reason),
        status: Set("open".into()),
        created_by: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = events::OPENING_CREATED.event(
        Some(hall_id),
        &events::OpeningCreated {
            opening_id: row.id.clone(),
            position: row.position.clone(),
            headcount: row.headcount,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    find_opening(state, hall_id, &row.id).await
}

async fn find_opening(state: &AppState, hall_id: &str, id: &str) -> AppResult<OpeningDto> {
    openings(state, hall_id)
        .await?
        .into_iter()
        .find(|o| o.id == id)
        .ok_or_else(|| AppError::not_found("招聘需求"))
}

/// Changes an opening's title, headcount, reason or status.
pub async fn update_opening(
    state: &AppState,
    hall_id: &str,
    id: &str,
    input: &OpeningInput,
) -> AppResult<OpeningDto> {
    let (title, reason) = check_opening(input)?;
    let row = opening::Entity::find_by_id(id.to_string())
        .filter(opening::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("招聘需求"))?;
    let mut a = row.into_active_model();
    a.position = Set(input.position.clone());
    a.title = Set(title);
    a.headcount = Set(input.headcount);
    a.reason = Set(reason);
    if let Some(s) = &input.status {
        a.status = Set(s.clone());
    }
    a.update(&state.db).await.db_err()?;
    find_opening(state, hall_id, id).await
}

/// The candidates of the hall, or of one opening, most recently moved first.
pub async fn candidates(
    state: &AppState,
    hall_id: &str,
    opening_id: Option<&str>,
) -> AppResult<Vec<CandidateDto>> {
    Ok(candidates_of_hall(state, hall_id)
        .await?
        .into_iter()
        .filter(|c| opening_id.is_none_or(|o| o.is_empty() || c.opening_id == o))
        .map(|c| candidate_dto(state, c))
        .collect())
}

async fn candidate_row(state: &AppState, hall_id: &str, id: &str) -> AppResult<candidate::Model> {
    candidate::Entity::find_by_id(id.to_string())
        .filter(candidate::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("应聘人员"))
}

fn moved(c: &candidate::Model) -> CandidateMoved {
    CandidateMoved {
        candidate_id: c.id.clone(),
        opening_id: c.opening_id.clone(),
        stage: c.stage.clone(),
        staff_id: c.staff_id.clone(),
    }
}

/// Adds a candidate to an open opening (one application per phone number).
pub async fn add_candidate(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &CandidateInput,
) -> AppResult<CandidateDto> {
    let mut ch = Checker::new();
    let name = ch.text("name", "姓名", &input.name, 20);
    let phone = input.phone.trim().to_string();
    ch.check(
        is_mobile_phone(&phone),
        "phone",
        "手机号须为 11 位中国大陆手机号",
    );
    let source = ch
        .optional_text("source", "来源", Some(&input.source), 40)
        .unwrap_or_default();
    let notes = ch
        .optional_text("notes", "备注", Some(&input.notes), 500)
        .unwrap_or_default();
    let o = opening::Entity::find_by_id(input.opening_id.clone())
        .filter(opening::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?;
    ch.check(
        o.as_ref().is_some_and(|o| o.status == "open"),
        "opening_id",
        "招聘需求不存在或已结束",
    );
    ch.finish()?;
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    let inserted = candidate::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        opening_id: Set(input.opening_id.clone()),
        name: Set(name),
        phone_enc: Set(state.pii.encrypt(&phone)),
        phone_idx: Set(state.pii.blind_index(&phone)),
        source: Set(source),
        stage: Set("applied".into()),
        interview_at: Set(None),
        interviewer: Set(String::new()),
        score: Set(None),
        notes: Set(notes),
        offer_start: Set(None),
        offer_enc: Set(None),
        staff_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await;
    let row = match inserted {
        Ok(r) => r,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field("phone", "这个手机号已报名本次招聘"));
        }
        Err(e) => return Err(AppError::internal(e)),
    };
    let ev = events::CANDIDATE_MOVED.event(Some(hall_id), &moved(&row));
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(candidate_dto(state, row))
}

/// Moves a candidate to the next stage with what it needs.
pub async fn move_candidate(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    input: &StageInput,
) -> AppResult<CandidateDto> {
    let row = candidate_row(state, hall_id, id).await?;
    let mut ch = Checker::new();
    ch.check(
        next_stages(&row.stage).contains(&input.stage.as_str()),
        "stage",
        format!(
            "“{}”的应聘人员不能改为“{}”",
            govhall_platform::api::label(STAGES, &row.stage),
            govhall_platform::api::label(STAGES, &input.stage)
        ),
    );
    let mut a = row.clone().into_active_model();
    match input.stage.as_str() {
        "interview" => {
            let who = ch.text("interviewer", "面试官", &input.interviewer, 40);
            ch.check(
                input.interview_at.is_some_and(|t| t > Utc::now()),
                "interview_at",
                "请填写面试时间（须在将来）",
            );
            a.interview_at = Set(input.interview_at);
            a.interviewer = Set(who);
        }
        "offer" => {
            ch.check(
                input.score.is_some_and(|s| (0..=100).contains(&s)),
                "score",
                "请填写面试成绩（0 至 100 分）",
            );
            ch.check(
                input.offer_start.is_some_and(|d| d >= time::today()),
                "offer_start",
                "请填写到岗日期（不早于今天）",
            );
            let salary = input.offer_salary.and_then(fen).filter(|f| *f > 0);
            ch.check(salary.is_some(), "offer_salary", "请填写月薪（元，大于 0）");
            a.score = Set(input.score);
            a.offer_start = Set(input.offer_start);
            a.offer_enc = Set(salary.map(|f| state.pii.encrypt(&f.to_string())));
        }
        _ => {
            let why = ch.text("reason", "原因", &input.reason, 200);
            a.notes = Set(if row.notes.is_empty() {
                why
            } else {
                format!("{}\n{why}", row.notes)
            });
        }
    }
    ch.finish()?;
    a.stage = Set(input.stage.clone());
    a.updated_at = Set(Utc::now());
    let txn = begin_write(&state.db).await.db_err()?;
    let row = a.update(&txn).await.db_err()?;
    let ev = events::CANDIDATE_MOVED.event(Some(hall_id), &moved(&row));
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(candidate_dto(state, row))
}

/// 入职 of a candidate holding an offer: 办理入职 with the candidate's name,
/// post and phone; the candidate is then hired, and the opening closes
/// when its headcount is reached.
pub async fn hire(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    input: &CandidateHireInput,
) -> AppResult<HireResult> {
    let row = candidate_row(state, hall_id, id).await?;
    if row.stage != "offer" {
        return Err(AppError::field(
            "stage",
            "只有已发录用通知的应聘人员才能办理入职",
        ));
    }
    let o = opening::Entity::find_by_id(row.opening_id.clone())
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("招聘需求"))?;
    let phone = state
        .pii
        .decrypt(&row.phone_enc)
        .map_err(AppError::internal)?;
    let result = onboarding::hire(
        state,
        actor,
        hall_id,
        &HireInput {
            employee_no: input.employee_no.clone(),
            name: row.name.clone(),
            department_id: input.department_id.clone(),
            position: o.position.clone(),
            phone: Some(phone),
            hired_on: input
                .hired_on
                .or(row.offer_start)
                .unwrap_or_else(time::today),
            username: input.username.clone(),
            window_ids: input.window_ids.clone(),
        },
    )
    .await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let mut a = row.into_active_model();
    a.stage = Set("hired".into());
    a.staff_id = Set(Some(result.change.staff_id.clone()));
    a.updated_at = Set(Utc::now());
    let row = a.update(&txn).await.db_err()?;
    let hired = candidate::Entity::find()
        .filter(candidate::Column::OpeningId.eq(&o.id))
        .filter(candidate::Column::Stage.eq("hired"))
        .all(&txn)
        .await
        .db_err()?
        .len() as i32;
    if hired >= o.headcount && o.status == "open" {
        let mut oa = o.into_active_model();
        oa.status = Set("closed".into());
        oa.update(&txn).await.db_err()?;
    }
    let ev = events::CANDIDATE_MOVED.event(Some(hall_id), &moved(&row));
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(result)
}

/// A candidate's full phone number, for calling them; the reason is audited.
pub async fn reveal_contact(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
    input: &ContactRevealInput,
) -> AppResult<CandidateContact> {
    let row = candidate_row(state, hall_id, id).await?;
    let mut ch = Checker::new();
    let reason = ch.text("reason", "查看原因", &input.reason, 100);
    ch.check(
        reason.chars().count() >= 4,
        "reason",
        "查看原因至少 4 个字，写明用途（如：通知面试时间）",
    );
    ch.finish()?;
    crate::profiles::audit_plain_read(
        state,
        user,
        "查看应聘人员手机号明文",
        format!("{} 原因：{reason}", row.name),
    )
    .await?;
    Ok(CandidateContact {
        phone: state
            .pii
            .decrypt(&row.phone_enc)
            .map_err(AppError::internal)?,
    })
}
