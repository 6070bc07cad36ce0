//! The scenario model and its resolver: a pure, deterministic function of a
//! published item version and the answers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// 必要性 of a material.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Necessity {
    #[serde(rename = "必要")]
    Required,
    #[serde(rename = "非必要")]
    Optional,
    /// 容缺: may be supplied after acceptance.
    #[serde(rename = "容缺")]
    Deferrable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    pub id: String,
    pub name: String,
    pub necessity: Necessity,
    pub copies: u32,
    /// Needed in every scenario; otherwise only when a rule requires it.
    pub always: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlingItem {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Single,
    Multi,
    YesNo,
    Number,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub options: Vec<Choice>,
    /// Asked only when this holds.
    #[serde(default)]
    pub show_if: Option<Cond>,
}

/// A condition over the answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cond {
    /// A single/multi question's answer includes the value.
    Chose {
        question: String,
        value: String,
    },
    /// A yes/no question's answer.
    Is {
        question: String,
        value: bool,
    },
    /// A number question's answer is at least `min`.
    AtLeast {
        question: String,
        min: i64,
    },
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    SelectHandlingItem {
        code: String,
    },
    RequireMaterial {
        material: String,
        necessity: Necessity,
        copies: u32,
    },
    ExcludeMaterial {
        material: String,
    },
    SetCondition {
        text: String,
    },
    /// Working days.
    SetTimeLimit {
        days: u32,
    },
    AddFee {
        name: String,
        fen: i64,
    },
    /// e.g. 无需办理许可 / 不属于本机关职权，请到…
    Terminate {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Rule {
    pub id: String,
    pub when: Cond,
    pub then: Vec<Effect>,
}

/// What the resolver reads of a published item version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScenarios {
    pub handling_items: Vec<HandlingItem>,
    pub materials: Vec<Material>,
    pub questions: Vec<Question>,
    pub rules: Vec<Rule>,
    /// 承诺办结时限 in working days, unless a rule sets another.
    pub promised_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Choice(String),
    Choices(Vec<String>),
    YesNo(bool),
    Number(i64),
}

pub type Answers = BTreeMap<String, Answer>;

/// One line of the outcome and why it is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Because<T> {
    pub value: T,
    /// Rule ids; empty when it comes from the item itself.
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedMaterial {
    pub id: String,
    pub name: String,
    pub necessity: Necessity,
    pub copies: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Outcome {
        handling_item: Because<HandlingItem>,
        materials: Vec<Because<ResolvedMaterial>>,
        conditions: Vec<Because<String>>,
        time_limit_days: Because<u32>,
        fees: Vec<Because<(String, i64)>>,
    },
    Terminated {
        reason: String,
        rule: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("请回答问题“{0}”")]
    Unanswered(String),
    #[error("问题“{question}”的回答不符合题型或选项：{detail}")]
    BadAnswer { question: String, detail: String },
    #[error("规则 {0:?} 同时选中了不同的办理项，请检查情形配置")]
    Contradiction(Vec<String>),
    #[error("事项未配置办理项")]
    NoHandlingItem,
}

fn holds(cond: &Cond, answers: &Answers) -> bool {
    match cond {
        Cond::Chose { question, value } => match answers.get(question) {
            Some(Answer::Choice(v)) => v == value,
            Some(Answer::Choices(vs)) => vs.contains(value),
            _ => false,
        },
        Cond::Is { question, value } => {
            matches!(answers.get(question), Some(Answer::YesNo(v)) if v == value)
        }
        Cond::AtLeast { question, min } => {
            matches!(answers.get(question), Some(Answer::Number(n)) if n >= min)
        }
        Cond::All(cs) => cs.iter().all(|c| holds(c, answers)),
        Cond::Any(cs) => cs.iter().any(|c| holds(c, answers)),
        Cond::Not(c) => !holds(c, answers),
    }
}

