//! 一件事 bundles: member items resolved together into one joint checklist in
//! which a document several members need appears once.

use crate::model::{ItemDoc, Problem, Step};
use crate::scenario::{self, Answers, Necessity, Resolution, ResolveError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BundleMember {
    /// 实施编码 of the member item.
    pub task_code: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BundleDoc {
    /// Unique within the hall; re-import updates by it.
    pub code: String,
    pub name: String,
    pub description: String,
    pub members: Vec<BundleMember>,
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl BundleDoc {
    /// Shape rules; whether members exist is checked against the catalog.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.code.trim().is_empty() {
            out.push(Problem::new("code", "一件事编码为必填项"));
        }
        if self.name.trim().is_empty() {
            out.push(Problem::new("name", "一件事名称为必填项"));
        }
        if self.members.len() < 2 {
            out.push(Problem::new("members", "一件事至少包含两个事项"));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, m) in self.members.iter().enumerate() {
            if !seen.insert(m.task_code.as_str()) {
                out.push(Problem::new(
                    format!("members[{i}]"),
                    format!("事项“{}”重复列入", m.task_code),
                ));
            }
        }
        out
    }
}

/// Who needs a joint material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeededBy {
    pub task_code: String,
    pub task_name: String,
    pub material_id: String,
    /// Rule ids of that member that required it (empty: always needed).
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JointMaterial {
    pub identity: String,
    pub name: String,
    /// The strictest of the members' (必要 over 容缺 over 非必要).
    pub necessity: Necessity,
    /// The most copies any member asks for.
    pub copies: u32,
    pub needed_by: Vec<NeededBy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberOutcome {
    pub task_code: String,
    pub task_name: String,
    /// The member's own resolution (outcome or termination).
    pub resolution: Resolution,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JointChecklist {
    pub members: Vec<MemberOutcome>,
    pub materials: Vec<JointMaterial>,
    /// Members are approved in parallel, so the bundle takes the longest limit.
    pub longest_days: u32,
    pub longest_member: Option<String>,
    /// Sum of all members' fees in 分.
    pub total_fen: i64,
}

fn strictness(n: Necessity) -> u8 {
    match n {
        Necessity::Required => 2,
        Necessity::Deferrable => 1,
        Necessity::Optional => 0,
    }
}

/// Resolves every member with its own answers and joins the outcomes.
/// A member that terminates (e.g. 无需办理许可) contributes no materials.
pub fn resolve_bundle(
    members: &[(&ItemDoc, &Answers)],
) -> Result<JointChecklist, (String, ResolveError)> {
    let mut outcomes = Vec::new();
    let mut joint: BTreeMap<String, JointMaterial> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut longest = (0, None);
    let mut total_fen = 0;
    for (doc, answers) in members {
        let resolution =
            scenario::resolve(&doc.scenarios(), answers).map_err(|e| (doc.task_name.clone(), e))?;
        if let Resolution::Outcome {
            materials,
            time_limit_days,
            fees,
            ..
        } = &resolution
        {
            if time_limit_days.value > longest.0 || longest.1.is_none() {
                longest = (time_limit_days.value, Some(doc.task_name.clone()));
            }
            total_fen += fees.iter().map(|f| f.value.1).sum::<i64>();
            for m in materials {
                let full = doc.materials.iter().find(|d| d.id == m.value.id);
                let identity = full.map_or_else(|| m.value.name.clone(), |d| d.identity_key());
                let entry = joint.entry(identity.clone()).or_insert_with(|| {
                    order.push(identity.clone());
                    JointMaterial {
                        identity: identity.clone(),
                        name: m.value.name.clone(),
                        necessity: m.value.necessity,
                        copies: m.value.copies,
                        needed_by: vec![],
                    }
                });
                if strictness(m.value.necessity) > strictness(entry.necessity) {
                    entry.necessity = m.value.necessity;
                }
                entry.copies = entry.copies.max(m.value.copies);
                entry.needed_by.push(NeededBy {
                    task_code: doc.task_code.clone(),
                    task_name: doc.task_name.clone(),
                    material_id: m.value.id.clone(),
                    rules: m.rules.clone(),
                });
            }
        }
        outcomes.push(MemberOutcome {
            task_code: doc.task_code.clone(),
            task_name: doc.task_name.clone(),
            resolution,
            steps: doc.steps.clone(),
        });
    }
    let materials = order.into_iter().filter_map(|k| joint.remove(&k)).collect();
    Ok(JointChecklist {
        members: outcomes,
        materials,
        longest_days: longest.0,
        longest_member: longest.1,
        total_fen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::parse_file;
    use crate::scenario::Answer;
    use proptest::prelude::*;

    /// Two small members sharing the ID card (by identity) and the licence (by e-licence type).
    fn members() -> (ItemDoc, ItemDoc) {
        static DEMO: std::sync::OnceLock<crate::interchange::CatalogFile> =
            std::sync::OnceLock::new();
        let file = DEMO.get_or_init(|| {
            parse_file(
                include_bytes!("../../server/demo/catalog.json"),
                &Default::default(),
            )
            .expect("demo catalog")
        });
        let find = |name: &str| {
            file.items
                .iter()
                .find(|i| i.doc.task_name == name)
                .expect(name)
                .doc
                .clone()
        };
        (find("食品经营许可"), find("发票领用"))
    }

    fn food_answers(agent: bool) -> Answers {
        [
            ("kind", Answer::Choice("new".into())),
            ("prepacked", Answer::YesNo(false)),
            ("items", Answer::Choices(vec!["hot".into()])),
            ("online", Answer::YesNo(false)),
            ("agent", Answer::YesNo(agent)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    #[test]
    fn shared_documents_are_listed_once_with_every_member_needing_them() {
        let (food, invoice) = members();
        let (a, none) = (food_answers(true), Answers::new());
        let joint = resolve_bundle(&[(&food, &a), (&invoice, &none)]).unwrap();
        let licence: Vec<&JointMaterial> = joint
            .materials
            .iter()
            .filter(|m| m.identity == "营业执照")
            .collect();
        assert_eq!(licence.len(), 1);
        let names: Vec<&str> = licence[0]
            .needed_by
            .iter()
            .map(|n| n.task_name.as_str())
            .collect();
        assert_eq!(names, vec!["食品经营许可", "发票领用"]);
        // 居民身份证 is shared by identity although the members call it differently.
        let id_cards = joint
            .materials
            .iter()
            .filter(|m| m.identity == "居民身份证")
            .count();
        assert_eq!(id_cards, 1);
        assert_eq!(joint.longest_days, 5);
        assert_eq!(joint.longest_member.as_deref(), Some("食品经营许可"));
    }

    #[test]
    fn the_strictest_necessity_and_most_copies_win_and_terminated_members_add_nothing() {
        let (mut food, mut invoice) = members();
        for m in &mut invoice.materials {
            if m.identity_key() == "营业执照" {
                m.copies = 3;
                m.necessity = Necessity::Optional;
            }
        }
        let none = Answers::new();
        let a = food_answers(false);
        let joint = resolve_bundle(&[(&invoice, &none), (&food, &a)]).unwrap();
        let licence = joint
            .materials
            .iter()
            .find(|m| m.identity == "营业执照")
            .unwrap();
        assert_eq!(
            (licence.necessity, licence.copies),
            (Necessity::Required, 3)
        );

        food.rules.insert(
            0,
            crate::scenario::Rule {
                id: "stop".into(),
                when: crate::scenario::Cond::All(vec![]),
                then: vec![crate::scenario::Effect::Terminate {
                    reason: "无需办理".into(),
                }],
            },
        );
        let joint = resolve_bundle(&[(&food, &a), (&invoice, &none)]).unwrap();
        assert!(matches!(
            joint.members[0].resolution,
            Resolution::Terminated { .. }
        ));
        assert!(
            joint
                .materials
                .iter()
                .all(|m| m.needed_by.iter().all(|n| n.task_name == "发票领用"))
        );
    }

    proptest! {
        #[test]
        fn joint_checklists_are_deterministic_and_list_each_document_once(agent in any::<bool>(), swap in any::<bool>()) {
            let (food, invoice) = members();
            let (a, none) = (food_answers(agent), Answers::new());
            let order: Vec<(&ItemDoc, &Answers)> = if swap {
                vec![(&invoice, &none), (&food, &a)]
            } else {
                vec![(&food, &a), (&invoice, &none)]
            };
            let first = resolve_bundle(&order).unwrap();
            prop_assert_eq!(&first, &resolve_bundle(&order).unwrap());
            let mut identities: Vec<&str> = first.materials.iter().map(|m| m.identity.as_str()).collect();
            let n = identities.len();
            identities.sort();
            identities.dedup();
            prop_assert_eq!(identities.len(), n);
            let needed: usize = first.materials.iter().map(|m| m.needed_by.len()).sum();
            let separately: usize = first.members.iter().map(|m| match &m.resolution {
                Resolution::Outcome { materials, .. } => materials.len(),
                Resolution::Terminated { .. } => 0,
            }).sum();
            prop_assert_eq!(needed, separately, "every member's material is accounted for");
        }
    }
}
