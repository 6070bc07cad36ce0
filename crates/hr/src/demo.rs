//! The demo hall's payroll: 西安市 五险一金 rates marked as demonstration
//! figures (not the year's official ones — a hall enters those with their
//! documents), a profile for each of the 76 staff (test ID numbers of
//! 长安区 with valid check characters, Luhn-valid test cards), a few
//! 专项附加扣除, each one's current three-year contract (some ending within
//! two months), and this year's months before this one computed and
//! approved, so each clerk finds payslips on the phone and the current
//! month is open.

use crate::contracts::{self, ContractInput};
use crate::contributions::{self, RateInput};
use crate::deductions::Declared;
use crate::entity::profile;
use crate::month::Month;
use crate::profiles::{self, NamedAmount, PayStructure, ProfileInput};
use crate::status_report::{self, PostHeadcount};
use crate::{pay_components, pay_items, payroll};
use chrono::{Datelike, NaiveDate};
use govhall_directory::service as directory;
use govhall_kernel::{error::AppResult, identity::BankCardNo, validate::id_card_check_char};
use govhall_platform::{AppState, db::DbResultExt, events::Actor};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

pub const DEMO_SOURCE: &str =
    "演示数据，非当年正式标准：请按陕西省人社厅、西安市医保局、西安住房公积金管理中心当年文件修改";

/// A test 居民身份证号 of 长安区 (610116) with the right check character.
fn id_number(i: usize) -> String {
    // Births spread over 1960–1987; the sequence number tells apart the
    // same day's people when there are more than 10,000 (a benchmark's hall).
    let birth = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or_default()
        + chrono::Duration::days((i % 10_000) as i64);
    let first17 = format!(
        "610116{}{:03}",
        birth.format("%Y%m%d"),
        100 + (i / 10_000) % 900
    );
    let check = id_card_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// A Luhn-valid 19-digit test card (a check digit chosen to pass).
fn card_number(i: usize) -> String {
    let body = format!("621226410001{:06}", 200_000 + i);
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|c| BankCardNo::parse(c).is_ok())
        .unwrap_or_default()
}

fn rate(item: &str, floor: f64, ceiling: f64, employer: f64, employee: f64) -> RateInput {
    RateInput {
        city: "西安市".into(),
        item: item.into(),
        effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
        effective_to: None,
        base_floor: floor,
        base_ceiling: ceiling,
        employer_rate: employer,
        employee_rate: employee,
        rounding: None,
        source: DEMO_SOURCE.into(),
    }
}

/// The contract in force: three-year terms from the hire date, the current
/// one; every tenth ends within the next two months (the expiry report).
fn demo_contract(staff_id: &str, i: usize, hired: NaiveDate, today: NaiveDate) -> ContractInput {
    let mut start = hired;
    while let Some(next) = start.checked_add_months(chrono::Months::new(36)) {
        if next > today {
            break;
        }
        start = next;
    }
    let natural_end = start
        .checked_add_months(chrono::Months::new(36))
        .and_then(|d| d.pred_opt());
    let ends_on = if i % 10 == 4 {
        Some(today + chrono::Duration::days(10 + (i as i64 % 50)))
    } else {
        natural_end
    };
    ContractInput {
        staff_id: staff_id.to_string(),
        number: format!("CAHT-{}-{:04}", start.year(), i + 1),
        kind: "fixed".into(),
        signed_on: start,
        starts_on: start,
        ends_on,
        probation_months: 0,
        renews_id: None,
        note: String::new(),
    }
}

/// The demonstration 西安市 rates (not the year's official figures).
pub fn demo_rates() -> Vec<RateInput> {
    vec![
        rate("pension", 4_000.0, 20_000.0, 16.0, 8.0),
        rate("medical", 4_000.0, 20_000.0, 7.0, 2.0),
        rate("unemployment", 4_000.0, 20_000.0, 0.7, 0.3),
        rate("injury", 4_000.0, 20_000.0, 0.2, 0.0),
        rate("housing_fund", 2_160.0, 30_000.0, 10.0, 10.0),
    ]
}

/// The `i`th demonstration profile for someone of `position`.
pub fn profile_input(i: usize, position: &str) -> ProfileInput {
    ProfileInput {
        id_card: Some(id_number(i)),
        bank_card: Some(card_number(i)),
        bank_name: "中国工商银行西安长安支行".into(),
        city: "西安市".into(),
        hired_on: NaiveDate::from_ymd_opt(2018 + (i % 8) as i32, 3, 1),
        work_started_on: NaiveDate::from_ymd_opt(2000 + (i % 24) as i32, 7, 1),
        deduction_from_january: false,
        pay: Some(pay_of(position, i)),
    }
}

