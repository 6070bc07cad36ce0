//! How each document is laid out: the hall's wording (title, body, closing
//! note) around the facts the law asks for — case number, applicant, matter,
//! dates, the material list or the 补正 items, the result — and a QR code to
//! the progress page on the citizen's copies.

use super::Kind;
use super::templates::{Template, fill};
use crate::entity::{case, handover, material};
use crate::materials::Way;
use chrono::{DateTime, NaiveDate, Utc};
use govhall_directory::Hall;
use govhall_pdf::{BODY, Document, render};

/// What a case's document is made of.
pub struct CaseFacts<'a> {
    pub hall: &'a Hall,
    pub(crate) case: &'a case::Model,
    pub(crate) materials: &'a [material::Model],
    pub query_code: &'a str,
    /// Masked.
    pub applicant_cert: String,
    pub progress_url: &'a str,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

fn local_day(at: DateTime<Utc>) -> String {
    day(crate::store::local_date(at))
}

/// Date and minute in the hall's time zone: 2026年12月2日 09:41.
fn local_minute(at: DateTime<Utc>) -> String {
    let local = govhall_kernel::time::local(at);
    format!("{} {}", day(local.date_naive()), local.format("%H:%M"))
}

/// The seal's place under the issuing hall's name.
const SEAL: &str = "（盖章）";

fn placeholders(hall: &Hall, c: &case::Model) -> Vec<(&'static str, String)> {
    let or_blank = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        ("申请人", c.applicant_name.clone()),
        ("事项名称", c.item_name.clone()),
        ("办理项", c.handling_item.clone()),
        ("办件编号", c.number.clone()),
        ("收件日期", local_day(c.received_at)),
        ("受理日期", c.accepted_on.map(day).unwrap_or_default()),
        ("办理时限", format!("{} 个{}", c.limit_days, c.limit_unit)),
        ("承诺办结日期", c.due_on.map(day).unwrap_or_default()),
        ("承办部门", c.department_name.clone()),
        ("收件人", c.received_by_name.clone()),
        ("不予受理理由", or_blank(&c.refuse_reason)),
        ("有权机关", or_blank(&c.competent_agency)),
        ("办理结果", or_blank(&c.result)),
        ("证照名称", or_blank(&c.certificate_name)),
        ("证照编号", or_blank(&c.certificate_no)),
        ("中心名称", hall.name.clone()),
        ("中心地址", hall.address.clone()),
        ("交接单号", String::new()),
    ]
}

fn way_label(m: &material::Model) -> String {
    let way = Way::parse(&m.way).unwrap_or(Way::Missing);
    match (way, m.promised_on) {
        (Way::Deferred, Some(on)) => format!("{}（承诺 {} 前补交）", way.label(), day(on)),
        _ => way.label().into(),
    }
}

fn material_rows(materials: &[material::Model]) -> Vec<Vec<String>> {
    materials
        .iter()
        .enumerate()
        .map(|(i, m)| {
            vec![
                (i + 1).to_string(),
                m.name.clone(),
                m.necessity.clone(),
                m.copies.to_string(),
                way_label(m),
            ]
        })
        .collect()
}

