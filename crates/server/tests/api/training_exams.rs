//! 人员培训 exams through HTTP: the question bank (form and Excel, bad rows
//! listed and nothing written), papers drawn by rule without their keys,
//! one submission before the deadline marked at once, 简答 marked by hand,
//! attempts limited; passing completes the exam lesson and the course,
//! which issues a certificate (PDF with a QR code checked publicly) that
//! gates the counter while valid. 政务公开课 open without signing in.

use crate::queue::H;
use govhall_testkit::{Api, TestServer, count};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// The hall's public address.
const P: &str = "/api/v1/public/halls/CA-ZWFW";

async fn add(api: &Api, q: Value) -> (u16, Value) {
    let r = api.post(&format!("{H}/training/questions"), &q).await;
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn created(api: &Api, path: &str, body: Value) -> Value {
    let r = api.post(&format!("{H}/training/{path}"), &body).await;
    assert_eq!(r.status(), 201, "{path}");
    r.json().await.unwrap()
}

fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

/// The right answer to a paper question, in the letters the paper shows,
/// found from the bank (the paper itself carries no key before submission).
pub(crate) fn right_answer(q: &Value, bank: &[Value]) -> String {
    let stored = bank.iter().find(|b| b["id"] == q["id"]).unwrap();
    let key = stored["answer"].as_str().unwrap();
    match q["kind"].as_str().unwrap() {
        "single" | "multiple" => {
            let options = stored["options"].as_array().unwrap();
            let mut letters: Vec<char> = key
                .chars()
                .map(|c| {
                    let text = &options[(c as u8 - b'A') as usize];
                    let shown = q["options"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .position(|o| o == text)
                        .unwrap();
                    (b'A' + shown as u8) as char
                })
                .collect();
            letters.sort_unstable();
            letters.into_iter().collect()
        }
        "fill" => key
            .split('；')
            .map(|b| b.split('|').next().unwrap())
            .collect::<Vec<_>>()
            .join("；"),
        _ => key.to_string(),
    }
}

/// A bank of objective questions in 窗口服务 and one 简答 in 案例分析.
pub(crate) async fn fill_bank(manager: &Api) {
    for q in [
        json!({"category": "窗口服务", "difficulty": 1, "kind": "single", "stem": "群众到窗口办事，应首先：",
               "options": ["继续手头工作", "主动问候", "让其等待"], "answer": "B"}),
        json!({"category": "窗口服务", "difficulty": 1, "kind": "multiple", "stem": "一次性告知应包括：",
               "options": ["所需材料", "办理时限", "个人爱好", "收费标准"], "answer": "A,B,D"}),
        json!({"category": "窗口服务", "difficulty": 1, "kind": "judge", "stem": "首问负责制要求首位接待人员负责到底。", "answer": "√"}),
        json!({"category": "窗口服务", "difficulty": 1, "kind": "fill", "stem": "好差评分为____个等级。", "answer": "五|5"}),
        json!({"category": "案例分析", "difficulty": 2, "kind": "essay", "stem": "群众材料不全又情绪激动，你如何处理？", "answer": "安抚情绪，一次性告知"}),
    ] {
        let (status, body) = add(manager, q).await;
        assert_eq!(status, 201, "{body}");
    }
}

#[tokio::test]
async fn the_question_bank_refuses_bad_questions_and_bad_excel_rows_and_writes_nothing() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    for (q, field, says) in [
        (
            json!({"category": "窗口服务", "difficulty": 1, "kind": "single", "stem": "题干", "options": ["甲", "乙"], "answer": "C"}),
            "answer",
            "选项 C 不存在",
        ),
        (
            json!({"category": "窗口服务", "difficulty": 1, "kind": "multiple", "stem": "题干", "options": ["甲", "乙"], "answer": "A"}),
            "answer",
            "两个或以上",
        ),
        (
            json!({"category": "窗口服务", "difficulty": 4, "kind": "judge", "stem": "题干", "answer": "对"}),
            "difficulty",
            "难度",
        ),
        (
            json!({"category": "窗口服务", "difficulty": 1, "kind": "选择", "stem": "题干", "answer": "A"}),
            "kind",
            "题型",
        ),
        (
            json!({"category": "窗口服务", "difficulty": 1, "kind": "single", "stem": "题干", "options": ["甲"], "answer": "A"}),
            "options",
            "2 至 8",
        ),
    ] {
        let (status, body) = add(&manager, q).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["fields"][0]["field"], field, "{body}");
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
    }
    assert_eq!(count(&s.state.db, "training_questions").await, 0);

    // The template imports as it is.
    let template = manager
        .get(&format!("{H}/training/questions/template"))
        .await;
    assert_eq!(template.status(), 200);
    let bytes = template.bytes().await.unwrap().to_vec();
    let import_path = format!("{H}/training/questions/import");
    let import = |bytes: Vec<u8>| {
        manager.post_bytes(
            &import_path,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes,
        )
    };
    let r = import(bytes).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["imported"], 3);

    // A workbook with two bad rows among good ones: both named, nothing written.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows: [&[&str]; 4] = [
        &[
            "题型*", "分类*", "难度*", "题干*", "答案*", "解析", "选项A", "选项B",
        ],
        &["单选", "窗口服务", "易", "好题", "A", "", "甲", "乙"],
        &["单选", "窗口服务", "易", "坏题", "Z", "", "甲", "乙"],
        &["判断", "窗口服务", "很难", "坏题二", "对", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    let r = import(wb.save_to_buffer().unwrap()).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    let text = body.to_string();
    assert!(text.contains("第 3 行「答案*」"), "{text}");
    assert!(text.contains("第 4 行「难度*」"), "{text}");
    assert_eq!(count(&s.state.db, "training_questions").await, 3);
    let r = import(b"not a workbook".to_vec()).await;
    assert_eq!(r.status(), 422);
    assert_eq!(count(&s.state.db, "training_questions").await, 3);

    // A paper asking more than the bank holds is refused, naming the rule.
    let r = manager
        .post(
            &format!("{H}/training/exams"),
            &json!({"title": "礼仪测验", "rules": [{"category": "服务礼仪", "count": 5, "points": 2}]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "rules[0]");
    assert!(
        body["message"].as_str().unwrap().contains("只有 1 道"),
        "{body}"
    );
    s.stop().await;
}

#[tokio::test]
async fn passing_the_exam_completes_the_course_and_its_certificate_gates_the_counter() {
    use crate::cases::{PREPACKED, checklist, clerk_at, intake, ticks};
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    fill_bank(&manager).await;
    let bank: Vec<Value> = manager
        .json(&format!("{H}/training/questions"))
        .await
        .as_array()
        .unwrap()
        .clone();
    let exam = created(
        &manager,
        "exams",
        json!({"title": "窗口服务考试", "rules": [{"category": "窗口服务", "count": 4, "points": 25}],
               "time_limit_min": 20, "attempts_limit": 2, "pass_pct": 75}),
    )
    .await;
    assert_eq!(exam["total_points"], 100.0);
    let course = created(
        &manager,
        "courses",
        json!({"title": "预包装食品备案上岗", "category": "业务条线", "certificate_months": 12}),
    )
    .await;
    let cid = id(&course);
    let lesson = created(
        &manager,
        &format!("courses/{cid}/lessons"),
        json!({"title": "上岗考试", "kind": "exam", "exam_id": id(&exam)}),
    )
    .await;
    assert_eq!(lesson["exam_id"], exam["id"]);
    let r = manager
        .put(
            &format!("{H}/training/requirements/{PREPACKED}"),
            &json!({"course_id": cid}),
        )
        .await;
    assert_eq!(r.status(), 200);

    // The paper: four questions in some order, no keys.
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let paper: Value = clerk
        .post(
            &format!("{H}/training/exams/{}/attempts", id(&exam)),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(paper["status"], "open", "{paper}");
    let questions = paper["questions"].as_array().unwrap().clone();
    assert_eq!(questions.len(), 4);
    assert!(
        questions
            .iter()
            .all(|q| q["key"].is_null() && q["explanation"].is_null())
    );
    let aid = id(&paper).to_string();
    // Starting again resumes the same sitting.
    let again: Value = clerk
        .post(
            &format!("{H}/training/exams/{}/attempts", id(&exam)),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["id"], paper["id"]);

    // An answer to a question not on the paper: refused, nothing written.
    let submit = format!("{H}/training/attempts/{aid}/submission");
    let r = clerk
        .post(&submit, &json!({"answers": {"not-on-paper": "A"}}))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["fields"][0]["field"],
        "answers.not-on-paper"
    );
    let still: Value = clerk.json(&format!("{H}/training/attempts/{aid}")).await;
    assert_eq!(still["status"], "open");

    // Another clerk cannot hand in this paper, nor see it.
    let other = s.login("clerk02").await;
    assert_eq!(
        other.post(&submit, &json!({"answers": {}})).await.status(),
        404
    );
    assert_eq!(
        other
            .get(&format!("{H}/training/attempts/{aid}"))
            .await
            .status(),
        404
    );

    // Before the certificate the counter refuses the matter.
    let ids = checklist(&clerk, PREPACKED, &json!({})).await;
    let case = intake(&w01, PREPACKED, json!({}), ticks(&ids, ""), "instant");
    assert_eq!(clerk.post(&format!("{H}/cases"), &case).await.status(), 403);

    // Three right and the 多选 wrong: 75 points, the pass mark; two windows
    // of the same learner hand in at once: exactly one is taken.
    let answers: serde_json::Map<String, Value> = questions
        .iter()
        .map(|q| {
            let a = if q["kind"] == "multiple" {
                "A".to_string()
            } else {
                right_answer(q, &bank)
            };
            (q["id"].as_str().unwrap().to_string(), json!(a))
        })
        .collect();
    let body = json!({"answers": answers});
    let (a, b) = tokio::join!(clerk.post(&submit, &body), clerk.post(&submit, &body));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 422]);
    let marked: Value = clerk.json(&format!("{H}/training/attempts/{aid}")).await;
    assert_eq!(marked["status"], "passed", "{marked}");
    assert_eq!(marked["score"], 75.0);
    let multi = marked["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["kind"] == "multiple")
        .unwrap();
    assert_eq!(multi["earned"], 0.0);
    assert!(multi["key"].as_str().unwrap().len() == 3, "{multi}");
    let db = &s.state.db;
    let events = govhall_testkit::query(
        db,
        "SELECT event_type FROM events WHERE event_type LIKE 'training.%' ORDER BY seq",
    )
    .await;
    let kinds: Vec<&str> = events
        .iter()
        .filter_map(|e| e["event_type"].as_str())
        .collect();
    for k in [
        "training.exam.marked",
        "training.lesson.completed",
        "training.course.completed",
        "training.certificate.granted",
    ] {
        assert!(kinds.contains(&k), "{kinds:?}");
    }

    // The certificate: listed, a PDF naming the course, checked publicly
    // with the name masked; not the other clerk's to download.
    let mine: Value = clerk.json(&format!("{H}/training/certificates")).await;
    let cert = mine[0].clone();
    assert_eq!(cert["course_title"], "预包装食品备案上岗");
    assert_eq!(cert["valid"], true);
    let pdf_path = format!("{H}/training/certificates/{}/pdf", id(&cert));
    let pdf = clerk.get(&pdf_path).await.bytes().await.unwrap();
    let text: String = pdf_extract::extract_text_from_mem(&pdf)
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(
        text.contains("培训合格证书") && text.contains("预包装食品备案上岗"),
        "{text}"
    );
    assert_eq!(other.get(&pdf_path).await.status(), 404);
    let number = cert["number"].as_str().unwrap();
    let check: Value = s
        .client()
        .json(&format!("/api/v1/public/training/certificates/{number}"))
        .await;
    assert_eq!(check["valid"], true);
    assert!(check["holder"].as_str().unwrap().contains('*'), "{check}");
    assert_ne!(check["holder"], cert["holder"]);

    // Certified: the counter accepts. Expired: refused again, saying so.
    let r = clerk.post(&format!("{H}/cases"), &case).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    db.execute_unprepared("UPDATE training_certificates SET expires_at = '2020-01-01T00:00:00Z'")
        .await
        .unwrap();
    let refused = clerk.post(&format!("{H}/cases"), &case).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("已过期"));

    // Re-certification: the second sitting, all right, issues a new certificate.
    let second: Value = clerk
        .post(
            &format!("{H}/training/exams/{}/attempts", id(&exam)),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["attempts_left"], 0);
    let answers: serde_json::Map<String, Value> = second["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["id"].as_str().unwrap().to_string(),
                json!(right_answer(q, &bank)),
            )
        })
        .collect();
    let r = clerk
        .post(
            &format!("{H}/training/attempts/{}/submission", id(&second)),
            &json!({"answers": answers}),
        )
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["score"], 100.0);
    let mine: Value = clerk.json(&format!("{H}/training/certificates")).await;
    assert_eq!(mine.as_array().unwrap().len(), 2);
    assert_eq!(mine[0]["valid"], true);
    let r = clerk.post(&format!("{H}/cases"), &case).await;
    assert_eq!(r.status(), 201);

    // No third sitting.
    let r = clerk
        .post(
            &format!("{H}/training/exams/{}/attempts", id(&exam)),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("机会已用完"));
    s.stop().await;
}

