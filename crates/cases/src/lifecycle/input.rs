//! What the caller sends to act on a case. The wire form stays flat (one
//! object with `action` and the fields any action may need) so that a bad
//! field is reported by name; it becomes an [`Act`] — one variant per action
//! carrying only what that action reads — before anything is checked.

use crate::intake::MaterialTick;
use crate::status::Action;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// 办结结果.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 准予 (status 11).
    Approve,
    /// 容缺通过 (status 12): approved while a 容缺 material is still owed.
    ApproveDeferred,
    /// 不予 (status 13).
    Deny,
}

/// 出件方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// 窗口领取 (who collected, ID checked).
    Window,
    /// 邮寄 (tracking number).
    Post,
    /// 电子送达.
    Electronic,
}

impl Delivery {
    pub(super) fn label(self) -> &'static str {
        match self {
            Delivery::Window => "窗口领取",
            Delivery::Post => "邮寄",
            Delivery::Electronic => "电子送达",
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ActInput {
    pub action: Action,
    /// The window acting (acceptance, refusal and delivery at the front desk).
    #[serde(default)]
    pub window_id: Option<String>,
    /// 意见 / 说明.
    #[serde(default)]
    pub opinion: Option<String>,
    /// Accept after 补正: the materials as now received.
    #[serde(default)]
    pub materials: Vec<MaterialTick>,
    /// 补正: every item the applicant must bring, at once.
    #[serde(default)]
    pub items: Vec<String>,
    /// 特别程序 kind: 听证 / 检验检测 / 专家评审 / 公示 / 现场勘查 / 其他.
    #[serde(default)]
    pub special_kind: Option<String>,
    #[serde(default)]
    pub decision: Option<Decision>,
    #[serde(default)]
    pub certificate_name: Option<String>,
    #[serde(default)]
    pub certificate_no: Option<String>,
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    #[serde(default)]
    pub delivery: Option<Delivery>,
    #[serde(default)]
    pub tracking_no: Option<String>,
    /// 领取人 (window pickup): name and ID number, checked.
    #[serde(default)]
    pub recipient_name: Option<String>,
    #[serde(default)]
    pub recipient_id_no: Option<String>,
    /// 不受理: the competent agency.
    #[serde(default)]
    pub competent_agency: Option<String>,
    /// Accept after 补正: form fields of the materials now received (name → value).
    #[serde(default)]
    pub form: BTreeMap<String, String>,
}

/// 办结: the decision and the licence it issues.
#[derive(Debug, Clone)]
pub struct DecideInput {
    pub decision: Option<Decision>,
    pub certificate_name: Option<String>,
    pub certificate_no: Option<String>,
    pub valid_until: Option<NaiveDate>,
}

/// 出件: how, and who collected or which parcel.
#[derive(Debug, Clone)]
pub struct DeliverInput {
    pub delivery: Option<Delivery>,
    pub tracking_no: Option<String>,
    pub recipient_name: Option<String>,
    pub recipient_id_no: Option<String>,
}

/// An action with exactly what it reads (the window and the opinion are
/// common to all and stay beside it).
#[derive(Debug, Clone)]
pub enum Act {
    Accept {
        materials: Vec<MaterialTick>,
        form: BTreeMap<String, String>,
    },
    Refuse {
        competent_agency: Option<String>,
    },
    RequestCorrection {
        items: Vec<String>,
    },
    HandOver,
    SignFor,
    ReturnHandover,
    StartSpecial {
        special_kind: Option<String>,
    },
    EndSpecial,
    Decide(DecideInput),
    ReturnResult,
    Deliver(DeliverInput),
    Withdraw,
    Revoke,
}

impl Act {
    pub fn action(&self) -> Action {
        match self {
            Act::Accept { .. } => Action::Accept,
            Act::Refuse { .. } => Action::Refuse,
            Act::RequestCorrection { .. } => Action::RequestCorrection,
            Act::HandOver => Action::HandOver,
            Act::SignFor => Action::SignFor,
            Act::ReturnHandover => Action::ReturnHandover,
            Act::StartSpecial { .. } => Action::StartSpecial,
            Act::EndSpecial => Action::EndSpecial,
            Act::Decide(_) => Action::Decide,
            Act::ReturnResult => Action::ReturnResult,
            Act::Deliver(_) => Action::Deliver,
            Act::Withdraw => Action::Withdraw,
            Act::Revoke => Action::Revoke,
        }
    }
}

/// An [`Act`] with the window it is taken at and the opinion given.
#[derive(Debug, Clone)]
pub struct Acting {
    pub act: Act,
    pub window_id: Option<String>,
    pub opinion: Option<String>,
}

impl Acting {
    /// The action with nothing else said (handover sheets act this way on each case).
    pub fn bare(act: Act) -> Acting {
        Acting {
            act,
            window_id: None,
            opinion: None,
        }
    }
}

impl From<ActInput> for Acting {
    fn from(i: ActInput) -> Acting {
        let act = match i.action {
            Action::Accept => Act::Accept {
                materials: i.materials,
                form: i.form,
            },
            Action::Refuse => Act::Refuse {
                competent_agency: i.competent_agency,
            },
            Action::RequestCorrection => Act::RequestCorrection { items: i.items },
            Action::HandOver => Act::HandOver,
            Action::SignFor => Act::SignFor,
            Action::ReturnHandover => Act::ReturnHandover,
            Action::StartSpecial => Act::StartSpecial {
                special_kind: i.special_kind,
            },
            Action::EndSpecial => Act::EndSpecial,
            Action::Decide => Act::Decide(DecideInput {
                decision: i.decision,
                certificate_name: i.certificate_name,
                certificate_no: i.certificate_no,
                valid_until: i.valid_until,
            }),
            Action::ReturnResult => Act::ReturnResult,
            Action::Deliver => Act::Deliver(DeliverInput {
                delivery: i.delivery,
                tracking_no: i.tracking_no,
                recipient_name: i.recipient_name,
                recipient_id_no: i.recipient_id_no,
            }),
            Action::Withdraw => Act::Withdraw,
            Action::Revoke => Act::Revoke,
        };
        Acting {
            act,
            window_id: i.window_id,
            opinion: i.opinion,
        }
    }
}
