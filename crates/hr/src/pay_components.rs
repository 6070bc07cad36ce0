//! 薪资项目: the hall's own pay components, each an Excel-like formula
//! (`govhall_kernel::formula`) over the person's salary structure, their
//! years of service and the month's attendance sheet — `基本工资 / 21.75 *
//! 事假天数` as 事假扣款, `IF(迟到次数 = 0, 200, 0)` as 全勤奖. The payroll
//! evaluates the ones in force for every person each month; a result is a
//! line on the payslip under the component's name, entering the wages as its
//! kind says.
//!
//! A formula is checked when saved: it must parse, use only the variables
//! below, and evaluate both on a typical month and with every variable 0
//! (a new joiner, a month on leave) — so a divisor that can be zero has to
//! be guarded with `IF`. A closed month is never recomputed, so changing a
//! component already paid in one starts a new version from the next open
//! month, and the old version ends with the last closed month.

use crate::attendance::sheet::SheetFigures;
use crate::entity::pay_component;
use crate::events::{PAY_COMPONENT_SAVED, PayComponentSaved};
use crate::leave_types;
use crate::money::fen;
use crate::month::Month;
use crate::pay_items::{Detail, Item};
use crate::profiles::PayStructure;
use chrono::{Datelike, NaiveDate, Utc};
use govhall_kernel::{
    AppError,
    error::AppResult,
    formula::{FUNCTIONS, Formula, FormulaError},
    new_id,
    validate::Checker,
};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// The pay item kinds a component may have: how its amount enters the
/// payslip (an earning, tax-free, taken off before or after tax).
pub const KINDS: &[(&str, &str)] = &[
    ("bonus", "应税津贴奖金"),
    ("performance", "绩效工资"),
    ("overtime", "加班工资"),
    ("tax_free", "免税补贴"),
    ("absence", "缺勤扣款（税前扣）"),
    ("after_tax", "税后扣款"),
];

/// The variables from the salary structure and the profile: name, group,
/// what it is, a typical value for the trial.
const FIXED: &[(&str, &str, &str, f64)] = &[
    ("基本工资", "薪资结构", "月基本工资（元）", 3000.0),
    ("岗位工资", "薪资结构", "月岗位工资（元）", 1200.0),
    ("工龄工资", "薪资结构", "月工龄工资（元）", 150.0),
    (
        "津贴合计",
        "薪资结构",
        "薪资结构中各项津贴补贴之和（元）",
        300.0,
    ),
    (
        "月工资",
        "薪资结构",
        "基本工资 + 岗位工资 + 工龄工资（元）",
        4350.0,
    ),
    (
        "缴费基数",
        "薪资结构",
        "申报的五险一金缴费基数（元）",
        4500.0,
    ),
    ("工龄年数", "人事", "入职至本月末的整年数", 3.0),
    ("本月入职", "人事", "本月入职为 1，否则为 0", 0.0),
];

/// The variables from the month's attendance sheet.
const ATTENDANCE: &[(&str, &str, f64)] = &[
    ("应出勤天数", "本月排班的工作日（在职期间）", 22.0),
    ("实出勤天数", "有打卡且未请假的工作日", 20.0),
    ("旷工天数", "工作日无任何打卡", 1.0),
    ("迟到次数", "", 2.0),
    ("迟到分钟", "各次迟到分钟之和", 25.0),
    ("早退次数", "", 1.0),
    ("早退分钟", "各次早退分钟之和", 10.0),
    ("缺卡次数", "工作日只有一次打卡", 1.0),
    ("请假天数", "已批准请假占用的工作日", 1.0),
    ("加班小时", "全部加班（半小时计）", 6.0),
    ("工作日加班小时", "", 4.0),
    ("休息日加班小时", "", 2.0),
    ("节假日加班小时", "法定节假日当天", 0.0),
];

/// The variables from the quarterly assessment (the latest quarter that
/// ended before the month began; 0 before any).
const ASSESSMENT: &[(&str, &str, f64)] = &[
    (
        "考核等次",
        "季度考核等次：优秀 4、合格 3、基本合格 2、不合格 1，无结果为 0",
        3.0,
    ),
    ("考核得分", "季度考核总分（0–100），无结果为 0", 85.0),
    ("管家津贴", "金牌管家定级的月津贴（元），未定级为 0", 0.0),
];

