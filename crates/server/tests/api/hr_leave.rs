//! Leave through HTTP: the 年休假 balance by the years worked, requests
//! refused for overlap, order and balance (nothing written), the manager's
//! decision, the counter refusing a sign-in on a day of approved leave,
//! and 销假 letting the clerk sign in again.

use crate::queue::window_id;
use serde_json::{Value, json};

const H: &str = "/api/v1/halls/CA-ZWFW";

fn day(offset: i64) -> String {
    (govhall_kernel::time::today() + chrono::Duration::days(offset)).to_string()
}

#[tokio::test]
async fn leave_is_asked_checked_approved_and_kept_at_the_counter() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let mine = format!("{H}/hr/my-leave");

    // No work start date: the 年休假 balance is 0 and a request is refused.
    let year = govhall_kernel::time::today().format("%Y").to_string();
    let annual = |from: &str, to: &str| json!({"type_code": "annual", "starts_on": from, "ends_on": to, "reason": "探亲"});
    let jan = |d: u32| format!("{year}-01-{d:02}");
    let r = clerk.post(&mine, &annual(&jan(5), &jan(6))).await;
    let text = r.text().await.unwrap();
    assert!(text.contains("未登记参加工作日期"), "{text}");

    // Working since 2010: ten days a year (满10年不满20年).
    let staff_id = crate::payroll::staff_id(&manager, "CA0001").await;
    let r = manager
        .put(
            &format!("{H}/hr/profiles/{staff_id}"),
            &json!({"work_started_on": "2010-01-01", "hired_on": "2020-01-01"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v = clerk.json(&mine).await;
    let balance = v["balances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type_code"] == "annual")
        .cloned()
        .unwrap();
    assert_eq!(balance["entitled"], 10, "{balance}");

    // Too long for the balance; ending before it starts: refused, nothing written.
    let r = clerk.post(&mine, &annual(&jan(5), &jan(30))).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("余额不足"));
    let r = clerk.post(&mine, &annual(&jan(9), &jan(5))).await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        clerk.json(&mine).await["requests"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // A week counts its working days only; an overlapping request is refused.
    let r = clerk.post(&mine, &annual(&jan(12), &jan(18))).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["days"], 5, "{v}");
    assert_eq!(v["status"], "pending");
    let r = clerk.post(&mine, &annual(&jan(16), &jan(20))).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["fields"][0]["field"], "starts_on", "{v}");

    // The hall counts 事假 in calendar days (a type's rule is configurable), so
    // today is a day of leave whatever day it is; approved, the counter refuses
    // the sign-in.
    let r = manager
        .put(
            &format!("{H}/hr/leave-types/personal"),
            &json!({"name": "事假", "rule": "unlimited", "working_days": false, "paid": false,
                    "source": "本中心考勤制度：事假按自然日计算"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = clerk
        .post(
            &mine,
            &json!({"type_code": "personal", "starts_on": day(0), "ends_on": day(0), "reason": "家中有事"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let today_leave: Value = r.json().await.unwrap();
    assert_eq!(
        clerk.get(&format!("{H}/hr/leave-requests")).await.status(),
        403
    );
    let list = manager.json(&format!("{H}/hr/leave-requests")).await;
    assert_eq!(list[0]["status"], "pending");
    assert_eq!(
        list[0]["reason"].as_str().map(|r| !r.is_empty()),
        Some(true)
    );
    let raw = govhall_testkit::query(&s.state.db, "SELECT reason_enc FROM hr_leave_requests").await;
    assert!(!serde_json::to_string(&raw).unwrap().contains("探亲"));
    let annual_id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type_code"] == "annual")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let decide = |id: &str| format!("{H}/hr/leave-requests/{id}/decision");
    let r = manager
        .post(&decide(&annual_id), &json!({"approve": false}))
        .await;
    assert_eq!(r.status(), 422, "a rejection says why");
    let r = manager
        .post(
            &decide(&annual_id),
            &json!({"approve": true, "opinion": "同意"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = manager
        .post(&decide(&annual_id), &json!({"approve": true}))
        .await;
    assert_eq!(r.status(), 422, "decided once");

    let id = today_leave["id"].as_str().unwrap();
    assert_eq!(
        manager
            .post(&decide(id), &json!({"approve": true}))
            .await
            .status(),
        200
    );
    let w = window_id(&clerk, "01").await;
    let r = clerk
        .post(&format!("{H}/windows/{w}/sign-in"), &json!({}))
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("请假期间"));
    // Another clerk not on leave signs in as always.
    let other = s.login("clerk02").await;
    let w2 = window_id(&other, "02").await;
    assert_eq!(
        other
            .post(&format!("{H}/windows/{w2}/sign-in"), &json!({}))
            .await
            .status(),
        200
    );
    // 销假: back at work the same day.
    let r = clerk.post(&format!("{mine}/{id}/cancel"), &json!({})).await;
    assert_eq!(r.status(), 200);
    let r = clerk
        .post(&format!("{H}/windows/{w}/sign-in"), &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    s.stop().await;
}

/// A member of a 班组 asks the 组长 first: the manager cannot decide before
/// the 组长 agrees; the 组长 sees the members' requests and attendance (no
/// pay), decides only for their own group; then the manager approves.
#[tokio::test]
async fn a_group_members_leave_goes_to_the_leader_first() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let leader = s.login("clerk02").await;
    let zhang = crate::payroll::staff_id(&manager, "CA0001").await;
    let li = crate::payroll::staff_id(&manager, "CA0002").await;
    let r = manager
        .post(
            &format!("{H}/hr/groups"),
            &json!({"name": "综合受理一组", "leader_staff_id": "nobody", "member_ids": [zhang]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = manager
        .post(
            &format!("{H}/hr/groups"),
            &json!({"name": "综合受理一组", "leader_staff_id": li, "member_ids": [zhang]}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let g: Value = r.json().await.unwrap();
    assert_eq!(
        g["members"].as_array().unwrap().len(),
        2,
        "the leader is a member"
    );
    assert_eq!(clerk.get(&format!("{H}/hr/groups")).await.status(), 403);

    let r = manager
        .put(
            &format!("{H}/hr/leave-types/personal"),
            &json!({"name": "事假", "rule": "unlimited", "working_days": false, "paid": false, "source": "本中心考勤制度"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = clerk
        .post(
            &format!("{H}/hr/my-leave"),
            &json!({"type_code": "personal", "starts_on": day(3), "ends_on": day(3), "reason": "孩子开家长会"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let asked: Value = r.json().await.unwrap();
    assert_eq!(asked["status"], "pending_leader");
    let id = asked["id"].as_str().unwrap();
    let r = manager
        .post(
            &format!("{H}/hr/leave-requests/{id}/decision"),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("组长"));

    // The 组长's view: the member's request and attendance, nothing of pay.
    let mine = leader.json(&format!("{H}/hr/my-group")).await;
    assert_eq!(mine["group"]["name"], "综合受理一组");
    let theirs = leader
        .json(&format!("{H}/hr/my-group/leave-requests"))
        .await;
    assert_eq!(theirs[0]["status"], "pending_leader");
    assert_eq!(
        clerk
            .get(&format!("{H}/hr/my-group/leave-requests"))
            .await
            .status(),
        403
    );
    assert_eq!(mine["attendance"].as_array().unwrap().len(), 1);
    assert_eq!(mine["attendance"][0]["employee_no"], "CA0001");
    let text = mine.to_string();
    for pay in ["salary", "gross", "net_pay", "base"] {
        assert!(!text.contains(pay), "{pay} in {text}");
    }
    // Not a leader: an empty view, and no decision.
    let none = clerk.json(&format!("{H}/hr/my-group")).await;
    assert!(none["group"].is_null());
    let decide = format!("{H}/hr/my-group/leave-requests/{id}/decision");
    assert_eq!(
        clerk
            .post(&decide, &json!({"approve": true}))
            .await
            .status(),
        403
    );
    assert_eq!(
        leader
            .post(&decide, &json!({"approve": false}))
            .await
            .status(),
        422,
        "a refusal says why"
    );
    let r = leader
        .post(
            &decide,
            &json!({"approve": true, "opinion": "同意，已安排顶岗"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "pending");
    let r = manager
        .post(
            &format!("{H}/hr/leave-requests/{id}/decision"),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(r.status(), 200);
    s.stop().await;
}