#[tokio::test]
async fn essays_wait_for_an_instructor_and_late_papers_are_refused() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    fill_bank(&manager).await;
    let exam = created(
        &manager,
        "exams",
        json!({"title": "案例分析", "rules": [{"category": "案例分析", "kind": "简答", "count": 1, "points": 10}]}),
    )
    .await;
    let clerk = s.login("clerk01").await;
    let start = format!("{H}/training/exams/{}/attempts", id(&exam));
    let paper: Value = clerk.post(&start, &json!({})).await.json().await.unwrap();
    let qid = paper["questions"][0]["id"].as_str().unwrap().to_string();
    let r = clerk
        .post(
            &format!("{H}/training/attempts/{}/submission", id(&paper)),
            &json!({"answers": {qid.clone(): "先安抚情绪，再一次性告知所缺材料。"}}),
        )
        .await;
    let waiting: Value = r.json().await.unwrap();
    assert_eq!(waiting["status"], "marking", "{waiting}");

    // The instructor's queue; a mark above the question's points is refused.
    let queue: Value = manager.json(&format!("{H}/training/attempts")).await;
    assert_eq!(queue[0]["id"], paper["id"]);
    let marks = format!("{H}/training/attempts/{}/marks", id(&paper));
    let r = manager
        .post(&marks, &json!({"marks": {qid.clone(): 12}}))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["fields"][0]["field"],
        format!("marks.{qid}")
    );
    assert_eq!(
        clerk
            .post(&marks, &json!({"marks": {qid.clone(): 8}}))
            .await
            .status(),
        403
    );
    let done: Value = manager
        .post(&marks, &json!({"marks": {qid.clone(): 8}}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["status"], "passed");
    assert_eq!(done["score"], 8.0);

    // A paper handed in after its deadline (and the grace minute) is refused
    // and stays as it was.
    let late: Value = s
        .login("clerk02")
        .await
        .post(&start, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    s.state
        .db
        .execute_unprepared(&format!(
            "UPDATE training_attempts SET deadline = '2020-01-01T00:00:00Z' WHERE id = '{}'",
            id(&late)
        ))
        .await
        .unwrap();
    let clerk02 = s.login("clerk02").await;
    let r = clerk02
        .post(
            &format!("{H}/training/attempts/{}/submission", id(&late)),
            &json!({"answers": {}}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("已超过交卷时间"));
    let seen: Value = clerk02
        .json(&format!("{H}/training/attempts/{}", id(&late)))
        .await;
    assert_eq!(seen["status"], "expired");
    assert!(seen["submitted_at"].is_null());
    s.stop().await;
}

#[tokio::test]
async fn public_courses_and_their_files_open_without_signing_in() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let video = crate::training::sample_mp4(3);
    let (manager, video) = (&manager, &video);
    let upload = |path: String| async move {
        manager
            .post_bytes(&path, "application/octet-stream", video.clone())
            .await
    };
    let open_file: Value = upload(format!("{H}/training/files?name=kiosk.mp4"))
        .await
        .json()
        .await
        .unwrap();
    let public = created(
        manager,
        "courses",
        json!({"title": "自助终端使用指南", "category": "日常培训", "public": true}),
    )
    .await;
    created(
        manager,
        &format!("courses/{}/lessons", id(&public)),
        json!({"title": "取号", "kind": "video", "file_id": id(&open_file)}),
    )
    .await;
    let staff_only = created(
        manager,
        "courses",
        json!({"title": "内部流程", "category": "岗前培训"}),
    )
    .await;
    let inner_file: Value = upload(format!("{H}/training/files?name=inner.mp4"))
        .await
        .json()
        .await
        .unwrap();
    created(
        manager,
        &format!("courses/{}/lessons", id(&staff_only)),
        json!({"title": "内部", "kind": "video", "file_id": id(&inner_file)}),
    )
    .await;
    let citizen = s.client();
    let listed: Value = citizen.json(&format!("{P}/training/courses")).await;
    let titles: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["title"].as_str())
        .collect();
    assert_eq!(titles, ["自助终端使用指南"]);
    let r = citizen
        .http
        .get(citizen.url(&format!("{P}/training/files/{}", id(&open_file))))
        .header("range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    // A HEAD (a download manager asking the size) is a GET without the body.
    let head = citizen
        .http
        .head(citizen.url(&format!("{P}/training/files/{}", id(&open_file))))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert!(
        head.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 1000
    );
    // The same bytes are stored once (by checksum) but the file not linked
    // to a public course stays closed.
    let r = citizen
        .get(&format!("{P}/training/files/{}", id(&inner_file)))
        .await;
    assert_eq!(r.status(), 404);
    s.stop().await;
}

#[tokio::test]
async fn a_pdf_lesson_counts_the_pages_viewed_at_a_readers_pace() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let pdf = govhall_training::demo::sample_pdf().unwrap();
    let r = manager
        .post_bytes(
            &format!("{H}/training/files?name=handout.pdf"),
            "application/octet-stream",
            pdf,
        )
        .await;
    assert_eq!(r.status(), 201);
    let file: Value = r.json().await.unwrap();
    assert_eq!(file["pages"], 5, "{file}");
    let course = created(
        &manager,
        "courses",
        json!({"title": "备案要点", "category": "业务条线"}),
    )
    .await;
    // A PDF lesson needs a PDF.
    let video: Value = manager
        .post_bytes(
            &format!("{H}/training/files?name=v.mp4"),
            "application/octet-stream",
            crate::training::sample_mp4(2),
        )
        .await
        .json()
        .await
        .unwrap();
    let r = manager
        .post(
            &format!("{H}/training/courses/{}/lessons", id(&course)),
            &json!({"title": "讲义", "kind": "pdf", "file_id": id(&video)}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let lesson = created(
        &manager,
        &format!("courses/{}/lessons", id(&course)),
        json!({"title": "讲义", "kind": "pdf", "file_id": id(&file), "required_pct": 60}),
    )
    .await;
    assert_eq!(lesson["required_pages"], 3);

    let clerk = s.login("clerk01").await;
    let started: Value = clerk
        .post(
            &format!("{H}/training/lessons/{}/sessions", id(&lesson)),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let pages = format!("{H}/training/lessons/{}/pages", id(&lesson));
    let session = started["session"].as_str().unwrap();
    // A page that does not exist; three pages in no time: refused, recorded.
    let r = clerk
        .post(&pages, &json!({"session": session, "pages": [9]}))
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("第 9 页不存在"));
    let r = clerk
        .post(&pages, &json!({"session": session, "pages": [1, 2, 3]}))
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("每页至少需停留"));
    // A page at a time, at a reader's pace: the third completes the lesson and the course.
    let mut last = Value::Null;
    for p in 1..=3 {
        last = clerk
            .post(&pages, &json!({"session": session, "pages": [p]}))
            .await
            .json()
            .await
            .unwrap();
        if p < 3 {
            assert_eq!(last["completed"], false, "{last}");
            tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        }
    }
    assert_eq!(last["pages_seen"], json!([1, 2, 3]));
    assert_eq!(last["completed"], true);
    assert_eq!(last["course_completed"], true);
    let refused = govhall_testkit::query(
        &s.state.db,
        "SELECT payload FROM events WHERE event_type = 'training.progress.rejected'",
    )
    .await;
    assert_eq!(refused.len(), 1, "{refused:?}");
    s.stop().await;
}

#[tokio::test]
async fn a_plan_assigns_courses_to_a_post_and_the_statistics_show_who_finished() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let course = created(
        &manager,
        "courses",
        json!({"title": "岗前必读", "category": "岗前培训"}),
    )
    .await;
    let text = created(
        &manager,
        &format!("courses/{}/lessons", id(&course)),
        json!({"title": "服务规范", "kind": "text", "body": "首问负责，一次性告知。"}),
    )
    .await;
    let today = govhall_kernel::time::today();
    let due = (today + chrono::Duration::days(30)).to_string();
    for (body, field) in [
        (
            json!({"title": "岗前", "kind": "岗前", "course_ids": ["nope"], "due_on": due}),
            "course_ids",
        ),
        (
            json!({"title": "岗前", "kind": "岗前", "course_ids": [id(&course)], "department_id": "nope", "due_on": due}),
            "department_id",
        ),
        (
            json!({"title": "岗前", "kind": "岗前", "course_ids": [id(&course)], "position": "boss", "due_on": due}),
            "position",
        ),
        (
            json!({"title": "岗前", "kind": "岗前", "course_ids": [id(&course)], "due_on": "2020-01-01"}),
            "due_on",
        ),
        (
            json!({"title": "岗前", "kind": "临时", "course_ids": [id(&course)], "due_on": due}),
            "kind",
        ),
    ] {
        let r = manager.post(&format!("{H}/training/plans"), &body).await;
        assert_eq!(r.status(), 422, "{field}");
        assert_eq!(
            r.json::<Value>().await.unwrap()["fields"][0]["field"],
            field
        );
    }
    assert_eq!(count(&s.state.db, "training_plans").await, 0);
    let plan = created(
        &manager,
        "plans",
        json!({"title": "2027 年岗前培训方案", "kind": "岗前", "course_ids": [id(&course)], "position": "window_staff", "due_on": due}),
    )
    .await;
    // The demo hall has 56 window staff; nobody has finished yet.
    assert_eq!(plan["learners"], 56, "{plan}");
    assert_eq!(plan["finished"], 0);

    // The clerk sees the task, reads the lesson, and counts as finished.
    let clerk = s.login("clerk01").await;
    let tasks: Value = clerk.json(&format!("{H}/training/tasks")).await;
    assert_eq!(tasks[0]["title"], "2027 年岗前培训方案");
    assert_eq!(tasks[0]["courses"][0]["completed"], false);
    clerk
        .post(
            &format!("{H}/training/lessons/{}/sessions", id(&text)),
            &json!({}),
        )
        .await;
    let tasks: Value = clerk.json(&format!("{H}/training/tasks")).await;
    assert_eq!(tasks[0]["courses"][0]["completed"], true);
    let detail: Value = manager
        .json(&format!("{H}/training/plans/{}", id(&plan)))
        .await;
    assert_eq!(detail["plan"]["finished"], 1);
    let finished: Vec<&Value> = detail["learners"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["finished"] == true)
        .collect();
    assert_eq!(finished.len(), 1);
    assert_eq!(finished[0]["employee_no"], "CA0001");
    // A reviewer (another post) has no such task.
    let reviewer = s.login("reviewer").await;
    let none: Value = reviewer.json(&format!("{H}/training/tasks")).await;
    assert_eq!(none, json!([]));

    // The statistics count the finished course for the clerk, the course and the centre.
    let stats = format!("{H}/training/statistics");
    let learners: Value = manager.json(&stats).await;
    assert_eq!(
        learners.as_array().unwrap().len(),
        77,
        "76 staff and the demo's 培训学员"
    );
    let row = learners
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["detail"].as_str().unwrap().starts_with("CA0001"))
        .unwrap();
    assert_eq!(row["courses_completed"], 1, "{row}");
    let courses: Value = manager.json(&format!("{stats}?by=course")).await;
    let row = courses
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "岗前必读")
        .unwrap();
    assert_eq!(
        (row["learners"].as_u64(), row["courses_completed"].as_u64()),
        (Some(1), Some(1))
    );
    let departments: Value = manager.json(&format!("{stats}?by=department")).await;
    let total: u64 = departments
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["learners"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 77, "76 staff and the demo's 培训学员");
    let sheet = manager
        .get(&format!("{stats}?by=department&format=xlsx"))
        .await;
    assert_eq!(sheet.status(), 200);
    assert!(sheet.bytes().await.unwrap().starts_with(b"PK"));
    let r = manager.get(&format!("{stats}?by=week")).await;
    assert_eq!(r.status(), 422);
    assert_eq!(clerk.get(&stats).await.status(), 403);

    // 积分排行: the one who completed a course leads with 10 points, 初级.
    let ranking: Value = clerk.json(&format!("{H}/training/ranking")).await;
    assert_eq!(ranking["me"]["rank"], 1, "{ranking}");
    assert_eq!(ranking["me"]["points"], 10);
    assert_eq!(ranking["me"]["level"], "初级");
    assert_eq!(ranking["next_level"]["name"], "中级");
    assert_eq!(ranking["top"].as_array().unwrap().len(), 20);
    let levels = format!("{H}/training/levels");
    for (bad, field) in [
        (json!([{"name": "入门", "min_points": 5}]), "levels"),
        (
            json!([{"name": "入门", "min_points": 0}, {"name": "熟练", "min_points": 0}]),
            "levels[1]",
        ),
    ] {
        let r = manager.put(&levels, &bad).await;
        assert_eq!(r.status(), 422);
        assert_eq!(
            r.json::<Value>().await.unwrap()["fields"][0]["field"],
            field
        );
    }
    assert_eq!(
        clerk
            .put(&levels, &json!([{"name": "入门", "min_points": 0}]))
            .await
            .status(),
        403
    );
    let r = manager
        .put(
            &levels,
            &json!([{"name": "入门", "min_points": 0}, {"name": "熟练", "min_points": 10}]),
        )
        .await;
    assert_eq!(r.status(), 200);
    let ranking: Value = clerk.json(&format!("{H}/training/ranking")).await;
    assert_eq!(ranking["me"]["level"], "熟练");
    s.stop().await;
}

