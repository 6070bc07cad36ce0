//! 薪资项目 by formula through HTTP: bad formulas refused by field with
//! nothing written, the trial, last month's attendance and leave turned into
//! payslip lines by the hall's own formulas, and a change to a component
//! already paid in a closed month becoming a new version.

// Amounts are written yuan_fen (`200_00` is 200.00 yuan).
#![allow(clippy::inconsistent_digit_grouping)]

use crate::payroll::{fields, staff_id};
use chrono::{Datelike, Duration};
use serde_json::{Value, json};

const H: &str = "/api/v1/halls/CA-ZWFW";
const COMPONENTS: &str = "/api/v1/halls/CA-ZWFW/payroll/pay-components";

fn component(name: &str, kind: &str, formula: &str, from: &str) -> Value {
    json!({"name": name, "kind": kind, "formula": formula, "from_month": from})
}

/// The line of that name in one of the payslip's lists.
fn line<'a>(slip: &'a Value, list: &str, label: &str) -> Option<&'a Value> {
    slip[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == label)
}

#[tokio::test]
async fn formulas_are_checked_tried_and_paid() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let today = govhall_kernel::time::today();
    let last = today.with_day(1).unwrap() - Duration::days(1);
    let month = last.format("%Y-%m").to_string();
    let next = (today.with_day(1).unwrap() + Duration::days(40))
        .format("%Y-%m")
        .to_string();
    let this = today.format("%Y-%m").to_string();

    // Bad formulas: each refused naming the field and the rule; nothing written.
    for (formula, says) in [
        ("基本工资 *", "公式第 6 个字符处"),
        ("基本工资 / 实出勤天数", "公式可能除以零"),
        ("基本工资 + 奖金", "“奖金”不是可用的变量"),
        ("SUM(基本工资, 1)", "函数“SUM”不存在"),
        ("IF(迟到次数 > 0, 100)", "需要 3 个参数"),
    ] {
        let r = manager
            .post(COMPONENTS, &component("全勤奖", "bonus", formula, &month))
            .await;
        assert_eq!(r.status(), 422, "{formula}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(fields(&v), ["formula"], "{formula}: {v}");
        assert!(v.to_string().contains(says), "{formula}: {v}");
    }
    let r = manager
        .post(
            COMPONENTS,
            &json!({"name": "", "kind": "salary", "formula": "1", "from_month": "2026-13",
                    "until_month": "2020-01"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let mut f = fields(&r.json().await.unwrap());
    f.sort();
    assert_eq!(f, ["from_month", "kind", "name"]);
    assert_eq!(
        clerk
            .post(COMPONENTS, &component("全勤奖", "bonus", "200", &month))
            .await
            .status(),
        403
    );
    assert_eq!(
        govhall_testkit::count(&s.state.db, "hr_pay_components").await,
        0
    );

    // The trial: typical values, or the ones given.
    let trial = format!("{COMPONENTS}/trial");
    let formula = "ROUND(月工资 / 21.75 * 事假天数, 2)";
    let v: Value = manager
        .post(&trial, &json!({"formula": formula}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["result"], 200.0, "{v}");
    let v: Value = manager
        .post(
            &trial,
            &json!({"formula": formula, "values": {"月工资": 5000, "事假天数": 2}}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["result"], 459.77, "{v}");
    assert_eq!(v["used"].as_array().unwrap().len(), 2);

    // The variables include the hall's leave types.
    let page = manager.json(COMPONENTS).await;
    let names: Vec<&str> = page["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    for n in ["基本工资", "旷工天数", "事假天数", "病假天数", "工龄年数"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }

    // 张 last month: 事假 on the first working day, absent on the second,
    // late on the third, on time on the rest.
    let zhang = staff_id(&manager, "CA0001").await;
    for (item, employer, employee) in [("pension", 16.0, 8.0), ("medical", 8.0, 2.0)] {
        let r = manager
            .post(
                &format!("{H}/payroll/contribution-rates"),
                &json!({"city": "西安市", "item": item, "effective_from": "2020-01-01",
                        "base_floor": 4000, "base_ceiling": 30000,
                        "employer_rate": employer, "employee_rate": employee, "source": "测试用费率"}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
    let r = manager
        .put(
            &format!("{H}/hr/profiles/{zhang}"),
            &json!({"city": "西安市", "hired_on": "2020-01-01",
                    "pay": {"base": 4000, "post": 350, "contribution_base": 5000}}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let sheet = manager
        .json(&format!("{H}/hr/attendance-sheets/{month}"))
        .await;
    let working: Vec<String> = sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["employee_no"] == "CA0001")
        .unwrap()["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["shift_code"] == "day")
        .map(|d| d["day"].as_str().unwrap().to_string())
        .collect();
    assert!(working.len() >= 15, "{working:?}");
    let r = clerk
        .post(
            &format!("{H}/hr/my-leave"),
            &json!({"type_code": "personal", "starts_on": working[0], "ends_on": working[0],
                    "reason": "家中有事"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let leave: Value = r.json().await.unwrap();
    let r = manager
        .post(
            &format!(
                "{H}/hr/leave-requests/{}/decision",
                leave["id"].as_str().unwrap()
            ),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let mut csv = String::from("工号,打卡时间\n");
    for (i, d) in working.iter().enumerate().skip(2) {
        let start = if i == 2 { "09:20" } else { "08:50" };
        csv.push_str(&format!("CA0001,{d} {start}\nCA0001,{d} 17:10\n"));
    }
    let r = manager
        .post_bytes(
            &format!("{H}/hr/punch-imports"),
            "text/csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    for (name, kind, formula) in [
        (
            "全勤奖",
            "bonus",
            "IF(AND(迟到次数 = 0, 旷工天数 = 0, 请假天数 = 0), 200, 0)",
        ),
        ("事假扣款", "absence", "ROUND(月工资 / 21.75 * 事假天数, 2)"),
        ("旷工扣款", "absence", "月工资 / 21.75 * 旷工天数 * 2"),
        ("交通补贴", "tax_free", "300"),
        ("迟到扣款", "after_tax", "迟到次数 × 50"),
        ("工龄津贴", "bonus", "MIN(工龄年数, 10) * 20"),
    ] {
        let r = manager
            .post(COMPONENTS, &component(name, kind, formula, &month))
            .await;
        assert_eq!(r.status(), 201, "{name}: {}", r.text().await.unwrap());
    }
    // One name, overlapping months: refused.
    let r = manager
        .post(COMPONENTS, &component("交通补贴", "tax_free", "200", &next))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["name"]);

    let run = format!("{H}/payroll/runs/{month}");
    let r = manager.post(&format!("{run}/calculate"), &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let slip = manager.json(&format!("{run}/payslips/{zhang}")).await;
    let amount = |list: &str, label: &str| {
        line(&slip, list, label).map(|l| l["amount_fen"].as_i64().unwrap())
    };
    assert_eq!(amount("earnings", "全勤奖"), None, "not earned: {slip}");
    assert_eq!(amount("pre_tax_deductions", "事假扣款"), Some(200_00));
    assert_eq!(amount("pre_tax_deductions", "旷工扣款"), Some(400_00));
    assert_eq!(amount("tax_free", "交通补贴"), Some(300_00));
    assert_eq!(amount("after_tax_deductions", "迟到扣款"), Some(50_00));
    let years = i64::from(last.year() - 2020).min(10);
    assert_eq!(amount("earnings", "工龄津贴"), Some(years * 20_00));
    let note = line(&slip, "pre_tax_deductions", "事假扣款").unwrap()["note"]
        .as_str()
        .unwrap();
    assert!(
        note.contains("月工资 / 21.75"),
        "the line shows its formula: {note}"
    );

    // Closed, the month is history: a component cannot start in it, and a
    // change to one paid in it becomes a new version from an open month.
    let r = manager.post(&format!("{run}/approve"), &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = manager
        .post(COMPONENTS, &component("餐补", "tax_free", "200", &month))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["from_month"]);
    // Its attendance and leave are closed with it: a machine row, a 补卡 and
    // a leave in it are refused, naming the month.
    let csv = format!("工号,打卡时间\nCA0001,{} 08:40\n", working[1]);
    let r = manager
        .post_bytes(
            &format!("{H}/hr/punch-imports"),
            "text/csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("第 2 行") && text.contains("已审核关账"),
        "{text}"
    );
    let r = clerk
        .post(
            &format!("{H}/hr/corrections"),
            &json!({"day": working.last().unwrap(), "time": "08:40", "reason": "忘记打卡"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert!(fields(&v).iter().all(|f| f == "day"), "{v}");
    assert!(v.to_string().contains("已审核关账"), "{v}");
    let r = clerk
        .post(
            &format!("{H}/hr/my-leave"),
            &json!({"type_code": "personal", "starts_on": working[1], "ends_on": working[1],
                    "reason": "补请假"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(fields(&r.json().await.unwrap()).contains(&"starts_on".to_string()));
    let page = manager.json(COMPONENTS).await;
    assert_eq!(page["closed_through"], month.as_str());
    let transport = page["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "交通补贴")
        .cloned()
        .unwrap();
    assert_eq!(transport["paid_in_closed_month"], true);
    let id = transport["id"].as_str().unwrap();
    let r = manager
        .put(
            &format!("{COMPONENTS}/{id}"),
            &component("交通补贴", "tax_free", "400", &month),
        )
        .await;
    assert_eq!(r.status(), 422, "not from a closed month");
    let r = manager
        .put(
            &format!("{COMPONENTS}/{id}"),
            &component("交通补贴", "tax_free", "400", &this),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    assert_ne!(v["id"], id, "a new version");
    let page = manager.json(COMPONENTS).await;
    let versions: Vec<(Value, Value, Value)> = page["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "交通补贴")
        .map(|c| {
            (
                c["formula"].clone(),
                c["from_month"].clone(),
                c["until_month"].clone(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [
            (json!("300"), json!(month), json!(month)),
            (json!("400"), json!(this), Value::Null)
        ]
    );
    // The old version ended with the closed month: it is not edited again.
    let r = manager
        .put(
            &format!("{COMPONENTS}/{id}"),
            &component("交通补贴", "tax_free", "500", &next),
        )
        .await;
    assert_eq!(r.status(), 422);
}
