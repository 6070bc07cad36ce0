//! 工装 and 福利 through HTTP: sizes checked against the standard (and set
//! by the person on the phone), a purchase batch, issues held to the batch's
//! stock even when two race, one season issue per person with replacements
//! by reason, and a welfare item's recipients and cost.

use crate::payroll::{fields, staff_id};
use serde_json::{Value, json};

const H: &str = "/api/v1/halls/CA-ZWFW";

#[tokio::test]
async fn uniforms_are_sized_bought_and_issued_and_welfare_recorded() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let zhang = staff_id(&manager, "CA0001").await;
    let li = staff_id(&manager, "CA0002").await;
    let zhao = staff_id(&manager, "CA0003").await;

    // Sizes: 号型 per GB/T 1335, 鞋码 34–48.
    let r = manager
        .put(
            &format!("{H}/hr/uniform-sizes/{zhang}"),
            &json!({"top": "170-92", "bottom": "170/76A", "shoes": "52"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["top", "shoes"]);
    assert_eq!(
        govhall_testkit::count(&s.state.db, "hr_uniform_sizes").await,
        0
    );
    let r = clerk
        .put(
            &format!("{H}/hr/my-uniform-size"),
            &json!({"top": "170/92a", "bottom": "170/76A", "shoes": "42.5"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(
        clerk.json(&format!("{H}/hr/my-uniform-size")).await["top"],
        "170/92A"
    );
    assert_eq!(
        clerk.get(&format!("{H}/hr/uniform-sizes")).await.status(),
        403
    );

    // A batch: a wrong season and no quantity refused; then two shirts.
    let batches = format!("{H}/hr/uniform-batches");
    let r = manager
        .post(
            &batches,
            &json!({"year": 2026, "season": "autumn", "item": "衬衫", "supplier": "某服饰公司",
                    "unit_price": 120, "quantity": 0, "purchased_on": "2026-03-01"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["season", "quantity"]);
    let r = manager
        .post(
            &batches,
            &json!({"year": 2026, "season": "spring_autumn", "item": "衬衫", "supplier": "某服饰公司",
                    "unit_price": 120.5, "quantity": 2, "purchased_on": "2026-03-01"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let batch: Value = r.json().await.unwrap();
    assert_eq!(batch["cost"], 241.0);
    let issues = format!("{H}/hr/uniform-issues");
    let give = |who: &str, replacement: bool, reason: &str| json!({"batch_id": batch["id"], "staff_id": who, "size": "170/92A", "replacement": replacement, "reason": reason});
    assert_eq!(
        manager
            .post(&issues, &give(&zhang, false, ""))
            .await
            .status(),
        201
    );
    // The season's issue once; a replacement needs its reason.
    let r = manager.post(&issues, &give(&zhang, false, "")).await;
    assert_eq!(fields(&r.json().await.unwrap()), ["replacement"]);
    let r = manager.post(&issues, &give(&zhang, true, "")).await;
    assert_eq!(fields(&r.json().await.unwrap()), ["reason"]);
    // The last shirt, asked for twice at once: one gets it, the other is told the stock.
    let (to_li, to_zhao) = (give(&li, false, ""), give(&zhao, false, ""));
    let (a, b) = tokio::join!(
        manager.post(&issues, &to_li),
        manager.post(&issues, &to_zhao)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 422]);
    let listed = manager.json(&batches).await;
    assert_eq!(
        (
            listed[0]["issued"].as_i64(),
            listed[0]["remaining"].as_i64()
        ),
        (Some(2), Some(0))
    );
    let r = manager.post(&issues, &give(&zhang, true, "袖口磨损")).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("库存不足"));

    // Welfare: a 中秋 gift for two people, recorded twice, counted once.
    let r = manager
        .post(
            &format!("{H}/hr/welfare"),
            &json!({"name": "中秋节福利", "kind": "holiday", "day": "2026-09-25", "unit_cost": 200}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let item: Value = r.json().await.unwrap();
    let receipts = format!("{H}/hr/welfare/{}/receipts", item["id"].as_str().unwrap());
    let r = manager
        .post(&receipts, &json!({"staff_ids": [zhang, "nobody"]}))
        .await;
    assert_eq!(fields(&r.json().await.unwrap()), ["staff_ids[1]"]);
    for _ in 0..2 {
        let r = manager
            .post(&receipts, &json!({"staff_ids": [zhang, li]}))
            .await;
        assert_eq!(r.status(), 200);
    }
    let w = &manager.json(&format!("{H}/hr/welfare")).await[0];
    assert_eq!(w["recipients"].as_array().unwrap().len(), 2);
    assert_eq!(w["total_cost"], 400.0);
    assert!(!w["not_received"].to_string().contains("CA0001"));
    assert_eq!(clerk.get(&format!("{H}/hr/welfare")).await.status(), 403);
    s.stop().await;
}