fn pay_of(position: &str, i: usize) -> PayStructure {
    let (base, post) = match position {
        "center_admin" => (4_600.0, 1_800.0),
        "dept_reviewer" => (3_800.0, 1_000.0),
        "guide" => (3_200.0, 600.0),
        _ => (3_500.0, 900.0),
    };
    let seniority = 50.0 * (i % 9) as f64;
    let mut special_additional = Vec::new();
    if i.is_multiple_of(3) {
        special_additional.push(Declared {
            kind: "child_education".into(),
            count: Some(1),
            share_pct: Some(if i.is_multiple_of(2) { 100 } else { 50 }),
            tier: None,
            only_child: None,
            amount: None,
        });
    }
    if i % 4 == 1 {
        special_additional.push(Declared {
            kind: "housing_rent".into(),
            count: None,
            share_pct: None,
            tier: Some("capital".into()),
            only_child: None,
            amount: None,
        });
    }
    if i % 5 == 2 {
        special_additional.push(Declared {
            kind: "elderly_care".into(),
            count: None,
            share_pct: None,
            tier: None,
            only_child: Some(true),
            amount: None,
        });
    }
    PayStructure {
        base,
        post,
        seniority,
        allowances: vec![
            NamedAmount {
                name: "交通补贴".into(),
                amount: 300.0,
            },
            NamedAmount {
                name: "餐费补贴".into(),
                amount: 400.0,
            },
        ],
        contribution_base: base + post + seniority,
        other_deduction: 0.0,
        special_additional,
        opening: None,
    }
}

/// Seeds the hall's payroll once; `today` decides which months are closed.
pub async fn seed_if_empty(state: &AppState, hall_id: &str, today: NaiveDate) -> AppResult<bool> {
    let have = profile::Entity::find()
        .filter(profile::Column::HallId.eq(hall_id))
        .count(&state.db)
        .await
        .db_err()?;
    if have > 0 {
        return Ok(false);
    }
    for r in demo_rates() {
        contributions::create(state, hall_id, &r).await?;
    }
    // 编制 of the 76 posts the center contracted for.
    let establishment: Vec<PostHeadcount> = [
        ("window_staff", 56),
        ("dept_reviewer", 12),
        ("center_admin", 5),
        ("guide", 3),
    ]
    .iter()
    .map(|(position, headcount)| PostHeadcount {
        position: (*position).into(),
        headcount: *headcount,
    })
    .collect();
    status_report::set_establishment(state, hall_id, &establishment).await?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let actor = Actor::system();
    for (i, s) in staff.iter().enumerate() {
        let input = profile_input(i, &s.position);
        profiles::save(state, hall_id, s.id.as_str(), &input).await?;
        if let Some(hired) = input.hired_on {
            let contract = demo_contract(s.id.as_str(), i, hired, today);
            contracts::create(state, &actor, hall_id, &contract).await?;
        }
    }
    let this = Month {
        year: today.year(),
        month: today.month(),
    };
    // This year's months before this one: the 累计预扣法 then starts in January.
    let closed: Vec<Month> = (1..this.month)
        .map(|month| Month {
            year: this.year,
            month,
        })
        .collect();
    for (n, m) in closed.iter().enumerate() {
        if let Some(s) = staff.get(n) {
            pay_items::create(
                state,
                &actor,
                hall_id,
                &pay_items::PayItemInput {
                    staff_id: s.id.to_string(),
                    month: m.to_string(),
                    kind: "performance".into(),
                    amount: 600.0,
                    reason: "季度考核优秀".into(),
                    refers_month: None,
                    separately: None,
                },
            )
            .await?;
        }
        payroll::compute(state, &actor, hall_id, &m.to_string()).await?;
        payroll::approve(state, &actor, hall_id, &m.to_string()).await?;
    }
    Ok(true)
}

/// The demo hall's 薪资项目 from this month (kept apart from
/// [`seed_if_empty`] so the payroll benchmark's months stay formula-free):
/// a 全勤奖 and the 事假扣款, both read from the attendance sheet.
pub async fn seed_components(state: &AppState, hall_id: &str, today: NaiveDate) -> AppResult<()> {
    let from = Month {
        year: today.year(),
        month: today.month(),
    }
    .to_string();
    let actor = Actor::system();
    for (name, kind, formula, note) in [
        (
            "全勤奖",
            "bonus",
            "IF(AND(迟到次数 = 0, 早退次数 = 0, 旷工天数 = 0, 缺卡次数 = 0, 请假天数 = 0), 200, 0)",
            "演示：当月无迟到、早退、旷工、缺卡和请假",
        ),
        (
            "事假扣款",
            "absence",
            "ROUND(月工资 / 21.75 * 事假天数, 2)",
            "演示：按日工资（月工资 ÷ 21.75）扣除事假天数",
        ),
    ] {
        let input = pay_components::PayComponentInput {
            name: name.into(),
            kind: kind.into(),
            formula: formula.into(),
            from_month: from.clone(),
            until_month: None,
            enabled: true,
            note: Some(note.into()),
        };
        pay_components::create(state, &actor, hall_id, &input).await?;
    }
    Ok(())
}