/// The PDF of a citizen's document for a case.
pub fn case_document(kind: Kind, tpl: &Template, f: &CaseFacts<'_>) -> anyhow::Result<Vec<u8>> {
    let c = f.case;
    let values = placeholders(f.hall, c);
    let title = fill(&tpl.title, &values);
    let mut doc = Document::new(&title);
    doc.heading(&title, 22.0);
    // Grouped in fours so it can be read out over the phone.
    let number = [("办件编号", crate::numbering::readable(&c.number))];
    let code = [
        ("查询密码", f.query_code.to_string()),
        ("收件时间", local_minute(c.received_at)),
    ];
    let applicant = [
        ("申请人", c.applicant_name.clone()),
        ("证件号码", f.applicant_cert.clone()),
    ];
    let item = [(
        "事项名称",
        format!("{}（{}）", c.item_name, c.handling_item),
    )];
    let office = [
        ("承办部门", c.department_name.clone()),
        ("收件人", c.received_by_name.clone()),
    ];
    let mut rows: Vec<&[(&str, String)]> = vec![&number, &code, &applicant, &item, &office];
    let promise = c.due_on.map(|due| {
        [
            ("办理时限", format!("{} 个{}", c.limit_days, c.limit_unit)),
            ("承诺办结", day(due)),
        ]
    });
    if let Some(promise) = promise.as_ref().filter(|_| kind == Kind::Acceptance) {
        rows.push(promise);
    }
    doc.grid(&rows);
    doc.paragraphs(&fill(&tpl.body, &values), BODY);
    doc.gap(4.0);
    match kind {
        Kind::Receipt | Kind::Acceptance => {
            doc.text("材料清单", BODY, true);
            doc.gap(4.0);
            doc.table(
                &["序号", "材料名称", "必要性", "份数", "收取方式"],
                &[0.8, 5.0, 1.1, 0.7, 2.4],
                &material_rows(f.materials),
                10.5,
            );
        }
        Kind::Correction => {
            let items: Vec<String> = serde_json::from_str(&c.correction_items).unwrap_or_default();
            doc.text("需要补正的全部内容", BODY, true);
            doc.gap(4.0);
            doc.numbered(&items, BODY);
        }
        Kind::Refusal => {
            if let Some(agency) = c.competent_agency.as_deref().filter(|a| !a.is_empty()) {
                doc.paragraphs(
                    &format!("本申请事项不属于本机关职权范围，请向{agency}申请。"),
                    BODY,
                );
            }
        }
        Kind::Completion => {
            let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
            doc.fields(&[
                ("办理结果", or_dash(&c.result)),
                ("办结时间", c.decided_at.map(local_day).unwrap_or_default()),
                ("证照名称", or_dash(&c.certificate_name)),
                ("证照编号", or_dash(&c.certificate_no)),
                (
                    "有效期至",
                    c.valid_until.map(day).unwrap_or_else(|| "—".into()),
                ),
                ("送达方式", or_dash(&c.delivery_method)),
            ]);
            if let Some(reason) = c.result_reason.as_deref().filter(|r| !r.is_empty()) {
                doc.paragraphs(&format!("说明：{reason}"), BODY);
            }
        }
        Kind::Handover => {}
    }
    doc.paragraphs(&fill(&tpl.footer, &values), 10.5);
    doc.closing(
        &[f.hall.name.clone(), SEAL.into(), day(issued_on(kind, c))],
        Some((f.progress_url, "扫码查看办理进度")),
    )?;
    render(doc)
}

/// The date a document is issued on: that of the act it records, so a reprint
/// carries the same date as the original; today for the acts without their own date.
fn issued_on(kind: Kind, c: &case::Model) -> NaiveDate {
    let today = crate::store::local_date(Utc::now());
    match kind {
        Kind::Receipt => crate::store::local_date(c.received_at),
        Kind::Acceptance => c.accepted_on.unwrap_or(today),
        Kind::Completion => c.decided_at.map_or(today, crate::store::local_date),
        Kind::Correction | Kind::Refusal | Kind::Handover => today,
    }
}

