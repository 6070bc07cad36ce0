//! Demo data: a realistic 西安市长安区政务服务中心 — areas, departments, about
//! 30 windows, 76 staff, the sign-in accounts and a published catalog of 46
//! items with scenarios and three 一件事 (from `demo/catalog.json`, written by
//! `scripts/demo_catalog.py`). Seeded through the same
//! services as real input, so it obeys every rule and leaves events behind.

use govhall_directory::{
    areas::{self, AreaInput},
    departments::{self, DepartmentInput},
    halls::{self, HallInput},
    staff::{self, StaffInput},
    windows::{self, WindowInput},
};
use govhall_kernel::{AppError, validate::credit_code_check_char};
use govhall_platform::{
    AppState,
    auth::{Role, service as accounts},
    events::Actor,
};

/// The demo hall's code.
pub const HALL_CODE: &str = "CA-ZWFW";
/// Every demo account's password (demo data only; real deployments use `create-admin`).
pub const DEMO_PASSWORD: &str = "Demo@2026cah";

pub struct DemoAccount {
    pub username: &'static str,
    pub role: Role,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "admin",
        role: Role::SystemAdmin,
    },
    DemoAccount {
        username: "security",
        role: Role::SecurityAdmin,
    },
    DemoAccount {
        username: "auditor",
        role: Role::AuditAdmin,
    },
    DemoAccount {
        username: "manager",
        role: Role::CenterAdmin,
    },
    DemoAccount {
        username: "clerk01",
        role: Role::WindowStaff,
    },
    DemoAccount {
        username: "clerk02",
        role: Role::WindowStaff,
    },
    DemoAccount {
        username: "reviewer",
        role: Role::DeptReviewer,
    },
    DemoAccount {
        username: "guide01",
        role: Role::Guide,
    },
    DemoAccount {
        username: "trainee01",
        role: Role::Trainee,
    },
];

const AREAS: &[(&str, &str)] = &[
    ("综合受理区", "1F"),
    ("企业服务区", "1F"),
    ("社会事务区", "2F"),
    ("出件区", "1F"),
    ("咨询导服区", "1F"),
];

/// (name, 9-character organisation code part of its 统一社会信用代码)
const DEPARTMENTS: &[(&str, &str)] = &[
    ("西安市长安区市场监督管理局", "MB2957101"),
    ("西安市长安区人力资源和社会保障局", "MB2957102"),
    ("西安市长安区医疗保障局", "MB2957103"),
    ("西安市长安区民政局", "MB2957104"),
    ("西安市长安区卫生健康局", "MB2957105"),
    ("西安市长安区住房和城乡建设局", "MB2957106"),
    ("西安市长安区交通运输局", "MB2957107"),
    ("国家税务总局西安市长安区税务局", "MB2957108"),
    ("西安住房公积金管理中心长安区管理部", "MB2957109"),
    ("西安市公安局长安分局", "MB2957110"),
    ("西安市长安区行政审批服务局", "MB2957111"),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗",
];
const GIVEN: &[&str] = &[
    "静", "伟", "芳", "娜", "敏", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超",
    "秀兰", "霞", "平", "刚", "桂英", "欣怡", "子涵", "浩然", "雨萱", "思远", "佳琪", "晨曦",
    "博文", "梦瑶", "嘉怡",
];

fn credit_code(org: &str) -> String {
    // 1 (机关) 1 (机关) + 行政区划代码 610116 + organisation code + GB 32100 check character.
    let first17 = format!("11610116{org}");
    let check = credit_code_check_char(&first17).expect("demo codes use the code alphabet");
    format!("{first17}{check}")
}

