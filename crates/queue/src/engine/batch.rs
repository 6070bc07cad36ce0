//! One batch of requests: read the hall's configuration, take the hall's lock,
//! bring the in-memory queue up to date, decide each request in arrival order,
//! write them all, commit, answer.

use super::{Command, hall::HallQueue, raise};
use crate::entity::{appointment, day_counter, line, skill, ticket, window_counter};
use crate::estimate::{Estimator, LineRate};
use crate::events;
use crate::policy::{self, Waiting};
use crate::settings::QueueSettings;
use crate::tickets::{
    ACTIVE, Called, IssueInput, Issued, TicketGuidance, check_holder, class_of, local_day,
    skills_of, status, to_dto,
};
use chrono::{DateTime, Utc};
use govhall_directory::{Window, WindowSession, service as directory, window_sessions};
use govhall_kernel::{
    AppError,
    crypto::sm3_hex,
    error::AppResult,
    identity::{IdCardNo, MobilePhone},
    new_id,
};
use govhall_platform::{
    AppState,
    audit::AuditEntry,
    db::{DbResultExt, begin_write, lock_hall},
    events::{Actor, NewEvent, commit_batch},
};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, sea_query::OnConflict,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::oneshot;

/// The hall's configuration as the engine decides by it. Kept by the engine
/// between batches and dropped by any event that changes it (`CONFIG_EVENTS`),
/// so a change applies to the next request without a read per batch.
pub(super) struct HallConfig {
    lines: Vec<line::Model>,
    settings: QueueSettings,
    windows: Vec<Window>,
    skills: Vec<skill::Model>,
    /// Who is signed in at which window.
    signed_in: Vec<WindowSession>,
}

/// Events that change a `HallConfig`: lines, settings, skills, windows and
/// who is signed in at them, the close of day.
pub(super) const CONFIG_EVENTS: &[&str] = &[
    "queue.line.",
    "queue.settings.",
    "queue.window.",
    "queue.day.",
    "directory.window.",
];

impl HallConfig {
    async fn read(state: &AppState, hall_id: &str) -> AppResult<HallConfig> {
        // Independent reads, side by side on the reader connections.
        let db = &state.read;
        let (lines, settings, windows, skills, signed_in) = tokio::try_join!(
            async {
                line::Entity::find()
                    .filter(line::Column::HallId.eq(hall_id))
                    .order_by_asc(line::Column::SortOrder)
                    .all(db)
                    .await
                    .db_err()
            },
            crate::settings::load(db, hall_id),
            directory::windows(db, hall_id),
            async {
                skill::Entity::find()
                    .filter(skill::Column::HallId.eq(hall_id))
                    .all(db)
                    .await
                    .db_err()
            },
            directory::open_sessions(db, hall_id),
        )?;
        Ok(HallConfig {
            lines,
            settings,
            windows,
            skills,
            signed_in,
        })
    }

    /// The engine's copy, or a fresh read when a change was published since.
    async fn current(state: &AppState, hall_id: &str) -> AppResult<Arc<HallConfig>> {
        let cache = &super::Engines::of(state).config;
        if let Some(config) = cache.get(hall_id) {
            return Ok(config);
        }
        let ticket = cache.ticket();
        let config = Arc::new(HallConfig::read(state, hall_id).await?);
        cache.put(ticket, hall_id, config.clone());
        Ok(config)
    }
}

/// A batch's view: the hall's configuration and the service rates of the
/// lines its tickets are issued in.
struct Config {
    hall: Arc<HallConfig>,
    rates: HashMap<String, LineRate>,
}

impl std::ops::Deref for Config {
    type Target = HallConfig;

    fn deref(&self) -> &HallConfig {
        &self.hall
    }
}

impl Config {
    async fn read(state: &AppState, hall_id: &str, cmds: &[Command]) -> AppResult<Config> {
        let mut config = Config {
            hall: HallConfig::current(state, hall_id).await?,
            rates: HashMap::new(),
        };
        let estimator = Estimator::of(state);
        for cmd in cmds {
            let Command::Issue { input, .. } = cmd else {
                continue;
            };
            let Ok(l) = config.line(&input.line) else {
                continue;
            };
            if !config.rates.contains_key(&l.id) {
                let id = l.id.clone();
                let rate = estimator
                    .rate(state, &id, config.settings.default_service_minutes)
                    .await?;
                config.rates.insert(id, rate);
            }
        }
        Ok(config)
    }
}

