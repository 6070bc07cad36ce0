//! 人事档案: beyond the directory's 工号 and name — the 居民身份证号 and the
//! salary card (SM4-encrypted, shown masked, read in full only by payroll
//! with a reason the audit log keeps), the 参保地, the hire date, and the
//! salary structure with the 专项附加扣除 declared (encrypted as one JSON).

use crate::deductions::{self, Declared};
use crate::entity::profile;
use crate::money::{fen, yuan};
use chrono::{NaiveDate, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{
    AppError,
    error::AppResult,
    identity::{BankCardNo, IdCardNo},
    mask::{mask_bank_card, mask_id_card},
    validate::Checker,
};
use govhall_platform::{
    AppState,
    audit::{AuditEntry, append},
    auth::CurrentUser,
    db::DbResultExt,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A named monthly amount (津贴, 补贴).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NamedAmount {
    pub name: String,
    /// Yuan a month.
    pub amount: f64,
}

/// What a person is paid each month before the month's own items.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct PayStructure {
    /// 基本工资 (yuan a month).
    pub base: f64,
    /// 岗位工资.
    #[serde(default)]
    pub post: f64,
    /// 工龄工资.
    #[serde(default)]
    pub seniority: f64,
    /// 津贴补贴 (taxable).
    #[serde(default)]
    pub allowances: Vec<NamedAmount>,
    /// 五险一金缴费基数 as declared (each item clamps it to its limits).
    pub contribution_base: f64,
    /// 依法确定的其他扣除 a month (企业年金、商业健康保险 …).
    #[serde(default)]
    pub other_deduction: f64,
    /// 专项附加扣除 the person declared.
    #[serde(default)]
    pub special_additional: Vec<Declared>,
    /// The year's cumulative figures before payroll ran here (a hall that
    /// starts mid-year, or a person whose earlier months were paid by this
    /// employer elsewhere): the first month computed here starts from them.
    #[serde(default)]
    pub opening: Option<OpeningYtd>,
}

/// 期初累计数: this employer's withholding figures of the year's months
/// before payroll ran in this system (yuan, from the tax software).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct OpeningYtd {
    pub year: i32,
    /// The last month they cover (1–11).
    pub through_month: u32,
    pub income: f64,
    #[serde(default)]
    pub tax_free_income: f64,
    #[serde(default)]
    pub special_deduction: f64,
    #[serde(default)]
    pub special_additional_deduction: f64,
    #[serde(default)]
    pub other_deduction: f64,
    /// 累计已预扣预缴税额.
    pub withheld: f64,
}