const ATTENDANCE_GROUP: &str = "考勤";
const ASSESSMENT_GROUP: &str = "绩效考核";
const LEAVE_GROUP: &str = "请假";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FormulaVariable {
    pub name: String,
    /// 薪资结构, 人事, 考勤, 请假.
    pub group: String,
    pub description: String,
    /// The value the trial uses unless told otherwise.
    pub sample: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FormulaFunction {
    pub name: String,
    pub usage: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComponentKind {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PayComponentDto {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub formula: String,
    pub from_month: String,
    pub until_month: Option<String>,
    pub enabled: bool,
    pub note: String,
    /// The variables the formula reads.
    pub variables: Vec<String>,
    /// Paid in a closed month: a change starts a new version.
    pub paid_in_closed_month: bool,
    pub updated_by: String,
    pub updated_at: chrono::DateTime<Utc>,
}

/// The page: the components, and what a formula may use.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PayComponents {
    pub components: Vec<PayComponentDto>,
    pub variables: Vec<FormulaVariable>,
    pub functions: Vec<FormulaFunction>,
    pub kinds: Vec<ComponentKind>,
    /// The last closed month, if any.
    pub closed_through: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PayComponentInput {
    /// The payslip line's name, e.g. 全勤奖.
    pub name: String,
    pub kind: String,
    pub formula: String,
    /// `YYYY-MM`, an open month.
    pub from_month: String,
    #[serde(default)]
    pub until_month: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct FormulaTrialInput {
    pub formula: String,
    /// Values to use instead of the typical ones, by variable name.
    #[serde(default)]
    pub values: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FormulaTrial {
    /// Yuan, rounded to the fen.
    pub result: f64,
    /// The variables read and the values used.
    pub used: Vec<UsedValue>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsedValue {
    pub name: String,
    pub value: f64,
}

/// Every variable a formula of this hall may use: the fixed ones and one
/// `<假别>天数` per leave type whose name can be written in a formula.
async fn variables(state: &AppState, hall_id: &str) -> AppResult<Vec<(FormulaVariable, Source)>> {
    let mut out: Vec<(FormulaVariable, Source)> = FIXED
        .iter()
        .map(|(name, group, description, sample)| {
            let v = FormulaVariable {
                name: (*name).into(),
                group: (*group).into(),
                description: (*description).into(),
                sample: *sample,
            };
            (v, Source::Fixed)
        })
        .collect();
    out.extend(ATTENDANCE.iter().map(|(name, description, sample)| {
        let v = FormulaVariable {
            name: (*name).into(),
            group: ATTENDANCE_GROUP.into(),
            description: (*description).into(),
            sample: *sample,
        };
        (v, Source::Attendance)
    }));
    out.extend(ASSESSMENT.iter().map(|(name, description, sample)| {
        let v = FormulaVariable {
            name: (*name).into(),
            group: ASSESSMENT_GROUP.into(),
            description: (*description).into(),
            sample: *sample,
        };
        (v, Source::Assessment)
    }));
    for t in leave_types::list(state, hall_id).await? {
        let name = format!("{}天数", t.name);
        if !name.chars().all(|c| c.is_alphanumeric() || c == '_')
            || out.iter().any(|(v, _)| v.name == name)
        {
            continue;
        }
        let v = FormulaVariable {
            name,
            group: LEAVE_GROUP.into(),
            description: format!("已批准的{}占用的工作日", t.name),
            sample: if t.code == "personal" { 1.0 } else { 0.0 },
        };
        out.push((v, Source::Leave(t.code)));
    }
    Ok(out)
}

/// Where a variable's value comes from.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    Fixed,
    Attendance,
    Assessment,
    /// A leave type's code.
    Leave(String),
}

fn dto(row: pay_component::Model, closed_through: Option<&str>) -> PayComponentDto {
    let variables = Formula::parse(&row.formula)
        .map(|f| f.variables().into_iter().collect())
        .unwrap_or_default();
    PayComponentDto {
        kind_label: label(&row.kind).into(),
        paid_in_closed_month: closed_through.is_some_and(|c| row.from_month.as_str() <= c),
        id: row.id,
        name: row.name,
        kind: row.kind,
        formula: row.formula,
        from_month: row.from_month,
        until_month: row.until_month,
        enabled: row.enabled,
        note: row.note,
        variables,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
    }
}

fn label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(_, l)| l)
}

/// The last closed month, `YYYY-MM`.
async fn closed_through(state: &AppState, hall_id: &str) -> AppResult<Option<String>> {
    Ok(crate::payroll::closed_through(state, hall_id)
        .await?
        .map(|m| m.to_string()))
}

async fn rows(state: &AppState, hall_id: &str) -> AppResult<Vec<pay_component::Model>> {
    pay_component::Entity::find()
        .filter(pay_component::Column::HallId.eq(hall_id))
        .order_by_asc(pay_component::Column::Name)
        .order_by_asc(pay_component::Column::FromMonth)
        .all(&state.db)
        .await
        .db_err()
}

pub async fn list(state: &AppState, hall_id: &str) -> AppResult<PayComponents> {
    let closed = closed_through(state, hall_id).await?;
    Ok(PayComponents {
        components: rows(state, hall_id)
            .await?
            .into_iter()
            .map(|r| dto(r, closed.as_deref()))
            .collect(),
        variables: variables(state, hall_id)
            .await?
            .into_iter()
            .map(|(v, _)| v)
            .collect(),
        functions: FUNCTIONS
            .iter()
            .map(|(name, usage)| FormulaFunction {
                name: (*name).into(),
                usage: (*usage).into(),
            })
            .collect(),
        kinds: KINDS
            .iter()
            .map(|(code, label)| ComponentKind {
                code: (*code).into(),
                label: (*label).into(),
            })
            .collect(),
        closed_through: closed,
    })
}

/// Parses and checks a formula for this hall: known names, and it evaluates
/// on the typical values and with every variable 0.
fn check_formula(source: &str, known: &[(FormulaVariable, Source)]) -> Result<Formula, String> {
    let names: Vec<&str> = known.iter().map(|(v, _)| v.name.as_str()).collect();
    let formula = Formula::check(source, &names).map_err(|e| match e {
        FormulaError::UnknownVariable(_) => {
            format!("{e}；可用的变量见“变量”一栏（如 基本工资、应出勤天数、事假天数）")
        }
        other => other.to_string(),
    })?;
    let sample = |n: &str| {
        known
            .iter()
            .find(|(v, _)| v.name == n)
            .map(|(v, _)| v.sample)
    };
    formula.eval(&sample).map_err(|e| e.to_string())?;
    formula.eval(&|_| Some(0.0)).map_err(|e| match e {
        FormulaError::DivideByZero { divisor } => format!(
            "公式可能除以零：变量为 0 时（如新入职、整月请假的人）除数“{divisor}”为 0；请写成 IF({divisor} > 0, …, 0)"
        ),
        other => other.to_string(),
    })?;
    Ok(formula)
}

/// A trial of a formula on the typical values, or on the values given.
pub async fn trial(
    state: &AppState,
    hall_id: &str,
    input: &FormulaTrialInput,
) -> AppResult<FormulaTrial> {
    let known = variables(state, hall_id).await?;
    let formula =
        check_formula(&input.formula, &known).map_err(|m| AppError::field("formula", m))?;
    let value = |n: &str| {
        input.values.get(n).copied().or_else(|| {
            known
                .iter()
                .find(|(v, _)| v.name == n)
                .map(|(v, _)| v.sample)
        })
    };
    let result = formula
        .eval(&value)
        .map_err(|e| AppError::field("formula", format!("按所填数值试算时{e}")))?;
    Ok(FormulaTrial {
        result: (result * 100.0).round() / 100.0,
        used: formula
            .variables()
            .into_iter()
            .map(|name| UsedValue {
                value: value(&name).unwrap_or(0.0),
                name,
            })
            .collect(),
    })
}

/// What the input says once checked.
struct Checked {
    name: String,
    formula: Formula,
    from: Month,
    until: Option<Month>,
    note: String,
}

fn check(
    input: &PayComponentInput,
    known: &[(FormulaVariable, Source)],
    closed: Option<&str>,
) -> AppResult<Checked> {
    let mut ch = Checker::new();
    let name = ch.text("name", "项目名称", &input.name, 20);
    ch.check(
        !["基本工资", "岗位工资", "工龄工资"].contains(&name.as_str()),
        "name",
        "项目名称不能与薪资结构的固定项目（基本工资、岗位工资、工龄工资）同名",
    );
    ch.one_of("kind", "项目类别", &input.kind, KINDS);
    let formula = check_formula(&input.formula, known);
    if let Err(m) = &formula {
        ch.fail("formula", m.clone());
    }
    let from = Month::parse(&input.from_month);
    if let Err(r) = &from {
        ch.fail("from_month", format!("起始月份{r}"));
    }
    let until = input
        .until_month
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .map(Month::parse)
        .transpose();
    match (&from, &until) {
        (_, Err(r)) => ch.fail("until_month", format!("截止月份{r}")),
        (Ok(f), Ok(Some(u))) => {
            ch.check(u >= f, "until_month", "截止月份不能早于起始月份");
        }
        _ => {}
    }
    if let (Ok(f), Some(c)) = (&from, closed) {
        ch.check(
            f.to_string().as_str() > c,
            "from_month",
            format!("{c} 及以前的工资已审核关账，薪资项目只能从以后的月份起算"),
        );
    }
    let note = ch.optional_text("note", "说明", input.note.as_deref(), 200);
    ch.finish()?;
    match (formula, from, until) {
        (Ok(formula), Ok(from), Ok(until)) => Ok(Checked {
            name,
            formula,
            from,
            until,
            note: note.unwrap_or_default(),
        }),
        _ => Err(AppError::internal("checked input did not parse")),
    }
}

/// Another component of the same name whose months overlap `from..=until`.
fn overlapping<'a>(
    all: &'a [pay_component::Model],
    name: &str,
    from: &Month,
    until: Option<&Month>,
    except: Option<&str>,
) -> Option<&'a pay_component::Model> {
    let (from, until) = (from.to_string(), until.map(Month::to_string));
    all.iter().find(|c| {
        c.name == name
            && Some(c.id.as_str()) != except
            && c.until_month.as_ref().is_none_or(|u| *u >= from)
            && until.as_ref().is_none_or(|u| c.from_month <= *u)
    })
}

fn overlap_error(other: &pay_component::Model) -> AppError {
    AppError::field(
        "name",
        format!(
            "已有同名薪资项目“{}”（{} 起{}），月份不能重叠",
            other.name,
            other.from_month,
            other
                .until_month
                .as_ref()
                .map_or(String::new(), |u| format!("，至 {u}"))
        ),
    )
}

async fn saved(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    txn: sea_orm::DatabaseTransaction,
    row: pay_component::Model,
    closed: Option<&str>,
) -> AppResult<PayComponentDto> {
    let ev = PAY_COMPONENT_SAVED.event(
        Some(hall_id),
        &PayComponentSaved {
            name: row.name.clone(),
            kind: row.kind.clone(),
            from_month: row.from_month.clone(),
            enabled: row.enabled,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto(row, closed))
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &PayComponentInput,
) -> AppResult<PayComponentDto> {
    let known = variables(state, hall_id).await?;
    let closed = closed_through(state, hall_id).await?;
    let c = check(input, &known, closed.as_deref())?;
    let all = rows(state, hall_id).await?;
    if let Some(other) = overlapping(&all, &c.name, &c.from, c.until.as_ref(), None) {
        return Err(overlap_error(other));
    }
    let txn = begin_write(&state.db).await.db_err()?;
    let row = insert(&txn, actor, hall_id, input, c).await?;
    saved(state, actor, hall_id, txn, row, closed.as_deref()).await
}

async fn insert(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    hall_id: &str,
    input: &PayComponentInput,
    c: Checked,
) -> AppResult<pay_component::Model> {
    pay_component::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        name: Set(c.name),
        kind: Set(input.kind.clone()),
        formula: Set(c.formula.source().to_string()),
        from_month: Set(c.from.to_string()),
        until_month: Set(c.until.map(|m| m.to_string())),
        enabled: Set(input.enabled),
        note: Set(c.note),
        updated_by: Set(actor.name.clone()),
        updated_at: Set(Utc::now()),
    }
    .insert(txn)
    .await
    .db_err()
}

/// Changes a component. One already paid in a closed month keeps its
/// months up to the last closed one and the change becomes a new version
/// from `from_month` (which must be open).
pub async fn update(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    input: &PayComponentInput,
) -> AppResult<PayComponentDto> {
    let all = rows(state, hall_id).await?;
    let current = all
        .iter()
        .find(|c| c.id == id)
        .cloned()
        .ok_or_else(|| AppError::not_found("薪资项目"))?;
    let known = variables(state, hall_id).await?;
    let closed = closed_through(state, hall_id).await?;
    let paid = closed
        .as_deref()
        .is_some_and(|c| current.from_month.as_str() <= c);
    if paid
        && current
            .until_month
            .as_deref()
            .zip(closed.as_deref())
            .is_some_and(|(u, c)| u <= c)
    {
        return Err(AppError::field(
            "until_month",
            "该薪资项目已于关账月份结束，不能再修改；如需继续发放，请新建项目",
        ));
    }
    let c = check(input, &known, closed.as_deref())?;
    if let Some(other) = overlapping(&all, &c.name, &c.from, c.until.as_ref(), Some(id)) {
        return Err(overlap_error(other));
    }
    let txn = begin_write(&state.db).await.db_err()?;
    let row = if paid {
        // The old version keeps exactly the months already paid.
        let mut old = current.into_active_model();
        old.until_month = Set(closed.clone());
        old.updated_by = Set(actor.name.clone());
        old.updated_at = Set(Utc::now());
        old.update(&txn).await.db_err()?;
        insert(&txn, actor, hall_id, input, c).await?
    } else {
        let mut a = current.into_active_model();
        a.name = Set(c.name);
        a.kind = Set(input.kind.clone());
        a.formula = Set(c.formula.source().to_string());
        a.from_month = Set(c.from.to_string());
        a.until_month = Set(c.until.map(|m| m.to_string()));
        a.enabled = Set(input.enabled);
        a.note = Set(c.note);
        a.updated_by = Set(actor.name.clone());
        a.updated_at = Set(Utc::now());
        a.update(&txn).await.db_err()?
    };
    saved(state, actor, hall_id, txn, row, closed.as_deref()).await
}

/// The components a month's payroll evaluates.
pub(crate) struct InForce {
    components: Vec<(pay_component::Model, Formula)>,
    variables: Vec<(FormulaVariable, Source)>,
    /// Each person's latest quarterly (level, score).
    assessments: HashMap<String, (i32, f64)>,
    /// Each 金牌管家's monthly allowance.
    butlers: HashMap<String, f64>,
}

impl InForce {
    /// Whether a formula reads the attendance sheet (or leave by type).
    pub fn needs_attendance(&self) -> bool {
        self.components.iter().any(|(_, f)| {
            f.variables().iter().any(|name| {
                self.variables.iter().any(|(v, s)| {
                    v.name == *name && matches!(s, Source::Attendance | Source::Leave(_))
                })
            })
        })
    }

    pub fn is_empty(&self) -> bool {
        self.components.is_empty()
    }

    /// The person's lines for the month; a formula that fails for them
    /// stops the payroll with the person and component named.
    pub fn items(&self, who: &Who<'_>) -> AppResult<Vec<Item>> {
        let values = self.values(who);
        let mut out = Vec::new();
        for (c, f) in &self.components {
            let v = f.eval(&|n| values.get(n).copied()).map_err(|e| {
                AppError::field(
                    "month",
                    format!(
                        "{} {} 的薪资项目“{}”无法计算：{e}；请修改该项目的公式后重新核算",
                        who.employee_no, who.name, c.name
                    ),
                )
            })?;
            // A negative result is nothing to pay or take (write MAX(0, …)
            // to make that explicit); amounts are in fen.
            let amount = fen(v.max(0.0)).unwrap_or(0);
            if amount > 0 {
                out.push(Item {
                    staff_id: who.staff_id.to_string(),
                    kind: c.kind.clone(),
                    refers_month: None,
                    label: Some(c.name.clone()),
                    detail: Detail {
                        amount,
                        reason: format!("公式：{}", c.formula),
                        separately: false,
                    },
                });
            }
        }
        Ok(out)
    }

    fn values(&self, who: &Who<'_>) -> HashMap<String, f64> {
        let p = who.pay;
        let allowances: f64 = p.allowances.iter().map(|a| a.amount).sum();
        let end = who.month.last_day();
        let years = who.hired_on.map_or(0.0, |h| {
            let mut y = end.year() - h.year();
            if (end.month(), end.day()) < (h.month(), h.day()) {
                y -= 1;
            }
            f64::from(y.max(0))
        });
        let joined = who
            .hired_on
            .is_some_and(|h| h >= who.month.first_day() && h <= end);
        let f = who.attendance.cloned().unwrap_or_default();
        let mut v: HashMap<String, f64> = [
            ("基本工资", p.base),
            ("岗位工资", p.post),
            ("工龄工资", p.seniority),
            ("津贴合计", allowances),
            ("月工资", p.base + p.post + p.seniority),
            ("缴费基数", p.contribution_base),
            ("工龄年数", years),
            ("本月入职", if joined { 1.0 } else { 0.0 }),
            ("应出勤天数", f64::from(f.due_days)),
            ("实出勤天数", f64::from(f.present_days)),
            ("旷工天数", f64::from(f.absent_days)),
            ("迟到次数", f64::from(f.late_count)),
            ("迟到分钟", f.late_minutes as f64),
            ("早退次数", f64::from(f.early_count)),
            ("早退分钟", f.early_minutes as f64),
            ("缺卡次数", f64::from(f.missing_count)),
            ("请假天数", f64::from(f.leave_days)),
            ("加班小时", f.overtime_hours),
            ("工作日加班小时", f.overtime_workday_hours),
            ("休息日加班小时", f.overtime_rest_hours),
            ("节假日加班小时", f.overtime_holiday_hours),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let (level, score) = self
            .assessments
            .get(who.staff_id)
            .copied()
            .unwrap_or((0, 0.0));
        v.insert("考核等次".into(), f64::from(level));
        v.insert("考核得分".into(), score);
        v.insert(
            "管家津贴".into(),
            self.butlers.get(who.staff_id).copied().unwrap_or(0.0),
        );
        for (var, source) in &self.variables {
            if let Source::Leave(code) = source {
                let days = f.leave_by_type.get(code).copied().unwrap_or(0);
                v.insert(var.name.clone(), f64::from(days));
            }
        }
        v
    }
}

/// One person's facts for the formulas.
pub(crate) struct Who<'a> {
    pub staff_id: &'a str,
    pub employee_no: &'a str,
    pub name: &'a str,
    pub pay: &'a PayStructure,
    pub hired_on: Option<NaiveDate>,
    pub month: &'a Month,
    pub attendance: Option<&'a SheetFigures>,
}

/// The enabled components whose months include `month`.
pub(crate) async fn in_force(state: &AppState, hall_id: &str, month: &Month) -> AppResult<InForce> {
    let m = month.to_string();
    let components = rows(state, hall_id)
        .await?
        .into_iter()
        .filter(|c| {
            c.enabled && c.from_month <= m && c.until_month.as_ref().is_none_or(|u| *u >= m)
        })
        .filter_map(|c| Formula::parse(&c.formula).ok().map(|f| (c, f)))
        .collect();
    Ok(InForce {
        components,
        variables: variables(state, hall_id).await?,
        assessments: crate::assessment_results::before_month(state, hall_id, month).await?,
        butlers: crate::assessment_results::butler_allowances(state, hall_id).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<(FormulaVariable, Source)> {
        let mut v: Vec<(FormulaVariable, Source)> = FIXED
            .iter()
            .map(|(n, g, d, s)| {
                let v = FormulaVariable {
                    name: (*n).into(),
                    group: (*g).into(),
                    description: (*d).into(),
                    sample: *s,
                };
                (v, Source::Fixed)
            })
            .collect();
        v.extend(ATTENDANCE.iter().map(|(n, d, s)| {
            let v = FormulaVariable {
                name: (*n).into(),
                group: ATTENDANCE_GROUP.into(),
                description: (*d).into(),
                sample: *s,
            };
            (v, Source::Attendance)
        }));
        v
    }

    #[test]
    fn a_divisor_that_can_be_zero_must_be_guarded() {
        let k = known();
        let e = check_formula("基本工资 / 实出勤天数", &k).unwrap_err();
        assert_eq!(
            e,
            "公式可能除以零：变量为 0 时（如新入职、整月请假的人）除数“实出勤天数”为 0；请写成 IF(实出勤天数 > 0, …, 0)"
        );
        assert!(check_formula("IF(实出勤天数 > 0, 基本工资 / 实出勤天数, 0)", &k).is_ok());
        assert!(check_formula("基本工资 / 21.75 * 旷工天数", &k).is_ok());
    }

    #[test]
    fn an_unknown_name_is_named() {
        let e = check_formula("基本工资 + 奖金", &known()).unwrap_err();
        assert!(e.starts_with("公式中的“奖金”不是可用的变量"), "{e}");
    }

    #[test]
    fn the_trial_values_are_typical() {
        let f = check_formula("ROUND(月工资 / 21.75 * 旷工天数, 2)", &known()).unwrap();
        let k = known();
        let v = f
            .eval(&|n| k.iter().find(|(v, _)| v.name == n).map(|(v, _)| v.sample))
            .unwrap();
        assert_eq!(v, 200.0);
    }
}