impl HallConfig {
    /// A line by id or prefix.
    fn line(&self, key: &str) -> AppResult<&line::Model> {
        self.lines
            .iter()
            .find(|l| l.id == key || l.prefix == key)
            .ok_or_else(|| AppError::NotFound(format!("业务队列“{key}”不存在")))
    }

    fn line_name(&self, id: &str) -> String {
        self.lines
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.name.clone())
            .unwrap_or_default()
    }
}

/// What the batch writes when it commits.
#[derive(Default)]
struct Writes {
    /// New tickets and called ones, by id (a ticket issued and called in the
    /// same batch is written once).
    tickets: HashMap<String, ticket::Model>,
    /// Lines whose day counter moved.
    lines: HashSet<String>,
    /// Windows whose policy counters moved.
    windows: HashSet<String>,
    events: Vec<(Actor, NewEvent)>,
    /// Audit entries of the requests that succeeded.
    audit: Vec<AuditEntry>,
}

/// A decided request, answered once the batch committed.
enum Answer {
    Issued(oneshot::Sender<AppResult<Issued>>, AppResult<Issued>),
    Called(
        oneshot::Sender<AppResult<Option<Called>>>,
        AppResult<Option<Called>>,
    ),
}

impl Answer {
    /// A failure of the database, not of the request: the batch cannot commit.
    fn broke(&self) -> Option<String> {
        let internal = |e: &AppError| matches!(e, AppError::Internal(_)).then(|| e.to_string());
        match self {
            Answer::Issued(_, Err(e)) => internal(e),
            Answer::Called(_, Err(e)) => internal(e),
            _ => None,
        }
    }

    fn send(self) {
        match self {
            Answer::Issued(reply, r) => {
                let _ = reply.send(r);
            }
            Answer::Called(reply, r) => {
                let _ = reply.send(r);
            }
        }
    }

    fn fail(self, message: &str) {
        let e = AppError::Internal(message.to_string());
        match self {
            Answer::Issued(reply, _) => {
                let _ = reply.send(Err(e));
            }
            Answer::Called(reply, _) => {
                let _ = reply.send(Err(e));
            }
        }
    }
}

/// What every request of the batch reads.
struct Ctx<'a> {
    state: &'a AppState,
    hall_id: &'a str,
    txn: &'a DatabaseTransaction,
    config: &'a Config,
    now: DateTime<Utc>,
    day: String,
    minute: i32,
}

pub(super) async fn run(
    state: &AppState,
    hall_id: &str,
    cached: &mut Option<HallQueue>,
    cmds: Vec<Command>,
) {
    let fail_all = |cmds: Vec<Command>, e: AppError| {
        tracing::error!(hall = hall_id, error = %e, "叫号批次失败");
        for cmd in cmds {
            cmd.fail(&e.to_string());
        }
    };
    let config = match Config::read(state, hall_id, &cmds).await {
        Ok(c) => c,
        Err(e) => return fail_all(cmds, e),
    };
    let now = Utc::now();
    let (day, minute) = local_day(now);
    let txn = match open(state, hall_id, cached, &config, &day).await {
        Ok(txn) => txn,
        Err(e) => {
            *cached = None;
            return fail_all(cmds, e);
        }
    };
    let hall = cached.as_mut().expect("loaded when opened");
    let ctx = Ctx {
        state,
        hall_id,
        txn: &txn,
        config: &config,
        now,
        day,
        minute,
    };
    let mut writes = Writes::default();
    let mut answers = Vec::with_capacity(cmds.len());
    let mut cmds = cmds.into_iter();
    for cmd in cmds.by_ref() {
        let answer = match cmd {
            Command::Issue {
                actor,
                input,
                booking,
                audit,
                reply,
            } => {
                let booking = booking.map(|b| *b);
                let r = issue(&ctx, hall, &mut writes, &actor, &input, booking).await;
                if r.is_ok() {
                    writes.audit.extend(audit);
                }
                Answer::Issued(reply, r)
            }
            Command::Call {
                actor,
                window_id,
                staff_id,
                audit,
                reply,
            } => {
                let r = call(&ctx, hall, &mut writes, &actor, &window_id, staff_id).await;
                if matches!(r, Ok(Some(_))) {
                    writes.audit.extend(audit);
                }
                Answer::Called(reply, r)
            }
        };
        let broke = answer.broke();
        answers.push(answer);
        if broke.is_some() {
            break;
        }
    }
    let outcome = match answers.iter().find_map(Answer::broke) {
        Some(message) => Err(AppError::Internal(message)),
        None if writes.events.is_empty() => Ok(None),
        None => persist(&ctx, hall, writes).await.map(Some),
    };
    drop(ctx);
    // Nothing to write (nobody waiting, every request refused): the
    // transaction is dropped, which rolls it back.
    let outcome = match outcome {
        Ok(Some(events)) => commit_batch(state, txn, events)
            .await
            .map(|()| hall.version += 1),
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    };
    for cmd in cmds {
        cmd.fail("同批请求失败，请重试");
    }
    match outcome {
        Ok(()) => answers.into_iter().for_each(Answer::send),
        Err(e) => {
            tracing::error!(hall = hall_id, error = %e, "叫号批次未能提交");
            *cached = None;
            answers.into_iter().for_each(|a| a.fail(&e.to_string()));
        }
    }
}