/// A 1×1 PNG (the smallest valid image).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[tokio::test]
async fn the_tour_shows_panoramas_with_checked_hotspots_to_anyone() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let manager = &manager;
        async move {
            manager
                .post_bytes(
                    &format!("{H}/training/files?name={name}"),
                    "application/octet-stream",
                    bytes,
                )
                .await
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let image = upload("hall.png", PNG.to_vec()).await;
    let stray = upload("other.png", PNG.to_vec()).await;
    let pdf = upload("a.pdf", govhall_training::demo::sample_pdf().unwrap()).await;
    let r = manager
        .post(
            &format!("{H}/training/tour/scenes"),
            &json!({"title": "一楼", "file_id": id(&pdf)}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["fields"][0]["field"],
        "file_id"
    );
    let first = created(
        &manager,
        "tour/scenes",
        json!({"title": "一楼", "file_id": id(&image)}),
    )
    .await;
    let second = created(
        &manager,
        "tour/scenes",
        json!({"title": "二楼", "file_id": id(&image)}),
    )
    .await;
    let spots = format!("{H}/training/tour/scenes/{}/spots", id(&first));
    for (bad, says) in [
        (
            json!([{"yaw": 9.0, "pitch": 0.0, "label": "窗口", "window_code": "01"}]),
            "不在全景图内",
        ),
        (
            json!([{"yaw": 0.0, "pitch": 0.0, "label": "窗口", "window_code": "99"}]),
            "窗口编号 99 不存在",
        ),
        (json!([{"yaw": 0.0, "pitch": 0.0, "label": "门"}]), "二选一"),
        (
            json!([{"yaw": 0.0, "pitch": 0.0, "label": "门", "target_scene": id(&first)}]),
            "本场景自身",
        ),
    ] {
        let r = manager.put(&spots, &bad).await;
        assert_eq!(r.status(), 422, "{says}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], "spots[0]");
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
    }
    let r = manager
        .put(
            &spots,
            &json!([{"yaw": 0.5, "pitch": 0.1, "label": "1号综合窗口", "window_code": "01"},
                    {"yaw": -2.5, "pitch": 0.0, "label": "去二楼", "target_scene": id(&second)}]),
        )
        .await;
    assert_eq!(r.status(), 200);

    // Anyone: the scenes with their hotspots, and the panorama itself; not a stray image.
    let citizen = s.client();
    let tour: Value = citizen.json(&format!("{P}/training/tour")).await;
    assert_eq!(tour.as_array().unwrap().len(), 2);
    assert_eq!(tour[0]["spots"][1]["target_scene"], second["id"]);
    // A window's hotspot says what the window accepts (the demo's comprehensive
    // windows accept the published catalog but for public security).
    let w = &tour[0]["windows"][0];
    assert_eq!(w["window_code"], "01", "{tour}");
    let total = w["total"].as_u64().unwrap() as usize;
    assert!(total > 10, "{w}");
    assert_eq!(w["matters"].as_array().unwrap().len(), total.min(50));
    assert_eq!(tour[1]["windows"], json!([]));
    let r = citizen
        .get(&format!("{P}/training/files/{}", id(&image)))
        .await;
    assert_eq!(r.status(), 200);
    let r = citizen
        .get(&format!("{P}/training/files/{}", id(&stray)))
        .await;
    assert_eq!(r.status(), 404);
    s.stop().await;
}

#[tokio::test]
async fn a_course_with_a_prerequisite_opens_after_it() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    fill_bank(&manager).await;
    let first = created(
        &manager,
        "courses",
        json!({"title": "服务规范", "category": "岗前培训"}),
    )
    .await;
    let read = created(
        &manager,
        &format!("courses/{}/lessons", id(&first)),
        json!({"title": "首问负责", "kind": "text", "body": "首问负责，一次性告知。"}),
    )
    .await;
    let r = manager
        .post(
            &format!("{H}/training/courses"),
            &json!({"title": "进阶", "category": "日常培训", "prerequisite_id": "nope"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["fields"][0]["field"],
        "prerequisite_id"
    );
    let then = created(
        &manager,
        "courses",
        json!({"title": "进阶", "category": "日常培训", "prerequisite_id": id(&first)}),
    )
    .await;
    assert_eq!(then["prerequisite_id"], first["id"]);
    let lesson = created(
        &manager,
        &format!("courses/{}/lessons", id(&then)),
        json!({"title": "案例", "kind": "text", "body": "案例分析。"}),
    )
    .await;
    let exam = created(
        &manager,
        "exams",
        json!({"title": "进阶测验", "rules": [{"category": "窗口服务", "count": 1, "points": 100}]}),
    )
    .await;
    created(
        &manager,
        &format!("courses/{}/lessons", id(&then)),
        json!({"title": "测验", "kind": "exam", "exam_id": id(&exam)}),
    )
    .await;

    // Closed until 服务规范 is completed: its lessons and its exam, naming the course.
    let clerk = s.login("clerk01").await;
    let open = |l: &Value| format!("{H}/training/lessons/{}/sessions", id(l));
    let r = clerk.post(&open(&lesson), &json!({})).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "course");
    assert!(
        body["message"].as_str().unwrap().contains("《服务规范》"),
        "{body}"
    );
    let sit = format!("{H}/training/exams/{}/attempts", id(&exam));
    assert_eq!(clerk.post(&sit, &json!({})).await.status(), 422);
    assert_eq!(count(&s.state.db, "training_attempts").await, 0);
    let r: Value = clerk
        .post(&open(&read), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["course_completed"], true);
    assert_eq!(clerk.post(&open(&lesson), &json!({})).await.status(), 200);
    assert_eq!(clerk.post(&sit, &json!({})).await.status(), 200);
    s.stop().await;
}
