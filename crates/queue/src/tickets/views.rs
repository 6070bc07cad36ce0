//! The queue as the hall's screens and the holder's phone see it, the
//! holder's own cancel, the day's close, earlier visits and a window's tickets.

use super::*;

/// A ticket as its holder sees it, given the token from the slip.
pub async fn by_token(state: &AppState, id: &str, token: &str) -> AppResult<TicketDto> {
    let t = find(state, id).await?;
    if sm3_hex(token.as_bytes()) != t.token_hash {
        return Err(AppError::not_found("号票"));
    }
    let name = line::Entity::find_by_id(t.line_id.clone())
        .one(&state.db)
        .await
        .db_err()?
        .map(|l| l.name)
        .unwrap_or_default();
    let window = match &t.window_id {
        Some(id) => govhall_directory::service::window(&state.db, &t.hall_id, id)
            .await?
            .map(|w| w.name),
        None => None,
    };
    let mut out = dto(&state.db, state.pii.as_ref(), t, &name).await?;
    out.window_name = window;
    out.wechat_available = state.config.wechat_enabled();
    Ok(out)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineQueue {
    pub line_id: String,
    pub prefix: String,
    pub name: String,
    pub waiting: usize,
    /// The next numbers, at most 20.
    pub next: Vec<String>,
    /// Minutes a ticket taken now would be quoted.
    pub wait_minutes: i32,
    /// Windows serving the line with a clerk signed in now. 0 (before the hall
    /// opens): terminals show that the line is not yet served rather than a
    /// wait estimated from nobody working.
    pub open_windows: u32,
    /// The matters it serves (their guides are public).
    pub matters: Vec<LineMatter>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineMatter {
    /// 实施编码
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueView {
    pub day: String,
    pub lines: Vec<LineQueue>,
    /// Numbers being served, with their window.
    pub serving: Vec<(String, String)>,
}

/// Today's queue of the hall: numbers only, no personal data.
pub async fn queue(state: &AppState, hall_id: &str) -> AppResult<QueueView> {
    let (day, _) = local_day(Utc::now());
    let lines = line::Entity::find()
        .filter(line::Column::HallId.eq(hall_id))
        .order_by_asc(line::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?;
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::HallId.eq(hall_id))
        .filter(ticket::Column::Day.eq(&day))
        .filter(ticket::Column::Status.is_in([status::WAITING, status::CALLED, status::SERVING]))
        .order_by_asc(ticket::Column::Seq)
        .all(&state.db)
        .await
        .db_err()?;
    let settings = crate::settings::load(&state.db, hall_id).await?;
    let staffed: HashSet<String> = govhall_directory::service::open_sessions(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|s| s.window_id.into_string())
        .collect();
    let skills = skill::Entity::find()
        .filter(skill::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let open_windows = |line_id: &str| -> u32 {
        let serving: Vec<&str> = skills
            .iter()
            .filter(|s| s.line_id == line_id)
            .map(|s| s.window_id.as_str())
            .collect();
        if serving.is_empty() {
            // No skills configured: every window of the hall may call the line.
            staffed.len() as u32
        } else {
            serving.iter().filter(|w| staffed.contains(**w)).count() as u32
        }
    };
    let estimator = crate::estimate::Estimator::of(state);
    let names = govhall_catalog::items::published_names(state, hall_id).await?;
    let mut views = Vec::with_capacity(lines.len());
    for l in lines {
        let waiting: Vec<&ticket::Model> = tickets
            .iter()
            .filter(|t| t.line_id == l.id && t.status == status::WAITING)
            .collect();
        let rate = estimator
            .rate(state, &l.id, settings.default_service_minutes)
            .await?;
        views.push(LineQueue {
            waiting: waiting.len(),
            next: waiting.iter().take(20).map(|t| t.number.clone()).collect(),
            wait_minutes: rate.quote(waiting.len() as u64),
            open_windows: open_windows(&l.id),
            matters: serde_json::from_str::<Vec<String>>(&l.matters)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|code| {
                    let name = names.get(&code)?.clone();
                    Some(LineMatter { code, name })
                })
                .collect(),
            line_id: l.id,
            prefix: l.prefix,
            name: l.name,
        });
    }
    Ok(QueueView {
        lines: views,
        serving: tickets
            .iter()
            .filter(|t| t.status == status::CALLED || t.status == status::SERVING)
            .map(|t| (t.number.clone(), t.window_id.clone().unwrap_or_default()))
            .collect(),
        day,
    })
}

/// The holder withdraws a waiting ticket (from the phone, with the slip's token).
pub async fn cancel_by_token(state: &AppState, id: &str, token: &str) -> AppResult<TicketDto> {
    let t = find(state, id).await?;
    if sm3_hex(token.as_bytes()) != t.token_hash {
        return Err(AppError::not_found("号票"));
    }
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, &t.hall_id).await.db_err()?;
    let t = ticket::Entity::find_by_id(id.to_string())
        .one(&txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("号票"))?;
    if t.status != status::WAITING {
        return Err(AppError::Conflict {
            message: format!("{} 已被叫号或已结束，不能取消", t.number),
            fields: vec![],
        });
    }
    let mut row: ticket::ActiveModel = t.into();
    row.status = Set(status::CANCELLED.into());
    row.finished_at = Set(Some(Utc::now()));
    let t = row.update(&txn).await.db_err()?;
    crate::engine::touch(&txn, &t.hall_id).await?;
    let ev = events::TICKET_CANCELLED.event(
        Some(&t.hall_id),
        &events::TicketCancelled {
            ticket_id: t.id.clone(),
            number: t.number.clone(),
            by: "holder".into(),
        },
    );
    let name = line_name(&txn, &t.line_id).await?;
    let out = dto(&txn, state.pii.as_ref(), t, &name).await?;
    let citizen = Actor {
        id: None,
        name: "取号人".into(),
    };
    commit_with(state, txn, &citizen, vec![ev]).await?;
    Ok(out)
}

pub(super) async fn line_name<C: ConnectionTrait>(db: &C, line_id: &str) -> AppResult<String> {
    Ok(line::Entity::find_by_id(line_id.to_string())
        .one(db)
        .await
        .db_err()?
        .map(|l| l.name)
        .unwrap_or_default())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayClosedSummary {
    /// Tickets still open that were voided (批量弃号).
    pub voided: usize,
    /// Bookings never checked in, now counted as missed (爽约).
    pub missed_appointments: usize,
    /// Personal data past the hall's retention, erased.
    pub personal_data_erased: crate::retention::Erased,
}

/// 批量弃号 at closing: every ticket of today and before still in the hall's hands is voided.
pub async fn close_day(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
) -> AppResult<DayClosedSummary> {
    let now = Utc::now();
    let (day, _) = local_day(now);
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, hall_id).await.db_err()?;
    let open = ticket::Entity::find()
        .filter(ticket::Column::HallId.eq(hall_id))
        .filter(ticket::Column::Day.lte(&day))
        .filter(ticket::Column::Status.is_in(ACTIVE))
        .all(&txn)
        .await
        .db_err()?;
    let numbers: Vec<String> = open.iter().map(|t| t.number.clone()).collect();
    let ids: Vec<String> = open.iter().map(|t| t.id.clone()).collect();
    ticket::Entity::update_many()
        .col_expr(
            ticket::Column::Status,
            sea_orm::sea_query::Expr::value(status::CANCELLED),
        )
        .col_expr(
            ticket::Column::FinishedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(ticket::Column::Id.is_in(ids.clone()))
        .exec(&txn)
        .await
        .db_err()?;
    crate::engine::touch(&txn, hall_id).await?;
    let settings = crate::settings::load(&txn, hall_id).await?;
    let missed =
        crate::appointments::mark_no_shows(&txn, hall_id, settings.policy.appointment_tolerance)
            .await?;
    let cutoff = now - chrono::Duration::days(i64::from(settings.personal_data_days));
    let erased =
        crate::retention::erase_before(&txn, hall_id, &local_day(cutoff).0, cutoff).await?;
    let ev = events::DAY_CLOSED.event(
        Some(hall_id),
        &events::DayClosed {
            day: day.clone(),
            voided: ids.len(),
            ticket_ids: ids.clone(),
            numbers: numbers.clone(),
            missed_appointments: missed.clone(),
            personal_data_erased: erased.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(DayClosedSummary {
        voided: numbers.len(),
        missed_appointments: missed.len(),
        personal_data_erased: erased,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Visit {
    pub day: String,
    pub number: String,
    pub line_name: String,
    pub status: String,
    /// The status as the window says it.
    pub status_label: String,
    pub window_id: Option<String>,
}

/// The same person's earlier visits (last 90 days), for the window serving them.
pub(crate) async fn visits(state: &AppState, t: &ticket::Model) -> AppResult<Vec<Visit>> {
    let Some(idx) = &t.person_idx else {
        return Ok(vec![]);
    };
    let (since, _) = local_day(Utc::now() - chrono::Duration::days(90));
    let rows = ticket::Entity::find()
        .filter(ticket::Column::PersonIdx.eq(idx))
        .filter(ticket::Column::Id.ne(&t.id))
        .filter(ticket::Column::Day.gte(since))
        .order_by_desc(ticket::Column::IssuedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows.into_iter().take(50) {
        out.push(Visit {
            line_name: line_name(&state.db, &r.line_id).await?,
            day: r.day,
            number: r.number,
            status_label: status_label(&r.status),
            status: r.status,
            window_id: r.window_id,
        });
    }
    Ok(out)
}

/// The tickets a window holds: the one called or being served, and those parked there.
pub async fn at_window(state: &AppState, window_id: &str) -> AppResult<Vec<TicketDto>> {
    let rows = ticket::Entity::find()
        .filter(ticket::Column::WindowId.eq(window_id))
        .filter(ticket::Column::Status.is_in([status::CALLED, status::SERVING, status::PARKED]))
        .order_by_asc(ticket::Column::CalledAt)
        .all(&state.db)
        .await
        .db_err()?;
    let mut out = Vec::with_capacity(rows.len());
    for t in rows {
        let name = line_name(&state.db, &t.line_id).await?;
        out.push(dto(&state.db, state.pii.as_ref(), t, &name).await?);
    }
    Ok(out)
}
