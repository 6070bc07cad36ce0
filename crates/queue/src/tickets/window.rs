//! What a window does with the ticket it called: recall, start, finish,
//! no-show, park, resume, transfer — serialized per hall like the call.

use super::*;

/// What a window does with the ticket it called.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum WindowAction {
    /// 重呼: announce again.
    Recall,
    /// 开始办理.
    Start,
    /// 办结.
    Finish,
    /// 过号: the citizen did not come (this policy voids the ticket).
    NoShow,
    /// 挂起: set aside, to resume later at this window.
    Park,
    /// 回呼 a parked ticket.
    Resume,
    /// 转号 to another line, at its front (keeping the original time) or back;
    /// with `window`, only that window may call it.
    Transfer {
        line: String,
        #[serde(default)]
        window: Option<String>,
        #[serde(default)]
        front: bool,
        #[serde(default)]
        note: Option<String>,
    },
}

impl WindowAction {
    /// The event it records.
    fn event(&self) -> &'static EventType<events::TicketAtWindow> {
        match self {
            WindowAction::Recall => &events::TICKET_RECALLED,
            WindowAction::Start => &events::TICKET_STARTED,
            WindowAction::Finish => &events::TICKET_FINISHED,
            WindowAction::NoShow => &events::TICKET_NO_SHOW,
            WindowAction::Park => &events::TICKET_PARKED,
            WindowAction::Resume => &events::TICKET_RESUMED,
            WindowAction::Transfer { .. } => &events::TICKET_TRANSFERRED,
        }
    }

    /// The statuses the ticket may be in for this action.
    fn from(&self) -> &'static [&'static str] {
        match self {
            WindowAction::Recall | WindowAction::NoShow => &[status::CALLED],
            WindowAction::Start => &[status::CALLED],
            WindowAction::Finish | WindowAction::Park | WindowAction::Transfer { .. } => {
                &[status::CALLED, status::SERVING]
            }
            WindowAction::Resume => &[status::PARKED],
        }
    }
}

