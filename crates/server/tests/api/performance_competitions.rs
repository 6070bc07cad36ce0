//! 业务竞赛 through HTTP: a competition refused by field with nothing
//! written; an exam round sat on the phone from the training bank (the
//! first sitting counts, not sitting counts 0 once ranked) and a practical
//! round every judge scores; the ranking refused while a score is missing,
//! then fixed with points in the ledger and certificates for the places;
//! the same sittings as the quarter's 培训考试成绩 with their evidence.

use crate::payroll::{fields, staff_id};
use crate::training_exams::{fill_bank, right_answer};
use govhall_testkit::{Api, TestServer, count};
use serde_json::{Value, json};

const H: &str = "/api/v1/halls/CA-ZWFW";

/// Sits the exam: every answer right, or the 多选 answered wrong.
async fn sit(clerk: &Api, exam: &str, bank: &[Value], all_right: bool) {
    let r = clerk
        .post(&format!("{H}/training/exams/{exam}/attempts"), &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let paper: Value = r.json().await.unwrap();
    let answers: serde_json::Map<String, Value> = paper["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let a = if q["kind"] == "multiple" && !all_right {
                "A".to_string()
            } else {
                right_answer(q, bank)
            };
            (q["id"].as_str().unwrap().to_string(), json!(a))
        })
        .collect();
    let aid = paper["id"].as_str().unwrap();
    let r = clerk
        .post(
            &format!("{H}/training/attempts/{aid}/submission"),
            &json!({"answers": answers}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// An exam of four 窗口服务 questions from the filled bank; its id.
async fn knowledge_exam(manager: &Api) -> String {
    let r = manager
        .post(
            &format!("{H}/training/exams"),
            &json!({"title": "窗口服务知识竞赛", "rules": [{"category": "窗口服务", "count": 4, "points": 25}],
                    "attempts_limit": 3}),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_competition_is_sat_judged_ranked_and_awarded() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let zhang_api = s.login("clerk01").await;
    let li_api = s.login("clerk02").await;
    let guide = s.login("guide01").await;
    fill_bank(&manager).await;
    let bank: Vec<Value> = manager
        .json(&format!("{H}/training/questions"))
        .await
        .as_array()
        .unwrap()
        .clone();
    let exam = knowledge_exam(&manager).await;
    let zhang = staff_id(&manager, "CA0001").await;
    let li = staff_id(&manager, "CA0002").await;
    let third = staff_id(&manager, "CA0003").await;
    let judge_a = staff_id(&manager, "CA0069").await; // the manager
    let judge_b = staff_id(&manager, "CA0074").await; // guide01
    let today = govhall_kernel::time::today();
    let path = format!("{H}/performance/competitions");

    // Bad input: every rule named by field, nothing written.
    let r = manager
        .post(
            &path,
            &json!({"title": " ", "opens_on": today, "closes_on": today - chrono::Days::new(1),
                    "entrants": [zhang], "judges": [zhang],
                    "rounds": [{"kind": "exam", "exam_id": "nope", "weight_pct": 50},
                               {"kind": "practical", "title": "模拟受理", "max_score": 0, "weight_pct": 40}]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    let f = fields(&body);
    for want in [
        "title",
        "closes_on",
        "entrants",
        "judges[0]",
        "rounds[0].exam_id",
        "rounds[1].max_score",
        "rounds",
    ] {
        assert!(f.iter().any(|x| x == want), "{want} in {body}");
    }
    assert!(body.to_string().contains("当前 90%"), "{body}");
    assert_eq!(count(&s.state.db, "perf_competitions").await, 0);
    assert_eq!(count(&s.state.db, "perf_competition_rounds").await, 0);

    let r = manager
        .post(
            &path,
            &json!({"title": "2026 年窗口业务竞赛", "opens_on": today, "closes_on": today,
                    "entrants": [zhang, li, third], "judges": [judge_a, judge_b], "award_places": 2,
                    "rounds": [{"kind": "exam", "exam_id": exam, "weight_pct": 60},
                               {"kind": "practical", "title": "模拟受理", "max_score": 50, "weight_pct": 40}]}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let comp: Value = r.json().await.unwrap();
    let id = comp["id"].as_str().unwrap().to_string();
    assert_eq!(comp["rounds"][0]["title"], "窗口服务知识竞赛");
    let practical = comp["rounds"][1]["id"].as_str().unwrap().to_string();

    // The entrant sees the exam to sit; the first sitting counts.
    let mine = zhang_api
        .json(&format!("{H}/performance/my-competitions"))
        .await;
    assert_eq!(mine[0]["exams"][0]["exam_id"], exam.as_str());
    assert!(mine[0]["judging"].as_array().unwrap().is_empty());
    sit(&zhang_api, &exam, &bank, true).await;
    sit(&li_api, &exam, &bank, false).await;
    sit(&li_api, &exam, &bank, false).await;

    // Judges score the practical round: only judges, only entrants, within full marks.
    let score = |c: &Api, who: &str, x: f64| {
        let body = json!({"round_id": practical, "staff_id": who, "score": x});
        let url = format!("{H}/performance/my-competitions/{id}/scores");
        let c = c.clone();
        async move { c.post(&url, &body).await }
    };
    assert_eq!(score(&zhang_api, &li, 50.0).await.status(), 404);
    let r = score(&manager, &li, 51.0).await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["score"]);
    let r = score(&manager, &judge_b, 40.0).await;
    assert_eq!(fields(&r.json().await.unwrap()), ["staff_id"]);
    for (who, x) in [(&zhang, 30.0), (&li, 40.0), (&third, 30.0)] {
        assert_eq!(score(&manager, who, x).await.status(), 204);
    }
    // The same judge on two phones at once: both taken, one score stands.
    let (a, b) = tokio::join!(score(&manager, &zhang, 45.0), score(&manager, &zhang, 45.0));
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (204, 204));
    assert_eq!(count(&s.state.db, "perf_competition_scores").await, 3);
    let sheet = manager
        .json(&format!("{H}/performance/my-competitions"))
        .await;
    let mine = sheet[0]["judging"][0]["entrants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["staff_id"] == zhang.as_str())
        .unwrap()
        .clone();
    assert_eq!(mine["my_score"], 45.0, "a second score corrects the first");

    // Not yet: the second judge has scored nobody.
    let r = manager.post(&format!("{path}/{id}/rank"), &json!({})).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("评委已评 1/2"));
    for (who, x) in [(&zhang, 40.0), (&li, 44.0), (&third, 30.0)] {
        assert_eq!(score(&guide, who, x).await.status(), 204);
    }
    let live = manager.json(&format!("{path}/{id}")).await;
    assert_eq!(live["standings"][0]["staff_id"], zhang.as_str());
    let third_row = live["standings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["staff_id"] == third.as_str())
        .unwrap()
        .clone();
    assert_eq!(third_row["rounds"][0]["detail"], "尚未参加考试");
    assert!(third_row["total"].is_null(), "{third_row}");

    // Ranked: 张 100 → 60 + 42.5/50 → 34 = 94; 李 75 (first sitting) → 45 +
    // 42/50 → 33.6 = 78.6; the third never sat: 0 + 24.
    let r = manager.post(&format!("{path}/{id}/rank"), &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let done: Value = r.json().await.unwrap();
    let rows = done["standings"].as_array().unwrap();
    let got: Vec<(String, f64, i64, String)> = rows
        .iter()
        .map(|r| {
            (
                r["staff_id"].as_str().unwrap().to_string(),
                r["total"].as_f64().unwrap(),
                r["rank"].as_i64().unwrap(),
                r["award"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (zhang.clone(), 94.0, 1, "第一名".to_string()),
            (li.clone(), 78.6, 2, "第二名".to_string()),
            (third.clone(), 24.0, 3, String::new()),
        ]
    );
    assert_eq!(rows[2]["rounds"][0]["detail"], "缺考");

    // The places' points, with the competition as evidence.
    let month = today.format("%Y-%m").to_string();
    for (api, rule, pts) in [
        (&zhang_api, "competition_first", 10.0),
        (&li_api, "competition_second", 6.0),
    ] {
        let ledger = api
            .json(&format!("{H}/performance/my-points?month={month}"))
            .await;
        let e = ledger["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["rule_key"] == rule)
            .cloned()
            .unwrap_or_else(|| panic!("{rule} in {ledger}"));
        assert_eq!(e["points"], pts);
        assert!(e["evidence"]["text"].as_str().unwrap().contains(&id));
    }

    // Certificates: all places for the manager, one's own for a winner,
    // none for a judge.
    let pdf = manager
        .get(&format!("{path}/{id}/award-certificates"))
        .await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let mine = format!("{H}/performance/my-competitions/{id}/award-certificates");
    assert_eq!(zhang_api.get(&mine).await.status(), 200);
    assert_eq!(guide.get(&mine).await.status(), 422);
    let winners = li_api
        .json(&format!("{H}/performance/my-competitions"))
        .await;
    assert_eq!(winners[0]["winners"].as_array().unwrap().len(), 2);

    // Fixed: no more scores, no second ranking, no change.
    assert_eq!(score(&manager, &li, 50.0).await.status(), 422);
    let r = manager.post(&format!("{path}/{id}/rank"), &json!({})).await;
    assert_eq!(r.status(), 422);
    let r = manager
        .put(
            &format!("{path}/{id}"),
            &json!({"title": "改名", "opens_on": today, "closes_on": today,
                    "entrants": [zhang, li, third], "judges": [judge_a, judge_b], "award_places": 2,
                    "rounds": [{"kind": "exam", "exam_id": exam, "weight_pct": 60},
                               {"kind": "practical", "title": "模拟受理", "max_score": 50, "weight_pct": 40}]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("已确定名次"));

    // The same sittings as the quarter's 培训考试成绩: the best marked
    // sitting of each exam, with the sittings as evidence.
    use chrono::Datelike;
    let quarter = format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1);
    let r = manager
        .put(
            &format!("{H}/performance/schemes/{quarter}"),
            &json!({"indicators": [{"key": "training_exam_score", "weight": 50},
                                   {"key": "manager_score", "weight": 50}]}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let base = format!("{H}/performance/assessments/{quarter}");
    let r = manager.post(&format!("{base}/calculate"), &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    for (who, want) in [(&zhang, 100.0), (&li, 75.0)] {
        let d = manager.json(&format!("{base}/staff/{who}")).await;
        assert_eq!(d["figures"][0]["value"], want, "{d}");
    }
    let ev = li_api
        .json(&format!(
            "{H}/performance/my-assessments/{quarter}/evidence/training_exam_score"
        ))
        .await;
    let rows = ev["rows"].as_array().unwrap_or_else(|| panic!("{ev}"));
    assert_eq!(rows.len(), 2, "{ev}");
    assert_eq!(rows[0]["counted"], "计入");
    assert_eq!(rows[1]["counted"], "以本场另一次成绩计入");
    s.stop().await;
}

/// Before it opens anything changes; once open, what the entrants compete
/// on stays (start day, rounds, entrants) and a judge who has scored stays.
#[tokio::test]
async fn a_competition_changes_freely_before_it_opens_and_within_limits_after() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    fill_bank(&manager).await;
    let exam = knowledge_exam(&manager).await;
    let who = |no: &'static str| {
        let m = manager.clone();
        async move { staff_id(&m, no).await }
    };
    let (zhang, li, third, fourth) = (
        who("CA0001").await,
        who("CA0002").await,
        who("CA0003").await,
        who("CA0004").await,
    );
    let (judge_a, judge_b) = (who("CA0069").await, who("CA0074").await);
    let today = govhall_kernel::time::today();
    let day = |n: u64| (today + chrono::Days::new(n)).to_string();
    let body = |title: &str,
                opens: String,
                entrants: &[&String],
                judges: &[&String],
                weights: (i32, i32)| {
        json!({"title": title, "opens_on": opens, "closes_on": day(5),
               "entrants": entrants, "judges": judges,
               "rounds": [{"kind": "exam", "exam_id": exam, "weight_pct": weights.0},
                          {"kind": "practical", "title": "模拟受理", "max_score": 50, "weight_pct": weights.1}]})
    };
    let r = manager
        .post(
            &format!("{H}/performance/competitions"),
            &body("第一版", day(1), &[&zhang, &li], &[&judge_a], (60, 40)),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let url = format!("{H}/performance/competitions/{id}");

    // Not open yet: weights, entrants, start day all change; rounds replaced.
    let r = manager
        .put(
            &url,
            &body(
                "第二版",
                day(2),
                &[&zhang, &li, &third],
                &[&judge_a],
                (50, 50),
            ),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["title"], "第二版");
    assert_eq!(c["opens_on"], day(2));
    assert_eq!(c["rounds"][1]["weight_pct"], 50);
    assert_eq!(c["entrants"].as_array().unwrap().len(), 3);
    assert_eq!(count(&s.state.db, "perf_competition_rounds").await, 2);
    // The same checks as a new one, by field, nothing written.
    let r = manager
        .put(&url, &body(" ", day(2), &[&zhang], &[&zhang], (50, 40)))
        .await;
    assert_eq!(r.status(), 422);
    let f = fields(&r.json().await.unwrap());
    for want in ["title", "entrants", "judges[0]", "rounds"] {
        assert!(f.iter().any(|x| x == want), "{want} in {f:?}");
    }
    assert_eq!(manager.json(&url).await["title"], "第二版");

    // Open from today; a judge scores.
    let open_today = body(
        "第二版",
        today.to_string(),
        &[&zhang, &li, &third],
        &[&judge_a],
        (50, 50),
    );
    assert_eq!(manager.put(&url, &open_today).await.status(), 200);
    let practical = manager.json(&url).await["rounds"][1]["id"].clone();
    let r = manager
        .post(
            &format!("{H}/performance/my-competitions/{id}/scores"),
            &json!({"round_id": practical, "staff_id": zhang, "score": 40}),
        )
        .await;
    assert_eq!(r.status(), 204);
    let before = manager.json(&url).await;
    let r = manager
        .put(
            &url,
            &body("第三版", day(1), &[&zhang, &third], &[&judge_b], (40, 60)),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body_422: Value = r.json().await.unwrap();
    assert_eq!(
        fields(&body_422),
        ["opens_on", "rounds", "entrants", "judges"],
        "{body_422}"
    );
    assert!(body_422.to_string().contains("李艳"), "{body_422}");
    assert_eq!(manager.json(&url).await, before, "nothing changed");

    // What may change once open: the name, more entrants, another judge.
    let r = manager
        .put(
            &url,
            &body(
                "第三版",
                today.to_string(),
                &[&zhang, &li, &third, &fourth],
                &[&judge_a, &judge_b],
                (50, 50),
            ),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["title"], "第三版");
    assert_eq!(c["entrants"].as_array().unwrap().len(), 4);
    assert_eq!(c["judges"].as_array().unwrap().len(), 2);
    assert_eq!(
        c["rounds"][1]["id"], practical,
        "the rounds stay as they were"
    );
    let clerk = s.login("clerk01").await;
    assert_eq!(clerk.put(&url, &open_today).await.status(), 403);
    s.stop().await;
}
