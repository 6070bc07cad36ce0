//! The demo hall's training: a 服务礼仪 course with a generated video (no
//! seeking or speeding), a 上岗认证 course for 预包装食品经营备案 with an exam
//! and a two-year certificate, a small question bank, and two 政务公开课.
//! No matter requires a course here (that would stop the demo counter); a
//! manager sets one under 上岗培训要求.

use crate::bank::{self, QuestionInput};
use crate::courses::{self, CourseInput, LessonInput};
use crate::entity::course;
use crate::exams::{self, DrawRule, ExamInput};
use govhall_kernel::error::AppResult;
use govhall_platform::{AppState, db::DbResultExt, events::Actor};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn q(
    category: &str,
    kind: &str,
    stem: &str,
    options: &[&str],
    answer: &str,
    explanation: &str,
) -> QuestionInput {
    QuestionInput {
        category: category.into(),
        difficulty: 1,
        kind: kind.into(),
        stem: stem.into(),
        options: options.iter().map(|o| o.to_string()).collect(),
        answer: answer.into(),
        explanation: explanation.into(),
    }
}

fn course_input(title: &str, category: &str, summary: &str, public: bool) -> CourseInput {
    CourseInput {
        title: title.into(),
        category: category.into(),
        summary: summary.into(),
        public,
        forbid_seek: false,
        forbid_speed: false,
        rule: None,
        certificate_months: 0,
        prerequisite_id: None,
    }
}

fn text(title: &str, body: &str) -> LessonInput {
    LessonInput {
        title: title.into(),
        kind: "text".into(),
        file_id: None,
        poster_file_id: None,
        exam_id: None,
        task_code: None,
        body: body.into(),
        required_pct: None,
    }
}

fn video(title: &str, file_id: &str, poster_id: &str) -> LessonInput {
    LessonInput {
        title: title.into(),
        kind: "video".into(),
        file_id: Some(file_id.into()),
        poster_file_id: Some(poster_id.into()),
        exam_id: None,
        task_code: None,
        body: String::new(),
        required_pct: Some(90),
    }
}

/// A PDF handout of five pages, one topic each, made with the product's own PDF
/// writer: the 受理要点 of 预包装食品经营备案.
pub fn sample_pdf() -> anyhow::Result<Vec<u8>> {
    use govhall_pdf::{BODY, Document};
    let mut d = Document::new("预包装食品经营备案受理要点");
    d.heading("预包装食品经营备案受理要点", 20.0);
    let sections = [
        (
            "一、适用范围",
            "仅销售预包装食品的经营者，在办理市场主体登记后，向所在地县级市场监督管理部门备案。销售散装食品或现制现售的，应当办理食品经营许可，不适用备案。",
        ),
        (
            "二、申请材料",
            "1. 营业执照（或其他主体资格证明）；\n2. 经营场所使用证明；\n3. 法定代表人（负责人）身份证件；\n4. 委托他人办理的，提交授权委托书及受托人身份证件。",
        ),
        (
            "三、受理审查",
            "窗口人员核对材料是否齐全、是否符合法定形式，不作实质审查。材料齐全的当场备案，出具备案凭证；材料不全的，一次性告知需补正的全部材料，出具《一次性告知书》。",
        ),
        (
            "四、变更与注销",
            "备案信息发生变化的，应当自变化之日起 15 个工作日内办理变更备案；终止经营的，应当在 15 个工作日内办理注销备案。",
        ),
        (
            "五、常见问题",
            "问：备案收费吗？答：不收费。\n问：可以网上办吗？答：可以通过政务服务网全程网办，也可以到综合窗口办理。\n问：备案后多久可以经营？答：取得备案凭证即可经营。",
        ),
    ];
    // One topic a page, like a handout of slides.
    for (i, (title, body)) in sections.iter().enumerate() {
        if i > 0 {
            d.keep(f32::MAX);
        }
        d.heading(title, 14.0);
        d.paragraphs(body, BODY);
    }
    govhall_pdf::render(d)
}

