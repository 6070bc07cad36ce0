//! Payroll through HTTP: the 个人所得税 calculator on the tax authority's
//! worked example of the 累计预扣法; profiles with checked, encrypted numbers;
//! months computed, closed in order and corrected later; payslips for their
//! owner only; the bank file; two approvals racing.

// Amounts are written yuan_fen (`4_500_00` is 4,500.00 yuan).
#![allow(clippy::inconsistent_digit_grouping)]

use serde_json::{Value, json};

const PREVIEW: &str = "/api/v1/payroll/iit/preview";

/// The worked example in the 解读 of 国家税务总局公告2018年第61号 (wages 30,000
/// a month, 三险一金 4,500, 子女教育 and 赡养老人 2,000): 555, 625, 1,850.
#[tokio::test]
async fn the_calculator_reproduces_the_tax_authoritys_example() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let month =
        json!({"income": 30000, "special_deduction": 4500, "special_additional_deduction": 2000});
    let r = manager
        .post(PREVIEW, &json!({"months": [month, month, month]}))
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let withheld: Vec<f64> = v["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["withholding"].as_f64().unwrap())
        .collect();
    assert_eq!(withheld, vec![555.0, 625.0, 1850.0], "{v}");
    assert_eq!(v["total_withholding"], 3030.0);
    assert_eq!(v["months"][2]["cumulative_taxable_income"], 55500.0);
    assert_eq!(v["months"][2]["rate_pct"], 10);
    assert!(v["basis"].as_str().unwrap().contains("2018年第61号"));

    // Bad figures: each named, nothing computed.
    let r = manager
        .post(
            PREVIEW,
            &json!({"first_month": 12, "months": [{"income": -5}, {"income": 1}]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let fields: Vec<&str> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"months") && fields.contains(&"months[0].income"),
        "{v}"
    );

    // A clerk may not; nobody signed in may not.
    let clerk = s.login("clerk01").await;
    assert_eq!(
        clerk
            .post(PREVIEW, &json!({"months": [month]}))
            .await
            .status(),
        403
    );
    assert_eq!(
        s.client()
            .post(PREVIEW, &json!({"months": [month]}))
            .await
            .status(),
        401
    );
}

const HALL: &str = "/api/v1/halls/CA-ZWFW";

/// The staff id behind a 工号, from the profiles list.
pub(crate) async fn staff_id(api: &govhall_testkit::Api, employee_no: &str) -> String {
    let list = api.json(&format!("{HALL}/hr/profiles")).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["employee_no"] == employee_no)
        .unwrap_or_else(|| panic!("{employee_no} in {list}"))["staff_id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub(crate) fn fields(v: &Value) -> Vec<String> {
    v["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|e| e["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// 西安市 rates for the test, in force from 2026: three insurances and the
/// housing fund adding up to 18 % for the employee, as in the 解读's example.
async fn rates(manager: &govhall_testkit::Api) {
    for (item, employer, employee) in [
        ("pension", 16.0, 8.0),
        ("medical", 8.0, 2.0),
        ("unemployment", 0.5, 0.5),
        ("housing_fund", 7.5, 7.5),
    ] {
        let r = manager
            .post(
                &format!("{HALL}/payroll/contribution-rates"),
                &json!({"city": "西安市", "item": item, "effective_from": "2026-01-01",
                        "base_floor": 4000, "base_ceiling": 30000,
                        "employer_rate": employer, "employee_rate": employee,
                        "source": "测试用费率"}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
}

/// A month's payroll through HTTP: profiles with checked numbers, rates,
/// three months computed and closed in order reproducing the 61号公告 解读's
/// 555 / 625 / 1,850, a closed month refused and corrected later, each
/// person's own payslips only, the bank file, the audited full read.
#[tokio::test]
async fn a_months_payroll_is_computed_closed_and_paid() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let zhang = staff_id(&manager, "CA0001").await;
    let li = staff_id(&manager, "CA0002").await;
    rates(&manager).await;

    // Bad input: wrong check character, a card failing Luhn, a rent with a loan — nothing written.
    let profile = format!("{HALL}/hr/profiles/{zhang}");
    let r = manager
        .put(
            &profile,
            &json!({"id_card": "110105194912310021", "bank_card": "6212264100011335374",
                    "city": "西安市",
                    "pay": {"base": 30000, "contribution_base": 25000,
                            "special_additional": [{"kind": "housing_rent", "tier": "capital"}, {"kind": "housing_loan"}]}}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let f = fields(&v);
    for expected in ["id_card", "bank_card", "pay.special_additional"] {
        assert!(f.contains(&expected.to_string()), "{v}");
    }
    assert_eq!(manager.json(&profile).await["missing"][0], "人事档案未建立");

    let r = manager
        .put(
            &profile,
            &json!({"id_card": "11010519491231002x", "bank_card": "6212 2641 0001 1335 373",
                    "bank_name": "工商银行", "city": "西安市", "hired_on": "2020-05-01",
                    "pay": {"base": 30000, "contribution_base": 25000,
                            "special_additional": [{"kind": "child_education", "count": 1, "share_pct": 100}]}}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["id_card_masked"], "110105********002X");
    assert_eq!(v["bank_card_masked"], "6212 **** 5373");
    assert_eq!(v["special_additional_monthly"], 2000.0);
    assert!(v["missing"].as_array().unwrap().is_empty(), "{v}");
    // A declared base below the floor is raised to it.
    let r = manager
        .put(
            &format!("{HALL}/hr/profiles/{li}"),
            &json!({"id_card": "61011619850101001X", "bank_card": "4111111111111111", "city": "西安市",
                    "pay": {"base": 3000, "contribution_base": 3000}}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // The same ID for someone else in the hall is refused.
    let r = manager
        .put(
            &format!("{HALL}/hr/profiles/{li}"),
            &json!({"id_card": "11010519491231002X", "city": "西安市"}),
        )
        .await;
    assert_eq!(r.status(), 422);

    // Encrypted at rest: no number and no salary in the tables.
    let rows = govhall_testkit::query(&s.state.db, "SELECT * FROM hr_profiles").await;
    let raw = serde_json::to_string(&rows).unwrap();
    assert!(
        !raw.contains("1949123") && !raw.contains("30000") && !raw.contains("1335373"),
        "{raw}"
    );

    // January to March, in order: the published example's withholdings.
    let run = |m: &str| format!("{HALL}/payroll/runs/{m}");
    let r = manager
        .post(&format!("{}/calculate", run("2026-01")), &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "draft");
    assert_eq!(v["staff_count"], 2, "{v}");
    assert_eq!(v["totals"]["skipped"].as_array().unwrap().len(), 74);
    // February cannot be closed before January; a later month cannot be computed first.
    let r = manager
        .post(&format!("{}/calculate", run("2026-02")), &json!({}))
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("2026-01 的工资尚未审核关账")
    );
    let r = manager
        .post(&format!("{}/approve", run("2026-01")), &json!({}))
        .await;
    assert_eq!(r.status(), 200);
    for m in ["2026-02", "2026-03"] {
        assert_eq!(
            manager
                .post(&format!("{}/calculate", run(m)), &json!({}))
                .await
                .status(),
            200
        );
        assert_eq!(
            manager
                .post(&format!("{}/approve", run(m)), &json!({}))
                .await
                .status(),
            200
        );
    }
    let mut withheld = Vec::new();
    for m in ["2026-01", "2026-02", "2026-03"] {
        let slip = manager.json(&format!("{}/payslips/{zhang}", run(m))).await;
        assert_eq!(slip["special_deduction_fen"], 4_500_00, "{slip}");
        withheld.push(slip["iit_fen"].as_i64().unwrap());
    }
    assert_eq!(withheld, vec![555_00, 625_00, 1_850_00]);
    let li_slip = manager
        .json(&format!("{}/payslips/{li}", run("2026-01")))
        .await;
    assert_eq!(li_slip["contributions"][0]["base"], 4_000_00, "{li_slip}");
    assert_eq!(li_slip["contributions"][0]["clamped"], true);
    assert_eq!(li_slip["iit_fen"], 0);

    // A closed month is neither recomputed nor edited; a later month corrects it.
    let r = manager
        .post(&format!("{}/calculate", run("2026-01")), &json!({}))
        .await;
    assert_eq!(r.status(), 422);
    let item = |month: &str, kind: &str, refers: Option<&str>| {
        json!({"staff_id": zhang, "month": month, "kind": kind, "amount": 500,
               "reason": "一月加班费漏发", "refers_month": refers})
    };
    let r = manager
        .post(
            &format!("{HALL}/payroll/pay-items"),
            &item("2026-01", "overtime", None),
        )
        .await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(fields(&v), vec!["month"], "{v}");
    assert!(v["message"].as_str().unwrap().contains("已审核关账"), "{v}");
    let r = manager
        .post(
            &format!("{HALL}/payroll/pay-items"),
            &item("2026-04", "back_pay", Some("2026-01")),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = manager
        .post(&format!("{}/calculate", run("2026-04")), &json!({}))
        .await;
    assert_eq!(r.status(), 200);
    let april = manager
        .json(&format!("{}/payslips/{zhang}", run("2026-04")))
        .await;
    let back = april["earnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "补发")
        .cloned()
        .unwrap_or_else(|| panic!("{april}"));
    assert_eq!(back["amount_fen"], 500_00);
    assert!(back["note"].as_str().unwrap().contains("更正 2026-01"));

    // Each person sees their own approved months only; a clerk sees no register.
    let clerk = s.login("clerk01").await;
    let mine = clerk.json(&format!("{HALL}/payroll/my-payslips")).await;
    let months: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, vec!["2026-03", "2026-02", "2026-01"], "{mine}");
    let slip = clerk
        .json(&format!("{HALL}/payroll/my-payslips/2026-03"))
        .await;
    assert_eq!(slip["employee_no"], "CA0001");
    assert_eq!(
        clerk
            .get(&format!("{HALL}/payroll/my-payslips/2026-04"))
            .await
            .status(),
        404
    );
    let pdf = clerk
        .get(&format!("{HALL}/payroll/my-payslips/2026-03/pdf"))
        .await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(clerk.get(&run("2026-03")).await.status(), 403);
    assert_eq!(
        clerk
            .get(&format!("{}/payslips/{li}", run("2026-03")))
            .await
            .status(),
        403
    );
    let other = s.login("clerk02").await;
    let theirs = other
        .json(&format!("{HALL}/payroll/my-payslips/2026-03"))
        .await;
    assert_eq!(theirs["employee_no"], "CA0002");

    // The bank file: only for a closed month; the hall's layout; full card numbers.
    assert_eq!(
        manager
            .get(&format!("{}/bank-file", run("2026-04")))
            .await
            .status(),
        422
    );
    let xlsx = manager.get(&format!("{}/bank-file", run("2026-03"))).await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let r = manager
        .put(
            &format!("{HALL}/payroll/bank-layout"),
            &json!({"format": "csv", "memo": "{月份}代发工资",
                    "columns": [{"field": "name", "header": "户名"}, {"field": "bank_card", "header": "卡号"},
                                {"field": "amount", "header": "金额"}, {"field": "memo", "header": "用途"}]}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let csv = manager.get(&format!("{}/bank-file", run("2026-03"))).await;
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "{text}");
    let march = manager
        .json(&format!("{}/payslips/{zhang}", run("2026-03")))
        .await;
    let net = march["net_fen"].as_i64().unwrap();
    let expected = format!(
        "6212264100011335373,{}.{:02},2026年3月代发工资",
        net / 100,
        net % 100
    );
    assert!(text.contains(&expected), "{expected} in {text}");
    let r = manager
        .put(
            &format!("{HALL}/payroll/bank-layout"),
            &json!({"format": "pdf", "memo": "", "columns": []}),
        )
        .await;
    assert_eq!(r.status(), 422);

    // The register and the 社保/公积金 declaration lists of a closed month.
    assert_eq!(
        manager
            .get(&format!("{}/register", run("2026-04")))
            .await
            .status(),
        422
    );
    let strings = |bytes: &[u8]| {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        // The sheet names and the cells' strings.
        let mut text = String::new();
        for part in ["xl/workbook.xml", "xl/sharedStrings.xml"] {
            zip.by_name(part)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
        }
        text
    };
    let register = manager.get(&format!("{}/register", run("2026-03"))).await;
    assert_eq!(register.status(), 200);
    let text = strings(&register.bytes().await.unwrap());
    for want in [
        "工资表",
        "按成本项目汇总",
        "CA0001",
        "基本工资",
        "用工成本合计（月度结算）",
    ] {
        assert!(text.contains(want), "{want} in the register");
    }
    let lists = manager
        .get(&format!("{}/declarations", run("2026-03")))
        .await;
    let text = strings(&lists.bytes().await.unwrap());
    for want in [
        "社会保险",
        "住房公积金",
        "11010519491231002X",
        "基本养老保险",
        "测试用费率",
    ] {
        assert!(text.contains(want), "{want} in the declaration lists");
    }

    // The full numbers: a reason is required and kept in the audit log.
    let reveal = format!("{profile}/reveal");
    assert_eq!(
        manager.post(&reveal, &json!({"reason": ""})).await.status(),
        422
    );
    let v: Value = manager
        .post(&reveal, &json!({"reason": "办理社保增员"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["id_card"], "11010519491231002X");
    let auditor = s.login("auditor").await;
    let log = auditor.json("/api/v1/audit?page_size=200").await;
    assert!(
        log["items"].as_array().unwrap().iter().any(|e| e["target"]
            .as_str()
            .unwrap_or("")
            .contains("原因：办理社保增员")),
        "{log}"
    );
    let slips = govhall_testkit::query(&s.state.db, "SELECT detail_enc FROM hr_payslips").await;
    assert!(!serde_json::to_string(&slips).unwrap().contains("CA0001"));
    s.stop().await;
}

/// Two approvals of one month at once: one closes it, the other is told so.
#[tokio::test]
async fn two_approvals_race_and_one_wins() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let zhang = staff_id(&manager, "CA0001").await;
    rates(&manager).await;
    let r = manager
        .put(
            &format!("{HALL}/hr/profiles/{zhang}"),
            &json!({"city": "西安市", "pay": {"base": 8000, "contribution_base": 8000}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let url = format!("{HALL}/payroll/runs/2026-05");
    assert_eq!(
        manager
            .post(&format!("{url}/calculate"), &json!({}))
            .await
            .status(),
        200
    );
    let second = s.login("manager").await;
    let approve = format!("{url}/approve");
    let empty = json!({});
    let (a, b) = tokio::join!(
        manager.post(&approve, &empty),
        second.post(&approve, &empty)
    );
    let mut statuses = vec![a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, vec![200, 422]);
    let runs = govhall_testkit::query(&s.state.db, "SELECT status FROM hr_payroll_runs").await;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["status"], "approved");
    s.stop().await;
}

/// A hall that starts payroll here in March enters January and February's
/// cumulative figures (期初累计数) from the tax software; March then withholds
/// what the 61号公告 解读's example withholds in its third month: 1,850.
#[tokio::test]
async fn a_mid_year_start_carries_the_opening_figures() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let zhang = staff_id(&manager, "CA0001").await;
    rates(&manager).await;
    let opening = |through: u32| {
        json!({"year": 2026, "through_month": through, "income": 60000, "special_deduction": 9000,
               "special_additional_deduction": 4000, "withheld": 1180})
    };
    let profile = |through: u32| {
        json!({"city": "西安市", "hired_on": "2020-01-01",
               "pay": {"base": 30000, "contribution_base": 25000, "opening": opening(through),
                       "special_additional": [{"kind": "child_education", "count": 1, "share_pct": 100}]}})
    };
    let url = format!("{HALL}/hr/profiles/{zhang}");
    let r = manager.put(&url, &profile(12)).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(fields(&v), vec!["pay.opening.through_month"], "{v}");
    assert_eq!(manager.put(&url, &profile(2)).await.status(), 200);
    let r = manager
        .post(
            &format!("{HALL}/payroll/runs/2026-03/calculate"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let slip = manager
        .json(&format!("{HALL}/payroll/runs/2026-03/payslips/{zhang}"))
        .await;
    assert_eq!(slip["iit_fen"], 1_850_00, "{slip}");
    assert_eq!(slip["year_to_date"]["withheld"], 3_030_00);
    s.stop().await;
}
