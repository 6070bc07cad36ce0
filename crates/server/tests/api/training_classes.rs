//! 线下培训 and the rest of the training back office through HTTP: a class
//! takes attendance by a code that changes every 30 seconds (two scans
//! racing count once), a manager's 补签 needs a reason, the hours reach
//! the statistics; instructors, the category tree, textbooks with editions;
//! a video's poster frame, picture and matter lessons; 热门课程; 培训学员;
//! plans for new hires; the reminders text unfinished learners once a day
//! and a class's group the day before, and expired certificates are
//! announced once.

use crate::queue::H;
use chrono::{Duration, Utc};
use govhall_testkit::{Api, TestServer, count, insert_row, query};
use serde_json::{Value, json};

async fn created(api: &Api, path: &str, body: Value) -> Value {
    let r = api.post(&format!("{H}/training/{path}"), &body).await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{path}: {v}");
    v
}

fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

async fn refused(api: &Api, path: &str, body: Value) -> (u16, Value) {
    let r = api.post(&format!("{H}/training/{path}"), &body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

fn class_body(title: &str, from_now_min: i64, minutes: i64) -> Value {
    let starts = Utc::now() + Duration::minutes(from_now_min);
    json!({
        "title": title,
        "place": "三楼培训室",
        "starts_at": starts,
        "ends_at": starts + Duration::minutes(minutes),
        "position": "window_staff",
    })
}

#[tokio::test]
async fn a_class_takes_attendance_by_a_rotating_code_and_counts_the_hours() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;

    // Bad classes are refused by field and nothing is written.
    let mut backwards = class_body("礼仪", 10, 90);
    backwards["ends_at"] = json!(Utc::now());
    for (body, field) in [
        (backwards, "ends_at"),
        (class_body("礼仪", 10, 13 * 60), "ends_at"),
        (class_body("", 10, 90), "title"),
        (
            {
                let mut b = class_body("礼仪", 10, 90);
                b["instructor_id"] = json!("nope");
                b
            },
            "instructor_id",
        ),
        (
            {
                let mut b = class_body("礼仪", 10, 90);
                b["department_id"] = json!("nope");
                b
            },
            "department_id",
        ),
    ] {
        let (status, v) = refused(&manager, "classes", body).await;
        assert_eq!(status, 422, "{v}");
        assert_eq!(v["fields"][0]["field"], field, "{v}");
    }
    assert_eq!(count(&s.state.db, "training_classes").await, 0);

    let teacher = created(
        &manager,
        "instructors",
        json!({"name": "王敏", "kind": "外部", "title": "市政务服务管理局培训中心"}),
    )
    .await;
    let mut body = class_body("窗口服务礼仪实训", 5, 90);
    body["instructor_id"] = json!(id(&teacher));
    let class = created(&manager, "classes", body).await;
    assert_eq!(class["status"], "签到中", "{class}");
    assert_eq!(class["instructor_name"], "王敏");
    assert_eq!(class["hours"], 1.5);
    assert_eq!(class["expected"], 56, "the demo hall's window staff");
    let path = format!("classes/{}", id(&class));

    // The code is shown only while sign-in is open.
    let later = created(&manager, "classes", class_body("明日培训", 24 * 60, 60)).await;
    let r = manager
        .get(&format!("{H}/training/classes/{}/qr", id(&later)))
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("签到尚未开始"));
    let code: Value = manager.json(&format!("{H}/training/{path}/qr")).await;
    let token = code["token"].as_str().unwrap().to_string();
    assert_eq!(code["period_s"], 30);
    assert_eq!(
        code["path"],
        format!("/learn/#/presence/{}/{token}", id(&class))
    );

    // A wrong (or stale) code is refused; the right one signs in once.
    let clerk = s.login("clerk01").await;
    let (status, v) = refused(
        &clerk,
        &format!("{path}/presence"),
        json!({"token": "0123456789ab"}),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["fields"][0]["field"], "token");
    assert!(v["message"].as_str().unwrap().contains("已失效"), "{v}");
    assert_eq!(count(&s.state.db, "training_attendance").await, 0);
    let r = clerk
        .post(
            &format!("{H}/training/{path}/presence"),
            &json!({"token": token}),
        )
        .await;
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["already"], false, "{first}");
    assert_eq!(first["late"], false);
    let again: Value = clerk
        .post(
            &format!("{H}/training/{path}/presence"),
            &json!({"token": token}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["already"], true);
    assert_eq!(
        again["signed_at"], first["signed_at"],
        "the first time stands"
    );

    // Two scans of the same person racing: one sign-in, one event.
    let clerk2 = s.login("clerk02").await;
    let url = format!("{H}/training/{path}/presence");
    let body = json!({"token": token});
    let (a, b) = tokio::join!(clerk2.post(&url, &body), clerk2.post(&url, &body));
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
    let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
    assert_ne!(a["already"], b["already"], "exactly one is new: {a} {b}");
    assert_eq!(count(&s.state.db, "training_attendance").await, 2);

    // A manager's 补签 needs a reason and happens once.
    let detail: Value = manager.json(&format!("{H}/training/{path}")).await;
    assert_eq!(detail["class"]["attended"], 2);
    let rows = detail["attendance"].as_array().unwrap();
    assert_eq!(rows.len(), 56);
    assert_eq!(rows[0]["status"], "已签到");
    let absent = rows
        .iter()
        .find(|r| r["signed_at"].is_null())
        .unwrap()
        .clone();
    assert_eq!(absent["status"], "未签到");
    let staff_id = absent["staff_id"].as_str().unwrap();
    let manual = format!("{path}/attendance");
    let (status, v) = refused(
        &manager,
        &manual,
        json!({"staff_id": staff_id, "note": " "}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(v["fields"][0]["field"], "note");
    // The class has not started (it starts in five minutes): no 补签 yet.
    let (status, v) = refused(
        &manager,
        &manual,
        json!({"staff_id": staff_id, "note": "手机没电"}),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("开始后才能补签"),
        "{v}"
    );

    // A class that ended: no code, no scanning, the absent are 缺勤; 补签 works once.
    let past = created(&manager, "classes", class_body("上周政策解读", -180, 120)).await;
    let past_path = format!("classes/{}", id(&past));
    let r = manager.get(&format!("{H}/training/{past_path}/qr")).await;
    assert_eq!(r.status(), 400);
    let (status, v) = refused(
        &clerk,
        &format!("{past_path}/presence"),
        json!({"token": token}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(v["message"].as_str().unwrap().contains("已结束"), "{v}");
    let manual = format!("{past_path}/attendance");
    let (status, v) = refused(
        &manager,
        &manual,
        json!({"staff_id": staff_id, "note": "手机没电，现场核实"}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let me = v["attendance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["staff_id"] == staff_id)
        .unwrap();
    assert_eq!(me["status"], "补签");
    assert_eq!(me["note"], "手机没电，现场核实");
    assert!(
        v["attendance"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["status"] == "缺勤")
    );
    let (status, _) = refused(
        &manager,
        &manual,
        json!({"staff_id": staff_id, "note": "重复"}),
    )
    .await;
    assert_eq!(status, 409);

    // A learner may not show the code or enter 补签; a manager's classes list has them all.
    assert_eq!(
        clerk.get(&format!("{H}/training/{path}/qr")).await.status(),
        403
    );
    let (status, _) = refused(&clerk, &manual, json!({"staff_id": staff_id, "note": "x"})).await;
    assert_eq!(status, 403);
    let all: Value = manager.json(&format!("{H}/training/classes")).await;
    assert_eq!(all.as_array().unwrap().len(), 3);

    // The learner's list; the hours in the statistics; the events.
    let mine: Value = clerk.json(&format!("{H}/training/my-classes")).await;
    let listed = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id(&class))
        .unwrap();
    assert_eq!(listed["signed_at"], first["signed_at"]);
    assert_eq!(listed["instructor_name"], "王敏");
    let stats: Value = manager.json(&format!("{H}/training/statistics")).await;
    let hours_of = |no: &str| {
        stats
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["detail"].as_str().unwrap().starts_with(no))
            .map(|r| {
                (
                    r["class_hours"].as_f64().unwrap(),
                    r["points"].as_i64().unwrap(),
                )
            })
            .unwrap()
    };
    let clerk01_no = query(&s.state.db, "SELECT employee_no FROM staff s JOIN users u ON u.staff_id = s.id WHERE u.username = 'clerk01'").await;
    let no = clerk01_no[0]["employee_no"].as_str().unwrap();
    assert_eq!(
        hours_of(no),
        (1.5, 8),
        "1.5 class hours at 5 points an hour"
    );
    let events = query(
        &s.state.db,
        "SELECT payload FROM events WHERE event_type = 'training.class.attended'",
    )
    .await;
    assert_eq!(events.len(), 3);
    let teachers: Value = manager.json(&format!("{H}/training/instructors")).await;
    assert_eq!(teachers[0]["classes"], 1);
}

#[tokio::test]
async fn textbooks_keep_their_editions_and_instructors_their_courses() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let course = created(
        &manager,
        "courses",
        json!({"title": "一窗受理实务", "category": "业务条线"}),
    )
    .await;

    // Instructors: an internal one needs a member of staff, an external one none.
    for (body, field) in [
        (json!({"name": "李强", "kind": "内部"}), "staff_id"),
        (
            json!({"name": "李强", "kind": "外部", "staff_id": "x"}),
            "staff_id",
        ),
        (json!({"name": "李强", "kind": "兼职"}), "kind"),
        (
            json!({"name": "李强", "kind": "外部", "course_ids": ["nope"]}),
            "course_ids",
        ),
    ] {
        let (status, v) = refused(&manager, "instructors", body).await;
        assert_eq!(status, 422, "{v}");
        assert_eq!(v["fields"][0]["field"], field, "{v}");
    }
    let staff = query(&s.state.db, "SELECT s.id, s.employee_no FROM staff s JOIN users u ON u.staff_id = s.id WHERE u.username = 'clerk01'").await;
    let inside = created(
        &manager,
        "instructors",
        json!({"name": "张组长", "kind": "内部", "staff_id": staff[0]["id"], "title": "综合窗口组长", "course_ids": [id(&course)]}),
    )
    .await;
    assert_eq!(inside["employee_no"], staff[0]["employee_no"]);
    assert_eq!(inside["courses"][0]["title"], "一窗受理实务");
    let r = manager
        .put(
            &format!("{H}/training/instructors/{}", id(&inside)),
            &json!({"name": "张组长", "kind": "内部", "staff_id": staff[0]["id"], "bio": "十年窗口经验", "course_ids": []}),
        )
        .await;
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["bio"], "十年窗口经验", "{changed}");
    assert_eq!(changed["courses"], json!([]));

    // 培训分类设置: the defaults, then a tree with sub-categories per line.
    let tree: Value = manager.json(&format!("{H}/training/categories")).await;
    assert_eq!(tree.as_array().unwrap().len(), 7);
    assert_eq!(tree[4]["name"], "业务条线");
    let url = format!("{H}/training/categories");
    let mut lines = tree.clone();
    lines[4]["children"] = json!(["市场监管", "税务"]);
    let mut twice = lines.clone();
    twice[0]["children"] = json!(["税务"]);
    let mut dropped = lines.clone();
    dropped.as_array_mut().unwrap().remove(4);
    for (body, field, says) in [
        (twice, "categories[4].children[1]", "重复"),
        (dropped, "categories", "还有 1 门课程"),
        (json!([]), "categories", "一级分类"),
    ] {
        let r = manager.put(&url, &body).await;
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        let hit = v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .unwrap_or_else(|| panic!("{field}: {v}"));
        assert!(hit["message"].as_str().unwrap().contains(says), "{v}");
    }
    assert_eq!(count(&s.state.db, "training_categories").await, 0);
    let r = manager.put(&url, &lines).await;
    assert_eq!(r.status(), 200);
    let clerk_view: Value = s.login("clerk02").await.json(&url).await;
    assert_eq!(clerk_view[4]["children"], json!(["市场监管", "税务"]));
    created(
        &manager,
        "courses",
        json!({"title": "食品经营许可", "category": "市场监管"}),
    )
    .await;
    let (status, v) = refused(
        &manager,
        "courses",
        json!({"title": "x", "category": "杂项"}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(v["message"].as_str().unwrap().contains("市场监管"), "{v}");

    // Textbooks: editions are PDFs with distinct labels; the newest is first.
    let (status, v) = refused(
        &manager,
        "textbooks",
        json!({"title": "办事指南汇编", "category": "杂项"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(v["fields"][0]["field"], "category");
    let book = created(
        &manager,
        "textbooks",
        json!({"title": "办事指南汇编", "category": "业务条线", "summary": "本区高频事项"}),
    )
    .await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let manager = &manager;
        async move {
            let v: Value = manager
                .post_bytes(
                    &format!("{H}/training/files?name={name}"),
                    "application/octet-stream",
                    bytes,
                )
                .await
                .json()
                .await
                .unwrap();
            v["id"].as_str().unwrap().to_string()
        }
    };
    let video = upload("v.mp4", crate::training::sample_mp4(2)).await;
    let pdf = upload("book.pdf", govhall_training::demo::sample_pdf().unwrap()).await;
    let picture = upload(
        "cover.png",
        govhall_training::sample_video::poster().unwrap(),
    )
    .await;

    // A video lesson's poster frame must be a picture.
    let lessons = format!("courses/{}/lessons", id(&course));
    let (status, v) = refused(
        &manager,
        &lessons,
        json!({"title": "示范", "kind": "video", "file_id": video, "poster_file_id": pdf}),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["fields"][0]["field"], "poster_file_id");
    let shown = created(
        &manager,
        &lessons,
        json!({"title": "示范", "kind": "video", "file_id": video, "poster_file_id": picture}),
    )
    .await;
    assert_eq!(shown["poster_file_id"], picture.as_str());

    // A picture lesson needs a picture; a matter lesson a published matter of the hall,
    // and counts once opened.
    let (status, v) = refused(
        &manager,
        &lessons,
        json!({"title": "流程图", "kind": "image", "file_id": pdf}),
    )
    .await;
    assert_eq!(
        (status, v["fields"][0]["field"].as_str()),
        (422, Some("file_id")),
        "{v}"
    );
    created(
        &manager,
        &lessons,
        json!({"title": "流程图", "kind": "image", "file_id": picture}),
    )
    .await;
    for (body, says) in [
        (json!({"title": "指南", "kind": "matter"}), "须选择"),
        (
            json!({"title": "指南", "kind": "matter", "task_code": "000"}),
            "没有实施编码",
        ),
    ] {
        let (status, v) = refused(&manager, &lessons, body).await;
        assert_eq!(status, 422);
        assert_eq!(v["fields"][0]["field"], "task_code");
        assert!(v["message"].as_str().unwrap().contains(says), "{v}");
    }
    let guide = created(
        &manager,
        &lessons,
        json!({"title": "备案指南", "kind": "matter", "task_code": crate::cases::PREPACKED}),
    )
    .await;
    assert_eq!(guide["task_code"], crate::cases::PREPACKED);
    let opened: Value = s
        .login("clerk02")
        .await
        .post(
            &format!("{H}/training/lessons/{}/sessions", id(&guide)),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(opened["completed"], true, "{opened}");
    let versions = format!("textbooks/{}/versions", id(&book));
    let (status, v) = refused(
        &manager,
        &versions,
        json!({"version": "2026 版", "file_id": video}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(v["message"].as_str().unwrap().contains("PDF"), "{v}");
    created(
        &manager,
        &versions,
        json!({"version": "2026 版", "file_id": pdf}),
    )
    .await;
    let (status, v) = refused(
        &manager,
        &versions,
        json!({"version": "2026 版", "file_id": pdf}),
    )
    .await;
    assert_eq!(status, 409, "{v}");
    assert_eq!(v["fields"][0]["field"], "version");
    let book = created(
        &manager,
        &versions,
        json!({"version": "2027 版", "file_id": pdf, "note": "新增 12 项"}),
    )
    .await;
    assert_eq!(book["versions"][0]["version"], "2027 版", "{book}");
    assert_eq!(book["versions"][0]["pages"], 5);
    assert_eq!(book["versions"].as_array().unwrap().len(), 2);
    let clerk = s.login("clerk01").await;
    let listed: Value = clerk.json(&format!("{H}/training/textbooks")).await;
    assert_eq!(listed[0]["title"], "办事指南汇编");
    let (status, _) = refused(
        &clerk,
        "textbooks",
        json!({"title": "x", "category": "业务条线"}),
    )
    .await;
    assert_eq!(status, 403);

    // 热门课程: a course someone opened is listed with its learners (so far
    // clerk02, who opened the matter lesson).
    let hot: Value = clerk.json(&format!("{H}/training/popular")).await;
    assert_eq!(hot.as_array().unwrap().len(), 1, "{hot}");
    assert_eq!(hot[0]["learners"], 1);
    let lesson = created(
        &manager,
        &format!("courses/{}/lessons", id(&course)),
        json!({"title": "受理要点", "kind": "text", "body": "一次性告知。"}),
    )
    .await;
    for who in ["clerk01", "clerk02"] {
        s.login(who)
            .await
            .post(
                &format!("{H}/training/lessons/{}/sessions", id(&lesson)),
                &json!({}),
            )
            .await;
    }
    let hot: Value = clerk.json(&format!("{H}/training/popular")).await;
    assert_eq!(hot[0]["title"], "一窗受理实务", "{hot}");
    assert_eq!(hot[0]["learners"], 2);
    assert_eq!(
        hot[0]["completed"], 0,
        "the video lesson is not watched yet"
    );
}

#[tokio::test]
async fn reminders_text_unfinished_learners_once_a_day_and_expiries_are_announced_once() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let course = created(
        &manager,
        "courses",
        json!({"title": "消防安全", "category": "日常培训"}),
    )
    .await;
    let lesson = created(
        &manager,
        &format!("courses/{}/lessons", id(&course)),
        json!({"title": "疏散路线", "kind": "text", "body": "熟悉安全出口。"}),
    )
    .await;
    let due = (govhall_kernel::time::today() + Duration::days(2)).to_string();
    created(
        &manager,
        "plans",
        json!({"title": "冬季消防培训", "kind": "日常", "course_ids": [id(&course)], "position": "window_staff", "due_on": due}),
    )
    .await;
    let far = (govhall_kernel::time::today() + Duration::days(20)).to_string();
    created(
        &manager,
        "plans",
        json!({"title": "远期方案", "kind": "日常", "course_ids": [id(&course)], "position": "window_staff", "due_on": far}),
    )
    .await;
    // One clerk finishes; the others (with an account and a phone) are texted.
    s.login("clerk01")
        .await
        .post(
            &format!("{H}/training/lessons/{}/sessions", id(&lesson)),
            &json!({}),
        )
        .await;
    let sent = govhall_training::reminders::remind_plans(&s.state)
        .await
        .unwrap();
    let texts = query(
        &s.state.db,
        "SELECT body FROM notifications WHERE kind = 'training.plan_reminder'",
    )
    .await;
    assert_eq!(texts.len(), sent);
    let with_account = query(
        &s.state.db,
        "SELECT s.id FROM staff s JOIN users u ON u.staff_id = s.id WHERE s.position = 'window_staff' AND s.phone_enc IS NOT NULL",
    )
    .await;
    let clerks = with_account.len();
    assert!(clerks >= 2, "the demo has clerks with accounts and phones");
    assert_eq!(
        sent,
        clerks - 1,
        "every clerk with an account but the one who finished"
    );
    let body = texts[0]["body"].as_str().unwrap();
    assert!(
        body.contains("《冬季消防培训》") && body.contains("还剩 2 天"),
        "{body}"
    );
    assert!(
        !texts
            .iter()
            .any(|t| t["body"].as_str().unwrap().contains("远期方案"))
    );
    assert_eq!(
        govhall_training::reminders::remind_plans(&s.state)
            .await
            .unwrap(),
        0,
        "once a day"
    );

    // A class tomorrow morning: its group is told once; next week's is not yet.
    let mut soon = class_body("消防演练", 180, 60);
    soon["position"] = json!("guide");
    created(&manager, "classes", soon).await;
    let mut later = class_body("下周培训", 7 * 24 * 60, 60);
    later["position"] = json!("guide");
    created(&manager, "classes", later).await;
    let told = govhall_training::reminders::remind_classes(&s.state)
        .await
        .unwrap();
    let guides = query(
        &s.state.db,
        "SELECT id FROM staff WHERE position = 'guide' AND phone_enc IS NOT NULL",
    )
    .await
    .len();
    assert!(guides > 0);
    assert_eq!(told, guides, "every guide with a phone, account or not");
    let texts = query(
        &s.state.db,
        "SELECT body FROM notifications WHERE kind = 'training.class_reminder'",
    )
    .await;
    assert!(
        texts
            .iter()
            .all(|t| t["body"].as_str().unwrap().contains("《消防演练》")),
        "{texts:?}"
    );
    assert_eq!(
        govhall_training::reminders::remind_classes(&s.state)
            .await
            .unwrap(),
        0,
        "once"
    );

    // An expired certificate is announced once.
    let now = Utc::now();
    let hall = query(&s.state.db, "SELECT id FROM halls WHERE code = 'CA-ZWFW'").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    insert_row(
        &s.state.db,
        "training_certificates",
        vec![
            ("id", "cert-old".into()),
            ("number", "GH-OLD-1".into()),
            ("hall_id", hall.into()),
            ("course_id", id(&course).into()),
            ("learner_id", "someone".into()),
            ("holder", "张三".into()),
            ("course_title", "消防安全".into()),
            ("issued_at", (now - Duration::days(400)).into()),
            ("expires_at", (now - Duration::days(1)).into()),
        ],
    )
    .await;
    let announce = || govhall_training::reminders::announce_expired(&s.state);
    assert_eq!(announce().await.unwrap(), 1);
    assert_eq!(announce().await.unwrap(), 0);
    let events = query(
        &s.state.db,
        "SELECT payload FROM events WHERE event_type = 'training.certificate.expired'",
    )
    .await;
    assert_eq!(events.len(), 1);
}

#[tokio::test]
async fn a_trainee_without_a_staff_number_learns_and_is_counted() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let course = created(
        &manager,
        "courses",
        json!({"title": "中心概况", "category": "岗前培训"}),
    )
    .await;
    let lesson = created(
        &manager,
        &format!("courses/{}/lessons", id(&course)),
        json!({"title": "中心简介", "kind": "text", "body": "长安区政务服务中心设综合受理区、企业服务区……"}),
    )
    .await;
    let trainee = s.login("trainee01").await;
    let r = trainee
        .post(
            &format!("{H}/training/lessons/{}/sessions", id(&lesson)),
            &json!({}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    // The statistics and the ranking count the trainee beside the staff.
    let stats: Value = manager.json(&format!("{H}/training/statistics")).await;
    let row = stats
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["detail"] == "外部学员")
        .unwrap_or_else(|| panic!("no trainee row: {stats}"));
    assert_eq!(row["name"], "新学员（待分配工号）");
    assert_eq!(row["courses_completed"], 1);
    let by_dept: Value = manager
        .json(&format!("{H}/training/statistics?by=department"))
        .await;
    assert!(
        by_dept
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "外部学员" && r["learners"] == 1),
        "{by_dept}"
    );
    let ranking: Value = trainee.json(&format!("{H}/training/ranking")).await;
    assert_eq!(ranking["me"]["name"], "新学员（待分配工号）", "{ranking}");
    assert_eq!(ranking["me"]["points"], 10);
    // A class's sign-in is for staff on the roster; the trainee is told so.
    let class = created(&manager, "classes", class_body("新人见面会", 0, 60)).await;
    let code: Value = manager
        .json(&format!("{H}/training/classes/{}/qr", id(&class)))
        .await;
    let r = trainee
        .post(
            &format!("{H}/training/classes/{}/presence", id(&class)),
            &json!({"token": code["token"]}),
        )
        .await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("人员档案"));
    // The admin is not theirs.
    assert_eq!(
        manager.get(&format!("{H}/training/plans")).await.status(),
        200
    );
    assert_eq!(
        trainee.get(&format!("{H}/training/plans")).await.status(),
        403
    );
}

#[tokio::test]
async fn a_plan_for_new_hires_addresses_those_who_joined_lately() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let course = created(
        &manager,
        "courses",
        json!({"title": "入职须知", "category": "岗前培训"}),
    )
    .await;
    let due = (govhall_kernel::time::today() + Duration::days(30)).to_string();
    let (status, v) = refused(
        &manager,
        "plans",
        json!({"title": "新人", "kind": "岗前", "course_ids": [id(&course)], "joined_within_days": 0, "due_on": due}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(v["fields"][0]["field"], "joined_within_days");
    // Ten window staff joined two months ago; the rest are new.
    {
        use sea_orm::ConnectionTrait;
        use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
        let old: Vec<String> = query(
            &s.state.db,
            "SELECT id FROM staff WHERE position = 'window_staff' ORDER BY employee_no",
        )
        .await
        .iter()
        .take(10)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
        let mut update = Query::update();
        update
            .table(Alias::new("staff"))
            .value(Alias::new("created_at"), Utc::now() - Duration::days(60))
            .and_where(Expr::col(Alias::new("id")).is_in(old));
        s.state.db.execute(&update).await.unwrap();
    }
    let plan = created(
        &manager,
        "plans",
        json!({"title": "新入职人员岗前培训", "kind": "岗前", "course_ids": [id(&course)], "position": "window_staff", "joined_within_days": 30, "due_on": due}),
    )
    .await;
    assert_eq!(plan["learners"], 46, "{plan}");
    assert_eq!(plan["joined_within_days"], 30);
    // clerk01 (CA0001) joined long ago: the new-hire plan is not theirs.
    let tasks: Value = s
        .login("clerk01")
        .await
        .json(&format!("{H}/training/tasks"))
        .await;
    assert_eq!(tasks, json!([]));
}