/// Seeds the hall's training unless it has courses already; whether it did.
pub async fn seed_if_empty(state: &AppState, hall_id: &str) -> AppResult<bool> {
    let have = course::Entity::find()
        .filter(course::Column::HallId.eq(hall_id))
        .count(&state.db)
        .await
        .db_err()?;
    if have > 0 {
        return Ok(false);
    }
    let actor = Actor::system();
    let bytes = crate::sample_video::generate(40).map_err(govhall_kernel::AppError::internal)?;
    let file =
        crate::files::upload(state, &actor, hall_id, "窗口服务礼仪.mp4", bytes.into()).await?;
    let poster = crate::sample_video::poster().map_err(govhall_kernel::AppError::internal)?;
    let poster = crate::files::upload(
        state,
        &actor,
        hall_id,
        "窗口服务礼仪-封面.png",
        poster.into(),
    )
    .await?;

    let etiquette = courses::create(
        state,
        &actor,
        hall_id,
        &CourseInput {
            forbid_seek: true,
            forbid_speed: true,
            ..course_input(
                "窗口服务礼仪",
                "服务礼仪",
                "接待群众的仪容仪表、文明用语与首问负责。视频不可拖动、不可倍速，需看完 90%。",
                false,
            )
        },
    )
    .await?;
    courses::add_lesson(
        state,
        hall_id,
        &etiquette.id,
        &video("礼仪示范", &file.id, &poster.id),
    )
    .await?;
    courses::add_lesson(
        state,
        hall_id,
        &etiquette.id,
        &text(
            "首问负责与一次性告知",
            "一、首问负责：群众到窗口咨询或办事，首位接待的工作人员负责解答或引导到位，不推诿。\n二、一次性告知：材料不全的，一次性书面告知需补正的全部材料及要求，出具《一次性告知书》。\n三、文明用语：“您好，请坐”“请稍等”“请慢走”；不说“不知道”“不归我管”。",
        ),
    )
    .await?;

    let questions = [
        q(
            "预包装食品备案",
            "single",
            "仅销售预包装食品的经营者，应当办理：",
            &["食品经营许可", "仅销售预包装食品备案", "无需任何手续"],
            "B",
            "仅销售预包装食品的，向所在地县级市场监管部门备案。",
        ),
        q(
            "预包装食品备案",
            "judge",
            "仅销售预包装食品备案可以当场办结。",
            &[],
            "对",
            "材料齐全、符合法定形式的，当场备案。",
        ),
        q(
            "预包装食品备案",
            "multiple",
            "办理备案时需核对的材料有：",
            &[
                "营业执照",
                "经营场所证明",
                "法定代表人身份证件",
                "房产评估报告",
            ],
            "ABC",
            "",
        ),
        q(
            "预包装食品备案",
            "fill",
            "备案信息发生变化的，应当自变化之日起____个工作日内办理变更备案。",
            &[],
            "15|十五",
            "",
        ),
        q(
            "预包装食品备案",
            "judge",
            "备案需要收取工本费。",
            &[],
            "错",
            "备案不收费。",
        ),
        q(
            "预包装食品备案",
            "single",
            "材料不全时，窗口应当：",
            &[
                "退回不说明原因",
                "一次性告知需补正的全部材料",
                "让申请人下次再来问",
            ],
            "B",
            "",
        ),
        q(
            "窗口服务",
            "single",
            "群众到窗口办事，工作人员应首先：",
            &["继续手头工作", "起身或抬头主动问候", "让其自行等待"],
            "B",
            "首问负责，主动问候。",
        ),
        q(
            "窗口服务",
            "judge",
            "“好差评”中群众可以对窗口服务给出差评。",
            &[],
            "对",
            "",
        ),
        q(
            "窗口服务",
            "multiple",
            "一次性告知书应写明：",
            &["需补正的材料", "补正要求", "办理人员的家庭住址", "咨询电话"],
            "ABD",
            "",
        ),
    ];
    let checked = questions
        .iter()
        .map(bank::check)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|bad| govhall_kernel::AppError::internal(format!("demo question: {bad:?}")))?;
    bank::insert_all(state, hall_id, checked).await?;
    let exam = exams::create(
        state,
        hall_id,
        &ExamInput {
            title: "预包装食品备案上岗考试".into(),
            rules: vec![DrawRule {
                category: "预包装食品备案".into(),
                difficulty: None,
                kind: None,
                count: 5,
                points: 20.0,
            }],
            time_limit_min: Some(20),
            attempts_limit: Some(3),
            pass_pct: Some(80),
            shuffle: Some(true),
        },
    )
    .await?;
    let certified = courses::create(
        state,
        &actor,
        hall_id,
        &CourseInput {
            certificate_months: 24,
            ..course_input(
                "预包装食品经营备案上岗认证",
                "业务条线",
                "受理“仅销售预包装食品备案”前须通过本课程考试，合格证书有效期两年。",
                false,
            )
        },
    )
    .await?;
    courses::add_lesson(
        state,
        hall_id,
        &certified.id,
        &text(
            "受理要点",
            "1. 适用对象：仅销售预包装食品的经营者。\n2. 材料：营业执照、经营场所证明、法定代表人（负责人）身份证件。\n3. 时限：材料齐全当场备案；变更自变化之日起 15 个工作日内办理。\n4. 不收费。",
        ),
    )
    .await?;
    let handout = sample_pdf().map_err(govhall_kernel::AppError::internal)?;
    let handout =
        crate::files::upload(state, &actor, hall_id, "受理要点.pdf", handout.into()).await?;
    courses::add_lesson(
        state,
        hall_id,
        &certified.id,
        &LessonInput {
            title: "受理要点（PDF）".into(),
            kind: "pdf".into(),
            file_id: Some(handout.id),
            poster_file_id: None,
            exam_id: None,
            task_code: None,
            body: String::new(),
            required_pct: None,
        },
    )
    .await?;
    courses::add_lesson(
        state,
        hall_id,
        &certified.id,
        &LessonInput {
            title: "上岗考试".into(),
            kind: "exam".into(),
            file_id: None,
            poster_file_id: None,
            exam_id: Some(exam.id.clone()),
            task_code: None,
            body: String::new(),
            required_pct: None,
        },
    )
    .await?;

    let kiosk = courses::create(
        state,
        &actor,
        hall_id,
        &course_input(
            "自助取号机使用指南",
            "日常培训",
            "三步在大厅取号机上取号：选择事项、确认、取走号票。",
            true,
        ),
    )
    .await?;
    courses::add_lesson(
        state,
        hall_id,
        &kiosk.id,
        &video("取号演示", &file.id, &poster.id),
    )
    .await?;
    courses::add_lesson(
        state,
        hall_id,
        &kiosk.id,
        &text("取号步骤", "1. 在取号机首页点选“我要办事”，或说出要办的事。\n2. 按提示回答几个问题，确认事项。\n3. 取走号票，留意叫号屏和语音，到对应窗口办理。\n也可以用手机扫描大厅门口二维码远程取号。"),
    )
    .await?;
    let license = courses::create(
        state,
        &actor,
        hall_id,
        &course_input(
            "如何申领电子营业执照",
            "政策法规",
            "用手机下载、使用电子营业执照。",
            true,
        ),
    )
    .await?;
    courses::add_lesson(
        state,
        hall_id,
        &license.id,
        &text("申领步骤", "1. 在微信或支付宝搜索“电子营业执照”小程序。\n2. 法定代表人实名认证后，选择企业并下载。\n3. 办事时出示电子营业执照，可代替纸质执照。"),
    )
    .await?;
    seed_tour(state, &actor, hall_id).await?;
    Ok(true)
}