impl OpeningYtd {
    /// The figures as the 累计预扣法 carries them (checked when saved).
    pub fn year_to_date(&self) -> crate::iit::YearToDate {
        let f = |v: f64| fen(v).unwrap_or(0);
        crate::iit::YearToDate {
            sum: crate::iit::Month {
                income: f(self.income),
                tax_free_income: f(self.tax_free_income),
                special_deduction: f(self.special_deduction),
                special_additional_deduction: f(self.special_additional_deduction),
                other_deduction: f(self.other_deduction),
                tax_relief: 0,
            },
            withheld: f(self.withheld),
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProfileInput {
    /// 居民身份证号: absent keeps the stored one, empty clears it.
    #[serde(default)]
    pub id_card: Option<String>,
    /// 工资卡号: absent keeps the stored one, empty clears it.
    #[serde(default)]
    pub bank_card: Option<String>,
    #[serde(default)]
    pub bank_name: String,
    /// 参保地, matching the 五险一金 rates' city.
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub hired_on: Option<NaiveDate>,
    /// 参加工作日期 (for 年休假 by the years worked).
    #[serde(default)]
    pub work_started_on: Option<NaiveDate>,
    /// The year's first wages are ours: the basic deduction counts from January.
    #[serde(default)]
    pub deduction_from_january: bool,
    /// Absent keeps the stored structure.
    #[serde(default)]
    pub pay: Option<PayStructure>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileSummary {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub department_name: Option<String>,
    /// `610116********1234`.
    pub id_card_masked: Option<String>,
    /// `6222 **** 0123`.
    pub bank_card_masked: Option<String>,
    pub bank_name: String,
    pub city: String,
    pub hired_on: Option<NaiveDate>,
    pub work_started_on: Option<NaiveDate>,
    pub deduction_from_january: bool,
    pub has_pay: bool,
    /// What payroll still lacks for this person (empty: ready).
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileDetail {
    #[serde(flatten)]
    pub summary: ProfileSummary,
    pub pay: Option<PayStructure>,
    /// The declared 专项附加扣除 a month (yuan).
    pub special_additional_monthly: f64,
    pub special_additional_source: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RevealInput {
    /// Why the full numbers are needed (kept in the audit log).
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevealedNumbers {
    pub id_card: Option<String>,
    pub bank_card: Option<String>,
}

/// A profile decrypted for payroll (inside the module only).
pub(crate) struct Decrypted {
    pub row: profile::Model,
    pub pay: Option<PayStructure>,
}

pub(crate) fn decrypt_pay(
    state: &AppState,
    row: &profile::Model,
) -> AppResult<Option<PayStructure>> {
    row.pay_enc
        .as_deref()
        .map(|enc| {
            let json = state.pii.decrypt(enc).map_err(AppError::internal)?;
            serde_json::from_str(&json).map_err(AppError::internal)
        })
        .transpose()
}

/// The hall's profiles by staff id, decrypted.
pub(crate) async fn of_hall<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    hall_id: &str,
) -> AppResult<HashMap<String, Decrypted>> {
    let rows = profile::Entity::find()
        .filter(profile::Column::HallId.eq(hall_id))
        .all(db)
        .await
        .db_err()?;
    rows.into_iter()
        .map(|row| {
            let pay = decrypt_pay(state, &row)?;
            Ok((row.staff_id.clone(), Decrypted { row, pay }))
        })
        .collect()
}

/// The full bank card of a profile, for the bank file.
pub(crate) fn bank_card(state: &AppState, row: &profile::Model) -> Option<String> {
    row.bank_card_enc
        .as_deref()
        .and_then(|enc| state.pii.decrypt(enc).ok())
}

pub(crate) fn id_card(state: &AppState, row: &profile::Model) -> Option<String> {
    row.id_card_enc
        .as_deref()
        .and_then(|enc| state.pii.decrypt(enc).ok())
}

fn missing(row: Option<&profile::Model>, pay: Option<&PayStructure>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(row) = row else {
        return vec!["人事档案未建立".into()];
    };
    if row.id_card_enc.is_none() {
        out.push("身份证号".into());
    }
    if row.bank_card_enc.is_none() {
        out.push("工资卡号".into());
    }
    if row.city.is_empty() {
        out.push("参保地".into());
    }
    if pay.is_none() {
        out.push("薪资结构".into());
    }
    out
}

fn summary(
    state: &AppState,
    s: &directory::Staff,
    department: Option<String>,
    row: Option<&profile::Model>,
    pay: Option<&PayStructure>,
) -> ProfileSummary {
    ProfileSummary {
        staff_id: s.id.to_string(),
        employee_no: s.employee_no.clone(),
        name: s.name.clone(),
        department_name: department,
        id_card_masked: row
            .and_then(|r| id_card(state, r))
            .map(|v| mask_id_card(&v)),
        bank_card_masked: row
            .and_then(|r| bank_card(state, r))
            .map(|v| mask_bank_card(&v)),
        bank_name: row.map(|r| r.bank_name.clone()).unwrap_or_default(),
        city: row.map(|r| r.city.clone()).unwrap_or_default(),
        hired_on: row.and_then(|r| r.hired_on),
        work_started_on: row.and_then(|r| r.work_started_on),
        deduction_from_january: row.is_some_and(|r| r.deduction_from_january),
        has_pay: pay.is_some(),
        missing: missing(row, pay),
    }
}

async fn department_names(state: &AppState, hall_id: &str) -> AppResult<HashMap<String, String>> {
    Ok(directory::departments(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|d| (d.id.to_string(), d.name))
        .collect())
}

/// Every member of the hall's staff with their profile, masked; no salary.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<ProfileSummary>> {
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let profiles = of_hall(state, &state.db, hall_id).await?;
    let departments = department_names(state, hall_id).await?;
    Ok(staff
        .iter()
        .map(|s| {
            let p = profiles.get(s.id.as_str());
            let dept = s
                .department_id
                .as_ref()
                .and_then(|d| departments.get(d.as_str()).cloned());
            summary(
                state,
                s,
                dept,
                p.map(|p| &p.row),
                p.and_then(|p| p.pay.as_ref()),
            )
        })
        .collect())
}

async fn staff_of_hall(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
) -> AppResult<directory::Staff> {
    directory::staff_member(&state.db, staff_id)
        .await?
        .filter(|s| s.hall_id.as_str() == hall_id)
        .ok_or_else(|| AppError::not_found("工作人员"))
}

async fn row_of(state: &AppState, staff_id: &str) -> AppResult<Option<profile::Model>> {
    profile::Entity::find_by_id(staff_id.to_string())
        .one(&state.db)
        .await
        .db_err()
}

/// One profile with the salary structure (masked numbers).
pub async fn detail(state: &AppState, hall_id: &str, staff_id: &str) -> AppResult<ProfileDetail> {
    let s = staff_of_hall(state, hall_id, staff_id).await?;
    let row = row_of(state, staff_id).await?;
    let pay = row
        .as_ref()
        .map(|r| decrypt_pay(state, r))
        .transpose()?
        .flatten();
    let departments = department_names(state, hall_id).await?;
    let dept = s
        .department_id
        .as_ref()
        .and_then(|d| departments.get(d.as_str()).cloned());
    Ok(ProfileDetail {
        summary: summary(state, &s, dept, row.as_ref(), pay.as_ref()),
        special_additional_monthly: yuan(
            pay.as_ref()
                .map_or(0, |p| deductions::monthly_total(&p.special_additional)),
        ),
        special_additional_source: deductions::SOURCE.into(),
        pay,
    })
}

fn check_amount(ch: &mut Checker, field: &str, label: &str, v: f64) {
    ch.check(
        fen(v).is_some(),
        field,
        format!("{label}须为 0 至 1 亿元之间的金额，最多两位小数"),
    );
}

fn check_pay(ch: &mut Checker, pay: &PayStructure) {
    check_amount(ch, "pay.base", "基本工资", pay.base);
    check_amount(ch, "pay.post", "岗位工资", pay.post);
    check_amount(ch, "pay.seniority", "工龄工资", pay.seniority);
    check_amount(
        ch,
        "pay.contribution_base",
        "五险一金缴费基数",
        pay.contribution_base,
    );
    check_amount(ch, "pay.other_deduction", "其他扣除", pay.other_deduction);
    ch.check(
        pay.allowances.len() <= 20,
        "pay.allowances",
        "津贴补贴不超过 20 项",
    );
    for (i, a) in pay.allowances.iter().enumerate() {
        ch.text(
            &format!("pay.allowances[{i}].name"),
            "津贴名称",
            &a.name,
            20,
        );
        check_amount(
            ch,
            &format!("pay.allowances[{i}].amount"),
            "津贴金额",
            a.amount,
        );
    }
    deductions::check(ch, "pay.special_additional", &pay.special_additional);
    if let Some(o) = &pay.opening {
        ch.check(
            (2000..=2100).contains(&o.year),
            "pay.opening.year",
            "期初累计数的年度不正确",
        );
        ch.check(
            (1..=11).contains(&o.through_month),
            "pay.opening.through_month",
            "期初累计数截至月份须为 1 至 11 月",
        );
        for (field, label, v) in [
            ("income", "累计收入", o.income),
            ("tax_free_income", "累计免税收入", o.tax_free_income),
            ("special_deduction", "累计专项扣除", o.special_deduction),
            (
                "special_additional_deduction",
                "累计专项附加扣除",
                o.special_additional_deduction,
            ),
            ("other_deduction", "累计其他扣除", o.other_deduction),
            ("withheld", "累计已预扣预缴税额", o.withheld),
        ] {
            check_amount(ch, &format!("pay.opening.{field}"), label, v);
        }
    }
}

/// Creates or updates a profile; a number typed wrong (check digits) or an
/// ID already filed for someone else in the hall is refused, nothing written.
pub async fn save(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
    input: &ProfileInput,
) -> AppResult<ProfileDetail> {
    staff_of_hall(state, hall_id, staff_id).await?;
    let mut ch = Checker::new();
    let id_card = match input.id_card.as_deref().map(str::trim) {
        Some("") => Some(None),
        Some(raw) => ch
            .parsed("id_card", IdCardNo::parse(raw), |r| {
                format!("身份证号不正确：{r}")
            })
            .map(Some),
        None => None,
    };
    let bank_card = match input.bank_card.as_deref().map(str::trim) {
        Some("") => Some(None),
        Some(raw) => ch
            .parsed("bank_card", BankCardNo::parse(raw), |r| {
                format!("工资卡号不正确：{r}")
            })
            .map(Some),
        None => None,
    };
    ch.optional_text("bank_name", "开户银行", Some(&input.bank_name), 40);
    ch.optional_text("city", "参保地", Some(&input.city), 30);
    if let Some(pay) = &input.pay {
        check_pay(&mut ch, pay);
    }
    if let (Some(work), Some(hired)) = (input.work_started_on, input.hired_on) {
        ch.check(
            work <= hired,
            "work_started_on",
            "参加工作日期不能晚于入职日期",
        );
    }
    if let Some(Some(id)) = &id_card {
        let idx = state.pii.blind_index(id.as_str());
        let taken = profile::Entity::find()
            .filter(profile::Column::HallId.eq(hall_id))
            .filter(profile::Column::IdCardIdx.eq(idx))
            .filter(profile::Column::StaffId.ne(staff_id))
            .one(&state.db)
            .await
            .db_err()?
            .is_some();
        ch.check(
            !taken,
            "id_card",
            "该身份证号已登记在本大厅另一名工作人员的档案中",
        );
    }
    ch.finish()?;
    let existing = row_of(state, staff_id).await?;
    let is_new = existing.is_none();
    let mut a = match existing {
        Some(row) => row.into_active_model(),
        None => profile::ActiveModel {
            staff_id: Set(staff_id.to_string()),
            hall_id: Set(hall_id.to_string()),
            id_card_enc: Set(None),
            id_card_idx: Set(None),
            bank_card_enc: Set(None),
            pay_enc: Set(None),
            ..Default::default()
        },
    };
    if let Some(id) = id_card {
        a.id_card_enc = Set(id.as_ref().map(|v| state.pii.encrypt(v.as_str())));
        a.id_card_idx = Set(id.as_ref().map(|v| state.pii.blind_index(v.as_str())));
    }
    if let Some(card) = bank_card {
        a.bank_card_enc = Set(card.as_ref().map(|v| state.pii.encrypt(v.as_str())));
    }
    if let Some(pay) = &input.pay {
        let json = serde_json::to_string(pay).map_err(AppError::internal)?;
        a.pay_enc = Set(Some(state.pii.encrypt(&json)));
    }
    a.bank_name = Set(input.bank_name.trim().to_string());
    a.city = Set(input.city.trim().to_string());
    a.hired_on = Set(input.hired_on);
    a.work_started_on = Set(input.work_started_on);
    a.deduction_from_january = Set(input.deduction_from_january);
    a.updated_at = Set(Utc::now());
    if is_new {
        a.insert(&state.db).await.db_err()?;
    } else {
        a.update(&state.db).await.db_err()?;
    }
    detail(state, hall_id, staff_id).await
}

/// Writes a read of personal data in full to the audit log: who, what, of
/// whom and why.
pub(crate) async fn audit_plain_read(
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    target: String,
) -> AppResult<()> {
    append(
        state,
        AuditEntry {
            actor_id: Some(user.id.clone()),
            actor_name: user.display_name.clone(),
            actor_roles: user
                .roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(","),
            action: action.into(),
            target,
            ip: None,
            status: 200,
        },
    )
    .await
}

/// The full ID and card numbers, for the one who must type them elsewhere
/// (the 社保 agency's form, the bank): the reason goes to the audit log.
pub async fn reveal(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    staff_id: &str,
    input: &RevealInput,
) -> AppResult<RevealedNumbers> {
    let s = staff_of_hall(state, hall_id, staff_id).await?;
    let mut ch = Checker::new();
    let reason = ch.text("reason", "查看原因", &input.reason, 100);
    ch.check(
        reason.chars().count() >= 4,
        "reason",
        "查看原因至少 4 个字，写明用途（如：办理社保增员）",
    );
    ch.finish()?;
    let row = row_of(state, staff_id)
        .await?
        .ok_or_else(|| AppError::not_found("人事档案"))?;
    audit_plain_read(
        state,
        user,
        "查看人事档案明文（身份证号、工资卡号）",
        format!("{}（{}）原因：{reason}", s.name, s.employee_no),
    )
    .await?;
    Ok(RevealedNumbers {
        id_card: id_card(state, &row),
        bank_card: bank_card(state, &row),
    })
}
