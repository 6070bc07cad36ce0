//! A ticket as terminals and windows see it: number, line, place in the
//! queue and the wait quoted; never the holder's ID number or phone.

use super::*;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketDto {
    pub id: String,
    pub number: String,
    pub line_id: String,
    pub line_name: String,
    pub class: String,
    pub channel: String,
    pub status: String,
    /// The status as the window says it (已叫号, 办理中…).
    pub status_label: String,
    /// The status as the holder's phone says it (请前往窗口…).
    pub status_notice: String,
    pub issued_at: DateTime<Utc>,
    pub window_id: Option<String>,
    /// The window's name, for the holder's phone (filled when read by token).
    pub window_name: Option<String>,
    pub called_at: Option<DateTime<Utc>>,
    pub called_count: i32,
    /// The previous window's note after a transfer.
    pub note: Option<String>,
    /// Waiting tickets of the same line ahead of this one.
    pub ahead: u64,
    /// 绿色通道类别 when green.
    pub green_reason: Option<String>,
    /// The class in Chinese (terminals show it as sent, never from a copy of their own).
    pub green_label: Option<String>,
    /// Minutes quoted when the ticket was issued.
    pub quoted_wait: Option<i32>,
    /// Masked ID number / phone of the holder (for the window; never in events).
    pub holder_id: Option<String>,
    pub holder_phone: Option<String>,
    pub no_show_count: i32,
    /// The booked slot, `09:00—09:30`, while the appointment is due.
    pub appointment_slot: Option<String>,
    pub appointment_id: Option<String>,
    /// Transferred to this window: only it calls the ticket.
    pub target_window_id: Option<String>,
    /// What 智能导办 found before the ticket was taken (the counter starts from it).
    pub guidance: Option<TicketGuidance>,
    /// The holder turned on WeChat reminders (the openid itself is never shown).
    pub wechat_bound: bool,
    /// The holder may turn them on: the hall's 公众号 is configured (filled when read by token).
    pub wechat_available: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Issued {
    pub ticket: TicketDto,
    /// Shown once (printed as the slip's QR code); lets the citizen follow the ticket.
    pub token: String,
}

pub(super) async fn ahead<C: ConnectionTrait>(db: &C, t: &ticket::Model) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    ticket::Entity::find()
        .filter(ticket::Column::LineId.eq(&t.line_id))
        .filter(ticket::Column::Day.eq(&t.day))
        .filter(ticket::Column::Status.eq(status::WAITING))
        .filter(
            sea_orm::Condition::any()
                .add(ticket::Column::Since.lt(t.since))
                .add(
                    sea_orm::Condition::all()
                        .add(ticket::Column::Since.eq(t.since))
                        .add(ticket::Column::Seq.lt(t.seq)),
                ),
        )
        .count(db)
        .await
        .db_err()
}

pub(super) async fn dto<C: ConnectionTrait>(
    db: &C,
    pii: &dyn govhall_kernel::crypto::PiiCipher,
    t: ticket::Model,
    line_name: &str,
) -> AppResult<TicketDto> {
    let ahead = if t.status == status::WAITING {
        ahead(db, &t).await?
    } else {
        0
    };
    Ok(to_dto(pii, t, line_name, ahead))
}

pub(crate) fn to_dto(
    pii: &dyn govhall_kernel::crypto::PiiCipher,
    t: ticket::Model,
    line_name: &str,
    ahead: u64,
) -> TicketDto {
    use govhall_kernel::mask::{mask_id_card, mask_phone};
    let reveal = |enc: &Option<String>, mask: fn(&str) -> String| {
        enc.as_deref()
            .and_then(|e| pii.decrypt(e).ok())
            .map(|v| mask(&v))
    };
    let holder_id = reveal(&t.id_enc, mask_id_card);
    let holder_phone = reveal(&t.phone_enc, mask_phone);
    TicketDto {
        id: t.id,
        number: t.number,
        line_id: t.line_id,
        line_name: line_name.to_string(),
        class: t.class,
        channel: t.channel,
        status_label: status_label(&t.status),
        status_notice: TicketStatus::parse(&t.status)
            .map(TicketStatus::holder_label)
            .unwrap_or(t.status.as_str())
            .to_string(),
        status: t.status,
        issued_at: t.issued_at,
        window_id: t.window_id,
        window_name: None,
        called_at: t.called_at,
        called_count: t.called_count,
        note: t.note,
        ahead,
        green_label: t.green_reason.as_deref().map(green_label),
        green_reason: t.green_reason,
        quoted_wait: t.quoted_wait,
        holder_id,
        holder_phone,
        no_show_count: t.no_show_count,
        appointment_slot: t.appt_from.zip(t.appt_to).map(|(f, to)| {
            format!(
                "{}—{}",
                crate::appointments::clock(f),
                crate::appointments::clock(to)
            )
        }),
        appointment_id: t.appointment_id,
        target_window_id: t.target_window_id,
        wechat_bound: t.wechat_openid_enc.is_some(),
        wechat_available: false,
        guidance: t
            .guidance
            .as_deref()
            .and_then(|g| serde_json::from_str(g).ok()),
    }
}
