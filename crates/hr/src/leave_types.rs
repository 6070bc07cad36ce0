//! 请假类型: each hall's leave types with their rule, their length and the
//! rule's source, shown to whoever asks for leave. National rules are
//! quoted; Shaanxi's lengths are defaults to confirm against the current
//! 《陕西省人口与计划生育条例》 and are marked so — a hall edits them.

use crate::entity::leave_type;
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, is_unique_violation},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const RULES: &[(&str, &str)] = &[
    ("seniority", "按累计工作年限（年休假）"),
    ("per_year", "每年定额"),
    ("per_event", "每次定额"),
    ("unlimited", "不设额度"),
];

/// code, name, rule, days, working days, paid, source.
type Default = (
    &'static str,
    &'static str,
    &'static str,
    i32,
    bool,
    bool,
    &'static str,
);

const DEFAULTS: &[Default] = &[
    (
        "annual",
        "年休假",
        "seniority",
        0,
        true,
        true,
        "《职工带薪年休假条例》第三条：累计工作已满1年不满10年的，年休假5天；已满10年不满20年的，10天；已满20年的，15天。国家法定休假日、休息日不计入年休假的假期。",
    ),
    (
        "sick",
        "病假",
        "unlimited",
        0,
        true,
        true,
        "凭医疗机构证明；医疗期按《企业职工患病或非因工负伤医疗期规定》，病假工资按单位制度。",
    ),
    (
        "personal",
        "事假",
        "unlimited",
        0,
        true,
        false,
        "单位考勤制度：事假不发工资。",
    ),
    (
        "marriage",
        "婚假",
        "per_event",
        3,
        true,
        true,
        "国家规定婚假 3 天；陕西省条例另有延长规定，当前天数未经核对，请按现行《陕西省人口与计划生育条例》修改。",
    ),
    (
        "maternity",
        "产假",
        "per_event",
        158,
        false,
        true,
        "《女职工劳动保护特别规定》第七条：产假 98 天（难产增加 15 天，多胞胎每多 1 个增加 15 天）；陕西省延长部分按现行条例（158 天为未经核对的默认值）。",
    ),
    (
        "paternity",
        "护理假（陪产假）",
        "per_event",
        15,
        false,
        true,
        "陕西省人口与计划生育条例规定的男方护理假；15 天为未经核对的默认值，请按现行条例修改。",
    ),
    (
        "parental",
        "育儿假",
        "per_year",
        10,
        true,
        true,
        "陕西省人口与计划生育条例规定的育儿假（子女 3 周岁以下）；10 天为未经核对的默认值，请按现行条例修改。",
    ),
    (
        "compensatory",
        "调休",
        "unlimited",
        0,
        true,
        true,
        "加班后安排补休（《劳动法》第四十四条），由单位考勤核定。",
    ),
];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeaveTypeDto {
    pub code: String,
    pub name: String,
    pub rule: String,
    pub rule_label: String,
    pub days: i32,
    pub working_days: bool,
    pub paid: bool,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LeaveTypeInput {
    pub name: String,
    /// `seniority`, `per_year`, `per_event`, `unlimited`.
    pub rule: String,
    #[serde(default)]
    pub days: i32,
    pub working_days: bool,
    pub paid: bool,
    pub source: String,
}

fn dto(t: leave_type::Model) -> LeaveTypeDto {
    LeaveTypeDto {
        rule_label: RULES
            .iter()
            .find(|(c, _)| *c == t.rule)
            .map_or("", |(_, l)| l)
            .into(),
        code: t.code,
        name: t.name,
        rule: t.rule,
        days: t.days,
        working_days: t.working_days,
        paid: t.paid,
        source: t.source,
    }
}

/// The hall's types; the defaults are written the first time they are asked for.
pub(crate) async fn rows(state: &AppState, hall_id: &str) -> AppResult<Vec<leave_type::Model>> {
    let find = || {
        leave_type::Entity::find()
            .filter(leave_type::Column::HallId.eq(hall_id))
            .order_by_asc(leave_type::Column::SortOrder)
            .all(&state.db)
    };
    let have = find().await.db_err()?;
    if !have.is_empty() {
        return Ok(have);
    }
    for (i, (code, name, rule, days, working_days, paid, source)) in DEFAULTS.iter().enumerate() {
        let row = leave_type::ActiveModel {
            id: Set(new_id().to_string()),
            hall_id: Set(hall_id.to_string()),
            code: Set((*code).into()),
            name: Set((*name).into()),
            rule: Set((*rule).into()),
            days: Set(*days),
            working_days: Set(*working_days),
            paid: Set(*paid),
            source: Set((*source).into()),
            sort_order: Set(i as i32),
        };
        // Two first readers at once: the second's rows collide and are dropped.
        if let Err(e) = row.insert(&state.db).await
            && !is_unique_violation(&e)
        {
            return Err(AppError::internal(e));
        }
    }
    find().await.db_err()
}

pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<LeaveTypeDto>> {
    Ok(rows(state, hall_id).await?.into_iter().map(dto).collect())
}

/// Changes a type's name, rule, length or source (the code stays).
pub async fn update(
    state: &AppState,
    hall_id: &str,
    code: &str,
    input: &LeaveTypeInput,
) -> AppResult<LeaveTypeDto> {
    let row = rows(state, hall_id)
        .await?
        .into_iter()
        .find(|t| t.code == code)
        .ok_or_else(|| AppError::not_found("请假类型"))?;
    let mut ch = Checker::new();
    let name = ch.text("name", "类型名称", &input.name, 20);
    ch.one_of("rule", "额度规则", &input.rule, RULES);
    if matches!(input.rule.as_str(), "per_year" | "per_event") {
        ch.check((1..=366).contains(&input.days), "days", "天数须为 1 至 366");
    }
    let source = ch.text("source", "依据", &input.source, 500);
    ch.finish()?;
    let mut a = row.into_active_model();
    a.name = Set(name);
    a.rule = Set(input.rule.clone());
    a.days = Set(input.days);
    a.working_days = Set(input.working_days);
    a.paid = Set(input.paid);
    a.source = Set(source);
    Ok(dto(a.update(&state.db).await.db_err()?))
}
