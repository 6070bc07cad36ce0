//! What a ticket request says (the holder, the channel, 绿色通道, the 智能导办
//! result) and its checks, made before anything is written.

use super::*;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct IssueInput {
    /// Line id or prefix (e.g. `A`).
    pub line: String,
    /// kiosk / mobile / proxy / appointment / followup
    #[serde(default = "kiosk")]
    pub channel: String,
    /// 绿色通道 (set by the reception desk or a window; the elderly are recognised from the ID number).
    #[serde(default)]
    pub green: bool,
    /// elderly / disabled / pregnant / military / other
    #[serde(default)]
    pub green_reason: Option<String>,
    /// 身份证号 (optional; read by the kiosk's card reader). Stored encrypted.
    #[serde(default)]
    pub id_number: Option<String>,
    /// 手机号 (optional; for call reminders). Stored encrypted.
    #[serde(default)]
    pub phone: Option<String>,
    /// What 智能导办 found (the matter and the answers), so the window starts from it.
    #[serde(default)]
    pub guidance: Option<TicketGuidance>,
}

/// The matter and scenario answers a citizen reached with 智能导办.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TicketGuidance {
    /// 实施编码.
    pub item: String,
    /// Question id → answer, as the resolver takes them.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
}

impl TicketGuidance {
    /// As stored on the ticket (JSON).
    pub fn stored(g: Option<&TicketGuidance>) -> Option<String> {
        g.and_then(|g| serde_json::to_string(g).ok())
    }
}

/// 绿色通道 classes.
pub const GREEN_REASONS: &[(&str, &str)] = &[
    ("elderly", "70岁以上老人"),
    ("disabled", "残疾人"),
    ("pregnant", "孕妇"),
    ("military", "现役军人与退役军人"),
    ("other", "其他特殊群体"),
];

/// The Chinese name of a green-channel class (the code itself when unknown).
pub fn green_label(code: &str) -> String {
    GREEN_REASONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
        .to_string()
}

/// Age from which the ID number alone puts a ticket in the green channel.
pub const ELDERLY_AGE: i32 = 70;

/// Age in whole years on `today`.
pub(super) fn age_on(birth: chrono::NaiveDate, today: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// What a holder's phone must be, in every message that refuses one.
pub(crate) const PHONE_RULE: &str = "手机号须为 11 位中国大陆手机号";

/// An optional text field: `None` when absent or blank.
pub(super) fn blank_to_none(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The checked holder details of an issue request.
pub(crate) struct Holder {
    pub id_number: Option<IdCardNo>,
    pub phone: Option<MobilePhone>,
    pub green_reason: Option<String>,
}

pub(crate) fn check_holder(input: &IssueInput, today: chrono::NaiveDate) -> AppResult<Holder> {
    let mut c = govhall_kernel::validate::Checker::new();
    c.one_of("channel", "取号渠道", &input.channel, CHANNELS);
    let id_number = blank_to_none(&input.id_number).and_then(|id| {
        c.parsed("id_number", IdCardNo::parse(id), |e| {
            format!("身份证号：{e}")
        })
    });
    let phone = blank_to_none(&input.phone)
        .and_then(|p| c.parsed("phone", MobilePhone::parse(p), |_| PHONE_RULE.into()));
    let mut green_reason = input.green_reason.clone().filter(|r| !r.is_empty());
    if let Some(r) = &green_reason {
        c.one_of("green_reason", "绿色通道类别", r, GREEN_REASONS);
    }
    if let Some(g) = &input.guidance {
        c.check(
            !g.item.trim().is_empty() && g.item.len() <= 40,
            "guidance.item",
            "导办结果的事项编码须为 1 到 40 个字符",
        );
        c.check(
            g.answers.is_object() && g.answers.to_string().len() <= 4096,
            "guidance.answers",
            "导办回答须为不超过 4 KB 的对象",
        );
    }
    c.finish()?;
    let birth = id_number.as_ref().map(IdCardNo::birth_date);
    if green_reason.is_none() && birth.is_some_and(|b| age_on(b, today) >= ELDERLY_AGE) {
        green_reason = Some("elderly".into());
    }
    if green_reason.is_none() && input.green {
        green_reason = Some("other".into());
    }
    Ok(Holder {
        id_number,
        phone,
        green_reason,
    })
}

/// Who issues fixes the channel: a kiosk's token issues `kiosk` tickets and
/// cannot put one in the green channel by itself (a person must check the
/// reason; the ID card of someone over 70 does it without asking); staff
/// issue on the citizen's behalf (`proxy`) or as a window's follow-up.
/// Appointments and phones take their tickets through their own flows.
pub fn check_issuer(input: &IssueInput, device: bool) -> AppResult<()> {
    let mut c = govhall_kernel::validate::Checker::new();
    if device {
        c.check(
            input.channel == "kiosk",
            "channel",
            "取号机只能以“取号机”渠道取号（kiosk）",
        );
        c.check(
            !input.green && input.green_reason.as_deref().is_none_or(str::is_empty),
            "green",
            "取号机不能自行设置绿色通道：请到导服台由工作人员核实；70 岁以上老人刷身份证即自动进入绿色通道",
        );
    } else {
        c.check(
            matches!(input.channel.as_str(), "proxy" | "followup"),
            "channel",
            "工作人员取号的渠道须为导服台代取（proxy）或窗口续号（followup）",
        );
    }
    c.finish()
}

pub(super) fn kiosk() -> String {
    "kiosk".into()
}