/// The answers that count: those of questions shown for the other counting
/// answers (a stale answer to a question that is now hidden is ignored).
fn effective_answers(item: &ItemScenarios, answers: &Answers) -> Answers {
    let mut current = answers.clone();
    // Visibility only shrinks as answers are dropped, so this settles within
    // one pass per question.
    for _ in 0..=item.questions.len() {
        let next: Answers = current
            .iter()
            .filter(|(id, _)| {
                item.questions
                    .iter()
                    .find(|q| &q.id == *id)
                    .is_some_and(|q| q.show_if.as_ref().is_none_or(|c| holds(c, &current)))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// The questions to ask for these answers, in order.
pub fn visible_questions<'a>(item: &'a ItemScenarios, answers: &Answers) -> Vec<&'a Question> {
    let answers = effective_answers(item, answers);
    item.questions
        .iter()
        .filter(|q| q.show_if.as_ref().is_none_or(|c| holds(c, &answers)))
        .collect()
}

fn check_answer(q: &Question, a: &Answer) -> Result<(), String> {
    let known = |v: &String| q.options.iter().any(|o| &o.value == v);
    match (q.kind, a) {
        (QuestionKind::Single, Answer::Choice(v)) if known(v) => Ok(()),
        (QuestionKind::Multi, Answer::Choices(vs)) if vs.iter().all(known) => Ok(()),
        (QuestionKind::YesNo, Answer::YesNo(_)) | (QuestionKind::Number, Answer::Number(_)) => {
            Ok(())
        }
        (QuestionKind::Single | QuestionKind::Multi, _) => Err("不是该题的选项".into()),
        _ => Err("题型不符".into()),
    }
}

/// Resolves the scenario. Deterministic: the same item and answers always give
/// the same resolution; rules apply in their declared order, and an exclusion
/// wins over any requirement of the same material.
pub fn resolve(item: &ItemScenarios, answers: &Answers) -> Result<Resolution, ResolveError> {
    let answers = &effective_answers(item, answers);
    for q in visible_questions(item, answers) {
        let a = answers
            .get(&q.id)
            .ok_or_else(|| ResolveError::Unanswered(q.text.clone()))?;
        check_answer(q, a).map_err(|detail| ResolveError::BadAnswer {
            question: q.text.clone(),
            detail,
        })?;
    }
    let fired: Vec<&Rule> = item
        .rules
        .iter()
        .filter(|r| holds(&r.when, answers))
        .collect();
    if let Some((rule, reason)) = fired.iter().find_map(|r| {
        r.then.iter().find_map(|e| match e {
            Effect::Terminate { reason } => Some((r, reason)),
            _ => None,
        })
    }) {
        return Ok(Resolution::Terminated {
            reason: reason.clone(),
            rule: rule.id.clone(),
        });
    }

    let mut selected: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut required: BTreeMap<&str, (Necessity, u32, Vec<String>)> = BTreeMap::new();
    let mut excluded: BTreeSet<&str> = BTreeSet::new();
    let mut conditions = Vec::new();
    let mut time_limit = Because {
        value: item.promised_days,
        rules: vec![],
    };
    let mut fees = Vec::new();
    for r in &fired {
        for e in &r.then {
            match e {
                Effect::SelectHandlingItem { code } => selected
                    .entry(code.as_str())
                    .or_default()
                    .push(r.id.clone()),
                Effect::RequireMaterial {
                    material,
                    necessity,
                    copies,
                } => {
                    let entry =
                        required
                            .entry(material.as_str())
                            .or_insert((*necessity, *copies, vec![]));
                    // A later rule refines necessity and copies.
                    entry.0 = *necessity;
                    entry.1 = *copies;
                    entry.2.push(r.id.clone());
                }
                Effect::ExcludeMaterial { material } => {
                    excluded.insert(material.as_str());
                }
                Effect::SetCondition { text } => conditions.push(Because {
                    value: text.clone(),
                    rules: vec![r.id.clone()],
                }),
                Effect::SetTimeLimit { days } => {
                    time_limit = Because {
                        value: *days,
                        rules: vec![r.id.clone()],
                    }
                }
                Effect::AddFee { name, fen } => fees.push(Because {
                    value: (name.clone(), *fen),
                    rules: vec![r.id.clone()],
                }),
                Effect::Terminate { .. } => unreachable!("handled above"),
            }
        }
    }

    let handling_item = match selected.len() {
        0 => Because {
            value: item
                .handling_items
                .first()
                .cloned()
                .ok_or(ResolveError::NoHandlingItem)?,
            rules: vec![],
        },
        1 => {
            let (code, rules) = selected.into_iter().next().expect("one");
            let hi = item
                .handling_items
                .iter()
                .find(|h| h.code == code)
                .cloned()
                .ok_or(ResolveError::NoHandlingItem)?;
            Because { value: hi, rules }
        }
        _ => {
            return Err(ResolveError::Contradiction(
                selected.into_values().flatten().collect(),
            ));
        }
    };

    let materials = item
        .materials
        .iter()
        .filter(|m| !excluded.contains(m.id.as_str()))
        .filter_map(|m| match required.get(m.id.as_str()) {
            Some((necessity, copies, rules)) => Some(Because {
                value: ResolvedMaterial {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    necessity: *necessity,
                    copies: *copies,
                },
                rules: rules.clone(),
            }),
            None if m.always => Some(Because {
                value: ResolvedMaterial {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    necessity: m.necessity,
                    copies: m.copies,
                },
                rules: vec![],
            }),
            None => None,
        })
        .collect();
    Ok(Resolution::Outcome {
        handling_item,
        materials,
        conditions,
        time_limit_days: time_limit,
        fees,
    })
}

/// A problem in a scenario configuration, caught when the item is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigProblem {
    pub at: String,
    pub message: String,
}

fn cond_questions<'a>(c: &'a Cond, out: &mut Vec<(&'a str, Option<&'a str>)>) {
    match c {
        Cond::Chose { question, value } => out.push((question, Some(value))),
        Cond::Is { question, .. } | Cond::AtLeast { question, .. } => out.push((question, None)),
        Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| cond_questions(c, out)),
        Cond::Not(c) => cond_questions(c, out),
    }
}

