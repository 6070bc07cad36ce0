//! 季度考核 through HTTP on generated history: bad schemes refused by field
//! with nothing written; the scheme locked once its quarter has started;
//! figures computed from the analytics facts and the attendance sheet, each
//! count matching the records listed as its evidence; the clerk's own view,
//! self-assessment and appeal; the review, the quota for 优秀, and the grade
//! reaching the payroll's formulas.

use crate::payroll::{fields, staff_id};
use chrono::{Datelike, NaiveDate};
use govhall_testkit::Api;
use serde_json::{Value, json};

const H: &str = "/api/v1/halls/CA-ZWFW";

/// The quarter before today's, `2026-Q3`, and its last day.
fn last_quarter() -> (String, NaiveDate) {
    let today = govhall_kernel::time::today();
    let first_of_this =
        NaiveDate::from_ymd_opt(today.year(), (today.month() - 1) / 3 * 3 + 1, 1).unwrap();
    let end = first_of_this.pred_opt().unwrap();
    (
        format!("{}-Q{}", end.year(), (end.month() - 1) / 3 + 1),
        end,
    )
}

fn scheme() -> Value {
    json!({"indicators": [
        {"key": "tickets_served", "weight": 30, "formula": "IF(全厅最高 > 0, 值 / 全厅最高 * 100, 100)"},
        {"key": "good_rate", "weight": 30, "formula": "值"},
        {"key": "bad_count", "weight": 10, "formula": "MAX(0, 100 - 值 * 20)"},
        {"key": "attendance_rate", "weight": 10},
        {"key": "manager_score", "weight": 20}
    ], "grades": {"excellent_min": 85, "pass_min": 70, "basic_min": 60, "excellent_quota_pct": 20}})
}

