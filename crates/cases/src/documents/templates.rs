//! The wording of each printed document, editable per hall: a title, the body
//! (paragraphs with placeholders such as {申请人}) and a closing note. What the
//! law fixes — the material list, the 补正 items, the case facts — is laid out
//! by code around the wording; a hall that never edits gets the defaults here.

use super::Kind;
use crate::entity::template;
use chrono::Utc;
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
    events::commit_with,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Placeholders a template may use, and what each stands for.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("申请人", "申请人姓名或单位名称"),
    ("事项名称", "事项名称"),
    ("办理项", "情形对应的办理项"),
    ("办件编号", "办件编号"),
    ("收件日期", "收件日期"),
    ("受理日期", "受理日期"),
    ("办理时限", "承诺时限，如 5 个工作日"),
    ("承诺办结日期", "承诺办结日期"),
    ("承办部门", "承办部门"),
    ("收件人", "收件窗口人员"),
    ("不予受理理由", "不予受理 / 不受理的理由"),
    ("有权机关", "不受理时告知申请人去申请的机关"),
    ("办理结果", "准予 / 容缺通过 / 不予"),
    ("证照名称", "结果证照名称"),
    ("证照编号", "结果证照编号"),
    ("中心名称", "本中心名称"),
    ("中心地址", "本中心地址"),
    ("交接单号", "材料交接单号"),
];

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct Template {
    pub title: String,
    /// Paragraphs, one per line; a line ending in "：" is a salutation.
    pub body: String,
    /// The note under the lists (rights, where to ask).
    pub footer: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemplateDto {
    pub kind: Kind,
    pub kind_label: String,
    #[serde(flatten)]
    pub template: Template,
    /// Still the product's default wording.
    pub is_default: bool,
    pub updated_at: Option<chrono::DateTime<Utc>>,
    pub updated_by_name: Option<String>,
    /// Placeholders that may be used, with their meaning.
    pub placeholders: Vec<(String, String)>,
}

fn t(title: &str, body: &str, footer: &str) -> Template {
    Template {
        title: title.into(),
        body: body.into(),
        footer: footer.into(),
    }
}

/// The product's wording for each document.
pub fn default_for(kind: Kind) -> Template {
    match kind {
        Kind::Receipt => t(
            "收件凭证",
            "{申请人}：\n本中心已收到您申请办理“{事项名称}”提交的材料（清单见下表），收件日期 {收件日期}。\n收件不等于受理，是否受理以受理通知书或一次性告知书为准。",
            "请妥善保管本凭证，凭办件编号和查询密码查询办理进度（扫描二维码）。",
        ),
        Kind::Acceptance => t(
            "受理通知书",
            "{申请人}：\n你（单位）于 {收件日期} 提出的“{事项名称}”申请，经审查，申请材料齐全、符合法定形式，本机关决定予以受理。\n本事项承诺办理时限为 {办理时限}，承诺于 {承诺办结日期} 前办结；依法需要补正、听证、检验、检测、鉴定、专家评审等的时间不计算在内。",
            "请妥善保管本通知书，凭办件编号和查询密码查询办理进度、领取办理结果。",
        ),
        Kind::Correction => t(
            "一次性告知书",
            "{申请人}：\n你（单位）于 {收件日期} 提出的“{事项名称}”申请，经审查，申请材料不齐全或者不符合法定形式。现将需要补正的全部内容一次性告知如下，请补正后再次提交。",
            "补正材料请交至本中心任一综合受理窗口，凭本告知书办件编号办理，无需重新取得本告知书所列以外的材料。",
        ),
        Kind::Refusal => t(
            "不予受理通知书",
            "{申请人}：\n你（单位）于 {收件日期} 提出的“{事项名称}”申请，经审查，本机关决定不予受理。\n理由：{不予受理理由}",
            "申请人如对本决定不服，可以自收到本通知书之日起六十日内依法申请行政复议，或者自收到本通知书之日起六个月内依法向人民法院提起行政诉讼。",
        ),
        Kind::Completion => t(
            "办结通知",
            "{申请人}：\n你（单位）申请办理的“{事项名称}”（办件编号 {办件编号}）已办结，办理结果：{办理结果}。",
            "请持本人有效身份证件（代领的另带委托书和代领人身份证件）到本中心出件窗口领取结果；选择邮寄或电子送达的，请留意查收。欢迎对本次办事进行评价（一事一评）。",
        ),
        Kind::Handover => t(
            "材料交接单",
            "以下办件材料由 {中心名称} 综合受理窗口移交 {承办部门}，请核对材料后签收。",
            "签收后请在规定时限内办理；材料缺失或不符的，请在签收前注明并退回综合受理窗口。",
        ),
    }
}

/// Checks a template: title present and short, placeholders known, lengths bounded.
pub fn check(tpl: &Template) -> AppResult<()> {
    let mut fields = Vec::new();
    if tpl.title.trim().is_empty() || tpl.title.chars().count() > 30 {
        fields.push(("title", "标题必填，且不超过 30 个字".to_string()));
    }
    for (field, label, text, max) in [
        ("body", "正文", &tpl.body, 2000),
        ("footer", "结尾说明", &tpl.footer, 600),
    ] {
        if text.chars().count() > max {
            fields.push((field, format!("{label}不超过 {max} 个字")));
        }
        if let Some(unknown) = unknown_placeholder(text) {
            fields.push((
                field,
                format!(
                    "{label}中的占位符 {{{unknown}}} 不存在，可用的有：{}",
                    known_list()
                ),
            ));
        }
    }
    if fields.is_empty() {
        return Ok(());
    }
    Err(AppError::validation(
        fields
            .into_iter()
            .map(|(f, m)| govhall_kernel::error::FieldError {
                field: f.into(),
                message: m,
            })
            .collect(),
    ))
}

fn known_list() -> String {
    PLACEHOLDERS
        .iter()
        .map(|(k, _)| format!("{{{k}}}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn unknown_placeholder(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        if !PLACEHOLDERS.iter().any(|(k, _)| *k == name) {
            return Some(name.into());
        }
        rest = &after[close + 1..];
    }
    None
}

/// Fills the placeholders of `text` from `values` (unknown ones stay as typed).
pub fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The hall's wording for `kind` (its own if edited, else the default).
pub async fn get(state: &AppState, hall_id: &str, kind: Kind) -> AppResult<TemplateDto> {
    let saved = template::Entity::find_by_id((hall_id.to_string(), kind.code().to_string()))
        .one(&state.db)
        .await
        .db_err()?;
    Ok(dto(kind, saved))
}

fn dto(kind: Kind, saved: Option<template::Model>) -> TemplateDto {
    let placeholders = PLACEHOLDERS
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    match saved {
        Some(m) => TemplateDto {
            kind,
            kind_label: kind.label().into(),
            template: t(&m.title, &m.body, &m.footer),
            is_default: false,
            updated_at: Some(m.updated_at),
            updated_by_name: Some(m.updated_by_name),
            placeholders,
        },
        None => TemplateDto {
            kind,
            kind_label: kind.label().into(),
            template: default_for(kind),
            is_default: true,
            updated_at: None,
            updated_by_name: None,
            placeholders,
        },
    }
}

/// Every document's wording for the hall.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<TemplateDto>> {
    let saved = template::Entity::find()
        .filter(template::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    Ok(Kind::ALL
        .into_iter()
        .map(|k| dto(k, saved.iter().find(|m| m.kind == k.code()).cloned()))
        .collect())
}

/// Saves the hall's wording for `kind`; `None` goes back to the default.
pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    kind: Kind,
    tpl: Option<Template>,
) -> AppResult<TemplateDto> {
    if let Some(tpl) = &tpl {
        check(tpl)?;
    }
    let actor = user.actor();
    let txn = begin_write(&state.db).await.db_err()?;
    template::Entity::delete_by_id((hall_id.to_string(), kind.code().to_string()))
        .exec(&txn)
        .await
        .db_err()?;
    if let Some(tpl) = &tpl {
        template::ActiveModel {
            hall_id: Set(hall_id.into()),
            kind: Set(kind.code().into()),
            title: Set(tpl.title.trim().into()),
            body: Set(tpl.body.trim().into()),
            footer: Set(tpl.footer.trim().into()),
            updated_at: Set(Utc::now()),
            updated_by_name: Set(actor.name.clone()),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    let what = if tpl.is_some() {
        &crate::events::TEMPLATE_SAVED
    } else {
        &crate::events::TEMPLATE_RESET
    };
    let event = what.event(
        Some(hall_id),
        &crate::events::TemplateChanged {
            kind: kind.code().into(),
        },
    );
    commit_with(state, txn, &actor, vec![event]).await?;
    get(state, hall_id, kind).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_valid() {
        for kind in Kind::ALL {
            check(&default_for(kind)).unwrap();
        }
    }

    #[test]
    fn an_unknown_placeholder_is_named() {
        let mut tpl = default_for(Kind::Acceptance);
        tpl.body.push_str("{申请日期}");
        let err = check(&tpl).unwrap_err().to_string();
        assert!(err.contains("申请日期"), "{err}");
    }

    #[test]
    fn placeholders_are_filled() {
        let text = fill(
            "{申请人}：{事项名称}",
            &[
                ("申请人", "张三".into()),
                ("事项名称", "食品经营许可".into()),
            ],
        );
        assert_eq!(text, "张三：食品经营许可");
    }
}