/// Seeds the demo hall unless a hall exists already. Returns whether it seeded.
pub async fn seed_if_empty(state: &AppState) -> Result<bool, AppError> {
    if halls::get(state, HALL_CODE).await.is_ok() {
        return Ok(false);
    }
    let actor = Actor::system();
    let hall = halls::create(
        state,
        &actor,
        &HallInput {
            code: HALL_CODE.into(),
            name: "西安市长安区政务服务中心".into(),
            region_code: "610116".into(),
            address: "陕西省西安市长安区韦曲街道西长安街与航天大道交会处".into(),
            opens_at: "09:00".into(),
            closes_at: "17:00".into(),
            hours_note: "周一至周五（法定节假日除外）；中午不休息，延时服务至 18:00 需预约".into(),
        },
    )
    .await?;

    govhall_directory::hall_faqs::replace(
        state,
        &actor,
        &hall.id,
        govhall_directory::hall_faqs::starter_faqs(),
    )
    .await?;

    let mut area_ids = Vec::new();
    for (i, (name, floor)) in AREAS.iter().enumerate() {
        let a = areas::create(
            state,
            &actor,
            &hall.id,
            &AreaInput {
                name: (*name).into(),
                floor: Some((*floor).into()),
                sort_order: i as i32 * 10,
            },
        )
        .await?;
        area_ids.push(a.id);
    }
    let mut dept_ids = Vec::new();
    for (i, (name, org)) in DEPARTMENTS.iter().enumerate() {
        let d = departments::create(
            state,
            &actor,
            &hall.id,
            &DepartmentInput {
                name: (*name).into(),
                credit_code: credit_code(org),
                sort_order: i as i32 * 10,
            },
        )
        .await?;
        dept_ids.push(d.id);
    }

    // 16 综合窗口, 8 专业窗口 (one per department in the enterprise/social areas), 3 出件窗口, 3 咨询台.
    let mut n = 0;
    let mut add_window = |kind: &'static str, name: String, area: usize, dept: Option<usize>| {
        n += 1;
        (format!("{n:02}"), name, kind, area, dept)
    };
    let mut plan = Vec::new();
    for i in 1..=16 {
        plan.push(add_window(
            "comprehensive",
            format!("{i}号综合受理窗口"),
            0,
            None,
        ));
    }
    let specialist = [
        (7, "税务专窗", 1),
        (8, "公积金专窗", 1),
        (2, "医保专窗", 2),
        (1, "社保专窗", 2),
        (9, "户籍专窗", 2),
        (3, "婚姻登记专窗", 2),
        (6, "交通运输专窗", 1),
        (5, "不动产登记专窗", 1),
    ];
    for (dept, name, area) in specialist {
        plan.push(add_window("professional", name.into(), area, Some(dept)));
    }
    for i in 1..=3 {
        plan.push(add_window("delivery", format!("{i}号出件窗口"), 3, None));
    }
    for i in 1..=3 {
        plan.push(add_window("consult", format!("{i}号咨询台"), 4, None));
    }
    let mut created_windows = Vec::new();
    for (code, name, kind, area, dept) in plan {
        let w = windows::create(
            state,
            &actor,
            &hall.id,
            &WindowInput {
                code,
                name,
                kind: kind.into(),
                status: "open".into(),
                area_id: Some(area_ids[area].clone()),
                department_id: dept.map(|d| dept_ids[d].clone()),
            },
        )
        .await?;
        created_windows.push((w.id, kind, dept.map(|d| dept_ids[d].clone())));
    }

    // 76 staff: 56 at windows, 12 back-office reviewers, 5 center managers, 3 guides.
    let mut staff_ids = Vec::new();
    for i in 0..76usize {
        let position = match i {
            0..=55 => "window_staff",
            56..=67 => "dept_reviewer",
            68..=72 => "center_admin",
            _ => "guide",
        };
        let name = format!(
            "{}{}",
            SURNAMES[i % SURNAMES.len()],
            GIVEN[(i * 7 + i / SURNAMES.len()) % GIVEN.len()]
        );
        let department_id = match position {
            "dept_reviewer" => Some(dept_ids[(i - 56) % dept_ids.len()].clone()),
            "window_staff" if i >= 40 => Some(dept_ids[i % dept_ids.len()].clone()),
            _ => None,
        };
        let s = staff::create(
            state,
            &actor,
            &hall.id,
            &StaffInput {
                employee_no: format!("CA{:04}", i + 1),
                name,
                department_id,
                position: position.into(),
                phone: Some(format!("139{:08}", 29100000 + i * 37)),
            },
        )
        .await?;
        staff_ids.push(s);
    }

    // Which staff member each account belongs to (the system administrator is no hall's staff).
    let links = [
        None,
        None,
        None,
        Some(68),
        Some(0),
        Some(1),
        Some(56),
        Some(73),
        None,
    ];
    for (acct, staff_idx) in DEMO_ACCOUNTS.iter().zip(links) {
        let linked = staff_idx.map(|i| &staff_ids[i]);
        accounts::create_user(
            state,
            &actor,
            accounts::NewUser {
                username: acct.username.into(),
                display_name: linked.map(|s| s.name.clone()).unwrap_or_else(|| {
                    if acct.role == Role::Trainee {
                        "新学员（待分配工号）".into()
                    } else {
                        acct.role.label().into()
                    }
                }),
                password: DEMO_PASSWORD.into(),
                roles: vec![acct.role],
                custom_roles: vec![],
                hall_id: if Role::SEPARATED.contains(&acct.role) {
                    None
                } else {
                    Some(hall.id.clone())
                },
                staff_id: linked.map(|s| s.id.clone()),
                must_change_password: false,
            },
        )
        .await?;
    }
    seed_catalog(state, &actor, &hall.id, &created_windows, &dept_ids[POLICE]).await?;
    Ok(true)
}

/// The demo catalog in the interchange format.
pub const CATALOG_JSON: &str = include_str!("../demo/catalog.json");
/// Index of 西安市公安局长安分局 in `DEPARTMENTS`: its items are accepted only at the 户籍专窗.
const POLICE: usize = 9;

