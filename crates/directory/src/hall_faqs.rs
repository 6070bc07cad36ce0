//! Questions about the hall itself — when it opens, where it is, where to take
//! a number, which floor, parking, 帮办代办 — answered for 智能导办 from the
//! directory (hours, address, areas) and from the hall's own editable list of
//! questions and answers. Kiosks and phones show these beside the matters.

use crate::entity::{area, hall_faq};
use crate::events;
use axum::{
    Json,
    extract::{Path, State},
};
use chrono::Utc;
use govhall_kernel::{error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
    halls::{find_hall, hall_for},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_faqs, put_faqs))
        .routes(routes!(public_answers))
}

/// One of the hall's questions and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Faq {
    pub question: String,
    pub answer: String,
    /// Words that bring it up (停车, 车位).
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// What the directory knows of a hall that citizens ask about.
#[derive(Debug, Clone, Default)]
pub struct HallFacts {
    pub name: String,
    pub address: String,
    pub opens_at: String,
    pub closes_at: String,
    pub hours_note: String,
    /// Areas with their floor (`综合受理区`, `1F`).
    pub areas: Vec<(String, Option<String>)>,
}

/// An answer about the hall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct HallAnswer {
    /// What it answers (开放时间, 地址, or the hall's own question).
    pub topic: String,
    pub answer: String,
}

/// What a question about the hall asks, by the words that say it.
const TOPICS: &[(&str, &[&str])] = &[
    (
        "开放时间",
        &[
            "几点",
            "上班",
            "下班",
            "开门",
            "关门",
            "营业时间",
            "办公时间",
            "工作时间",
            "开放时间",
            "周六",
            "周日",
            "周末",
            "星期",
            "节假日",
            "中午",
            "午休",
            "休息吗",
            "开放吗",
        ],
    ),
    (
        "地址",
        &[
            "大厅在哪",
            "中心在哪",
            "你们在哪",
            "地址",
            "位置",
            "怎么走",
            "怎么去",
            "坐几路",
            "公交",
            "地铁",
            "导航",
            "在哪里",
            "在哪儿",
        ],
    ),
    ("取号", &["取号", "拿号", "排号", "领号", "叫号", "排队"]),
    (
        "楼层",
        &[
            "几楼",
            "楼层",
            "几层",
            "哪一层",
            "哪层",
            "布局",
            "分布",
            "区域",
        ],
    ),
];

