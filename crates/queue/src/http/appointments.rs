//! 预约 endpoints: the phone books (after an SMS code), views and cancels;
//! the kiosk checks in; the hall lists a day's bookings.

use super::operations::TokenBody;
use crate::appointments::{
    self, AppointmentDto, BookInput, Booked, CheckInInput, CheckedIn, LineSlots, RemoteTicketInput,
};
use crate::tickets::Issued;
use crate::tickets::local_day;
use axum::{
    Extension, Json,
    extract::{Path, State},
    http::StatusCode,
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    client_ip::ClientIp,
    halls::{find_hall, hall_for},
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(send_code))
        .routes(routes!(line_slots))
        .routes(routes!(book, list_day))
        .routes(routes!(get_appointment))
        .routes(routes!(cancel_appointment))
        .routes(routes!(check_in))
        .routes(routes!(remote_ticket))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PhoneBody {
    pub phone: String,
    /// `appointment` (default) or `ticket` (远程取号).
    #[serde(default = "for_booking")]
    pub purpose: String,
}

fn for_booking() -> String {
    "appointment".into()
}

/// Send an SMS verification code (one a minute per phone, 30 an hour per client
/// address; valid five minutes).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/phone-codes", security(()), tag = "appointments", request_body = PhoneBody,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 202, body = CodeSent), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn send_code(
    State(state): State<AppState>,
    client: Option<Extension<ClientIp>>,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<PhoneBody>,
) -> ApiResult<(StatusCode, Json<CodeSent>)> {
    let hall = find_hall(&state, &key).await?;
    let client = client.map(|Extension(c)| c.0);
    let demo_code = appointments::send_code(
        &state,
        &hall.id,
        &hall.name,
        &body.phone,
        &body.purpose,
        client,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(CodeSent { demo_code })))
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct CodeSent {
    /// The code itself, only where no SMS leaves (`sms_provider = "demo"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo_code: Option<String>,
}

/// A line's bookable slots over the coming working days, with places left.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/queue/lines/{line}/slots", security(()), tag = "appointments",
    params(("hall" = String, Path, description = "hall id or code"), ("line" = String, Path, description = "line id or prefix")),
    responses((status = 200, body = LineSlots), (status = 404, body = ErrorBody)))]
async fn line_slots(
    State(state): State<AppState>,
    Path((key, line)): Path<(String, String)>,
) -> ApiResult<Json<LineSlots>> {
    let hall = find_hall(&state, &key).await?;
    Ok(Json(
        appointments::line_slots(&state, &hall.id, &line).await?,
    ))
}

/// Book a slot (phone verified by the SMS code); the response carries the holder's token once.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/appointments", security(()), tag = "appointments", request_body = BookInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = Booked), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn book(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<BookInput>,
) -> ApiResult<(StatusCode, Json<Booked>)> {
    let hall = find_hall(&state, &key).await?;
    Ok((
        StatusCode::CREATED,
        Json(appointments::book(&state, &hall.id, &input).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// `YYYY-MM-DD`; today when absent.
    pub day: Option<String>,
}

/// A day's bookings (phones and ID numbers masked).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/appointments", security(("govhall" = ["directory.read"])), tag = "appointments",
    params(("hall" = String, Path, description = "hall id or code"), DayQuery),
    responses((status = 200, body = Vec<AppointmentDto>)))]
async fn list_day(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> ApiResult<Json<Vec<AppointmentDto>>> {
    let hall = hall_for(&state, &user, &key, govhall_directory::permissions::READ).await?;
    let day = q
        .day
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| local_day(chrono::Utc::now()).0);
    Ok(Json(appointments::list(&state, &hall.id, &day).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    pub token: String,
}

/// The holder's booking.
#[utoipa::path(get, path = "/api/v1/appointments/{id}", security(()), tag = "appointments",
    params(("id" = String, Path), TokenQuery),
    responses((status = 200, body = AppointmentDto), (status = 404, body = ErrorBody)))]
async fn get_appointment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> ApiResult<Json<AppointmentDto>> {
    Ok(Json(appointments::get(&state, &id, &q.token).await?))
}

/// The holder cancels before the slot starts.
#[utoipa::path(post, path = "/api/v1/appointments/{id}/cancel", security(()), tag = "appointments", request_body = TokenBody,
    params(("id" = String, Path)),
    responses((status = 200, body = AppointmentDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn cancel_appointment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<Json<AppointmentDto>> {
    Ok(Json(appointments::cancel(&state, &id, &body.token).await?))
}

/// Check a booking in at the kiosk (签到码, ID card or phone) and issue its ticket.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/appointments/check-in", security(("govhall" = ["tickets.issue"])), tag = "appointments", request_body = CheckInInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = CheckedIn), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn check_in(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<CheckInInput>,
) -> ApiResult<(StatusCode, Json<CheckedIn>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::ISSUE).await?;
    Ok((
        StatusCode::CREATED,
        Json(appointments::check_in(&state, &user.actor(), &hall.id, &input).await?),
    ))
}

/// 远程取号: take a ticket from the phone (verified by an SMS code of purpose `ticket`).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/remote-tickets", security(()), tag = "appointments", request_body = RemoteTicketInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = Issued), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn remote_ticket(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<RemoteTicketInput>,
) -> ApiResult<(StatusCode, Json<Issued>)> {
    let hall = find_hall(&state, &key).await?;
    Ok((
        StatusCode::CREATED,
        Json(appointments::remote_ticket(&state, &hall.id, &input).await?),
    ))
}
