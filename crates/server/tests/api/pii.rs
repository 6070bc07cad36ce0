//! Personal data never appears in plaintext: not in the SQLite files, not in a
//! PostgreSQL dump, not in the logs — only masked on screen.

use crate::spawned::Spawned;
use govhall_testkit::{DEMO_PASSWORD, TestServer};
use serde_json::json;
use std::{io::Read, process::Command};

const PHONE: &str = "13812345678";

#[tokio::test]
async fn no_plaintext_phone_in_the_database_files_or_a_dump() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    let created = api
        .post(
            "/api/v1/halls/CA-ZWFW/staff",
            &json!({"employee_no": "P001", "name": "隐私测试", "phone": PHONE}),
        )
        .await;
    assert_eq!(created.status(), 201);
    assert_eq!(
        api.json(&format!("/api/v1/halls/CA-ZWFW/staff?q={PHONE}"))
            .await["total"],
        1
    );

    match govhall_testkit::backend() {
        "postgres" => {
            let url = s.state.config.database_url();
            let dump = Command::new("pg_dump")
                .arg(&url)
                .output()
                .expect("pg_dump runs");
            assert!(
                dump.status.success(),
                "{}",
                String::from_utf8_lossy(&dump.stderr)
            );
            let text = String::from_utf8_lossy(&dump.stdout);
            assert!(
                text.contains("sm4gcm:"),
                "the dump should hold the ciphertext"
            );
            assert!(
                !text.contains(PHONE),
                "plaintext phone in the PostgreSQL dump"
            );
        }
        _ => {
            // The main file and the write-ahead log, as they are on disk right now.
            let mut seen = 0;
            for entry in std::fs::read_dir(s.dir.path()).unwrap() {
                let path = entry.unwrap().path();
                if path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("govhall.db")
                {
                    let mut bytes = Vec::new();
                    std::fs::File::open(&path)
                        .unwrap()
                        .read_to_end(&mut bytes)
                        .unwrap();
                    assert!(
                        !contains(&bytes, PHONE.as_bytes()),
                        "plaintext phone in {}",
                        path.display()
                    );
                    seen += 1;
                }
            }
            assert!(seen >= 1);
        }
    }
    s.stop().await;
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The real binary, with debug logging, through sign-in, a write and a search by phone.
#[tokio::test]
async fn no_plaintext_phone_in_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let server = Spawned::serve(dir.path(), &["--log-json"], &[("GOVHALL_LOG", "debug")]);
    let base = server.base.clone();

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let login = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "manager", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    let csrf = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("govhall_csrf="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string();
    let created = http
        .post(format!("{base}/api/v1/halls/CA-ZWFW/staff"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"employee_no": "L001", "name": "日志测试", "phone": PHONE}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let bad = http
        .post(format!("{base}/api/v1/halls/CA-ZWFW/staff"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"employee_no": "L002", "name": "日志测试", "phone": "1381234567X"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let found = http
        .get(format!("{base}/api/v1/halls/CA-ZWFW/staff?q={PHONE}"))
        .send()
        .await
        .unwrap();
    assert_eq!(found.status(), 200);

    let logs = server.stop();
    assert!(
        logs.contains("/api/v1/halls/CA-ZWFW/staff"),
        "requests should be logged: {logs}"
    );
    assert!(!logs.contains(PHONE), "plaintext phone in the logs");
    assert!(
        !logs.contains("1381234567X"),
        "rejected phone input in the logs"
    );
}

#[tokio::test]
async fn rotating_the_key_re_encrypts_everything_and_keeps_search_working() {
    use govhall_kernel::crypto::{PiiCipher, SoftwarePiiCipher};

    let s = TestServer::with_demo().await;
    s.login("admin").await; // binds TOTP: an encrypted secret to rotate too
    // A ticket holder's ID number and phone: the queue's encrypted columns rotate too.
    let manager = s.login("manager").await;
    let line = manager
        .post(
            "/api/v1/halls/CA-ZWFW/queue/lines",
            &serde_json::json!({"prefix": "A", "name": "综合受理", "opens_at": "00:00", "closes_at": "23:59"}),
        )
        .await;
    assert_eq!(line.status(), 201);
    let device = crate::queue::kiosk(&manager).await;
    let issued = crate::queue::issue(
        &s,
        &device,
        serde_json::json!({"line": "A", "id_number": "11010519491231002X", "phone": "13912345678"}),
    )
    .await;
    assert_eq!(issued.status(), 201);
    // An HR profile: its ID number, salary card and salary structure rotate too,
    // and its blind index is recomputed.
    let profiles = manager.json("/api/v1/halls/CA-ZWFW/hr/profiles").await;
    let staff_id = profiles[0]["staff_id"].as_str().unwrap().to_string();
    let saved = manager
        .put(
            &format!("/api/v1/halls/CA-ZWFW/hr/profiles/{staff_id}"),
            &serde_json::json!({"id_card": "11010519491231002X", "bank_card": "4111111111111111",
                                "pay": {"base": 5000, "contribution_base": 5000}}),
        )
        .await;
    assert_eq!(saved.status(), 200);
    let old = govhall_platform::keys::read_key_file(&s.dir.path().join("pii.key")).unwrap();
    let url = s.state.config.database_url();
    let data_dir = s.dir.path().to_path_buf();
    let db = s.state.db.clone();
    s.state.shutdown.cancel();

    let out = Command::new(env!("CARGO_BIN_EXE_govhall"))
        .args([
            "--database",
            &url,
            "--data-dir",
            data_dir.to_str().unwrap(),
            "rotate-key",
        ])
        .env_remove("GOVHALL_DATABASE_URL")
        .env_remove("GOVHALL_PII_KEY")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        "人事档案：已重新加密 1 条",
        "人员手机号：已重新加密 76 条",
        "动态口令密钥：已重新加密 1 条",
        "号票持有人：已重新加密 1 条",
    ] {
        assert!(stdout.contains(line), "{stdout}");
    }

    let new = govhall_platform::keys::read_key_file(&data_dir.join("pii.key")).unwrap();
    assert_ne!(new.key_id(), old.key_id());
    assert!(std::fs::read_dir(&data_dir).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("pii.key.retired-")
    }));
    let rows = govhall_testkit::query(
        &db,
        "SELECT phone_enc, phone_idx FROM staff WHERE phone_enc IS NOT NULL",
    )
    .await;
    assert_eq!(rows.len(), 76);
    for row in &rows {
        let enc = row["phone_enc"].as_str().unwrap();
        let phone = new.decrypt(enc).expect("readable with the new key");
        assert!(
            old.decrypt(enc).is_err(),
            "still readable with the retired key"
        );
        assert_eq!(
            row["phone_idx"].as_str(),
            Some(new.blind_index(&phone).as_str())
        );
    }
    assert!(stdout.contains("号票持有人：已重新加密 1 条"), "{stdout}");
    assert!(stdout.contains("短信发件箱：已重新加密 1 条"), "{stdout}");
    let profile = govhall_testkit::query(&db, "SELECT * FROM hr_profiles")
        .await
        .remove(0);
    let id_number = new
        .decrypt(profile["id_card_enc"].as_str().unwrap())
        .unwrap();
    assert_eq!(id_number, "11010519491231002X");
    assert_eq!(
        profile["id_card_idx"].as_str(),
        Some(new.blind_index(&id_number).as_str())
    );
    assert!(
        new.decrypt(profile["pay_enc"].as_str().unwrap())
            .unwrap()
            .contains("5000")
    );
    let ticket = govhall_testkit::query(
        &db,
        "SELECT id_enc, phone_enc, person_idx FROM queue_tickets",
    )
    .await
    .remove(0);
    let id_number = new.decrypt(ticket["id_enc"].as_str().unwrap()).unwrap();
    assert_eq!(id_number, "11010519491231002X");
    assert_eq!(
        new.decrypt(ticket["phone_enc"].as_str().unwrap()).unwrap(),
        "13912345678"
    );
    assert_eq!(
        ticket["person_idx"].as_str(),
        Some(new.blind_index(&id_number).as_str())
    );
    // A second run finds nothing left under the old key.
    let again = Command::new(env!("CARGO_BIN_EXE_govhall"))
        .args([
            "--database",
            &url,
            "--data-dir",
            data_dir.to_str().unwrap(),
            "rotate-key",
            "--new-key",
            &SoftwarePiiCipher::generate_key_hex(),
        ])
        .env_remove("GOVHALL_DATABASE_URL")
        .env_remove("GOVHALL_PII_KEY")
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    s.stop().await;
}