/// Begins the batch's transaction under the hall's lock, reloading the hall
/// when its tickets changed outside this engine (or the day turned).
async fn open(
    state: &AppState,
    hall_id: &str,
    cached: &mut Option<HallQueue>,
    config: &Config,
    day: &str,
) -> AppResult<DatabaseTransaction> {
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, hall_id).await.db_err()?;
    // Raised now for this batch (undone with it if nothing is written): the
    // version before it tells whether the copy in memory is current.
    let before = raise(&txn, hall_id).await? - 1;
    if !cached
        .as_ref()
        .is_some_and(|h| h.version == before && h.day == day)
    {
        let window_ids: Vec<String> = config.windows.iter().map(|w| w.id.to_string()).collect();
        *cached =
            Some(HallQueue::load(&txn, hall_id, day, before, &config.lines, &window_ids).await?);
    }
    Ok(txn)
}

async fn issue(
    ctx: &Ctx<'_>,
    hall: &mut HallQueue,
    writes: &mut Writes,
    actor: &Actor,
    input: &IssueInput,
    booking: Option<(appointment::Model, bool)>,
) -> AppResult<Issued> {
    let state = ctx.state;
    let holder = check_holder(input, govhall_kernel::time::local_date(ctx.now))?;
    let l = ctx.config.line(&input.line)?;
    if !l.active {
        return Err(AppError::Conflict {
            message: format!("“{}”暂停取号", l.name),
            fields: vec![],
        });
    }
    let hhmm = format!("{:02}:{:02}", ctx.minute / 60, ctx.minute % 60);
    if !takes_tickets_at(&l.opens_at, &l.closes_at, &hhmm) {
        return Err(AppError::Conflict {
            message: format!(
                "“{}”的取号时间为 {}—{}，现在不能取号",
                l.name, l.opens_at, l.closes_at
            ),
            fields: vec![],
        });
    }
    let person_idx = holder
        .id_number
        .as_ref()
        .map(IdCardNo::as_str)
        .or(holder.phone.as_ref().map(MobilePhone::as_str))
        .map(|v| state.pii.blind_index(v));
    if let Some(idx) = &person_idx
        && let Some(held) = held_by(ctx, writes, idx, &l.id).await?
    {
        return Err(AppError::Conflict {
            message: format!(
                "您已取得“{}”的 {held} 号，尚未办结，同一人同一业务只能持有一个有效号",
                l.name
            ),
            fields: vec![],
        });
    }
    let seq = hall.last_seq(&l.id) + 1;
    if l.daily_cap > 0 && seq > l.daily_cap {
        return Err(AppError::Conflict {
            message: format!(
                "“{}”今日 {} 个号已全部取完，请明天再来或预约",
                l.name, l.daily_cap
            ),
            fields: vec![],
        });
    }
    if let Some((b, _)) = &booking {
        check_in(ctx, b).await?;
    }
    let due = booking.as_ref().filter(|(_, due)| *due).map(|(b, _)| b);
    let rate = ctx
        .config
        .rates
        .get(&l.id)
        .copied()
        .ok_or_else(|| AppError::internal("line rate not read"))?;
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = hex::encode(raw);
    // A new ticket joins at the back: every waiting ticket of the line is ahead of it.
    let place = hall.waiting_in_line(&l.id);
    let t = ticket::Model {
        id: new_id().to_string(),
        hall_id: ctx.hall_id.to_string(),
        line_id: l.id.clone(),
        day: ctx.day.clone(),
        seq,
        number: format!("{}{seq:03}", l.prefix),
        class: if due.is_some() {
            "appointment"
        } else if holder.green_reason.is_some() {
            "green"
        } else {
            "normal"
        }
        .into(),
        channel: input.channel.clone(),
        status: status::WAITING.into(),
        issued_at: ctx.now,
        since: ctx.now,
        window_id: None,
        called_at: None,
        called_count: 0,
        finished_at: None,
        token_hash: sm3_hex(token.as_bytes()),
        note: None,
        id_enc: holder
            .id_number
            .as_ref()
            .map(|v| state.pii.encrypt(v.as_str())),
        phone_enc: holder.phone.as_ref().map(|v| state.pii.encrypt(v.as_str())),
        person_idx,
        wechat_openid_enc: None,
        green_reason: holder.green_reason.clone(),
        quoted_wait: Some(rate.quote(place)),
        no_show_count: 0,
        staff_id: None,
        appointment_id: booking.as_ref().map(|(b, _)| b.id.clone()),
        appt_from: due.map(|b| b.slot_from),
        appt_to: due.map(|b| b.slot_to),
        target_window_id: None,
        guidance: TicketGuidance::stored(input.guidance.as_ref()),
    };
    match &booking {
        // The booking points at its ticket: that ticket is written now.
        Some((b, _)) => {
            t.clone()
                .into_active_model()
                .insert(ctx.txn)
                .await
                .db_err()?;
            appointment::Entity::update_many()
                .col_expr(
                    appointment::Column::TicketId,
                    sea_orm::sea_query::Expr::value(t.id.clone()),
                )
                .filter(appointment::Column::Id.eq(&b.id))
                .exec(ctx.txn)
                .await
                .db_err()?;
        }
        None => {
            writes.tickets.insert(t.id.clone(), t.clone());
        }
    }
    hall.add(t.clone());
    hall.set_last_seq(&l.id, seq);
    writes.lines.insert(l.id.clone());
    crate::notices::to_holder(
        ctx.txn,
        state,
        &t,
        "ticket.issued",
        serde_json::json!({"number": t.number, "line": l.name, "ahead": place, "wait": t.quoted_wait}),
        format!(
            "您已取得“{}” {} 号，前面 {place} 人，预计等候约 {} 分钟。叫号时将短信通知您。",
            l.name,
            t.number,
            t.quoted_wait.unwrap_or_default()
        ),
        format!("issued:{}", t.id),
    )
    .await?;
    let ticket = to_dto(state.pii.as_ref(), t, &l.name, place);
    let ev = events::TICKET_ISSUED.event(
        Some(ctx.hall_id),
        &events::TicketIssued {
            ticket_id: ticket.id.clone(),
            number: ticket.number.clone(),
            line_id: l.id.clone(),
            class: ticket.class.clone(),
            green_reason: ticket.green_reason.clone(),
            channel: ticket.channel.clone(),
            ahead: ticket.ahead,
            quoted_wait: ticket.quoted_wait,
            appointment_id: booking.as_ref().map(|(b, _)| b.id.clone()),
        },
    );
    writes.events.push((actor.clone(), ev));
    Ok(Issued { ticket, token })
}

