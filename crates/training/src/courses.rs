//! Courses and their lessons: a video lesson plays a stored MP4 and counts
//! when the required share of it was watched; a text lesson counts when
//! opened; an exam lesson when its exam is passed. A course is completed when all its lessons are (or any one, by
//! its rule).

use crate::entity::{course, lesson};
use crate::events::{COURSE_CREATED, CourseChanged};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CourseInput {
    pub title: String,
    /// A category of the hall's tree (`GET …/training/categories`; by default
    /// 岗前培训, 日常培训, 政策法规, 服务礼仪, 业务条线, 信息系统操作, 心理疏导).
    pub category: String,
    #[serde(default)]
    pub summary: String,
    /// 政务公开课: citizens may open it without signing in.
    #[serde(default)]
    pub public: bool,
    /// Refuse seeking beyond the watched part of a video.
    #[serde(default)]
    pub forbid_seek: bool,
    /// Count only normal-speed playing.
    #[serde(default)]
    pub forbid_speed: bool,
    /// `all` (default) or `any` lesson completes the course.
    #[serde(default)]
    pub rule: Option<String>,
    /// Months a certificate for completing the course stays valid (0 or
    /// absent: no certificate; at most 120).
    #[serde(default)]
    pub certificate_months: i32,
    /// A course of the hall to complete first (访问条件: this one opens after it).
    #[serde(default)]
    pub prerequisite_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LessonInput {
    pub title: String,
    /// `video` (needs `file_id` of an MP4), `pdf` (needs `file_id` of a PDF),
    /// `image` (needs `file_id` of a JPG or PNG), `text` (needs `body`),
    /// `matter` (needs `task_code` of a published matter: its 办事指南 is the
    /// lesson) or `exam` (needs `exam_id`; passing it completes the lesson).
    /// Text, image and matter lessons count when opened.
    pub kind: String,
    #[serde(default)]
    pub file_id: Option<String>,
    /// A video's poster frame: an uploaded JPG or PNG (the admin captures one
    /// from the video in the browser).
    #[serde(default)]
    pub poster_file_id: Option<String>,
    #[serde(default)]
    pub exam_id: Option<String>,
    /// A matter lesson's 实施编码.
    #[serde(default)]
    pub task_code: Option<String>,
    #[serde(default)]
    pub body: String,
    /// The share of the video to watch (default 90) or of the PDF's pages to
    /// view (default 100), 1–100.
    #[serde(default)]
    pub required_pct: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonDto {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub file_id: Option<String>,
    pub poster_file_id: Option<String>,
    pub exam_id: Option<String>,
    /// A matter lesson's 实施编码 (its guide is read from the public catalog).
    pub task_code: Option<String>,
    pub body: String,
    pub duration_s: f64,
    /// A PDF's number of pages.
    pub pages: i32,
    pub required_pct: i32,
    /// Seconds to watch to complete it (other lessons: 0).
    pub required_s: f64,
    /// Pages to view to complete it (other lessons: 0).
    pub required_pages: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseDto {
    pub id: String,
    pub title: String,
    pub category: String,
    pub summary: String,
    pub public: bool,
    pub forbid_seek: bool,
    pub forbid_speed: bool,
    pub rule: String,
    pub certificate_months: i32,
    /// The course to complete first, if any.
    pub prerequisite_id: Option<String>,
    pub lessons: Vec<LessonDto>,
    pub created_at: DateTime<Utc>,
}

fn lesson_dto(l: lesson::Model) -> LessonDto {
    LessonDto {
        required_s: required_seconds(&l),
        required_pages: required_pages(&l),
        pages: l.pages,
        id: l.id,
        title: l.title,
        kind: l.kind,
        file_id: l.file_id,
        poster_file_id: l.poster_file_id,
        exam_id: l.exam_id,
        task_code: l.task_code,
        body: l.body,
        duration_s: l.duration_s,
        required_pct: l.required_pct,
    }
}

/// The seconds of a lesson's video that must be watched.
pub fn required_seconds(l: &lesson::Model) -> f64 {
    if l.kind == "video" {
        l.duration_s * f64::from(l.required_pct) / 100.0
    } else {
        0.0
    }
}

/// The pages of a lesson's PDF that must be viewed.
pub fn required_pages(l: &lesson::Model) -> i32 {
    if l.kind == "pdf" {
        (l.pages * l.required_pct + 99) / 100
    } else {
        0
    }
}

fn dto(c: course::Model, lessons: Vec<lesson::Model>) -> CourseDto {
    CourseDto {
        id: c.id,
        title: c.title,
        category: c.category,
        summary: c.summary,
        public: c.public,
        forbid_seek: c.forbid_seek,
        forbid_speed: c.forbid_speed,
        rule: c.rule,
        certificate_months: c.certificate_months,
        prerequisite_id: c.prerequisite_id,
        lessons: lessons.into_iter().map(lesson_dto).collect(),
        created_at: c.created_at,
    }
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &CourseInput,
) -> AppResult<CourseDto> {
    let mut ch = Checker::new();
    let title = input.title.trim();
    ch.check(
        (1..=60).contains(&title.chars().count()),
        "title",
        "课程名称须为 1 至 60 个字",
    );
    crate::categories::check(&mut ch, state, hall_id, "category", &input.category).await?;
    ch.check(
        input.summary.chars().count() <= 2000,
        "summary",
        "课程简介不超过 2000 字",
    );
    let rule = input.rule.clone().unwrap_or_else(|| "all".into());
    ch.check(
        matches!(rule.as_str(), "all" | "any"),
        "rule",
        "完成规则须为 all（全部课时）或 any（任一课时）",
    );
    ch.check(
        (0..=120).contains(&input.certificate_months),
        "certificate_months",
        "证书有效期须为 0（不发证书）至 120 个月",
    );
    let prerequisite = input.prerequisite_id.clone().filter(|p| !p.is_empty());
    if let Some(p) = prerequisite.as_deref() {
        let found = course::Entity::find_by_id(p.to_string())
            .filter(course::Column::HallId.eq(hall_id))
            .one(&state.db)
            .await
            .db_err()?;
        ch.check(
            found.is_some(),
            "prerequisite_id",
            "先修课程不存在或不属于本大厅",
        );
    }
    ch.finish()?;
    let now = Utc::now();
    let row = course::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        title: Set(title.to_string()),
        category: Set(input.category.clone()),
        summary: Set(input.summary.trim().to_string()),
        public: Set(input.public),
        forbid_seek: Set(input.forbid_seek),
        forbid_speed: Set(input.forbid_speed),
        rule: Set(rule),
        certificate_months: Set(input.certificate_months),
        prerequisite_id: Set(prerequisite),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let txn = begin_write(&state.db).await.db_err()?;
    let row = row.insert(&txn).await.db_err()?;
    let ev = COURSE_CREATED.event(
        Some(hall_id),
        &CourseChanged {
            course_id: row.id.clone(),
            title: row.title.clone(),
            public: row.public,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto(row, vec![]))
}

/// The hall's course rows (for the modules' own figures).
pub(crate) async fn of_hall(state: &AppState, hall_id: &str) -> AppResult<Vec<course::Model>> {
    course::Entity::find()
        .filter(course::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()
}

/// Checks that every id names a course of the hall, on `field`.
pub(crate) async fn check_ids(
    ch: &mut Checker,
    state: &AppState,
    hall_id: &str,
    field: &str,
    ids: &[String],
) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let found = course::Entity::find()
        .filter(course::Column::HallId.eq(hall_id))
        .filter(course::Column::Id.is_in(ids.to_vec()))
        .all(&state.db)
        .await
        .db_err()?;
    if let Some(missing) = ids.iter().find(|id| !found.iter().any(|c| &&c.id == id)) {
        ch.fail(field, format!("课程 {missing} 不存在或不属于本大厅"));
    }
    Ok(())
}

/// The hall's courses with their lessons, newest first.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<CourseDto>> {
    let courses = course::Entity::find()
        .filter(course::Column::HallId.eq(hall_id))
        .order_by_desc(course::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::HallId.eq(hall_id))
        .order_by_asc(lesson::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?;
    Ok(courses
        .into_iter()
        .map(|c| {
            let mine = lessons
                .iter()
                .filter(|l| l.course_id == c.id)
                .cloned()
                .collect();
            dto(c, mine)
        })
        .collect())
}

/// A course of the hall and its lessons in order.
pub async fn get(
    state: &AppState,
    hall_id: &str,
    id: &str,
) -> AppResult<(course::Model, Vec<lesson::Model>)> {
    let c = course::Entity::find_by_id(id.to_string())
        .filter(course::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("课程"))?;
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::CourseId.eq(id))
        .order_by_asc(lesson::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?;
    Ok((c, lessons))
}

pub async fn detail(state: &AppState, hall_id: &str, id: &str) -> AppResult<CourseDto> {
    let (c, lessons) = get(state, hall_id, id).await?;
    Ok(dto(c, lessons))
}

/// Adds a lesson at the end of the course.
pub async fn add_lesson(
    state: &AppState,
    hall_id: &str,
    course_id: &str,
    input: &LessonInput,
) -> AppResult<LessonDto> {
    let (_, lessons) = get(state, hall_id, course_id).await?;
    let mut ch = Checker::new();
    let title = input.title.trim();
    ch.check(
        (1..=60).contains(&title.chars().count()),
        "title",
        "课时名称须为 1 至 60 个字",
    );
    let pct = input
        .required_pct
        .unwrap_or(if input.kind == "pdf" { 100 } else { 90 });
    ch.check(
        (1..=100).contains(&pct),
        "required_pct",
        "完成所需观看比例须在 1% 至 100% 之间",
    );
    let mut duration = 0.0;
    let mut pages = 0;
    match input.kind.as_str() {
        "pdf" => {
            let file = match input.file_id.as_deref() {
                Some(f) => Some(crate::files::find(state, hall_id, f).await?.0),
                None => None,
            };
            match file {
                Some(f) if f.mime == "application/pdf" => pages = f.pages.unwrap_or(0),
                Some(f) => ch.check(
                    false,
                    "file_id",
                    format!("PDF 课时须选择 PDF 文件，“{}”是 {}", f.name, f.mime),
                ),
                None => ch.check(false, "file_id", "PDF 课时须先上传 PDF 并选择它"),
            }
        }
        "video" => {
            let file = match input.file_id.as_deref() {
                Some(f) => Some(crate::files::find(state, hall_id, f).await?.0),
                None => None,
            };
            match file {
                Some(f) if f.mime == "video/mp4" => duration = f.duration_s.unwrap_or(0.0),
                Some(f) => ch.check(
                    false,
                    "file_id",
                    format!("视频课时须选择 MP4 视频，“{}”是 {}", f.name, f.mime),
                ),
                None => ch.check(false, "file_id", "视频课时须先上传视频并选择它"),
            }
            if let Some(p) = input.poster_file_id.as_deref() {
                let poster = crate::files::find(state, hall_id, p).await.ok();
                match poster {
                    Some((f, _)) if f.mime.starts_with("image/") => {}
                    Some((f, _)) => ch.fail(
                        "poster_file_id",
                        format!("封面须为 JPG 或 PNG 图片，“{}”是 {}", f.name, f.mime),
                    ),
                    None => ch.fail("poster_file_id", "封面图片不存在或不属于本大厅"),
                }
            }
        }
        "image" => match input.file_id.as_deref() {
            Some(f) => {
                let (file, _) = crate::files::find(state, hall_id, f).await?;
                ch.check(
                    file.mime.starts_with("image/"),
                    "file_id",
                    format!("图片课时须选择 JPG 或 PNG 图片，“{}”是 {}", file.name, file.mime),
                );
            }
            None => ch.check(false, "file_id", "图片课时须先上传图片并选择它"),
        },
        "matter" => match input.task_code.as_deref().map(str::trim) {
            Some(code) if !code.is_empty() => {
                match govhall_catalog::service::item(state, hall_id, code).await {
                    Ok(it) if it.published_version.is_some() => {}
                    Ok(it) => ch.fail(
                        "task_code",
                        format!("事项“{}”尚未发布，发布后才能作为课时", it.task_name),
                    ),
                    Err(_) => ch.fail("task_code", format!("本大厅没有实施编码为 {code} 的事项")),
                }
            }
            _ => ch.check(false, "task_code", "事项指南课时须选择一个已发布的事项"),
        },
        "exam" => match input.exam_id.as_deref() {
            Some(e) => {
                crate::exams::get(state, hall_id, e)
                    .await
                    .map_err(|_| AppError::field("exam_id", "考试不存在或不属于本大厅"))?;
            }
            None => ch.check(false, "exam_id", "考试课时须先建好考试并选择它"),
        },
        "text" => ch.check(
            (1..=20_000).contains(&input.body.trim().chars().count()),
            "body",
            "图文课时的正文须为 1 至 20000 字",
        ),
        other => ch.check(
            false,
            "kind",
            format!("课时类型“{other}”不支持：可选 video（视频）、pdf（PDF 文档）、image（图片）、text（图文）、matter（事项指南）、exam（考试）"),
        ),
    }
    ch.finish()?;
    let row = lesson::ActiveModel {
        id: Set(new_id().to_string()),
        course_id: Set(course_id.to_string()),
        hall_id: Set(hall_id.to_string()),
        sort_order: Set(lessons.len() as i32 + 1),
        kind: Set(input.kind.clone()),
        title: Set(title.to_string()),
        file_id: Set(input
            .file_id
            .clone()
            .filter(|_| matches!(input.kind.as_str(), "video" | "pdf" | "image"))),
        poster_file_id: Set(input
            .poster_file_id
            .clone()
            .filter(|_| input.kind == "video")),
        exam_id: Set(input.exam_id.clone().filter(|_| input.kind == "exam")),
        task_code: Set(input
            .task_code
            .as_deref()
            .map(|c| c.trim().to_string())
            .filter(|_| input.kind == "matter")),
        body: Set(input.body.trim().to_string()),
        duration_s: Set(duration),
        pages: Set(pages),
        required_pct: Set(pct),
        created_at: Set(Utc::now()),
    };
    Ok(lesson_dto(row.insert(&state.db).await.db_err()?))
}

/// 政务公开课: the hall's public courses, without their exam lessons.
pub async fn public_list(state: &AppState, hall_id: &str) -> AppResult<Vec<CourseDto>> {
    let mut out: Vec<CourseDto> = list(state, hall_id)
        .await?
        .into_iter()
        .filter(|c| c.public)
        .collect();
    for c in &mut out {
        c.lessons.retain(|l| l.kind != "exam");
    }
    Ok(out)
}

/// Whether a file is courseware of one of the hall's public courses.
pub async fn file_is_public(state: &AppState, hall_id: &str, file_id: &str) -> AppResult<bool> {
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::HallId.eq(hall_id))
        .filter(
            sea_orm::Condition::any()
                .add(lesson::Column::FileId.eq(file_id))
                .add(lesson::Column::PosterFileId.eq(file_id)),
        )
        .all(&state.db)
        .await
        .db_err()?;
    for l in lessons {
        let c = course::Entity::find_by_id(l.course_id)
            .one(&state.db)
            .await
            .db_err()?;
        if c.is_some_and(|c| c.public) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Refuses a course whose prerequisite the learner has not completed,
/// naming it (访问条件).
pub async fn ensure_open(state: &AppState, c: &course::Model, learner: &str) -> AppResult<()> {
    let Some(first) = c.prerequisite_id.as_deref() else {
        return Ok(());
    };
    let done =
        crate::entity::completion::Entity::find_by_id((first.to_string(), learner.to_string()))
            .one(&state.db)
            .await
            .db_err()?
            .is_some();
    if done {
        return Ok(());
    }
    let title = course::Entity::find_by_id(first.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .map(|p| p.title)
        .unwrap_or_default();
    Err(AppError::field(
        "course",
        format!("《{}》须先完成课程《{title}》后才能学习", c.title),
    ))
}