/// Applies a window action to a ticket held by that window, serialized per hall.
pub async fn act(
    state: &AppState,
    actor: &Actor,
    ticket_id: &str,
    window_id: &str,
    action: &WindowAction,
) -> AppResult<TicketDto> {
    let hall_id = find(state, ticket_id).await?.hall_id;
    let (target, target_window) = match action {
        WindowAction::Transfer {
            line, note, window, ..
        } => {
            if note.as_ref().is_some_and(|n| n.chars().count() > 200) {
                return Err(AppError::field("note", "转号备注不能超过 200 字"));
            }
            let target_window = match window.as_deref().filter(|w| !w.is_empty()) {
                Some(w) => Some(transfer_window(state, &hall_id, w, window_id).await?),
                None => None,
            };
            (Some(find_line(state, &hall_id, line).await?), target_window)
        }
        _ => (None, None),
    };
    let settings = crate::settings::load(&state.db, &hall_id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, &hall_id).await.db_err()?;
    let t = ticket::Entity::find_by_id(ticket_id.to_string())
        .one(&txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("号票"))?;
    if t.window_id.as_deref() != Some(window_id) || !action.from().contains(&t.status.as_str()) {
        return Err(AppError::Conflict {
            message: format!("{} 当前不能在本窗口{}", t.number, action_label(action)),
            fields: vec![],
        });
    }
    let now = Utc::now();
    let from_line = t.line_id.clone();
    let mut row: ticket::ActiveModel = t.clone().into();
    match action {
        WindowAction::Recall => row.called_count = Set(t.called_count + 1),
        WindowAction::Start => row.status = Set(status::SERVING.into()),
        WindowAction::Finish => {
            row.status = Set(status::COMPLETED.into());
            row.finished_at = Set(Some(now));
        }
        WindowAction::NoShow => {
            let places = settings.no_show_requeue_places;
            if places > 0 && (t.no_show_count as u32) < settings.no_show_max_requeues {
                // 过号顺延: back in line `places` behind the head, called again later.
                row.status = Set(status::WAITING.into());
                row.window_id = Set(None);
                row.called_count = Set(0);
                row.since = Set(requeue_time(&txn, &t, places, now).await?);
            } else {
                row.status = Set(status::NO_SHOW.into());
                row.finished_at = Set(Some(now));
            }
            row.no_show_count = Set(t.no_show_count + 1);
        }
        WindowAction::Park => row.status = Set(status::PARKED.into()),
        WindowAction::Resume => {
            row.status = Set(status::CALLED.into());
            row.called_count = Set(t.called_count + 1);
        }
        WindowAction::Transfer { front, note, .. } => {
            let line = target.as_ref().expect("transfer has a line");
            row.status = Set(status::WAITING.into());
            row.line_id = Set(line.id.clone());
            row.window_id = Set(None);
            row.called_count = Set(0);
            row.note = Set(note.clone());
            row.target_window_id = Set(target_window.as_ref().map(|w| w.id.to_string()));
            if !front {
                row.since = Set(now);
            }
        }
    }
    let t = row.update(&txn).await.db_err()?;
    crate::engine::touch(&txn, &hall_id).await?;
    let transfer = match action {
        WindowAction::Transfer { front, .. } => Some(*front),
        _ => None,
    };
    let ev = action.event().event(
        Some(&hall_id),
        &events::TicketAtWindow {
            ticket_id: t.id.clone(),
            number: t.number.clone(),
            window_id: window_id.to_string(),
            called_count: t.called_count,
            requeued: (*action == WindowAction::NoShow).then_some(t.status == status::WAITING),
            from_line: transfer.map(|_| from_line.clone()),
            to_line: transfer.map(|_| t.line_id.clone()),
            front: transfer,
            to_window: transfer
                .and(target_window.as_ref())
                .map(|w| w.id.to_string()),
        },
    );
    let line_name = line::Entity::find_by_id(t.line_id.clone())
        .one(&txn)
        .await
        .db_err()?
        .map(|l| l.name)
        .unwrap_or_default();
    let notice = match action {
        WindowAction::Recall => Some((
            "ticket.called",
            format!("请 {} 号到窗口办理（再次呼叫）。", t.number),
        )),
        WindowAction::Transfer { .. } => Some((
            "ticket.transferred",
            format!("您的 {} 号已转至“{line_name}”，请留意叫号。", t.number),
        )),
        WindowAction::Finish => Some((
            "ticket.finished",
            format!(
                "您的 {} 号业务已办结。欢迎扫描号票二维码对本次服务作出评价。",
                t.number
            ),
        )),
        _ => None,
    };
    if let Some((kind, text)) = notice {
        crate::notices::to_holder(
            &txn,
            state,
            &t,
            kind,
            serde_json::json!({"number": t.number, "line": line_name}),
            text,
            format!("{kind}:{}:{}", t.id, now.timestamp_millis()),
        )
        .await?;
    }
    let out = dto(&txn, state.pii.as_ref(), t, &line_name).await?;
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(out)
}

/// The window a ticket is transferred to: in the hall, not the sender.
pub(super) async fn transfer_window(
    state: &AppState,
    hall_id: &str,
    key: &str,
    from_window: &str,
) -> AppResult<govhall_directory::Window> {
    let w = govhall_directory::service::window(&state.db, hall_id, key)
        .await?
        .ok_or_else(|| AppError::field("window", format!("窗口“{key}”不存在")))?;
    if w.id == from_window {
        return Err(AppError::field("window", "不能转给本窗口"));
    }
    Ok(w)
}

/// The queue time that puts a ticket `places` behind the head of its line
/// (at the back when fewer wait).
pub(super) async fn requeue_time<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    places: u32,
    now: DateTime<Utc>,
) -> AppResult<DateTime<Utc>> {
    use sea_orm::QuerySelect;
    let nth = ticket::Entity::find()
        .filter(ticket::Column::LineId.eq(&t.line_id))
        .filter(ticket::Column::Day.eq(&t.day))
        .filter(ticket::Column::Status.eq(status::WAITING))
        .order_by_asc(ticket::Column::Since)
        .order_by_asc(ticket::Column::Seq)
        .offset(u64::from(places - 1))
        .limit(1)
        .one(db)
        .await
        .db_err()?;
    Ok(nth.map_or(now, |n| n.since + chrono::Duration::milliseconds(1)))
}

pub(super) fn action_label(a: &WindowAction) -> &'static str {
    match a {
        WindowAction::Recall => "重呼",
        WindowAction::Start => "开始办理",
        WindowAction::Finish => "办结",
        WindowAction::NoShow => "按过号处理",
        WindowAction::Park => "挂起",
        WindowAction::Resume => "回呼",
        WindowAction::Transfer { .. } => "转号",
    }
}
