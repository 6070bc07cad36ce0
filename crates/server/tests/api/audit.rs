use govhall_testkit::TestServer;
use sea_orm::{ConnectionTrait, DbBackend};
use serde_json::{Value, json};

fn find(rows: &Value, pred: impl Fn(&Value) -> bool) -> &Value {
    rows["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| pred(r))
        .unwrap_or_else(|| panic!("no such audit row in {rows}"))
}

#[tokio::test]
async fn writes_sign_ins_and_refusals_are_audited_in_a_verifiable_chain() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    assert_eq!(
        manager
            .post(
                "/api/v1/halls/CA-ZWFW/windows",
                &json!({"code": "88", "name": "88号窗口"})
            )
            .await
            .status(),
        201
    );
    let wrong = s
        .client()
        .post(
            "/api/v1/auth/login",
            &json!({"username": "manager", "password": "nope"}),
        )
        .await;
    assert_eq!(wrong.status(), 401);
    let clerk = s.login("clerk01").await;
    assert_eq!(
        clerk
            .delete("/api/v1/halls/CA-ZWFW/windows/anything")
            .await
            .status(),
        403
    );

    // Reads of personal data and exports are recorded too; ordinary reads are not.
    assert_eq!(manager.get("/api/v1/notifications").await.status(), 200);
    assert_eq!(
        manager
            .get("/api/v1/halls/CA-ZWFW/catalog/export")
            .await
            .status(),
        200
    );
    assert_eq!(
        manager.get("/api/v1/halls/CA-ZWFW/windows").await.status(),
        200
    );

    let auditor = s.login("auditor").await;
    let rows = auditor.json("/api/v1/audit?page_size=200").await;
    for read in [
        "GET /api/v1/notifications",
        "GET /api/v1/halls/{hall}/catalog/export",
    ] {
        let r = find(&rows, |r| r["action"] == read);
        assert_eq!(r["actor_roles"], "中心管理员", "{read}");
        assert_eq!(r["status"], 200);
    }
    assert!(
        !rows["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "GET /api/v1/halls/{hall}/windows"),
        "an ordinary read is not audited"
    );
    let created = find(&rows, |r| {
        r["action"] == "POST /api/v1/halls/{hall}/windows"
    });
    assert_eq!(created["status"], 201);
    assert_eq!(created["outcome"], "success");
    assert_eq!(created["actor_roles"], "中心管理员");
    assert_eq!(created["target"], "/api/v1/halls/CA-ZWFW/windows");
    assert_eq!(created["ip"], "127.0.0.1");
    // It reads in Chinese, and a search in Chinese finds it.
    assert_eq!(created["summary"], "新增窗口");
    let by_word = auditor
        .json(&format!(
            "/api/v1/audit?page_size=200&action={}",
            "%E7%AA%97%E5%8F%A3" // 窗口
        ))
        .await;
    let found = by_word["items"].as_array().unwrap();
    assert!(
        found
            .iter()
            .any(|r| r["action"] == "POST /api/v1/halls/{hall}/windows"),
        "{by_word}"
    );
    assert!(
        found
            .iter()
            .all(|r| r["action"].as_str().unwrap().contains("window")),
        "{by_word}"
    );
    // A sign-in that succeeded names the account and its roles.
    let signed_in = find(&rows, |r| {
        r["action"] == "POST /api/v1/auth/login" && r["status"] == 200
    });
    assert!(signed_in["actor_id"].is_string(), "{signed_in}");
    assert!(
        !signed_in["actor_roles"].as_str().unwrap().is_empty(),
        "{signed_in}"
    );
    let failed_login = find(&rows, |r| {
        r["action"] == "POST /api/v1/auth/login" && r["status"] == 401
    });
    assert_eq!(failed_login["actor_name"], "manager");
    assert_eq!(failed_login["outcome"], "failure");
    let refused = find(&rows, |r| r["status"] == 403);
    assert_eq!(refused["actor_roles"], "窗口人员");

    let filtered = auditor.json("/api/v1/audit?outcome=failure").await;
    assert!(
        filtered["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "failure")
    );

    let csv = auditor.get("/api/v1/audit/export").await;
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("\u{feff}序号,时间,操作人"), "{text}");
    assert!(text.contains("POST /api/v1/auth/login"));

    let report = auditor.json("/api/v1/audit/verify").await;
    assert!(report["checked"].as_u64().unwrap() >= 4);
    assert_eq!(report["first_broken"], Value::Null);

    // Not even the application's own connection may change a row.
    let db = &s.state.db;
    let seq = failed_login["seq"].as_i64().unwrap();
    let edit = format!("UPDATE audit_log SET actor_name = '无名氏' WHERE seq = {seq}");
    assert!(
        db.execute_unprepared(&edit).await.is_err(),
        "audit_log accepted an UPDATE"
    );

    // Someone with database rights removes the guard and edits a row: verification names it.
    let drop_guards = match db.get_database_backend() {
        DbBackend::Postgres => "DROP TRIGGER audit_log_no_change ON audit_log",
        _ => "DROP TRIGGER audit_log_no_update",
    };
    db.execute_unprepared(drop_guards).await.unwrap();
    db.execute_unprepared(&edit).await.unwrap();
    let report = auditor.json("/api/v1/audit/verify").await;
    assert_eq!(report["first_broken"], seq);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_govhall"))
        .args([
            "--database",
            &s.state.config.database_url(),
            "--data-dir",
            s.dir.path().to_str().unwrap(),
            "audit",
            "verify",
        ])
        .env_remove("GOVHALL_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("第 {seq} 条")), "{stderr}");
    s.stop().await;
}

/// Lifts the append-only guard (as someone with database rights could).
async fn lift_guards(db: &sea_orm::DatabaseConnection) {
    let sql: &[&str] = match db.get_database_backend() {
        DbBackend::Postgres => &["DROP TRIGGER audit_log_no_change ON audit_log"],
        _ => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
    };
    for q in sql {
        db.execute_unprepared(q).await.unwrap();
    }
}

/// The newest and oldest entries' sequence numbers.
async fn ends(db: &sea_orm::DatabaseConnection) -> (i64, i64) {
    let mut seqs = Vec::new();
    for order in ["ASC", "DESC"] {
        let rows = govhall_testkit::query(
            db,
            &format!("SELECT seq FROM audit_log ORDER BY seq {order} LIMIT 1"),
        )
        .await;
        seqs.push(rows[0]["seq"].as_i64().unwrap());
    }
    (seqs[0], seqs[1])
}

/// The chain is keyed and checkpointed outside the table: an entry rewritten
/// and re-chained without the audit key, the newest entries cut off, and the
/// oldest entries removed without a purge are each reported.
#[tokio::test]
async fn a_rechained_or_truncated_log_fails_verification() {
    for attack in ["rechain", "cut newest", "cut oldest"] {
        let s = TestServer::with_demo().await;
        let manager = s.login("manager").await;
        for code in ["71", "72", "73"] {
            let r = manager
                .post(
                    "/api/v1/halls/CA-ZWFW/windows",
                    &json!({"code": code, "name": format!("{code}号窗口")}),
                )
                .await;
            assert_eq!(r.status(), 201);
        }
        let db = &s.state.db;
        govhall_platform::audit::seal::checkpoint(&s.state)
            .await
            .unwrap();
        let (lo, hi) = ends(db).await;
        let report = govhall_platform::audit::verify(db, &s.state.audit_seal)
            .await
            .unwrap();
        assert_eq!(report.first_broken, None, "{attack}: {report:?}");
        assert_eq!(report.anchored_head, Some(hi));
        lift_guards(db).await;
        let expected = match attack {
            "rechain" => {
                // Edit the next-to-newest entry, give it a fresh digest and
                // chain the newest onto it: every link matches, no key signed it.
                let forged = govhall_kernel::crypto::sm3_hex(b"forged");
                for sql in [
                    format!(
                        "UPDATE audit_log SET actor_name = '无名氏', hash = '{forged}' WHERE seq = {}",
                        hi - 1
                    ),
                    format!("UPDATE audit_log SET prev_hash = '{forged}' WHERE seq = {hi}"),
                ] {
                    db.execute_unprepared(&sql).await.unwrap();
                }
                hi - 1
            }
            "cut newest" => {
                db.execute_unprepared(&format!("DELETE FROM audit_log WHERE seq >= {}", hi - 1))
                    .await
                    .unwrap();
                hi
            }
            _ => {
                db.execute_unprepared(&format!("DELETE FROM audit_log WHERE seq <= {}", lo + 1))
                    .await
                    .unwrap();
                lo + 2
            }
        };
        let report = govhall_platform::audit::verify(db, &s.state.audit_seal)
            .await
            .unwrap();
        assert_eq!(report.first_broken, Some(expected), "{attack}: {report:?}");
        let reason = report.reason.unwrap();
        let named = match attack {
            "rechain" => "审计密钥",
            "cut newest" => "截断",
            _ => "未经清理",
        };
        assert!(reason.contains(named), "{attack}: {reason}");
        // The checkpoint does not follow a shortened log backwards.
        govhall_platform::audit::seal::checkpoint(&s.state)
            .await
            .unwrap();
        if attack == "cut newest" {
            let again = govhall_platform::audit::verify(db, &s.state.audit_seal)
                .await
                .unwrap();
            assert_eq!(again.first_broken, Some(hi));
        }
        // An edited checkpoint file is itself reported.
        let anchor = s.dir.path().join("audit-anchor.json");
        let text = std::fs::read_to_string(&anchor).unwrap();
        std::fs::write(&anchor, text.replace("\"head_seq\": ", "\"head_seq\": 1")).unwrap();
        let report = govhall_platform::audit::verify(db, &s.state.audit_seal)
            .await
            .unwrap();
        assert!(
            report.reason.unwrap().contains("校验点文件"),
            "{attack}: an edited checkpoint"
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn old_entries_are_purged_after_the_retention_period_and_the_rest_still_verifies() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    for code in ["81", "82", "83"] {
        assert_eq!(
            manager
                .post(
                    "/api/v1/halls/CA-ZWFW/windows",
                    &json!({"code": code, "name": format!("{code}号窗口")})
                )
                .await
                .status(),
            201
        );
    }
    // Make the two oldest entries 200 days old (the guard is lifted only to simulate the passage of time).
    let db = &s.state.db;
    let lift = match db.get_database_backend() {
        DbBackend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
        _ => "DROP TRIGGER audit_log_no_update",
    };
    db.execute_unprepared(lift).await.unwrap();
    let old = (chrono::Utc::now() - chrono::Duration::days(200)).to_rfc3339();
    let backdate = match db.get_database_backend() {
        DbBackend::Postgres => {
            format!("UPDATE audit_log SET occurred_at = '{old}'::timestamptz WHERE seq <= 2")
        }
        _ => format!("UPDATE audit_log SET occurred_at = '{old}' WHERE seq <= 2"),
    };
    db.execute_unprepared(&backdate).await.unwrap();
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
            .await
            .unwrap();
    }

    let removed = govhall_platform::audit::purge(&s.state, "测试")
        .await
        .unwrap();
    assert_eq!(removed, 2);
    let auditor = s.login("auditor").await;
    let report = auditor.json("/api/v1/audit/verify").await;
    assert_eq!(report["first_broken"], Value::Null, "{report}");
    let purges = auditor.json("/api/v1/audit?action=PURGE").await;
    assert_eq!(purges["total"], 1);
    // The guard is back: the application still cannot delete.
    assert!(
        db.execute_unprepared("DELETE FROM audit_log")
            .await
            .is_err()
    );
    s.stop().await;
}

#[tokio::test]
async fn a_retention_below_180_days_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let config = govhall_platform::config::Config {
        data_dir: dir.path().to_path_buf(),
        audit_retention_days: 90,
        ..Default::default()
    };
    let err = govhall_platform::AppState::open(config)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("180"), "{err}");
}

#[tokio::test]
async fn concurrent_writes_are_grouped_into_one_unbroken_chain() {
    let s = TestServer::with_demo().await;
    let clerk = s.login("clerk01").await;
    let auditor = s.login("auditor").await;
    let before = auditor.json("/api/v1/audit?page_size=1").await["total"]
        .as_u64()
        .unwrap();
    // Forty refused writes at once: each is audited, all land in one chain.
    let tasks = (0..40).map(|i| {
        let clerk = clerk.clone();
        tokio::spawn(async move {
            clerk
                .post(
                    "/api/v1/halls/CA-ZWFW/windows",
                    &serde_json::json!({"code": format!("9{i}"), "name": "越权"}),
                )
                .await
                .status()
        })
    });
    for status in futures::future::join_all(tasks).await {
        assert_eq!(status.unwrap(), 403);
    }
    let after = auditor.json("/api/v1/audit?page_size=1").await["total"]
        .as_u64()
        .unwrap();
    assert!(
        after >= before + 40,
        "every refusal audited ({before} → {after})"
    );
    let report = auditor.json("/api/v1/audit/verify").await;
    assert!(report["first_broken"].is_null(), "{report}");
}

/// A flood of requests without an account costs one row per address and
/// minute (and one summary with the count); a signed-in user's refusals are
/// each recorded.
#[tokio::test]
async fn anonymous_refusals_are_summarised_per_address_and_minute() {
    let s = TestServer::with_demo().await;
    let anonymous = s.client();
    let floods = (0..300).map(|_| anonymous.get("/api/v1/halls/CA-ZWFW/windows"));
    for r in futures::future::join_all(floods).await {
        assert_eq!(r.status(), 401);
    }
    let clerk = s.login("clerk01").await;
    for _ in 0..5 {
        assert_eq!(clerk.get("/api/v1/security/users").await.status(), 403);
    }
    let rows = |sql: &'static str| {
        let db = s.state.db.clone();
        async move { govhall_testkit::query(&db, sql).await.len() }
    };
    let anonymous_rows =
        rows("SELECT seq FROM audit_log WHERE action = 'GET /api/v1/halls/{hall}/windows'").await;
    // One, or two when the minute turned during the flood.
    assert!(
        (1..=2).contains(&anonymous_rows),
        "{anonymous_rows} rows for 300 refusals"
    );
    let refused =
        rows("SELECT seq FROM audit_log WHERE action = 'GET /api/v1/security/users'").await;
    assert_eq!(refused, 5);

    // When the minute is over, the rest are written as one counted row.
    let next_minute = govhall_platform::audit::refusals::current_minute() + 1;
    let summaries = s.state.anonymous_refusals.finished(next_minute);
    let counted: u64 = summaries
        .iter()
        .map(|e| {
            let n = e.target.split("另有 ").nth(1).unwrap();
            n.split(' ').next().unwrap().parse::<u64>().unwrap()
        })
        .sum();
    assert_eq!(counted as usize + anonymous_rows, 300);
    assert!(
        summaries
            .iter()
            .all(|e| e.ip.as_deref() == Some("127.0.0.1"))
    );
    s.stop().await;
}