/// The PDF of a handover sheet: every case on it with its materials, and the
/// two signatures.
pub(crate) fn handover_document(
    tpl: &Template,
    hall: &Hall,
    sheet: &handover::Model,
    cases: &[(case::Model, Vec<material::Model>)],
) -> anyhow::Result<Vec<u8>> {
    let values = vec![
        ("中心名称", hall.name.clone()),
        ("中心地址", hall.address.clone()),
        ("承办部门", sheet.department_name.clone()),
        ("交接单号", sheet.number.clone()),
    ];
    let title = fill(&tpl.title, &values);
    let mut doc = Document::new(&title);
    doc.heading(&title, 22.0);
    doc.right(&format!("交接单号：{}", sheet.number), 10.5);
    doc.fields(&[
        ("移交方", format!("{} 综合受理窗口", hall.name)),
        ("接收部门", sheet.department_name.clone()),
        ("移交人", sheet.created_by_name.clone()),
        ("移交时间", local_minute(sheet.created_at)),
        ("签收人", sheet.signed_by_name.clone().unwrap_or_default()),
        (
            "签收时间",
            sheet.signed_at.map(local_minute).unwrap_or_default(),
        ),
    ]);
    doc.paragraphs(&fill(&tpl.body, &values), BODY);
    doc.gap(4.0);
    let rows: Vec<Vec<String>> = cases
        .iter()
        .enumerate()
        .map(|(i, (c, materials))| {
            let list = materials
                .iter()
                .filter(|m| Way::parse(&m.way).is_some_and(Way::is_paper))
                .map(|m| format!("{}×{}", m.name, m.copies))
                .collect::<Vec<_>>()
                .join("；");
            vec![
                (i + 1).to_string(),
                c.number.clone(),
                c.item_name.clone(),
                c.applicant_name.clone(),
                if list.is_empty() {
                    "无纸质材料".into()
                } else {
                    list
                },
                c.due_on.map(day).unwrap_or_default(),
            ]
        })
        .collect();
    doc.table(
        &[
            "序号",
            "办件编号",
            "事项",
            "申请人",
            "纸质材料（份数）",
            "承诺办结",
        ],
        &[0.8, 3.2, 2.2, 1.2, 3.4, 1.6],
        &rows,
        9.0,
    );
    doc.paragraphs(&fill(&tpl.footer, &values), 10.5);
    doc.closing(
        &[
            "移交人（签字）：____________".into(),
            "接收人（签字）：____________".into(),
            "签收日期：______年____月____日".into(),
        ],
        None,
    )?;
    render(doc)
}

/// The 一件事 joint notice: every member with its case number, department and
/// where it stands, what is still owed (once), the members the answers made
/// unnecessary, and one QR code to the whole bundle's progress.
pub(crate) fn joint_document(
    hall: &Hall,
    joint: &crate::joint::JointDto,
    query_code: &str,
    progress_url: &str,
) -> anyhow::Result<Vec<u8>> {
    let title = "一件事联办受理通知书";
    let mut doc = Document::new(title);
    doc.heading(title, 22.0);
    doc.grid(&[
        &[("一件事", joint.bundle_name.clone())],
        &[
            ("一件事编号", joint.number.clone()),
            ("查询密码", query_code.to_string()),
        ],
        &[
            ("申请人", joint.applicant_name.clone()),
            ("受理时间", local_minute(joint.received_at)),
        ],
        &[("受理人", joint.received_by_name.clone())],
    ]);
    doc.paragraphs(
        &format!(
            "您申请的“{}”已由本中心一窗联办受理，各成员事项由承办部门并联办理，结果统一在本中心出件。",
            joint.bundle_name
        ),
        BODY,
    );
    doc.gap(4.0);
    let rows: Vec<Vec<String>> = joint
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let due = m.due_on.map(|d| format!("，承诺 {} 前办结", day(d)));
            vec![
                (i + 1).to_string(),
                m.item_name.clone(),
                crate::numbering::readable(&m.number),
                m.department_name.clone(),
                format!("{}{}", m.stage_label, due.unwrap_or_default()),
            ]
        })
        .collect();
    doc.table(
        &["序号", "成员事项", "办件编号", "承办部门", "办理情况"],
        &[0.9, 2.5, 3.2, 2.4, 2.4],
        &rows,
        10.0,
    );
    let mut owed: Vec<String> = Vec::new();
    for item in joint.members.iter().flat_map(|m| m.correction_items.iter()) {
        if !owed.contains(item) {
            owed.push(item.clone());
        }
    }
    if !owed.is_empty() {
        doc.gap(6.0);
        doc.text(
            "需要补正的全部内容（补齐后到任一综合窗口一次提交）",
            BODY,
            true,
        );
        doc.gap(4.0);
        doc.numbered(&owed, BODY);
    }
    if !joint.not_needed.is_empty() {
        doc.gap(6.0);
        doc.text("按您的情形无需办理", BODY, true);
        doc.gap(4.0);
        let lines: Vec<String> = joint
            .not_needed
            .iter()
            .map(|n| format!("{}：{}", n.task_name, n.reason))
            .collect();
        doc.numbered(&lines, BODY);
    }
    doc.closing(
        &[hall.name.clone(), SEAL.into(), local_day(joint.received_at)],
        Some((progress_url, "扫码查看全部成员进度")),
    )?;
    render(doc)
}