/// Whether a line with these hours (`HH:MM`) issues at `hhmm`. The close is
/// exclusive (17:00 stops at 17:00), except 23:59, the latest a time can be
/// written, which means to the end of the day.
fn takes_tickets_at(opens: &str, closes: &str, hhmm: &str) -> bool {
    hhmm >= opens && (hhmm < closes || closes == "23:59")
}

/// The number of the person's active ticket in the line today, if any
/// (this batch's tickets included).
async fn held_by(
    ctx: &Ctx<'_>,
    writes: &Writes,
    person_idx: &str,
    line_id: &str,
) -> AppResult<Option<String>> {
    let pending = writes.tickets.values().find(|t| {
        t.person_idx.as_deref() == Some(person_idx)
            && t.line_id == line_id
            && ACTIVE.contains(&t.status.as_str())
    });
    if let Some(t) = pending {
        return Ok(Some(t.number.clone()));
    }
    Ok(ticket::Entity::find()
        .filter(ticket::Column::PersonIdx.eq(person_idx))
        .filter(ticket::Column::LineId.eq(line_id))
        .filter(ticket::Column::Day.eq(&ctx.day))
        .filter(ticket::Column::Status.is_in(ACTIVE))
        .one(ctx.txn)
        .await
        .db_err()?
        .map(|t| t.number))
}