/// The answers worth trying for a question: every option (every subset of a
/// multi-choice question with few options), yes and no, and the number
/// thresholds the conditions use.
fn candidate_answers(item: &ItemScenarios, q: &Question) -> Vec<Answer> {
    match q.kind {
        QuestionKind::Single => q
            .options
            .iter()
            .map(|o| Answer::Choice(o.value.clone()))
            .collect(),
        QuestionKind::Multi if q.options.len() <= 6 => (0u32..(1 << q.options.len()))
            .map(|mask| {
                Answer::Choices(
                    q.options
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, o)| o.value.clone())
                        .collect(),
                )
            })
            .collect(),
        QuestionKind::Multi => std::iter::once(Answer::Choices(vec![]))
            .chain(
                q.options
                    .iter()
                    .map(|o| Answer::Choices(vec![o.value.clone()])),
            )
            .collect(),
        QuestionKind::YesNo => vec![Answer::YesNo(false), Answer::YesNo(true)],
        QuestionKind::Number => {
            let mut mins = BTreeSet::from([0i64]);
            fn thresholds(c: &Cond, id: &str, out: &mut BTreeSet<i64>) {
                match c {
                    Cond::AtLeast { question, min } if question == id => {
                        out.insert(*min);
                        out.insert(min.saturating_sub(1));
                    }
                    Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| thresholds(c, id, out)),
                    Cond::Not(c) => thresholds(c, id, out),
                    _ => {}
                }
            }
            for r in &item.rules {
                thresholds(&r.when, &q.id, &mut mins);
            }
            for other in &item.questions {
                if let Some(c) = &other.show_if {
                    thresholds(c, &q.id, &mut mins);
                }
            }
            mins.into_iter().map(Answer::Number).collect()
        }
    }
}