/// 云游大厅: two drawn panoramas — the comprehensive windows, and the
/// specialist, delivery and consulting windows — each window a hotspot, a
/// door leading to the other area.
async fn seed_tour(state: &AppState, actor: &Actor, hall_id: &str) -> AppResult<()> {
    use crate::tour::{self, SceneInput, Spot};
    let windows = govhall_directory::service::windows(&state.db, hall_id).await?;
    let (first, second): (Vec<_>, Vec<_>) =
        windows.into_iter().partition(|w| w.kind == "comprehensive");
    let mut made = Vec::new();
    for (n, (title, ws)) in [
        ("一楼 综合受理区", first),
        ("二楼 专业窗口与出件区", second),
    ]
    .into_iter()
    .enumerate()
    {
        let codes: Vec<String> = ws.iter().map(|w| w.code.clone()).collect();
        let (png, places, door) =
            tour::panorama(&codes).map_err(govhall_kernel::AppError::internal)?;
        let file = crate::files::upload(
            state,
            actor,
            hall_id,
            &format!("panorama-{}.png", n + 1),
            png.into(),
        )
        .await?;
        let scene = tour::create(
            state,
            hall_id,
            &SceneInput {
                title: title.into(),
                file_id: file.id,
            },
        )
        .await?;
        made.push((scene, ws, places, door));
    }
    for (i, (scene, ws, places, door)) in made.iter().enumerate() {
        let other = &made[(i + 1) % made.len()].0;
        let mut spots: Vec<Spot> = ws
            .iter()
            .zip(places)
            .map(|(w, (yaw, pitch))| Spot {
                yaw: *yaw,
                pitch: *pitch,
                label: w.name.chars().take(20).collect(),
                target_scene: None,
                window_code: Some(w.code.clone()),
            })
            .collect();
        spots.push(Spot {
            yaw: door.0,
            pitch: door.1,
            label: format!("前往{}", other.title).chars().take(20).collect(),
            target_scene: Some(other.id.clone()),
            window_code: None,
        });
        tour::set_spots(state, hall_id, &scene.id, &spots).await?;
    }
    Ok(())
}