#[tokio::test]
async fn a_quarter_is_assessed_from_evidence_and_graded_into_payroll() {
    let (quarter, end) = last_quarter();
    let days = (govhall_kernel::time::today() - end).num_days() as u32 + 95;
    let s = crate::analytics::with_history_of(days, 12.0).await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let schemes = format!("{H}/performance/schemes/{quarter}");

    // Bad schemes: each refused naming the field; nothing written.
    let bad = [
        (
            json!({"indicators": [{"key": "good_rate", "weight": 90}]}),
            "indicators",
        ),
        (
            json!({"indicators": [{"key": "nonsense", "weight": 100}]}),
            "indicators[0].key",
        ),
        (
            json!({"indicators": [{"key": "good_rate", "weight": 100, "formula": "值 /"}]}),
            "indicators[0].formula",
        ),
        (
            json!({"indicators": [{"key": "tickets_served", "weight": 100, "formula": "值 / 全厅平均 * 100"}]}),
            "indicators[0].formula",
        ),
        (
            json!({"indicators": [{"key": "good_rate", "weight": 100}],
                "grades": {"excellent_min": 60, "pass_min": 70, "basic_min": 50, "excellent_quota_pct": 20}}),
            "grades",
        ),
    ];
    for (body, field) in bad {
        let r = manager.put(&schemes, &body).await;
        assert_eq!(r.status(), 422, "{body}");
        let v: Value = r.json().await.unwrap();
        assert!(fields(&v).contains(&field.to_string()), "{field}: {v}");
    }
    assert_eq!(clerk.put(&schemes, &scheme()).await.status(), 403);
    assert_eq!(govhall_testkit::count(&s.state.db, "perf_schemes").await, 0);

    // The first scheme of a started quarter may be made; then it is locked.
    let r = manager.put(&schemes, &scheme()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["locked"], true);
    assert_eq!(v["indicators"][0]["name"], "办理量（号）");
    let r = manager.put(&schemes, &scheme()).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("已锁定"));

    // Figures from the evidence.
    let base = format!("{H}/performance/assessments/{quarter}");
    let r = manager.post(&format!("{base}/calculate"), &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let list: Value = r.json().await.unwrap();
    let rows = list["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 76, "every post is on the scheme for every post");
    assert!(
        rows.iter().all(|r| r["total"].is_null()),
        "领导评价 is still to come"
    );
    // The busiest clerk's count of tickets is the number of tickets listed.
    let mut busiest = (String::new(), 0.0);
    for r in rows {
        let id = r["staff_id"].as_str().unwrap();
        let d = manager.json(&format!("{base}/staff/{id}")).await;
        let served = d["figures"][0]["value"].as_f64().unwrap_or(0.0);
        if served > busiest.1 {
            busiest = (id.to_string(), served);
        }
    }
    assert!(busiest.1 > 0.0, "the history served tickets");
    let ev = manager
        .json(&format!(
            "{base}/staff/{}/evidence/tickets_served",
            busiest.0
        ))
        .await;
    assert_eq!(ev["kind"], "tickets");
    let listed = ev["rows"].as_array().unwrap().len() as f64;
    assert!(
        listed == busiest.1 || (ev["truncated"] == true && listed == 500.0),
        "{listed} records for a figure of {}",
        busiest.1
    );
    let d = manager.json(&format!("{base}/staff/{}", busiest.0)).await;
    assert_eq!(
        d["figures"][0]["score"], 100.0,
        "the most served scores 100"
    );

    // The clerk: their own quarter and evidence, nobody else's.
    let zhang = staff_id(&manager, "CA0001").await;
    let mine = clerk.json(&format!("{H}/performance/my-assessments")).await;
    assert_eq!(mine[0]["staff_id"], zhang.as_str());
    let me = format!("{H}/performance/my-assessments/{quarter}");
    assert_eq!(clerk.get(&me).await.status(), 200);
    assert_eq!(
        clerk
            .get(&format!("{me}/evidence/attendance_rate"))
            .await
            .status(),
        200
    );
    assert_eq!(
        clerk
            .get(&format!("{base}/staff/{}", busiest.0))
            .await
            .status(),
        403
    );
    let r = clerk
        .post(
            &format!("{me}/self-review"),
            &json!({"text": "本季度窗口受理无差错"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // Not before the review: no acknowledging, no grades.
    assert_eq!(
        clerk
            .post(&format!("{me}/acknowledge"), &json!({}))
            .await
            .status(),
        422
    );
    let r = manager.post(&format!("{base}/finalize"), &json!({})).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("未评定"));

    // The review: 领导评价 80 for everyone; a score out of range refused.
    let r = manager
        .post(
            &format!("{base}/staff/{zhang}/review"),
            &json!({"score": 120, "comment": "好"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["score"]);
    for r in rows {
        let id = r["staff_id"].as_str().unwrap();
        let r = manager
            .post(
                &format!("{base}/staff/{id}/review"),
                &json!({"score": 80, "comment": "服务规范"}),
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    let d: Value = clerk.json(&me).await;
    assert!(d["row"]["total"].is_number(), "{d}");
    // The clerk appeals; the manager answers with 95; then the grades.
    let r = clerk
        .post(
            &format!("{me}/appeal"),
            &json!({"reason": "本季度获群众表扬信两封"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = manager.post(&format!("{base}/finalize"), &json!({})).await;
    assert_eq!(r.status(), 422, "an appeal is open");
    let r = manager
        .post(
            &format!("{base}/staff/{zhang}/appeal-decision"),
            &json!({"reply": "核实属实，调整领导评价", "score": 95}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = manager.post(&format!("{base}/finalize"), &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["finalized"], true);
    let graded = done["rows"].as_array().unwrap();
    let excellent = graded.iter().filter(|r| r["grade"] == "excellent").count();
    assert!(excellent <= 15, "20 % of 76: {excellent}");
    let mut by_total: Vec<(f64, i32)> = graded
        .iter()
        .map(|r| {
            let level = match r["grade"].as_str().unwrap() {
                "excellent" => 4,
                "pass" => 3,
                "basic" => 2,
                _ => 1,
            };
            (r["total"].as_f64().unwrap(), level)
        })
        .collect();
    by_total.sort_by(|a, b| b.0.total_cmp(&a.0));
    assert!(
        by_total.windows(2).all(|w| w[0].1 >= w[1].1),
        "a higher total never has a lower grade: {by_total:?}"
    );
    assert_eq!(
        manager
            .post(&format!("{base}/calculate"), &json!({}))
            .await
            .status(),
        422,
        "archived"
    );
    let zhang_row = graded
        .iter()
        .find(|r| r["staff_id"] == zhang.as_str())
        .unwrap();
    let level = match zhang_row["grade"].as_str().unwrap() {
        "excellent" => 4,
        "pass" => 3,
        "basic" => 2,
        _ => 1,
    };

    // The payroll's formulas read the grade from the next month on.
    for (item, employer, employee) in [("pension", 16.0, 8.0)] {
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
                    "pay": {"base": 4000, "contribution_base": 5000}}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let month = govhall_kernel::time::today().format("%Y-%m").to_string();
    let r = manager
        .post(
            &format!("{H}/payroll/pay-components"),
            &json!({"name": "季度绩效", "kind": "performance", "from_month": month,
                    "formula": "考核等次 * 100 + 考核得分 * 0"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let run = format!("{H}/payroll/runs/{month}");
    let r = manager.post(&format!("{run}/calculate"), &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let slip = manager.json(&format!("{run}/payslips/{zhang}")).await;
    let line = slip["earnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "季度绩效")
        .cloned()
        .unwrap_or_else(|| panic!("{slip}"));
    assert_eq!(line["amount_fen"], i64::from(level) * 100 * 100);
}

#[tokio::test]
async fn points_are_settled_with_evidence_and_honoured() {
    let today = govhall_kernel::time::today();
    let first = today.with_day(1).unwrap();
    let last_month_day = first.pred_opt().unwrap();
    let month = last_month_day.format("%Y-%m").to_string();
    let days = (today - last_month_day.with_day(1).unwrap()).num_days() as u32 + 2;
    let s = crate::analytics::with_history_of(days, 12.0).await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let points = format!("{H}/performance/points");

    // Only an ended month is settled.
    let this = today.format("%Y-%m").to_string();
    let r = manager
        .post(&format!("{points}/{this}/settle"), &json!({}))
        .await;
    assert_eq!(r.status(), 422);
    let r = manager
        .post(&format!("{points}/{month}/settle"), &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let entries: Value = r.json().await.unwrap();
    let entries = entries.as_array().unwrap();
    assert!(!entries.is_empty());
    // The busiest clerk's 办结 entry: its quantity is the tickets listed.
    let served = entries
        .iter()
        .filter(|e| e["rule_key"] == "tickets_served")
        .max_by(|a, b| {
            a["quantity"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["quantity"].as_f64().unwrap())
        })
        .unwrap();
    let ev = manager
        .json(&format!(
            "{points}/entries/{}/evidence",
            served["id"].as_str().unwrap()
        ))
        .await;
    let listed = ev["rows"].as_array().unwrap().len() as f64;
    let quantity = served["quantity"].as_f64().unwrap();
    assert!(
        listed == quantity || (ev["truncated"] == true && listed == 500.0),
        "{listed} vs {quantity}"
    );
    assert_eq!(
        served["points"].as_f64().unwrap(),
        quantity,
        "one point a ticket"
    );
    // Settled again with nothing new: nothing booked (the ledger only grows by corrections).
    let r = manager
        .post(&format!("{points}/{month}/settle"), &json!({}))
        .await;
    let again: Value = r.json().await.unwrap();
    assert_eq!(again.as_array().unwrap().len(), 0, "{again}");

    // Awards by hand: a reason always, evidence for a deduction, no future month.
    let zhang = staff_id(&manager, "CA0001").await;
    let li = staff_id(&manager, "CA0002").await;
    let next = (first + chrono::Duration::days(40))
        .format("%Y-%m")
        .to_string();
    for (body, field) in [
        (
            json!({"staff_id": zhang, "month": month, "points": 10, "reason": ""}),
            "reason",
        ),
        (
            json!({"staff_id": zhang, "month": month, "points": -5, "reason": "窗口脱岗"}),
            "evidence",
        ),
        (
            json!({"staff_id": zhang, "month": next, "points": 5, "reason": "表扬信"}),
            "month",
        ),
        (
            json!({"staff_id": zhang, "month": month, "points": 500, "reason": "表扬信"}),
            "points",
        ),
    ] {
        let r = manager.post(&points, &body).await;
        assert_eq!(r.status(), 422, "{body}");
        assert_eq!(fields(&r.json().await.unwrap()), [field], "{body}");
    }
    assert_eq!(
        clerk
            .post(
                &points,
                &json!({"staff_id": zhang, "month": month, "points": 10, "reason": "自己加分"})
            )
            .await
            .status(),
        403
    );
    let r = manager
        .post(&points, &json!({"staff_id": zhang, "month": month, "points": 30, "reason": "群众表扬信", "evidence": "表扬信 2026-11 第 3 号"}))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let award: Value = r.json().await.unwrap();

    // A group of two for 流动红旗.
    let r = manager
        .post(
            &format!("{H}/hr/groups"),
            &json!({"name": "综合受理一组", "leader_staff_id": zhang, "member_ids": [zhang, li]}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let board = manager.json(&format!("{points}/{month}")).await;
    assert_eq!(board["settled"], true);
    let rows = board["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 76);
    assert!(
        rows.windows(2)
            .all(|w| w[0]["points"].as_f64() >= w[1]["points"].as_f64())
    );
    let stars = board["stars"].as_array().unwrap();
    assert!(!stars.is_empty() && stars.len() <= 3, "{stars:?}");
    for st in stars {
        assert!(
            st["points"].as_f64().unwrap() > 0.0 && st["bad_ratings"] == 0.0,
            "{st}"
        );
    }
    assert_eq!(board["red_flag"]["group_name"], "综合受理一组", "{board}");

    // The clerk's own month: the award with its reason; nobody else's evidence.
    let mine = clerk
        .json(&format!("{H}/performance/my-points?month={month}"))
        .await;
    assert!(
        mine["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["reason"] == "群众表扬信"),
        "{mine}"
    );
    assert!(mine["rank"].is_number());
    let theirs = entries
        .iter()
        .find(|e| e["staff_id"] != zhang.as_str())
        .unwrap();
    assert_eq!(
        clerk
            .get(&format!(
                "{H}/performance/my-points/entries/{}/evidence",
                theirs["id"].as_str().unwrap()
            ))
            .await
            .status(),
        404
    );
    let r = clerk
        .get(&format!(
            "{H}/performance/my-points/entries/{}/evidence",
            award["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status(), 422, "an award's evidence is its text");
    // The hall screen's 光荣榜: the manager (and a screen), not a clerk.
    let honor = manager.json(&format!("{H}/performance/honor-board")).await;
    assert_eq!(honor["stars"], board["stars"]);
    assert_eq!(
        clerk
            .get(&format!("{H}/performance/honor-board"))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn findings_come_from_rules_and_are_explained_closed_and_published() {
    let today = govhall_kernel::time::today();
    let s = crate::analytics::with_history_of(16, 200.0).await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let findings = format!("{H}/performance/findings");
    let last_week = (today - chrono::Duration::days(7)).to_string();

    // The rules over last week's facts; a second run finds nothing twice.
    let r = manager
        .post(&format!("{findings}/scan"), &json!({"week": last_week}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let week: Value = r.json().await.unwrap();
    let rows = week["rows"].as_array().unwrap();
    assert!(
        !rows.is_empty(),
        "a busy week of history has something to report"
    );
    for f in rows {
        assert!(
            !f["evidence"].as_array().unwrap().is_empty(),
            "no finding without evidence: {f}"
        );
        assert!(
            f["staff_id"].is_string() && f["deadline"].as_str() > Some(today.to_string().as_str()),
            "{f}"
        );
    }
    let r = manager
        .post(&format!("{findings}/scan"), &json!({"week": last_week}))
        .await;
    let again: Value = r.json().await.unwrap();
    assert_eq!(again["rows"].as_array().unwrap().len(), rows.len());
    assert_eq!(
        clerk
            .post(&format!("{findings}/scan"), &json!({}))
            .await
            .status(),
        403
    );

    // By hand: not for someone off duty; for someone signed in at a window, yes.
    let zhang = staff_id(&manager, "CA0001").await;
    let manual = |day: &str| {
        json!({"staff_id": zhang, "day": day, "title": "窗口内使用手机",
               "detail": "上午 10:20 至 10:35 在窗口内长时间使用手机", "evidence": "监控录像 10:20–10:35"})
    };
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    let r = manager.post(&findings, &manual(&yesterday)).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("不在岗"));
    let w = crate::queue::window_id(&clerk, "01").await;
    let r = clerk
        .post(&format!("{H}/windows/{w}/sign-in"), &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = manager
        .post(
            &findings,
            &json!({"staff_id": zhang, "day": today, "title": "", "detail": "", "evidence": ""}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let mut f = fields(&r.json().await.unwrap());
    f.sort();
    assert_eq!(f, ["detail", "evidence", "title"]);
    let r = manager.post(&findings, &manual(&today.to_string())).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let mine: Value = r.json().await.unwrap();

    // The clerk explains on the phone; nobody else's.
    let my = clerk.json(&format!("{H}/performance/my-findings")).await;
    assert!(my.as_array().unwrap().iter().any(|x| x["id"] == mine["id"]));
    let other = rows
        .iter()
        .find(|x| x["staff_id"] != zhang.as_str())
        .unwrap();
    let explain = |id: &str| format!("{H}/performance/my-findings/{id}/explanation");
    assert_eq!(
        clerk
            .post(
                &explain(other["id"].as_str().unwrap()),
                &json!({"text": "不是我"})
            )
            .await
            .status(),
        404
    );
    let r = clerk
        .post(
            &explain(mine["id"].as_str().unwrap()),
            &json!({"text": "当时在回复群众的办件咨询短信"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // Upheld: the points deducted with the finding as evidence; dismissed: nothing.
    let month = today.format("%Y-%m").to_string();
    let r = manager
        .post(
            &format!("{findings}/{}/close", mine["id"].as_str().unwrap()),
            &json!({"upheld": true, "note": "已谈话提醒，本人已改正"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let ledger = clerk
        .json(&format!("{H}/performance/my-points?month={month}"))
        .await;
    let deducted: Vec<&Value> = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["rule_key"] == "finding")
        .collect();
    assert_eq!(deducted.len(), 1, "{ledger}");
    assert_eq!(deducted[0]["points"], -2.0);
    assert!(
        deducted[0]["evidence"]["text"]
            .as_str()
            .unwrap()
            .contains(mine["id"].as_str().unwrap())
    );
    let r = manager
        .post(
            &format!("{findings}/{}/close", mine["id"].as_str().unwrap()),
            &json!({"upheld": false, "note": "再处理"}),
        )
        .await;
    assert_eq!(r.status(), 422, "closed once");
    let r = manager
        .post(
            &format!("{findings}/{}/close", other["id"].as_str().unwrap()),
            &json!({"upheld": false, "note": "经核实系系统故障"}),
        )
        .await;
    assert_eq!(r.status(), 200);

    // The weekly bulletin.
    let r = manager
        .get(&format!("{findings}/bulletin?week={last_week}"))
        .await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
}

/// A valid 统一社会信用代码 from its first 17 characters.
fn credit_code(first17: &str) -> String {
    format!(
        "{first17}{}",
        govhall_kernel::validate::credit_code_check_char(first17).unwrap()
    )
}

#[tokio::test]
async fn butlers_are_graded_serve_their_enterprises_and_are_paid_the_gradient() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let other = s.login("clerk02").await;
    let zhang = staff_id(&manager, "CA0001").await;
    let base = format!("{H}/performance/butlers");
    let page = manager.json(&base).await;
    assert_eq!(page["levels"].as_array().unwrap().len(), 3, "{page}");

    // 定级.
    let r = manager
        .post(
            &format!("{base}/grade"),
            &json!({"staff_id": zhang, "level_code": "platinum"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["level_code"]);
    let r = manager
        .post(
            &format!("{base}/grade"),
            &json!({"staff_id": zhang, "level_code": "gold", "note": "年服务企业 42 家"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // Enterprises by a checked 统一社会信用代码.
    let code = credit_code("91610116MA6TG1234");
    let mut wrong = code.clone();
    wrong.replace_range(17..18, if code.ends_with('0') { "1" } else { "0" });
    let r = manager
        .post(&format!("{base}/enterprises"), &json!({"butler_staff_id": zhang, "credit_code": wrong, "name": "西安长安某科技有限公司"}))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["credit_code"]);
    let r = manager
        .post(&format!("{base}/enterprises"), &json!({"butler_staff_id": zhang, "credit_code": code, "name": "西安长安某科技有限公司", "contact": "赵经理"}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // The butler's ledger on the phone.
    let today = govhall_kernel::time::today();
    let service = |day: chrono::NaiveDate| {
        json!({"credit_code": code, "kind": "visit", "day": day, "what": "上门指导办理食品经营许可变更",
               "result": "当场收齐材料，已受理", "rating": 5, "follow_up_on": today + chrono::Duration::days(2)})
    };
    let r = clerk
        .post(
            &format!("{H}/performance/my-butler/services"),
            &service(today + chrono::Duration::days(1)),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = other
        .post(
            &format!("{H}/performance/my-butler/services"),
            &service(today),
        )
        .await;
    assert_eq!(r.status(), 422, "not their enterprise");
    assert_eq!(fields(&r.json().await.unwrap()), ["credit_code"]);
    let r = clerk
        .post(
            &format!("{H}/performance/my-butler/services"),
            &service(today),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let done: Value = r.json().await.unwrap();
    assert_eq!(
        done["follow_up_due"], true,
        "a follow-up in two days is a reminder"
    );
    let mine = clerk.json(&format!("{H}/performance/my-butler")).await;
    assert_eq!(mine["report"]["level_name"], "金牌管家");
    assert_eq!(mine["services"].as_array().unwrap().len(), 1);

    // The report.
    let page = manager.json(&base).await;
    let report = &page["butlers"][0];
    assert_eq!(report["services"], 1);
    assert_eq!(report["average_rating"], 5.0);
    assert_eq!(report["follow_ups_due"], 1);
    assert_eq!(page["enterprises"][0]["services"], 1);
    let r = clerk
        .post(
            &format!(
                "{H}/performance/my-butler/services/{}/follow-up-done",
                done["id"].as_str().unwrap()
            ),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(manager.json(&base).await["butlers"][0]["follow_ups_due"], 0);
    // Not taken off while an enterprise is still theirs.
    let r = manager
        .post(
            &format!("{base}/grade"),
            &json!({"staff_id": zhang, "level_code": ""}),
        )
        .await;
    assert_eq!(r.status(), 422);

    // The gradient reaches the payroll as 管家津贴.
    let r = manager
        .post(
            &format!("{H}/payroll/contribution-rates"),
            &json!({"city": "西安市", "item": "pension", "effective_from": "2020-01-01",
                    "base_floor": 4000, "base_ceiling": 30000,
                    "employer_rate": 16, "employee_rate": 8, "source": "测试用费率"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let r = manager
        .put(
            &format!("{H}/hr/profiles/{zhang}"),
            &json!({"city": "西安市", "hired_on": "2020-01-01", "pay": {"base": 4000, "contribution_base": 5000}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let month = today.format("%Y-%m").to_string();
    let r = manager
        .post(
            &format!("{H}/payroll/pay-components"),
            &json!({"name": "金牌管家津贴", "kind": "bonus", "from_month": month, "formula": "管家津贴"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let run = format!("{H}/payroll/runs/{month}");
    assert_eq!(
        manager
            .post(&format!("{run}/calculate"), &json!({}))
            .await
            .status(),
        200
    );
    let slip = manager.json(&format!("{run}/payslips/{zhang}")).await;
    let line = slip["earnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "金牌管家津贴")
        .cloned()
        .unwrap_or_else(|| panic!("{slip}"));
    assert_eq!(line["amount_fen"], 60_000, "600 yuan");
}

#[tokio::test]
async fn a_rotation_plan_keeps_lines_covered_and_sets_the_authorisations() {
    let s = crate::analytics::with_history_of(30, 150.0).await;
    let manager = s.login("manager").await;
    let page = manager.json(&format!("{H}/performance/capabilities")).await;
    assert_eq!(page["portraits"].as_array().unwrap().len(), 76);
    let today: Vec<&str> = page["covered_today"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let after: Vec<&str> = page["covered_after"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(!today.is_empty(), "the history staffs windows: {page}");
    for l in &today {
        assert!(after.contains(l), "line {l} keeps its cover");
    }
    assert!(
        page["moved"].as_u64().unwrap() > 0,
        "someone certified elsewhere moves: {}",
        page["plan"]
    );
    let plan: Vec<Value> = page["plan"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["proposed_staff"].is_string())
        .map(|r| json!({"window_id": r["window_id"], "staff_id": r["proposed_staff"]}))
        .collect();

    // An edit that puts someone uncertified at a window is refused, naming it.
    let uncertified = page["portraits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["certified_lines"].as_array().unwrap().is_empty())
        .unwrap()["staff_id"]
        .clone();
    let mut bad = plan.clone();
    bad[0]["staff_id"] = uncertified;
    let r = manager
        .post(
            &format!("{H}/performance/rotation/apply"),
            &json!({"assignments": bad}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("未取得"));
    // Dropping every window is refused too: lines would lose their cover.
    let r = manager
        .post(
            &format!("{H}/performance/rotation/apply"),
            &json!({"assignments": []}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("无人能办"));

    let r = manager
        .post(
            &format!("{H}/performance/rotation/apply"),
            &json!({"assignments": plan}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // Each planned person is now authorised for exactly their window.
    let first = &plan[0];
    let grants = govhall_testkit::query(
        &s.state.db,
        &format!(
            "SELECT window_id FROM hr_window_grants WHERE staff_id = '{}'",
            first["staff_id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(grants, [json!({"window_id": first["window_id"]})]);

    // A course required for one of a line's matters: whoever has not passed
    // it is no longer certified for the line.
    let portrait = || async {
        let page = manager.json(&format!("{H}/performance/capabilities")).await;
        page["portraits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["employee_no"] == "CA0001")
            .unwrap()
            .clone()
    };
    let zhang = portrait().await;
    let lines = manager.json(&format!("{H}/queue/lines")).await;
    let line = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| {
            zhang["certified_lines"]
                .as_array()
                .unwrap()
                .contains(&l["id"])
                && !l["matters"].as_array().unwrap().is_empty()
        })
        .unwrap_or_else(|| panic!("a line with matters among {zhang}"))
        .clone();
    let matter = line["matters"][0].as_str().unwrap();
    require_new_course(&manager, matter, "受理要点上岗培训").await;
    let after = portrait().await;
    assert!(
        !after["certified_lines"]
            .as_array()
            .unwrap()
            .contains(&line["id"]),
        "{after}"
    );
    assert_eq!(
        after["training_missing"],
        json!([format!("{}：{matter}", line["name"].as_str().unwrap())])
    );
}

/// A new course, required from now on for `matter` (上岗认证).
pub(crate) async fn require_new_course(manager: &Api, matter: &str, title: &str) {
    let r = manager
        .post(
            &format!("{H}/training/courses"),
            &json!({"title": title, "category": "服务礼仪"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let course = r.json::<Value>().await.unwrap()["id"].clone();
    let r = manager
        .put(
            &format!("{H}/training/requirements/{matter}"),
            &json!({"course_id": course}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn a_mentee_is_certified_once_the_checklist_is_signed_and_the_mentor_earns_points() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let mentor = s.login("clerk01").await;
    let mentee = s.login("clerk02").await;
    let zhang = staff_id(&manager, "CA0001").await;
    let li = staff_id(&manager, "CA0002").await;
    let pairs = format!("{H}/performance/mentorships");
    let r = manager
        .post(
            &pairs,
            &json!({"mentor_staff_id": zhang, "mentee_staff_id": zhang}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["mentee_staff_id"]);
    let r = manager
        .post(
            &pairs,
            &json!({"mentor_staff_id": zhang, "mentee_staff_id": li, "course_id": "nope"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["course_id"]);
    // 出师 also asks for a course the mentee must complete.
    let (course, lesson) = crate::training::food_course(&manager).await;
    let r = manager
        .post(
            &pairs,
            &json!({"mentor_staff_id": zhang, "mentee_staff_id": li, "course_id": course,
                             "items": ["不动产登记受理要点", "一次性告知书的写法"]}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let pair: Value = r.json().await.unwrap();
    let id = pair["id"].as_str().unwrap();
    let r = manager
        .post(
            &pairs,
            &json!({"mentor_staff_id": zhang, "mentee_staff_id": li}),
        )
        .await;
    assert_eq!(r.status(), 422, "one mentor at a time");

    // Not yet: one item unsigned. The mentee cannot sign their own list.
    let item = |i: usize| pair["items"][i]["id"].as_str().unwrap().to_string();
    let sign = |i: &str| format!("{H}/performance/my-mentoring/checklist/{i}/sign-off");
    assert_eq!(mentee.post(&sign(&item(0)), &json!({})).await.status(), 404);
    let r = mentor
        .post(&sign(&item(0)), &json!({"note": "独立受理 5 件无差错"}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = manager
        .post(&format!("{pairs}/{id}/certify"), &json!({}))
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("还有 1 项未签认"));
    assert_eq!(mentor.post(&sign(&item(1)), &json!({})).await.status(), 200);
    let mine = mentee.json(&format!("{H}/performance/my-mentoring")).await;
    assert_eq!(mine["as_mentee"][0]["signed"], 2);
    assert_eq!(mine["as_mentee"][0]["course_title"], "预包装食品备案要点");
    let r = manager
        .post(&format!("{pairs}/{id}/certify"), &json!({}))
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(fields(&body), ["course_id"]);
    assert!(
        body.to_string()
            .contains("尚未完成培训课程《预包装食品备案要点》"),
        "{body}"
    );
    let read = crate::training::start(&mentee, &crate::training::sessions_of(&lesson)).await;
    assert_eq!(read["course_completed"], true);

    let r = manager
        .post(&format!("{pairs}/{id}/certify"), &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let month = govhall_kernel::time::today().format("%Y-%m").to_string();
    let ledger = mentor
        .json(&format!("{H}/performance/my-points?month={month}"))
        .await;
    let entry = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["rule_key"] == "mentoring")
        .cloned()
        .unwrap_or_else(|| panic!("{ledger}"));
    assert_eq!(entry["points"], 20.0);
    assert!(entry["evidence"]["text"].as_str().unwrap().contains(id));
    assert_eq!(
        manager
            .post(&format!("{pairs}/{id}/certify"), &json!({}))
            .await
            .status(),
        422,
        "once"
    );
}

#[tokio::test]
async fn the_group_leader_reviews_members_before_the_manager() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let leader = s.login("clerk01").await;
    let member = s.login("clerk02").await;
    let zhang = staff_id(&manager, "CA0001").await;
    let li = staff_id(&manager, "CA0002").await;
    let r = manager
        .post(
            &format!("{H}/hr/groups"),
            &json!({"name": "综合受理一组", "leader_staff_id": zhang, "member_ids": [zhang, li]}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let today = govhall_kernel::time::today();
    let quarter = format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1);
    let r = manager
        .put(&format!("{H}/performance/schemes/{quarter}"), &scheme())
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let base = format!("{H}/performance/assessments/{quarter}");
    assert_eq!(
        manager
            .post(&format!("{base}/calculate"), &json!({}))
            .await
            .status(),
        200
    );

    let mine = format!("{H}/performance/my-group/assessments/{quarter}");
    let group = leader.json(&mine).await;
    assert_eq!(
        group.as_array().unwrap().len(),
        1,
        "the members, not the leader: {group}"
    );
    assert_eq!(member.json(&mine).await, json!([]), "not a leader");
    let review = |who: &str| format!("{mine}/{who}/review");
    let body = json!({"comment": "业务熟练，主动帮带新人", "score": 88});
    assert_eq!(member.post(&review(&zhang), &body).await.status(), 404);
    assert_eq!(
        leader.post(&review(&zhang), &body).await.status(),
        404,
        "not oneself"
    );
    let r = leader
        .post(&review(&li), &json!({"comment": "", "score": 120}))
        .await;
    assert_eq!(r.status(), 422);
    let mut f = fields(&r.json().await.unwrap());
    f.sort();
    assert_eq!(f, ["comment", "score"]);
    let r = leader.post(&review(&li), &body).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let d = manager.json(&format!("{base}/staff/{li}")).await;
    assert_eq!(d["leader_comment"], "业务熟练，主动帮带新人");
    assert_eq!(d["leader_score"], 88.0);
    // After the manager's review the 组长 can no longer change it.
    let r = manager
        .post(
            &format!("{base}/staff/{li}/review"),
            &json!({"score": 85, "comment": "同意组长意见"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(leader.post(&review(&li), &body).await.status(), 422);
}

/// A 差评 found invalid on appeal (申诉复核 → 认定无效) stops counting against
/// the clerk: the figure the assessment and the points read drops, and its
/// evidence no longer lists the rating; the plain 差评数 still shows it.
#[tokio::test]
async fn a_bad_rating_found_invalid_on_appeal_no_longer_counts() {
    use crate::queue::{issue, kiosk, line, staff_window};
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let token = kiosk(&manager).await;
    let a = line(&manager, "A", "综合受理", 0).await;
    let held: Value = issue(&s, &token, json!({"line": "A"}))
        .await
        .json()
        .await
        .unwrap();
    let w = staff_window(&manager, &clerk, "01", &a).await;
    let called: Value = clerk
        .post(&format!("{H}/windows/{w}/call-next"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let id = called["ticket"]["id"].as_str().unwrap();
    let r = clerk
        .post(&format!("/api/v1/tickets/{id}/finish"), &json!({}))
        .await;
    assert_eq!(r.status(), 200);
    let r = s
        .client()
        .post(
            &format!("/api/v1/tickets/{id}/rating"),
            &json!({"token": held["token"], "overall": 1, "comment": "评价人误操作"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let rect = r.json::<Value>().await.unwrap()["rectification_id"]
        .as_str()
        .unwrap()
        .to_string();
    let zhang = staff_id(&manager, "CA0001").await;
    let today = govhall_kernel::time::today().to_string();
    let figures = || async {
        govhall_analytics::follower::catch_up(&s.state.db, 5_000)
            .await
            .unwrap();
        let out = manager
            .post(
                "/api/v1/analytics/query",
                &json!({"indicators": ["bad_count", "bad_upheld_count"], "dimensions": ["staff"],
                        "from": today, "to": today}),
            )
            .await
            .json::<Value>()
            .await
            .unwrap();
        let row = out["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["members"]["staff"]["id"] == zhang.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("{out}"));
        let records = manager
            .post(
                "/api/v1/analytics/records",
                &json!({"indicator": "bad_upheld_count", "members": {"staff": zhang},
                        "from": today, "to": today}),
            )
            .await
            .json::<Value>()
            .await
            .unwrap();
        (
            row["values"]["bad_count"].as_f64(),
            row["values"]["bad_upheld_count"].as_f64(),
            records["rows"].as_array().unwrap().len(),
        )
    };
    assert_eq!(figures().await, (Some(1.0), Some(1.0), 1));
    for (to, note) in [
        ("verifying", "调取窗口录像核实"),
        ("appeal", "窗口人员申诉：评价人当场表示误操作"),
        ("invalid", "经复核认定为误评"),
    ] {
        let r = manager
            .post(
                &format!("{H}/rectifications/{rect}/advance"),
                &json!({"to": to, "note": note}),
            )
            .await;
        assert_eq!(r.status(), 200, "{to}: {}", r.text().await.unwrap());
    }
    assert_eq!(figures().await, (Some(1.0), Some(0.0), 0));
    s.stop().await;
}

/// A hall sets its own 异常服务行为 rules: bad limits refused by field with
/// nothing changed; a rule switched off finds nothing; a lower limit finds
/// what the default let pass; the 整改期限 follows the hall's days.
#[tokio::test]
async fn a_hall_sets_its_finding_rules_and_the_scan_follows_them() {
    let today = govhall_kernel::time::today();
    let s = crate::analytics::with_history_of(16, 200.0).await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let url = format!("{H}/performance/finding-rules");
    let defaults = manager.json(&url).await;
    assert_eq!(defaults["pause_limit_minutes"], 30);
    let r = manager
        .put(
            &url,
            &json!({"pause_limit_minutes": 2, "slow_factor": 1.0, "slow_extra_minutes": 15,
                    "bad_cluster": 0, "rectify_working_days": 3, "disabled": ["manual"]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        fields(&r.json().await.unwrap()),
        [
            "pause_limit_minutes",
            "slow_factor",
            "bad_cluster",
            "disabled[0]"
        ]
    );
    assert_eq!(manager.json(&url).await, defaults, "nothing changed");
    assert_eq!(clerk.put(&url, &defaults).await.status(), 403);

    // Only the pause rule, first at a limit nobody reaches, then at 5 minutes.
    let only_pauses = |limit: i64| {
        json!({"pause_limit_minutes": limit, "slow_factor": 3, "slow_extra_minutes": 15,
               "bad_cluster": 2, "rectify_working_days": 10,
               "disabled": ["slow_service", "called_not_served", "bad_cluster", "overdue_case", "idle_waiting"]})
    };
    let scan = || async {
        let last_week = (today - chrono::Duration::days(7)).to_string();
        let r = manager
            .post(
                &format!("{H}/performance/findings/scan"),
                &json!({"week": last_week}),
            )
            .await;
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()["rows"]
            .as_array()
            .unwrap()
            .clone()
    };
    let r = manager.put(&url, &only_pauses(480)).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert!(scan().await.is_empty());
    assert_eq!(manager.put(&url, &only_pauses(5)).await.status(), 200);
    let rows = scan().await;
    assert!(!rows.is_empty(), "the history's pauses are over 5 minutes");
    // Ten working days are at least twelve calendar days away.
    let soonest = (today + chrono::Duration::days(12)).to_string();
    for f in &rows {
        assert_eq!(f["rule_key"], "long_pause", "{f}");
        assert!(f["detail"].as_str().unwrap().contains("超过每日 5 分钟"));
        assert!(
            f["deadline"].as_str() >= Some(soonest.as_str()),
            "10 working days: {f}"
        );
    }
    let pdf = manager
        .get(&format!("{H}/performance/findings/bulletin"))
        .await;
    assert_eq!(pdf.status(), 200);
    s.stop().await;
}