/// Above this many answer combinations the exhaustive check is skipped.
const MAX_COMBINATIONS: usize = 20_000;

/// Tries every combination of answers (when there are few enough) and reports
/// combinations that select two handling items, and rules no answers can fire.
fn analyse(item: &ItemScenarios) -> Vec<ConfigProblem> {
    let choices: Vec<(String, Vec<Answer>)> = item
        .questions
        .iter()
        .map(|q| (q.id.clone(), candidate_answers(item, q)))
        .collect();
    let total = choices
        .iter()
        .try_fold(1usize, |acc, (_, c)| acc.checked_mul(c.len().max(1)));
    if total.is_none_or(|t| t > MAX_COMBINATIONS) {
        return vec![];
    }
    let mut problems = Vec::new();
    let mut fired: BTreeSet<&str> = BTreeSet::new();
    let mut contradictions: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut index = vec![0usize; choices.len()];
    loop {
        let answers: Answers = choices
            .iter()
            .zip(&index)
            .filter(|((_, c), _)| !c.is_empty())
            .map(|((id, c), i)| (id.clone(), c[*i].clone()))
            .collect();
        let effective = effective_answers(item, &answers);
        for r in &item.rules {
            if holds(&r.when, &effective) {
                fired.insert(r.id.as_str());
            }
        }
        if let Err(ResolveError::Contradiction(rules)) = resolve(item, &answers) {
            contradictions.insert(rules);
        }
        // Next combination (odometer).
        let mut pos = 0;
        loop {
            if pos == index.len() {
                for rules in contradictions {
                    problems.push(ConfigProblem {
                        at: format!("规则 {}", rules.join("、")),
                        message: "在某些回答下会同时选中不同的办理项，请让这些规则的条件互斥"
                            .into(),
                    });
                }
                for r in item.rules.iter().filter(|r| !fired.contains(r.id.as_str())) {
                    problems.push(ConfigProblem {
                        at: format!("规则 {}", r.id),
                        message: "任何回答都不会触发该规则（条件无法满足，或依赖的问题此时不显示）"
                            .into(),
                    });
                }
                return problems;
            }
            index[pos] += 1;
            if index[pos] < choices[pos].1.len().max(1) {
                break;
            }
            index[pos] = 0;
            pos += 1;
        }
    }
}

/// Checks references (questions, options, materials, handling items), duplicate
/// ids and circular show-if chains; then, when the references are sound, tries
/// the answer combinations for contradictions and rules that can never fire.
/// Every problem is listed.
pub fn validate(item: &ItemScenarios) -> Vec<ConfigProblem> {
    let mut problems = shape_problems(item);
    if problems.is_empty() {
        problems = analyse(item);
    }
    problems
}