/// Marks the booking checked in; a second kiosk racing on it is refused here.
async fn check_in(ctx: &Ctx<'_>, b: &appointment::Model) -> AppResult<()> {
    let res = appointment::Entity::update_many()
        .col_expr(
            appointment::Column::Status,
            sea_orm::sea_query::Expr::value(crate::appointments::status::CHECKED_IN),
        )
        .col_expr(
            appointment::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(ctx.now),
        )
        .filter(appointment::Column::Id.eq(&b.id))
        .filter(appointment::Column::Status.eq(crate::appointments::status::BOOKED))
        .exec(ctx.txn)
        .await
        .db_err()?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict {
            message: "该预约已签到或已取消".into(),
            fields: vec![],
        });
    }
    Ok(())
}

async fn call(
    ctx: &Ctx<'_>,
    hall: &mut HallQueue,
    writes: &mut Writes,
    actor: &Actor,
    window_id: &str,
    staff_id: Option<String>,
) -> AppResult<Option<Called>> {
    let state = ctx.state;
    // Only the clerk signed in at the window calls for it.
    let signed_in = ctx
        .config
        .signed_in
        .iter()
        .any(|s| s.window_id == window_id && actor.id.as_deref() == Some(s.user_id.as_str()));
    if !signed_in {
        return Err(window_sessions::not_signed_in());
    }
    let win = ctx
        .config
        .windows
        .iter()
        .find(|w| w.id == window_id)
        .ok_or_else(|| AppError::not_found("窗口"))?;
    if win.status != "open" {
        return Err(AppError::Conflict {
            message: format!(
                "{}当前{}，请先恢复服务再叫号",
                win.name,
                if win.status == "paused" {
                    "暂停服务"
                } else {
                    "已关闭"
                }
            ),
            fields: vec![],
        });
    }
    let skills: Vec<skill::Model> = ctx
        .config
        .skills
        .iter()
        .filter(|s| s.window_id == window_id)
        .cloned()
        .collect();
    let lines: Vec<String> = if skills.is_empty() {
        ctx.config.lines.iter().map(|l| l.id.clone()).collect()
    } else {
        skills.iter().map(|s| s.line_id.clone()).collect()
    };
    let mut heads = hall.heads(&lines);
    // A ticket transferred to this very window comes first (an explicit action).
    let targeted = hall.targeted_head(window_id);
    let explicit = targeted.map(|t| t.id.clone());
    heads.extend(targeted);
    // The policy reads queue time in minutes; ties are broken by `seq`, so
    // give it each head's rank by exact queue time.
    heads.sort_by_key(|t| (t.since, t.seq));
    let queue: Vec<Waiting> = heads
        .iter()
        .enumerate()
        .map(|(rank, t)| Waiting {
            id: t.id.clone(),
            line: t.line_id.clone(),
            class: class_of(t),
            since: local_day(t.since).1,
            seq: rank as u64,
            aging_minutes: ctx
                .config
                .lines
                .iter()
                .find(|l| l.id == t.line_id)
                .and_then(|l| l.aging_minutes),
        })
        .collect();
    let mut counters = hall.counters(window_id);
    let Some(choice) = policy::select_next(
        &skills_of(&skills),
        &queue,
        &ctx.config.settings.policy,
        &counters,
        ctx.minute,
        explicit.as_deref(),
    ) else {
        return Ok(None);
    };
    let mut t = hall
        .remove(&choice.id)
        .ok_or_else(|| AppError::internal("chosen ticket not waiting"))?;
    policy::record(&mut counters, class_of(&t), choice.reason);
    hall.set_counters(window_id, counters);
    writes.windows.insert(window_id.to_string());
    t.status = status::CALLED.into();
    t.window_id = Some(window_id.to_string());
    t.called_at = Some(ctx.now);
    t.called_count = 1;
    t.staff_id = staff_id;
    writes.tickets.insert(t.id.clone(), t.clone());
    let reason = serde_json::to_value(choice.reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    crate::notices::to_holder(
        ctx.txn,
        state,
        &t,
        "ticket.called",
        serde_json::json!({"number": t.number, "window": win.name}),
        format!("请 {} 号到 {} 办理。", t.number, win.name),
        format!("called:{}:{}", t.id, ctx.now.timestamp_millis()),
    )
    .await?;
    let n = ctx.config.settings.notify_ahead;
    if n > 0
        && let Some(next) = hall.nth_in_line(&t.line_id, n as usize)
    {
        crate::notices::soon(ctx.txn, state, next, n).await?;
    }
    let line_name = ctx.config.line_name(&t.line_id);
    let ticket = to_dto(state.pii.as_ref(), t, &line_name, 0);
    let ev = events::TICKET_CALLED.event(
        Some(ctx.hall_id),
        &events::TicketCalled {
            ticket_id: ticket.id.clone(),
            number: ticket.number.clone(),
            line_id: ticket.line_id.clone(),
            window_id: window_id.to_string(),
            reason: reason.clone(),
        },
    );
    writes.events.push((actor.clone(), ev));
    Ok(Some(Called { ticket, reason }))
}

/// Writes the batch's tickets, counters and audit entries, one statement
/// each. Returns the events to commit with them.
async fn persist(
    ctx: &Ctx<'_>,
    hall: &HallQueue,
    writes: Writes,
) -> AppResult<Vec<(Actor, NewEvent)>> {
    use ticket::Column as T;
    let txn = ctx.txn;
    if !writes.tickets.is_empty() {
        ticket::Entity::insert_many(
            writes
                .tickets
                .into_values()
                .map(IntoActiveModel::into_active_model),
        )
        .on_conflict(
            OnConflict::column(T::Id)
                .update_columns([
                    T::Status,
                    T::WindowId,
                    T::CalledAt,
                    T::CalledCount,
                    T::StaffId,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await
        .db_err()?;
    }
    if !writes.lines.is_empty() {
        day_counter::Entity::insert_many(writes.lines.iter().map(|l| day_counter::ActiveModel {
            line_id: Set(l.clone()),
            day: Set(ctx.day.clone()),
            last_seq: Set(hall.last_seq(l)),
        }))
        .on_conflict(
            OnConflict::columns([day_counter::Column::LineId, day_counter::Column::Day])
                .update_column(day_counter::Column::LastSeq)
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await
        .db_err()?;
    }
    if !writes.windows.is_empty() {
        use window_counter::Column as W;
        window_counter::Entity::insert_many(writes.windows.iter().map(|w| {
            let c = hall.counters(w);
            window_counter::ActiveModel {
                window_id: Set(w.clone()),
                day: Set(ctx.day.clone()),
                others_since_green: Set(c.others_since_green as i32),
                greens_in_row: Set(c.greens_in_row as i32),
                calls: Set(c.calls as i32),
                appointment_calls: Set(c.appointment_calls as i32),
            }
        }))
        .on_conflict(
            OnConflict::columns([W::WindowId, W::Day])
                .update_columns([
                    W::OthersSinceGreen,
                    W::GreensInRow,
                    W::Calls,
                    W::AppointmentCalls,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await
        .db_err()?;
    }
    govhall_platform::audit::append_in(txn, &ctx.state.audit_seal, writes.audit).await?;
    Ok(writes.events)
}

#[cfg(test)]
mod tests {
    use super::takes_tickets_at;

    #[test]
    fn a_line_issues_within_its_hours_and_23_59_means_the_whole_day() {
        assert!(!takes_tickets_at("08:30", "17:00", "08:29"));
        assert!(takes_tickets_at("08:30", "17:00", "08:30"));
        assert!(takes_tickets_at("08:30", "17:00", "16:59"));
        assert!(!takes_tickets_at("08:30", "17:00", "17:00"));
        assert!(takes_tickets_at("00:00", "23:59", "23:59"));
        assert!(takes_tickets_at("00:00", "23:59", "00:00"));
    }
}
