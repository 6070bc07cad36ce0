//! How each material of a case was received (纸质 / 电子 / 电子证照 / 共享免提交 /
//! 容缺) and where the paper is (前台已收 → 已交接 → 后台已签收 → 已归还).

use govhall_catalog::model::{ExemptWay, Material};
use govhall_catalog::scenario::Necessity;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a material was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Way {
    /// 纸质原件 (checked and kept or returned).
    PaperOriginal,
    /// 纸质复印件.
    PaperCopy,
    /// 扫描件 / 电子文件.
    Scanned,
    /// 电子证照 (looked up, not handed in).
    Elicence,
    /// 数据共享免提交.
    Shared,
    /// 容缺: accepted without it; the applicant promised a date.
    Deferred,
    /// 未提交.
    Missing,
}

impl Way {
    pub const ALL: [Way; 7] = [
        Way::PaperOriginal,
        Way::PaperCopy,
        Way::Scanned,
        Way::Elicence,
        Way::Shared,
        Way::Deferred,
        Way::Missing,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Way::PaperOriginal => "paper_original",
            Way::PaperCopy => "paper_copy",
            Way::Scanned => "scanned",
            Way::Elicence => "elicence",
            Way::Shared => "shared",
            Way::Deferred => "deferred",
            Way::Missing => "missing",
        }
    }

    pub fn parse(code: &str) -> Option<Way> {
        Way::ALL.into_iter().find(|w| w.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Way::PaperOriginal => "纸质原件",
            Way::PaperCopy => "纸质复印件",
            Way::Scanned => "扫描件",
            Way::Elicence => "电子证照",
            Way::Shared => "数据共享免提交",
            Way::Deferred => "容缺后补",
            Way::Missing => "未提交",
        }
    }

    /// Paper the front desk holds and hands over to the department.
    pub fn is_paper(self) -> bool {
        matches!(self, Way::PaperOriginal | Way::PaperCopy)
    }

    /// In hand one way or another (counts as received).
    pub fn received(self) -> bool {
        !matches!(self, Way::Deferred | Way::Missing)
    }

    /// Why this way is not open to this material, if it is not.
    pub fn problem(self, m: &Material, necessity: Necessity) -> Option<String> {
        match self {
            Way::Elicence
                if m.exempt_way != Some(ExemptWay::ELicence) && m.elicence_type.is_none() =>
            {
                Some(format!(
                    "“{}”没有对应的电子证照，不能以电子证照代替",
                    m.name
                ))
            }
            Way::Shared if m.exempt_way != Some(ExemptWay::DataSharing) => {
                Some(format!("“{}”未列为数据共享免提交材料，请收取材料", m.name))
            }
            Way::Deferred if necessity != Necessity::Deferrable => {
                Some(format!("“{}”不是容缺材料，不能容缺受理", m.name))
            }
            _ => None,
        }
    }
}

/// Where a material's paper is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Handover {
    /// Nothing on paper to move (electronic, shared, owed).
    None,
    /// 前台已收.
    Front,
    /// 已交接 (on a handover sheet to the department).
    HandedOver,
    /// 后台已签收.
    Signed,
    /// 已归还 (originals returned to the applicant).
    Returned,
}

impl Handover {
    pub const ALL: [Handover; 5] = [
        Handover::None,
        Handover::Front,
        Handover::HandedOver,
        Handover::Signed,
        Handover::Returned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Handover::None => "none",
            Handover::Front => "front",
            Handover::HandedOver => "handed_over",
            Handover::Signed => "signed",
            Handover::Returned => "returned",
        }
    }

    pub fn parse(code: &str) -> Option<Handover> {
        Handover::ALL.into_iter().find(|h| h.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Handover::None => "无纸质材料",
            Handover::Front => "前台已收",
            Handover::HandedOver => "已交接",
            Handover::Signed => "后台已签收",
            Handover::Returned => "已归还",
        }
    }

    pub fn initial(way: Way) -> Handover {
        if way.is_paper() {
            Handover::Front
        } else {
            Handover::None
        }
    }
}

pub fn necessity_label(n: Necessity) -> &'static str {
    match n {
        Necessity::Required => "必要",
        Necessity::Optional => "非必要",
        Necessity::Deferrable => "容缺",
    }
}

/// A material that blocks acceptance: required or 容缺 and neither in hand nor promised.
pub fn blocks_acceptance(necessity: Necessity, way: Way) -> bool {
    match necessity {
        Necessity::Optional => false,
        Necessity::Required => !way.received(),
        Necessity::Deferrable => way == Way::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_required_and_deferrable_materials_block() {
        assert!(blocks_acceptance(Necessity::Required, Way::Missing));
        assert!(blocks_acceptance(Necessity::Required, Way::Deferred));
        assert!(!blocks_acceptance(Necessity::Required, Way::Shared));
        assert!(!blocks_acceptance(Necessity::Deferrable, Way::Deferred));
        assert!(blocks_acceptance(Necessity::Deferrable, Way::Missing));
        assert!(!blocks_acceptance(Necessity::Optional, Way::Missing));
    }

    #[test]
    fn codes_round_trip() {
        for w in Way::ALL {
            assert_eq!(Way::parse(w.code()), Some(w));
        }
        for h in Handover::ALL {
            assert_eq!(Handover::parse(h.code()), Some(h));
        }
        assert_eq!(Handover::initial(Way::PaperCopy), Handover::Front);
        assert_eq!(Handover::initial(Way::Elicence), Handover::None);
    }
}
