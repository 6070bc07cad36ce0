//! 有人等候时空闲 on one crafted day at one window, written to the event log
//! as the terminals would have: a wait while the window sat idle is found,
//! with the window day and the ticket as evidence; a wait the window spent
//! paused or serving someone, or a wait on a line it does not serve, is not.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use govhall_directory::events as de;
use govhall_platform::events::{Actor, NewEvent};
use govhall_queue::events as qe;
use govhall_testkit::TestServer;
use serde_json::{Value, json};

const H: &str = "/api/v1/halls/CA-ZWFW";

fn at(day: NaiveDate, hh: u32, mm: u32) -> DateTime<Utc> {
    govhall_kernel::time::HALL_TZ
        .from_local_datetime(&day.and_hms_opt(hh, mm, 0).unwrap())
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// The ticket events of a window.
struct Desk {
    window_id: String,
    actor: Actor,
}

impl Desk {
    fn at_window(&self, ticket: &str, number: &str) -> qe::TicketAtWindow {
        qe::TicketAtWindow {
            ticket_id: ticket.into(),
            number: number.into(),
            window_id: self.window_id.clone(),
            called_count: 1,
            requeued: None,
            from_line: None,
            to_line: None,
            front: None,
            to_window: None,
        }
    }

    /// Called at `call`, started a minute later, finished at `done`.
    fn serve(
        &self,
        day: NaiveDate,
        (ticket, number, line): (&str, &str, &str),
        call: (u32, u32),
        done: (u32, u32),
    ) -> Vec<(Actor, NewEvent, DateTime<Utc>)> {
        let hall = Some("");
        let called = qe::TicketCalled {
            ticket_id: ticket.into(),
            number: number.into(),
            line_id: line.into(),
            window_id: self.window_id.clone(),
            reason: "按取号顺序".into(),
        };
        let called_at = at(day, call.0, call.1);
        vec![
            (
                self.actor.clone(),
                qe::TICKET_CALLED.event(hall, &called),
                called_at,
            ),
            (
                self.actor.clone(),
                qe::TICKET_STARTED.event(hall, &self.at_window(ticket, number)),
                called_at + Duration::minutes(1),
            ),
            (
                self.actor.clone(),
                qe::TICKET_FINISHED.event(hall, &self.at_window(ticket, number)),
                at(day, done.0, done.1),
            ),
        ]
    }
}

fn issued(
    day: NaiveDate,
    (ticket, number, line): (&str, &str, &str),
    hh: u32,
    mm: u32,
) -> (Actor, NewEvent, DateTime<Utc>) {
    let ev = qe::TicketIssued {
        ticket_id: ticket.into(),
        number: number.into(),
        line_id: line.into(),
        class: "normal".into(),
        green_reason: None,
        channel: "kiosk".into(),
        ahead: 0,
        quoted_wait: None,
        appointment_id: None,
    };
    (
        Actor {
            id: None,
            name: "取号机".into(),
        },
        qe::TICKET_ISSUED.event(Some(""), &ev),
        at(day, hh, mm),
    )
}

#[tokio::test]
async fn a_window_idle_while_its_line_waits_is_found_and_a_paused_or_busy_one_is_not() {
    let s = TestServer::with_demo().await;
    govhall_server::demo::seed_queue_if_empty(&s.state)
        .await
        .unwrap();
    let state = &s.state;
    let hall = govhall_directory::service::hall(state, "CA-ZWFW")
        .await
        .unwrap();
    let hall_id = hall.id.to_string();
    let lines = govhall_queue::lines::list(state, &hall_id).await.unwrap();
    let skills = govhall_queue::lines::all_skills(state, &hall_id)
        .await
        .unwrap();
    // A window with skills, one of its lines, and a line it does not serve.
    let (window_id, own, other) = skills
        .iter()
        .find_map(|sk| {
            let other = lines.iter().find(|l| {
                !skills
                    .iter()
                    .any(|o| o.window_id == sk.window_id && o.line_id == l.id)
            })?;
            let own = lines.iter().find(|l| l.id == sk.line_id)?;
            Some((sk.window_id.clone(), own.clone(), other.clone()))
        })
        .expect("the demo has a window that does not serve every line");
    let view = govhall_directory::service::window_views(state, &hall_id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.id == window_id)
        .unwrap();
    let manager = s.login("manager").await;
    let zhang = crate::payroll::staff_id(&manager, "CA0001").await;
    let account = govhall_platform::auth::service::account_of_staff(&state.db, &zhang)
        .await
        .unwrap()
        .expect("clerk01 has an account")
        .id;
    let desk = Desk {
        window_id: window_id.clone(),
        actor: Actor {
            id: Some(account.clone()),
            name: "王静".into(),
        },
    };

    // Last week's Monday, moved on to a working day.
    let cal = govhall_directory::calendar::load_for_hall(state, &hall_id)
        .await
        .unwrap();
    let today = govhall_kernel::time::today();
    let mut day = govhall_performance::findings::monday(today) - Duration::days(7);
    while !cal.is_working_day(day) {
        day += Duration::days(1);
    }
    let hall_ref = Some(hall_id.as_str());
    let signed_in = de::WindowSignedIn {
        window_id: window_id.clone(),
        code: view.code.clone(),
        name: view.name.clone(),
        user_id: account.clone(),
        staff_name: "王静".into(),
    };
    let mut paused = view.clone();
    paused.status = "paused".into();
    paused.pause_reason = Some("临时离岗".into());
    let numbers: Vec<String> = (101..=103)
        .map(|n| format!("{}{n}", own.prefix))
        .chain([format!("{}104", other.prefix), format!("{}105", own.prefix)])
        .collect();
    let a = ("t-idle-a", numbers[0].as_str(), own.id.as_str());
    let b = ("t-idle-b", numbers[1].as_str(), own.id.as_str());
    let c = ("t-idle-c", numbers[2].as_str(), own.id.as_str());
    let d = ("t-idle-d", numbers[3].as_str(), other.id.as_str());
    let e = ("t-idle-e", numbers[4].as_str(), own.id.as_str());
    let mut evs = vec![
        (
            desk.actor.clone(),
            de::WINDOW_SIGNED_IN.event(hall_ref, &signed_in),
            at(day, 9, 0),
        ),
        // A waits 09:10–09:40 while the window does nothing: 30 minutes.
        issued(day, a, 9, 10),
        // E waits 09:41–09:55, the window serving A until 09:50: five minutes.
        issued(day, e, 9, 41),
        // B waits three minutes while the window is free: under the limit.
        issued(day, b, 10, 0),
        // C waits 10:35–11:31, the window paused until 11:30: one minute.
        (
            desk.actor.clone(),
            de::WINDOW_PAUSED.event(hall_ref, &paused),
            at(day, 10, 30),
        ),
        issued(day, c, 10, 35),
        (
            desk.actor.clone(),
            de::WINDOW_RESUMED.event(hall_ref, &view),
            at(day, 11, 30),
        ),
        // D waits 11:45–12:30 for a line this window does not serve.
        issued(day, d, 11, 45),
        (
            desk.actor.clone(),
            de::WINDOW_SIGNED_OUT.event(
                hall_ref,
                &de::WindowSignedOut {
                    window_id: window_id.clone(),
                    code: view.code.clone(),
                    user_id: account.clone(),
                },
            ),
            at(day, 12, 0),
        ),
    ];
    evs.extend(desk.serve(day, a, (9, 40), (9, 50)));
    evs.extend(desk.serve(day, e, (9, 55), (9, 58)));
    evs.extend(desk.serve(day, b, (10, 3), (10, 20)));
    evs.extend(desk.serve(day, c, (11, 31), (11, 40)));
    let next_door = Desk {
        window_id: skills
            .iter()
            .find(|o| o.line_id == other.id)
            .map_or_else(|| "another-window".into(), |o| o.window_id.clone()),
        actor: desk.actor.clone(),
    };
    evs.extend(next_door.serve(day, d, (12, 30), (12, 40)));
    for (_, ev, _) in &mut evs {
        ev.hall_id = Some(hall_id.clone());
    }
    evs.sort_by_key(|e| e.2);
    govhall_platform::events::append_history(&state.db, evs)
        .await
        .unwrap();

    let url = format!("{H}/performance/finding-rules");
    let only_idle = |limit: i64| {
        json!({"pause_limit_minutes": 30, "slow_factor": 3, "slow_extra_minutes": 15,
               "bad_cluster": 2, "idle_limit_minutes": limit, "rectify_working_days": 3,
               "disabled": ["long_pause", "slow_service", "called_not_served", "bad_cluster", "overdue_case"]})
    };
    let r = manager.put(&url, &only_idle(2)).await;
    assert_eq!(r.status(), 422, "the limit is 3–120 minutes");
    assert_eq!(
        crate::payroll::fields(&r.json().await.unwrap()),
        ["idle_limit_minutes"]
    );
    let scan = || async {
        let r = manager
            .post(
                &format!("{H}/performance/findings/scan"),
                &json!({"week": day.to_string()}),
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        r.json::<Value>().await.unwrap()["rows"]
            .as_array()
            .unwrap()
            .clone()
    };
    assert_eq!(manager.put(&url, &only_idle(31)).await.status(), 200);
    assert!(
        scan().await.is_empty(),
        "30 minutes is under a 31-minute limit"
    );
    assert_eq!(manager.put(&url, &only_idle(10)).await.status(), 200);
    let rows = scan().await;
    assert_eq!(rows.len(), 1, "only A's wait: {rows:?}");
    let f = &rows[0];
    assert_eq!(f["rule_key"], "idle_waiting");
    assert_eq!(f["staff_id"], zhang.as_str());
    assert_eq!(f["day"], day.to_string());
    assert!(
        f["detail"]
            .as_str()
            .unwrap()
            .contains("09:10—09:40（30 分钟）"),
        "{f}"
    );
    let evidence: Vec<&str> = f["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        evidence,
        [format!("{window_id}:{day}").as_str(), "t-idle-a"]
    );
    // The rules in force are stated on the bulletin.
    let rules: Value = manager.json(&url).await;
    assert_eq!(rules["idle_limit_minutes"], 10);
    s.stop().await;
}
