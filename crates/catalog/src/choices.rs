//! What citizens answered in 智能导办: each time the public guidance reaches a
//! checklist, the matter, the handling item it led to and the answers (as the
//! question and option labels) are counted, so the center sees which
//! situations are common and which questions people get wrong or stop at.
//! Counted per distinct set of answers; a hall keeps at most 5,000 sets.

use crate::entity::guidance_choice;
use crate::model::ItemDoc;
use crate::scenario::{self, Answer, Answers, Resolution};
use chrono::{DateTime, Utc};
use govhall_kernel::error::AppResult;
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

const MAX_SETS: u64 = 5000;
/// Longer summaries are kept cut to this many characters.
const MAX_CHARS: usize = 400;

/// The answers as people read them: "question：option" (or "question？option")
/// in the order asked.
pub fn summary(questions: &[scenario::Question], answers: &Answers) -> String {
    let label = |q: &scenario::Question, v: &str| {
        q.options
            .iter()
            .find(|o| o.value == v)
            .map_or_else(|| v.to_string(), |o| o.label.clone())
    };
    let parts: Vec<String> = questions
        .iter()
        .filter_map(|q| {
            let said = match answers.get(&q.id)? {
                Answer::Choice(v) => label(q, v),
                Answer::Choices(vs) => vs
                    .iter()
                    .map(|v| label(q, v))
                    .collect::<Vec<_>>()
                    .join("、"),
                Answer::YesNo(b) => if *b { "是" } else { "否" }.to_string(),
                Answer::Number(n) => n.to_string(),
            };
            let text = q.text.trim_end_matches(['：', ':']);
            // "是否委托他人代办？否" reads better than "…？：否".
            Some(if text.ends_with(['？', '?']) {
                format!("{text}{said}")
            } else {
                format!("{text}：{said}")
            })
        })
        .collect();
    parts.join("；").chars().take(MAX_CHARS).collect()
}

/// Counts the answers when they led to a checklist (not while still asking).
pub async fn record(
    state: &AppState,
    hall_id: &str,
    doc: &ItemDoc,
    answers: &Answers,
) -> AppResult<()> {
    let sc = doc.scenarios();
    let Ok(Resolution::Outcome { handling_item, .. }) = scenario::resolve(&sc, answers) else {
        return Ok(());
    };
    let said = summary(&sc.questions, answers);
    let key = (hall_id.to_string(), doc.task_code.clone(), said.clone());
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    match guidance_choice::Entity::find_by_id(key)
        .one(&txn)
        .await
        .db_err()?
    {
        Some(m) => {
            let count = m.count + 1;
            let mut m: guidance_choice::ActiveModel = m.into();
            m.count = Set(count);
            m.last_at = Set(now);
            m.update(&txn).await.db_err()?;
        }
        None => {
            let kept = guidance_choice::Entity::find()
                .filter(guidance_choice::Column::HallId.eq(hall_id))
                .count(&txn)
                .await
                .db_err()?;
            if kept >= MAX_SETS {
                return Ok(());
            }
            guidance_choice::ActiveModel {
                hall_id: Set(hall_id.to_string()),
                task_code: Set(doc.task_code.clone()),
                answers: Set(said.clone()),
                task_name: Set(doc.task_name.clone()),
                handling_item: Set(handling_item.value.name.clone()),
                count: Set(1),
                last_at: Set(now),
            }
            .insert(&txn)
            .await
            .db_err()?;
        }
    }
    let citizen = Actor {
        id: None,
        name: "群众（智能导办）".into(),
    };
    let ev = crate::events::GUIDANCE_RESOLVED.event(
        Some(hall_id),
        &crate::events::GuidanceResolved {
            task_code: doc.task_code.clone(),
            handling_item: handling_item.value.name.clone(),
            answers: said,
        },
    );
    commit_with(state, txn, &citizen, vec![ev]).await
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChoiceDto {
    pub task_code: String,
    pub task_name: String,
    pub handling_item: String,
    /// "question：option；…" in the order asked.
    pub answers: String,
    pub count: i32,
    pub last_at: DateTime<Utc>,
}

/// The most frequent situations citizens described.
pub async fn top(state: &AppState, hall_id: &str) -> AppResult<Vec<ChoiceDto>> {
    Ok(guidance_choice::Entity::find()
        .filter(guidance_choice::Column::HallId.eq(hall_id))
        .order_by_desc(guidance_choice::Column::Count)
        .order_by_desc(guidance_choice::Column::LastAt)
        .limit(200)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|m| ChoiceDto {
            task_code: m.task_code,
            task_name: m.task_name,
            handling_item: m.handling_item,
            answers: m.answers,
            count: m.count,
            last_at: m.last_at,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Choice, Question, QuestionKind};

    fn q(id: &str, text: &str, kind: QuestionKind, options: &[(&str, &str)]) -> Question {
        Question {
            id: id.into(),
            text: text.into(),
            kind,
            options: options
                .iter()
                .map(|(v, l)| Choice {
                    value: (*v).into(),
                    label: (*l).into(),
                })
                .collect(),
            show_if: None,
        }
    }

    #[test]
    fn answers_read_as_the_citizen_saw_them_in_the_order_asked() {
        let questions = [
            q(
                "kind",
                "您要办理哪项业务？",
                QuestionKind::Single,
                &[("new", "新办")],
            ),
            q(
                "items",
                "经营项目",
                QuestionKind::Multi,
                &[("hot", "热食类"), ("cold", "冷食类")],
            ),
            q("staff", "从业人数", QuestionKind::Number, &[]),
            q("skip", "没有回答的问题", QuestionKind::YesNo, &[]),
        ];
        let answers: Answers = [
            ("staff".to_string(), Answer::Number(3)),
            (
                "items".to_string(),
                Answer::Choices(vec!["hot".into(), "cold".into()]),
            ),
            ("kind".to_string(), Answer::Choice("new".into())),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            summary(&questions, &answers),
            "您要办理哪项业务？新办；经营项目：热食类、冷食类；从业人数：3"
        );
    }
}
