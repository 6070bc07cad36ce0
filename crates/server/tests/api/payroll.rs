//! The 个人所得税 calculator through HTTP: the tax authority's worked example
//! of the 累计预扣法, bad figures named by month and field, and who may use it.

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