/// The answers to `q` about the hall: the topics it names, answered from the
/// directory, and the hall's own questions it touches.
pub fn answers(facts: &HallFacts, faqs: &[Faq], q: &str) -> Vec<HallAnswer> {
    let q = q.trim();
    let mut out = Vec::new();
    for faq in faqs {
        if faq_matches(faq, q) {
            out.push(HallAnswer {
                topic: faq.question.clone(),
                answer: faq.answer.clone(),
            });
        }
    }
    for (topic, words) in TOPICS {
        if !words.iter().any(|w| q.contains(w)) {
            continue;
        }
        let answer = match *topic {
            "开放时间" if !facts.opens_at.is_empty() => Some(format!(
                "{}工作日 {}—{} 开放{}",
                facts.name,
                facts.opens_at,
                facts.closes_at,
                if facts.hours_note.is_empty() {
                    "，法定节假日休息".to_string()
                } else {
                    format!("；{}", facts.hours_note)
                }
            )),
            "地址" if !facts.address.is_empty() => {
                Some(format!("{}位于{}", facts.name, facts.address))
            }
            "取号" => Some(
                "在大厅入口的取号机上选择要办的业务取号，也可以在手机上“远程取号”；已预约的请在取号机输入签到码签到。叫到号后按大屏和语音提示到对应窗口。"
                    .to_string(),
            ),
            "楼层" if !facts.areas.is_empty() => Some(format!(
                "{}：{}",
                facts.name,
                facts
                    .areas
                    .iter()
                    .map(|(name, floor)| match floor {
                        Some(f) if !f.is_empty() => format!("{f} {name}"),
                        _ => name.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("；")
            )),
            _ => None,
        };
        // The hall's own answer on the same topic says it better.
        if let Some(answer) = answer
            && !out.iter().any(|a| a.topic.contains(topic))
        {
            out.push(HallAnswer {
                topic: topic.to_string(),
                answer,
            });
        }
    }
    out
}

/// A hall question is brought up by one of its keywords, or by a question
/// sharing most of its character pairs.
fn faq_matches(faq: &Faq, q: &str) -> bool {
    if faq
        .keywords
        .iter()
        .any(|k| !k.is_empty() && q.contains(k.as_str()))
    {
        return true;
    }
    let pairs = |s: &str| -> Vec<String> {
        let c: Vec<char> = s.chars().filter(|c| !c.is_ascii_punctuation()).collect();
        c.windows(2).map(|w| w.iter().collect()).collect()
    };
    let theirs = pairs(&faq.question);
    let ours = pairs(q);
    if theirs.is_empty() || ours.is_empty() {
        return false;
    }
    let shared = ours.iter().filter(|p| theirs.contains(p)).count();
    shared * 2 >= ours.len().min(theirs.len()) && shared >= 2
}

/// The hall's questions and answers, in their order.
pub async fn list<C: sea_orm::ConnectionTrait>(db: &C, hall_id: &str) -> AppResult<Vec<Faq>> {
    Ok(hall_faq::Entity::find()
        .filter(hall_faq::Column::HallId.eq(hall_id))
        .order_by_asc(hall_faq::Column::SortOrder)
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| Faq {
            question: r.question,
            answer: r.answer,
            keywords: r
                .keywords
                .split('；')
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect(),
        })
        .collect())
}

/// Checks a list before it is stored; every problem is named.
fn checked(faqs: Vec<Faq>) -> AppResult<Vec<Faq>> {
    let mut c = Checker::new();
    c.check(faqs.len() <= 50, "faqs", "大厅常见问题最多 50 条");
    let mut out = Vec::with_capacity(faqs.len());
    for (i, f) in faqs.into_iter().enumerate() {
        let question = c.text(&format!("faqs[{i}].question"), "问题", &f.question, 100);
        let answer = c.text(&format!("faqs[{i}].answer"), "回答", &f.answer, 500);
        let keywords: Vec<String> = f
            .keywords
            .iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect();
        c.check(
            keywords.len() <= 10 && keywords.iter().all(|k| k.chars().count() <= 20),
            &format!("faqs[{i}].keywords"),
            "关键词最多 10 个，每个不超过 20 个字",
        );
        c.check(
            keywords.iter().all(|k| !k.contains('；')),
            &format!("faqs[{i}].keywords"),
            "关键词中不能含有“；”",
        );
        out.push(Faq {
            question,
            answer,
            keywords,
        });
    }
    c.finish()?;
    Ok(out)
}

/// Replaces the hall's questions and answers (checked first; nothing changes on a problem).
pub async fn replace(
    state: &AppState,
    actor: &govhall_platform::events::Actor,
    hall_id: &str,
    faqs: Vec<Faq>,
) -> AppResult<Vec<Faq>> {
    let faqs = checked(faqs)?;
    let txn = begin_write(&state.db).await.db_err()?;
    hall_faq::Entity::delete_many()
        .filter(hall_faq::Column::HallId.eq(hall_id))
        .exec(&txn)
        .await
        .db_err()?;
    for (i, f) in faqs.iter().enumerate() {
        hall_faq::ActiveModel {
            id: Set(new_id().to_string()),
            hall_id: Set(hall_id.to_string()),
            question: Set(f.question.clone()),
            answer: Set(f.answer.clone()),
            keywords: Set(f.keywords.join("；")),
            sort_order: Set(i as i32),
            updated_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    let ev = events::HALL_FAQS_REPLACED.event(
        Some(hall_id),
        &events::HallFaqsReplaced { count: faqs.len() },
    );
    crate::commit_with(state, txn, actor, vec![ev]).await?;
    Ok(faqs)
}

/// Questions most halls are asked, as a starting list a hall edits to its own
/// facts (the demo hall uses them as they are).
pub fn starter_faqs() -> Vec<Faq> {
    let faq = |q: &str, a: &str, k: &[&str]| Faq {
        question: q.into(),
        answer: a.into(),
        keywords: k.iter().map(|k| k.to_string()).collect(),
    };
    vec![
        faq(
            "大厅可以停车吗",
            "大厅东侧地面停车场对办事群众免费开放（限时 2 小时），地下停车场入口在航天大道一侧；车位紧张时请绿色出行。",
            &["停车", "车位", "开车来", "停哪"],
        ),
        faq(
            "有没有帮办代办服务",
            "大厅设有帮办代办服务：老年人、残疾人、孕妇和不熟悉手续的群众，可到入口咨询台（导服台）请工作人员全程帮办，企业开办可申请免费代办。",
            &[
                "代办",
                "帮办",
                "帮忙",
                "不会弄",
                "不会操作",
                "行动不便",
                "陪同",
            ],
        ),
        faq(
            "咨询台在哪里",
            "咨询台（导服台）在大厅入口右侧，工作人员可以帮您确认要办的事项、材料和取号。",
            &["咨询台", "导服台", "问人", "找工作人员", "人工服务"],
        ),
        faq(
            "可以预约吗",
            "可以。在手机“预约办事”选择业务和时段，凭短信验证码预约；到厅后在取号机输入签到码签到，优先叫号。",
            &["预约", "约个时间"],
        ),
        faq(
            "能不能网上办",
            "大部分事项可在陕西政务服务网或“秦务员”App 网上申请；查看事项的“到现场次数”，为 0 的可全程网上办理。",
            &["网上办", "手机上办", "线上办", "不用跑", "网上申请"],
        ),
    ]
}

/// What the directory tells citizens about the hall.
pub async fn facts(state: &AppState, hall_id: &str) -> AppResult<HallFacts> {
    let h = crate::find_hall(state, hall_id).await?;
    let areas = area::Entity::find()
        .filter(area::Column::HallId.eq(hall_id))
        .order_by_asc(area::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|a| (a.name, a.floor))
        .collect();
    Ok(HallFacts {
        name: h.name,
        address: h.address,
        opens_at: h.opens_at,
        closes_at: h.closes_at,
        hours_note: h.hours_note,
        areas,
    })
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct FaqsBody {
    pub faqs: Vec<Faq>,
}

/// The hall's own questions and answers (停车, 帮办代办…), which 智能导办 answers.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/faqs", security(("govhall" = ["directory.read"])), tag = "directory",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = FaqsBody), (status = 404, body = ErrorBody)))]
async fn list_faqs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<FaqsBody>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(FaqsBody {
        faqs: list(&state.db, &hall.id).await?,
    }))
}

/// Replaces the hall's questions and answers.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/faqs", security(("govhall" = ["directory.edit"])), tag = "directory",
    request_body = FaqsBody,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = FaqsBody), (status = 422, body = ErrorBody)))]