/// Imports and publishes the demo catalog, then authorises windows: every
/// comprehensive window accepts every item except public-security ones, and
/// each specialist window accepts its own department's items.
async fn seed_catalog(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    windows: &[(String, &str, Option<String>)],
    police: &str,
) -> Result<(), AppError> {
    use govhall_catalog::{interchange, items, service, transfer};
    let file = interchange::parse_file(CATALOG_JSON.as_bytes(), &Default::default())
        .map_err(items::invalid)?;
    transfer::import(state, actor, hall_id, file, true, &|_, _| {}).await?;
    for it in service::hall_items(state, hall_id).await? {
        let ids = windows
            .iter()
            .filter(|(_, kind, dept)| match *kind {
                "comprehensive" => it.department.as_deref() != Some(police),
                "professional" => dept.is_some() && dept.as_deref() == it.department.as_deref(),
                _ => false,
            })
            .map(|(id, _, _)| id.clone())
            .collect();
        items::set_windows(state, actor, hall_id, &it.id, ids).await?;
    }
    Ok(())
}

/// Which windows serve a line: (window codes, primary / secondary).
type ServedBy = &'static [(std::ops::RangeInclusive<u32>, &'static str)];

/// The demo hall's service lines: prefix, name, appointments per 30-minute
/// slot, and the windows that serve it. Browser tests use them as shipped.
const LINES: &[(&str, &str, i32, ServedBy)] = &[
    ("A", "综合受理", 4, &[(1..=16, "primary")]),
    (
        "B",
        "税务公积金",
        2,
        &[(17..=18, "primary"), (1..=16, "secondary")],
    ),
    (
        "C",
        "社保医保",
        2,
        &[(19..=20, "primary"), (1..=16, "secondary")],
    ),
    ("D", "户籍婚姻", 2, &[(21..=22, "primary")]),
    (
        "E",
        "不动产交通",
        3,
        &[(23..=24, "primary"), (1..=16, "secondary")],
    ),
    ("F", "出件取证", 0, &[(25..=27, "primary")]),
];

/// Which line's guides list a demo matter, by its department's name.
const LINE_DEPARTMENTS: &[(&str, &[&str])] = &[
    ("A", &["市场监督管理局", "行政审批服务局", "卫生健康局"]),
    ("B", &["税务局", "住房公积金"]),
    ("C", &["人力资源和社会保障局", "医疗保障局"]),
    ("D", &["公安局", "民政局"]),
    ("E", &["住房和城乡建设局", "交通运输局"]),
];

/// The demo catalog's 实施编码 that line `prefix` serves.
fn demo_matters(prefix: &str) -> Vec<String> {
    let depts = LINE_DEPARTMENTS
        .iter()
        .find(|(p, _)| *p == prefix)
        .map_or(&[][..], |(_, d)| *d);
    let doc: serde_json::Value = serde_json::from_str(CATALOG_JSON).unwrap_or_default();
    doc["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| {
            let dept = i["dept_name"].as_str().unwrap_or_default();
            depts.iter().any(|d| dept.contains(d))
        })
        .filter_map(|i| i["task_code"].as_str().map(str::to_string))
        .collect()
}

/// Service lines and window skills for the demo hall, when it has none yet
/// (run by `serve --demo`; tests set up their own lines).
pub async fn seed_queue_if_empty(state: &AppState) -> Result<bool, AppError> {
    use govhall_queue::lines::{self, LineInput, SkillInput};
    let hall = halls::get(state, HALL_CODE).await?;
    if !lines::list(state, &hall.id).await?.is_empty() {
        return Ok(false);
    }
    let actor = Actor::system();
    let windows = govhall_directory::service::windows(&state.db, &hall.id).await?;
    let mut skills: std::collections::BTreeMap<String, Vec<SkillInput>> = Default::default();
    for (i, (prefix, name, quota, served_by)) in LINES.iter().enumerate() {
        let line = lines::create(
            state,
            &actor,
            &hall.id,
            &LineInput {
                prefix: (*prefix).into(),
                name: (*name).into(),
                // Open around the clock so the demo can be tried at any hour;
                // a hall sets its real hours in 管理后台 › 业务队列.
                opens_at: "00:00".into(),
                closes_at: "23:59".into(),
                daily_cap: 0,
                active: true,
                sort_order: i as i32 * 10,
                slot_minutes: 30,
                slot_quota: *quota,
                matters: demo_matters(prefix),
                aging_minutes: None,
            },
        )
        .await?;
        for (codes, level) in served_by.iter() {
            for w in windows
                .iter()
                .filter(|w| w.code.parse::<u32>().is_ok_and(|n| codes.contains(&n)))
            {
                skills
                    .entry(w.id.to_string())
                    .or_default()
                    .push(SkillInput {
                        line_id: line.id.clone(),
                        level: (*level).into(),
                    });
            }
        }
    }
    for (window, s) in skills {
        lines::set_skills(state, &actor, &hall.id, &window, s).await?;
    }
    Ok(true)
}
