//! Certificates (培训合格证书): a course with a validity issues one when a
//! learner completes it; it expires, and passing the course's exam again
//! after that issues a new one (re-certification). Each has an unguessable
//! number its QR code checks on a public page, which shows the holder's name
//! masked.

use crate::entity::{certificate, course};
use crate::events::{CERTIFICATE_ISSUED, CertificateGranted};
use crate::progress::Learner;
use chrono::{DateTime, Months, NaiveDate, Utc};
use govhall_kernel::{AppError, error::AppResult, mask::mask_name, new_id, time::local_date};
use govhall_platform::{AppState, db::DbResultExt, events::NewEvent, halls::find_hall};
use rand::{Rng, distributions::Uniform};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificateDto {
    pub id: String,
    pub number: String,
    pub course_id: String,
    pub course_title: String,
    pub holder: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// Not yet expired.
    pub valid: bool,
}

/// What the certificate's QR code shows to anyone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerificationDto {
    pub number: String,
    pub hall_name: String,
    pub course_title: String,
    /// The holder's name, masked (张*).
    pub holder: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub valid: bool,
}

fn dto(c: certificate::Model, now: DateTime<Utc>) -> CertificateDto {
    CertificateDto {
        valid: c.expires_at > now,
        issued_on: local_date(c.issued_at),
        expires_on: local_date(c.expires_at),
        id: c.id,
        number: c.number,
        course_id: c.course_id,
        course_title: c.course_title,
        holder: c.holder,
    }
}

/// A number nobody can guess from another: the issue day and ten random
/// characters without look-alikes (0/O, 1/I).
fn new_number(now: DateTime<Utc>) -> String {
    const CHARS: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let pick = Uniform::new(0, CHARS.len());
    let tail: String = (0..10).map(|_| CHARS[rng.sample(pick)] as char).collect();
    format!("PX{}{tail}", local_date(now).format("%Y%m%d"))
}

/// The learner's certificate for the course that is still valid, if any.
pub async fn valid_one(
    db: &impl ConnectionTrait,
    course_id: &str,
    learner_id: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<certificate::Model>> {
    certificate::Entity::find()
        .filter(certificate::Column::CourseId.eq(course_id))
        .filter(certificate::Column::LearnerId.eq(learner_id))
        .filter(certificate::Column::ExpiresAt.gt(now))
        .one(db)
        .await
        .db_err()
}

/// Issues the course's certificate when it has one and the learner holds no
/// valid one; the event to commit.
pub async fn issue_if_due(
    txn: &DatabaseTransaction,
    hall_id: &str,
    c: &course::Model,
    who: &Learner,
    now: DateTime<Utc>,
) -> AppResult<Option<NewEvent>> {
    if c.certificate_months <= 0 || valid_one(txn, &c.id, &who.id, now).await?.is_some() {
        return Ok(None);
    }
    let expires = now
        .checked_add_months(Months::new(c.certificate_months as u32))
        .unwrap_or(now);
    let row = certificate::ActiveModel {
        id: Set(new_id().to_string()),
        number: Set(new_number(now)),
        hall_id: Set(hall_id.to_string()),
        course_id: Set(c.id.clone()),
        learner_id: Set(who.id.clone()),
        holder: Set(who.name.clone()),
        course_title: Set(c.title.clone()),
        issued_at: Set(now),
        expires_at: Set(expires),
        expiry_announced_at: Set(None),
    }
    .insert(txn)
    .await
    .db_err()?;
    Ok(Some(CERTIFICATE_ISSUED.event(
        Some(hall_id),
        &CertificateGranted {
            certificate_id: row.id,
            number: row.number,
            course_id: c.id.clone(),
            learner_id: who.id.clone(),
            staff_id: who.staff_id.clone(),
            expires_at: expires,
        },
    )))
}

/// A learner's certificates, newest first.
pub async fn of_learner(
    state: &AppState,
    hall_id: &str,
    learner_id: &str,
) -> AppResult<Vec<CertificateDto>> {
    let now = Utc::now();
    let rows = certificate::Entity::find()
        .filter(certificate::Column::HallId.eq(hall_id))
        .filter(certificate::Column::LearnerId.eq(learner_id))
        .order_by_desc(certificate::Column::IssuedAt)
        .all(&state.db)
        .await
        .db_err()?;
    Ok(rows.into_iter().map(|c| dto(c, now)).collect())
}

/// One certificate of the hall, and whose it is (the caller checks who may see it).
pub async fn get(state: &AppState, hall_id: &str, id: &str) -> AppResult<(CertificateDto, String)> {
    let row = certificate::Entity::find_by_id(id.to_string())
        .filter(certificate::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("证书"))?;
    let learner = row.learner_id.clone();
    Ok((dto(row, Utc::now()), learner))
}

/// What a scan of the certificate's QR code shows.
pub async fn verify(state: &AppState, number: &str) -> AppResult<VerificationDto> {
    let row = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(number.trim().to_uppercase()))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("证书"))?;
    let hall = find_hall(state, &row.hall_id).await?;
    Ok(VerificationDto {
        valid: row.expires_at > Utc::now(),
        number: row.number,
        hall_name: hall.name,
        course_title: row.course_title,
        holder: mask_name(&row.holder),
        issued_on: local_date(row.issued_at),
        expires_on: local_date(row.expires_at),
    })
}

/// The certificate as a PDF with the QR code of its public check.
pub fn pdf(c: &CertificateDto, hall_name: &str, verify_url: &str) -> AppResult<Vec<u8>> {
    use govhall_pdf::Document;
    let mut d = Document::new("培训合格证书");
    d.gap(40.0);
    d.heading("培训合格证书", 26.0);
    d.gap(24.0);
    d.paragraphs(
        &format!(
            "{} 同志于 {} 完成《{}》培训并经考核合格，特发此证。",
            c.holder,
            c.issued_on.format("%Y年%m月%d日"),
            c.course_title
        ),
        14.0,
    );
    d.gap(18.0);
    d.fields(&[
        ("证书编号", c.number.clone()),
        ("发证日期", c.issued_on.format("%Y-%m-%d").to_string()),
        ("有效期至", c.expires_on.format("%Y-%m-%d").to_string()),
    ]);
    d.closing(
        &[
            hall_name.to_string(),
            c.issued_on.format("%Y年%m月%d日").to_string(),
        ],
        Some((verify_url, "扫码核验证书")),
    )
    .map_err(AppError::internal)?;
    govhall_pdf::render(d).map_err(AppError::internal)
}