async fn put_faqs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<FaqsBody>,
) -> ApiResult<Json<FaqsBody>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    Ok(Json(FaqsBody {
        faqs: replace(&state, &user.actor(), &hall.id, body.faqs).await?,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AskQuery {
    pub q: String,
}

/// Answers about the hall itself for a citizen's question (none when it is
/// not about the hall).
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/answers", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code"), AskQuery),
    responses((status = 200, body = Vec<HallAnswer>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn public_answers(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<AskQuery>,
) -> ApiResult<Json<Vec<HallAnswer>>> {
    if q.q.chars().count() > 100 {
        return Err(govhall_kernel::AppError::field("q", "问题不能超过 100 个字").into());
    }
    let hall = find_hall(&state, &key).await?;
    let faqs = list(&state.db, &hall.id).await?;
    Ok(Json(answers(&facts(&state, &hall.id).await?, &faqs, &q.q)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> HallFacts {
        HallFacts {
            name: "某区政务服务中心".into(),
            address: "某路 1 号".into(),
            opens_at: "09:00".into(),
            closes_at: "17:00".into(),
            hours_note: "周六上午 9:00—12:00 延时服务".into(),
            areas: vec![("综合受理区".into(), Some("1F".into()))],
        }
    }

    #[test]
    fn questions_about_the_hall_are_answered_from_the_directory_and_its_list() {
        let faqs = vec![Faq {
            question: "能停车吗".into(),
            answer: "东门停车场免费两小时".into(),
            keywords: vec!["停车".into(), "车位".into()],
        }];
        let topic = |q: &str| {
            answers(&facts(), &faqs, q)
                .into_iter()
                .map(|a| a.topic)
                .collect::<Vec<_>>()
        };
        assert_eq!(topic("你们几点上班"), vec!["开放时间"]);
        assert!(
            answers(&facts(), &faqs, "周六开门吗")[0]
                .answer
                .contains("周六上午")
        );
        assert_eq!(topic("大厅在哪里"), vec!["地址"]);
        assert_eq!(topic("停车场在哪"), vec!["能停车吗"]);
        assert_eq!(topic("在哪取号"), vec!["取号"]);
        assert_eq!(topic("综合受理区在几楼"), vec!["楼层"]);
        assert!(topic("社保卡丢了").is_empty());
        assert!(topic("天气怎么样").is_empty());
    }

    #[test]
    fn a_bad_list_names_each_problem() {
        let bad = vec![Faq {
            question: " ".into(),
            answer: "长".repeat(501),
            keywords: vec!["停车；车位".into()],
        }];
        let err = checked(bad).unwrap_err().to_string();
        assert!(!err.is_empty());
    }
}