fn shape_problems(item: &ItemScenarios) -> Vec<ConfigProblem> {
    let mut problems = Vec::new();
    let mut fail = |at: String, message: String| problems.push(ConfigProblem { at, message });
    let mut seen = BTreeSet::new();
    for q in &item.questions {
        if !seen.insert(q.id.as_str()) {
            fail(format!("问题 {}", q.id), "问题编号重复".into());
        }
    }
    let question = |id: &str| item.questions.iter().find(|q| q.id == id);
    let check_cond = |at: &str, c: &Cond, fail: &mut dyn FnMut(String, String)| {
        let mut refs = Vec::new();
        cond_questions(c, &mut refs);
        for (qid, value) in refs {
            match question(qid) {
                None => fail(at.to_string(), format!("引用了不存在的问题“{qid}”")),
                Some(q) => {
                    if let Some(v) = value
                        && !q.options.iter().any(|o| o.value == v)
                    {
                        fail(at.to_string(), format!("问题“{}”没有选项“{v}”", q.text));
                    }
                }
            }
        }
    };
    for q in &item.questions {
        if matches!(q.kind, QuestionKind::Single | QuestionKind::Multi) && q.options.len() < 2 {
            fail(
                format!("问题 {}", q.id),
                "单选或多选题至少需要两个选项".into(),
            );
        }
        if let Some(c) = &q.show_if {
            check_cond(&format!("问题 {} 的显示条件", q.id), c, &mut fail);
        }
    }
    // Circular show-if: follow each question's dependencies depth-first.
    fn depends_on(q: &Question) -> Vec<&str> {
        let mut refs = Vec::new();
        if let Some(c) = &q.show_if {
            cond_questions(c, &mut refs);
        }
        refs.into_iter().map(|(id, _)| id).collect()
    }
    for start in &item.questions {
        let mut stack = depends_on(start);
        let mut visited = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if id == start.id {
                fail(format!("问题 {}", start.id), "显示条件形成循环依赖".into());
                break;
            }
            if visited.insert(id)
                && let Some(q) = question(id)
            {
                stack.extend(depends_on(q));
            }
        }
    }
    for r in &item.rules {
        let at = format!("规则 {}", r.id);
        check_cond(&at, &r.when, &mut fail);
        for e in &r.then {
            match e {
                Effect::RequireMaterial { material, .. } | Effect::ExcludeMaterial { material }
                    if !item.materials.iter().any(|m| &m.id == material) =>
                {
                    fail(at.clone(), format!("引用了不存在的材料“{material}”"))
                }
                Effect::SelectHandlingItem { code }
                    if !item.handling_items.iter().any(|h| &h.code == code) =>
                {
                    fail(at.clone(), format!("引用了不存在的办理项“{code}”"))
                }
                _ => {}
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(
        id: &str,
        text: &str,
        kind: QuestionKind,
        options: &[&str],
        show_if: Option<Cond>,
    ) -> Question {
        Question {
            id: id.into(),
            text: text.into(),
            kind,
            options: options
                .iter()
                .map(|o| Choice {
                    value: (*o).into(),
                    label: (*o).into(),
                })
                .collect(),
            show_if,
        }
    }

    fn m(id: &str, name: &str, always: bool) -> Material {
        Material {
            id: id.into(),
            name: name.into(),
            necessity: Necessity::Required,
            copies: 1,
            always,
        }
    }

    fn chose(question: &str, value: &str) -> Cond {
        Cond::Chose {
            question: question.into(),
            value: value.into(),
        }
    }

    fn rule(id: &str, when: Cond, then: Vec<Effect>) -> Rule {
        Rule {
            id: id.into(),
            when,
            then,
        }
    }

    fn require(material: &str, necessity: Necessity) -> Effect {
        Effect::RequireMaterial {
            material: material.into(),
            necessity,
            copies: 1,
        }
    }

    /// 食品经营许可, simplified from 市场监管总局令第78号.
    fn food_licence() -> ItemScenarios {
        ItemScenarios {
            handling_items: vec![
                HandlingItem {
                    code: "new".into(),
                    name: "食品经营许可（新办）".into(),
                },
                HandlingItem {
                    code: "change".into(),
                    name: "食品经营许可（变更）".into(),
                },
            ],
            materials: vec![
                m("id", "经营者身份证明", true),
                m("form", "食品经营许可申请书", false),
                m("plan", "经营场所平面图", false),
                m("rules", "食品安全管理制度", false),
                m("power", "授权委托书", false),
                m("change_form", "变更申请书", false),
            ],
            questions: vec![
                q(
                    "kind",
                    "您要办理什么？",
                    QuestionKind::Single,
                    &["新办", "变更"],
                    None,
                ),
                q(
                    "prepacked",
                    "是否仅销售预包装食品？",
                    QuestionKind::YesNo,
                    &[],
                    Some(chose("kind", "新办")),
                ),
                q(
                    "items",
                    "经营项目",
                    QuestionKind::Multi,
                    &["预包装", "散装", "热食"],
                    Some(chose("kind", "新办")),
                ),
                q(
                    "agent",
                    "是否委托他人办理？",
                    QuestionKind::YesNo,
                    &[],
                    None,
                ),
            ],
            rules: vec![
                rule(
                    "r-prepacked",
                    Cond::All(vec![
                        chose("kind", "新办"),
                        Cond::Is {
                            question: "prepacked".into(),
                            value: true,
                        },
                    ]),
                    vec![Effect::Terminate {
                        reason: "仅销售预包装食品的，办理备案即可，无需申请许可".into(),
                    }],
                ),
                rule(
                    "r-new",
                    chose("kind", "新办"),
                    vec![
                        Effect::SelectHandlingItem { code: "new".into() },
                        require("form", Necessity::Required),
                        require("plan", Necessity::Required),
                    ],
                ),
                rule(
                    "r-hot",
                    chose("items", "热食"),
                    vec![require("rules", Necessity::Deferrable)],
                ),
                rule(
                    "r-change",
                    chose("kind", "变更"),
                    vec![
                        Effect::SelectHandlingItem {
                            code: "change".into(),
                        },
                        require("change_form", Necessity::Required),
                        Effect::SetTimeLimit { days: 5 },
                    ],
                ),
                rule(
                    "r-agent",
                    Cond::Is {
                        question: "agent".into(),
                        value: true,
                    },
                    vec![
                        require("power", Necessity::Required),
                        Effect::SetCondition {
                            text: "代理人须携带本人身份证原件".into(),
                        },
                    ],
                ),
            ],
            promised_days: 10,
        }
    }

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn material_ids(r: &Resolution) -> Vec<&str> {
        match r {
            Resolution::Outcome { materials, .. } => {
                materials.iter().map(|m| m.value.id.as_str()).collect()
            }
            Resolution::Terminated { .. } => vec![],
        }
    }

    #[test]
    fn a_new_hot_food_licence_with_an_agent() {
        let item = food_licence();
        assert!(validate(&item).is_empty(), "{:?}", validate(&item));
        let a = answers(&[
            ("kind", Answer::Choice("新办".into())),
            ("prepacked", Answer::YesNo(false)),
            ("items", Answer::Choices(vec!["散装".into(), "热食".into()])),
            ("agent", Answer::YesNo(true)),
        ]);
        let r = resolve(&item, &a).unwrap();
        assert_eq!(
            material_ids(&r),
            vec!["id", "form", "plan", "rules", "power"]
        );
        let Resolution::Outcome {
            handling_item,
            materials,
            conditions,
            time_limit_days,
            fees,
        } = r
        else {
            panic!()
        };
        assert_eq!(handling_item.value.code, "new");
        assert_eq!(handling_item.rules, vec!["r-new"]);
        let rules_doc = materials.iter().find(|m| m.value.id == "rules").unwrap();
        assert_eq!(
            rules_doc.value.necessity,
            Necessity::Deferrable,
            "容缺 from r-hot"
        );
        assert_eq!(rules_doc.rules, vec!["r-hot"]);
        assert!(
            materials
                .iter()
                .find(|m| m.value.id == "id")
                .unwrap()
                .rules
                .is_empty(),
            "always-needed material comes from the item"
        );
        assert_eq!(conditions[0].value, "代理人须携带本人身份证原件");
        assert_eq!(time_limit_days.value, 10);
        assert!(fees.is_empty());
    }

    #[test]
    fn prepacked_only_terminates_with_the_reason() {
        let a = answers(&[
            ("kind", Answer::Choice("新办".into())),
            ("prepacked", Answer::YesNo(true)),
            ("items", Answer::Choices(vec!["预包装".into()])),
            ("agent", Answer::YesNo(false)),
        ]);
        assert_eq!(
            resolve(&food_licence(), &a).unwrap(),
            Resolution::Terminated {
                reason: "仅销售预包装食品的，办理备案即可，无需申请许可".into(),
                rule: "r-prepacked".into()
            }
        );
    }

    #[test]
    fn hidden_questions_need_no_answer_and_rules_set_the_time_limit() {
        let a = answers(&[
            ("kind", Answer::Choice("变更".into())),
            ("agent", Answer::YesNo(false)),
        ]);
        let r = resolve(&food_licence(), &a).unwrap();
        assert_eq!(material_ids(&r), vec!["id", "change_form"]);
        let Resolution::Outcome {
            time_limit_days, ..
        } = r
        else {
            panic!()
        };
        assert_eq!(
            time_limit_days,
            Because {
                value: 5,
                rules: vec!["r-change".into()]
            }
        );
    }

    #[test]
    fn missing_and_malformed_answers_are_refused() {
        let item = food_licence();
        let missing = answers(&[("kind", Answer::Choice("新办".into()))]);
        assert_eq!(
            resolve(&item, &missing),
            Err(ResolveError::Unanswered("是否仅销售预包装食品？".into()))
        );
        let bad = answers(&[
            ("kind", Answer::Choice("注销".into())),
            ("agent", Answer::YesNo(false)),
        ]);
        assert!(matches!(
            resolve(&item, &bad),
            Err(ResolveError::BadAnswer { .. })
        ));
        let wrong_kind = answers(&[
            ("kind", Answer::YesNo(true)),
            ("agent", Answer::YesNo(false)),
        ]);
        assert!(matches!(
            resolve(&item, &wrong_kind),
            Err(ResolveError::BadAnswer { .. })
        ));
    }

    #[test]
    fn fees_exclusions_and_contradictions() {
        let mut item = food_licence();
        item.rules.push(rule(
            "r-fee",
            chose("kind", "变更"),
            vec![Effect::AddFee {
                name: "证书工本费".into(),
                fen: 1000,
            }],
        ));
        item.rules.push(rule(
            "r-no-id",
            Cond::Is {
                question: "agent".into(),
                value: false,
            },
            vec![Effect::ExcludeMaterial {
                material: "id".into(),
            }],
        ));
        let a = answers(&[
            ("kind", Answer::Choice("变更".into())),
            ("agent", Answer::YesNo(false)),
        ]);
        let r = resolve(&item, &a).unwrap();
        assert_eq!(material_ids(&r), vec!["change_form"]);
        let Resolution::Outcome { fees, .. } = r else {
            panic!()
        };
        assert_eq!(fees[0].value, ("证书工本费".to_string(), 1000));

        item.rules.push(rule(
            "r-both",
            chose("kind", "变更"),
            vec![Effect::SelectHandlingItem { code: "new".into() }],
        ));
        assert_eq!(
            resolve(&item, &a),
            Err(ResolveError::Contradiction(vec![
                "r-change".into(),
                "r-both".into()
            ]))
        );
    }

    #[test]
    fn validation_lists_every_problem() {
        let mut item = food_licence();
        item.rules.push(rule(
            "r-x",
            chose("kind", "注销"),
            vec![require("ghost", Necessity::Required)],
        ));
        item.rules.push(rule(
            "r-y",
            chose("nobody", "x"),
            vec![Effect::SelectHandlingItem {
                code: "renew".into(),
            }],
        ));
        item.questions.push(q(
            "a",
            "A",
            QuestionKind::YesNo,
            &[],
            Some(Cond::Is {
                question: "b".into(),
                value: true,
            }),
        ));
        item.questions.push(q(
            "b",
            "B",
            QuestionKind::YesNo,
            &[],
            Some(Cond::Is {
                question: "a".into(),
                value: true,
            }),
        ));
        item.questions
            .push(q("c", "C", QuestionKind::Single, &["only"], None));
        let messages: Vec<String> = validate(&item)
            .into_iter()
            .map(|p| format!("{}: {}", p.at, p.message))
            .collect();
        let has = |s: &str| messages.iter().any(|m| m.contains(s));
        assert!(has("没有选项“注销”"), "{messages:?}");
        assert!(has("不存在的材料“ghost”"));
        assert!(has("不存在的问题“nobody”"));
        assert!(has("不存在的办理项“renew”"));
        assert!(has("问题 a: 显示条件形成循环依赖") && has("问题 b: 显示条件形成循环依赖"));
        assert!(has("至少需要两个选项"));
    }

    #[test]
    fn contradictions_and_dead_rules_are_caught_on_save() {
        let mut item = food_licence();
        assert_eq!(validate(&item), vec![], "the sound configuration passes");
        // Selecting another handling item whenever there is an agent clashes
        // with the rules selecting by kind.
        item.handling_items.push(HandlingItem {
            code: "agent".into(),
            name: "代办".into(),
        });
        item.rules.push(rule(
            "r-agent",
            Cond::Is {
                question: "agent".into(),
                value: true,
            },
            vec![Effect::SelectHandlingItem {
                code: "agent".into(),
            }],
        ));
        // Needs 新办 and 变更 at once: can never hold.
        item.rules.push(rule(
            "r-dead",
            Cond::All(vec![chose("kind", "新办"), chose("kind", "变更")]),
            vec![Effect::SetCondition { text: "x".into() }],
        ));
        let messages: Vec<String> = validate(&item)
            .into_iter()
            .map(|p| format!("{}: {}", p.at, p.message))
            .collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("r-agent") && m.contains("同时选中不同的办理项")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("规则 r-dead") && m.contains("不会触发")),
            "{messages:?}"
        );
    }

    #[test]
    fn answers_to_hidden_questions_do_not_count() {
        let item = food_licence();
        let visible: Vec<&str> = visible_questions(&item, &Answers::new())
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        let hidden = item
            .questions
            .iter()
            .find(|q| !visible.contains(&q.id.as_str()))
            .expect("food licence has a conditional question");
        let mut answers = Answers::new();
        answers.insert(hidden.id.clone(), Answer::YesNo(true));
        assert!(
            !visible_questions(&item, &answers)
                .iter()
                .any(|q| q.id == hidden.id),
            "answering a hidden question does not show it"
        );
    }

    fn arb_answers() -> impl Strategy<Value = Answers> {
        (
            prop::sample::select(vec!["新办", "变更"]),
            any::<bool>(),
            prop::sample::subsequence(vec!["预包装", "散装", "热食"], 0..=3),
            any::<bool>(),
        )
            .prop_map(|(kind, prepacked, items, agent)| {
                answers(&[
                    ("kind", Answer::Choice(kind.into())),
                    ("prepacked", Answer::YesNo(prepacked)),
                    (
                        "items",
                        Answer::Choices(items.into_iter().map(String::from).collect()),
                    ),
                    ("agent", Answer::YesNo(agent)),
                ])
            })
    }

    proptest! {
        #[test]
        fn resolution_is_deterministic_and_stays_within_the_item(a in arb_answers()) {
            let item = food_licence();
            let first = resolve(&item, &a);
            prop_assert_eq!(&first, &resolve(&item, &a));
            if let Ok(r) = &first {
                for id in material_ids(r) {
                    prop_assert!(item.materials.iter().any(|m| m.id == id));
                }
            }
        }

        #[test]
        fn an_exclusion_wins_whatever_the_rule_order(a in arb_answers(), rotate in 0usize..7) {
            let mut item = food_licence();
            item.rules.push(rule("r-exclude-form", chose("kind", "新办"), vec![Effect::ExcludeMaterial { material: "form".into() }]));
            let n = item.rules.len();
            item.rules.rotate_left(rotate % n);
            if let Ok(r) = resolve(&item, &a) {
                prop_assert!(!material_ids(&r).contains(&"form"));
            }
        }
    }
}
