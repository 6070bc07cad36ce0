//! 培训分类设置: the hall's category tree — top-level categories (岗前培训,
//! 业务条线 …) each with optional sub-categories (业务条线 › 市场监管 per
//! department). A hall that never set one has the defaults. Courses and
//! textbooks are filed under any category of the tree by name (names are
//! unique in the hall); one in use cannot be removed.

use crate::entity::{category, textbook};
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The categories a hall starts with.
pub const DEFAULTS: &[&str] = &[
    "岗前培训",
    "日常培训",
    "政策法规",
    "服务礼仪",
    "业务条线",
    "信息系统操作",
    "心理疏导",
];

const MAX_TOP: usize = 30;
const MAX_CHILDREN: usize = 50;

/// A top-level category and its sub-categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CategoryNode {
    pub name: String,
    #[serde(default)]
    pub children: Vec<String>,
}

/// The hall's tree (the defaults until it sets its own).
pub async fn tree(state: &AppState, hall_id: &str) -> AppResult<Vec<CategoryNode>> {
    let rows = category::Entity::find()
        .filter(category::Column::HallId.eq(hall_id))
        .order_by_asc(category::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?;
    if rows.is_empty() {
        return Ok(DEFAULTS
            .iter()
            .map(|n| CategoryNode {
                name: n.to_string(),
                children: vec![],
            })
            .collect());
    }
    Ok(rows
        .iter()
        .filter(|r| r.parent.is_none())
        .map(|top| CategoryNode {
            name: top.name.clone(),
            children: rows
                .iter()
                .filter(|c| c.parent.as_deref() == Some(top.name.as_str()))
                .map(|c| c.name.clone())
                .collect(),
        })
        .collect())
}

fn flatten(tree: &[CategoryNode]) -> Vec<String> {
    tree.iter()
        .flat_map(|n| std::iter::once(n.name.clone()).chain(n.children.iter().cloned()))
        .collect()
}

/// Checks that `value` is a category of the hall's tree, on `field`.
pub async fn check(
    ch: &mut Checker,
    state: &AppState,
    hall_id: &str,
    field: &str,
    value: &str,
) -> AppResult<()> {
    let names = flatten(&tree(state, hall_id).await?);
    if !names.iter().any(|n| n == value) {
        let shown: Vec<&str> = names.iter().take(20).map(String::as_str).collect();
        ch.fail(
            field,
            format!(
                "培训分类“{value}”不存在，可选：{}{}",
                shown.join("、"),
                if names.len() > shown.len() { "等" } else { "" }
            ),
        );
    }
    Ok(())
}

/// Replaces the hall's tree. Names are trimmed, 1–20 characters, unique in
/// the tree; a category that courses or textbooks are filed under stays.
pub async fn set(
    state: &AppState,
    hall_id: &str,
    input: &[CategoryNode],
) -> AppResult<Vec<CategoryNode>> {
    let mut ch = Checker::new();
    ch.check(
        (1..=MAX_TOP).contains(&input.len()),
        "categories",
        format!("须有 1 至 {MAX_TOP} 个一级分类"),
    );
    let mut seen: Vec<String> = Vec::new();
    let mut clean: Vec<CategoryNode> = Vec::new();
    let mut name_ok = |ch: &mut Checker, field: String, raw: &str| -> String {
        let name = raw.trim().to_string();
        let n = name.chars().count();
        if !(1..=20).contains(&n) {
            ch.fail(&field, "分类名称须为 1 至 20 个字");
        } else if seen.contains(&name) {
            ch.fail(
                &field,
                format!("分类“{name}”重复：分类名称在全部分类中须唯一"),
            );
        }
        seen.push(name.clone());
        name
    };
    for (i, node) in input.iter().enumerate() {
        let name = name_ok(&mut ch, format!("categories[{i}].name"), &node.name);
        ch.check(
            node.children.len() <= MAX_CHILDREN,
            &format!("categories[{i}].children"),
            format!("“{name}”下的子分类不超过 {MAX_CHILDREN} 个"),
        );
        let children = node
            .children
            .iter()
            .enumerate()
            .map(|(j, c)| name_ok(&mut ch, format!("categories[{i}].children[{j}]"), c))
            .collect();
        clean.push(CategoryNode { name, children });
    }
    let kept = flatten(&clean);
    let courses = crate::courses::of_hall(state, hall_id).await?;
    let books = textbook::Entity::find()
        .filter(textbook::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let mut in_use: Vec<&str> = courses
        .iter()
        .map(|c| c.category.as_str())
        .chain(books.iter().map(|b| b.category.as_str()))
        .filter(|c| !kept.iter().any(|k| k == c))
        .collect();
    in_use.sort();
    in_use.dedup();
    for gone in in_use {
        let c = courses.iter().filter(|c| c.category == gone).count();
        let b = books.iter().filter(|b| b.category == gone).count();
        ch.fail(
            "categories",
            format!("分类“{gone}”下还有 {c} 门课程、{b} 本教材，不能删除；请先把它们改到其他分类"),
        );
    }
    ch.finish()?;
    let txn = begin_write(&state.db).await.db_err()?;
    category::Entity::delete_many()
        .filter(category::Column::HallId.eq(hall_id))
        .exec(&txn)
        .await
        .db_err()?;
    let mut order = 0;
    for node in &clean {
        let parents = std::iter::once((node.name.clone(), None)).chain(
            node.children
                .iter()
                .map(|c| (c.clone(), Some(node.name.clone()))),
        );
        for (name, parent) in parents {
            order += 1;
            category::ActiveModel {
                hall_id: Set(hall_id.to_string()),
                name: Set(name),
                parent: Set(parent),
                sort_order: Set(order),
            }
            .insert(&txn)
            .await
            .db_err()?;
        }
    }
    txn.commit().await.map_err(AppError::internal)?;
    Ok(clean)
}
