//! The 实施清单 item document: every national field, the handling items, the
//! materials with all their attributes, fees, steps, FAQs and the scenario
//! configuration. One document is one version of one item; it is what is
//! stored, exported, imported, diffed and resolved.
//!
//! Field names follow the national 实施清单 exchange table (`task_name`,
//! `catalog_code`, `task_code`, `anticipate_day` …) where it has one; the rest
//! are ours. Enumerations are written as their Chinese labels, exactly as the
//! national lists spell them, so a file is readable without a code book.

use crate::scenario::{self, Necessity, Question, Rule};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares an enumeration whose serialized form is its Chinese label.
macro_rules! label_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $(#[serde(rename = $label)] $variant),+
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            pub fn parse(label: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.label() == label)
            }
            pub fn labels() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.label()).collect()
            }
        }
    };
}

label_enum!(
    /// 事项类型 (处罚/强制/征收/检查 are not applied for at counters).
    ItemType {
        Licence = "行政许可",
        Confirmation = "行政确认",
        Ruling = "行政裁决",
        Payment = "行政给付",
        Award = "行政奖励",
        Filing = "行政备案",
        OtherPower = "其他行政权力",
        PublicService = "公共服务",
    }
);

label_enum!(
    /// 事项状态
    ItemState { InUse = "在用", Suspended = "暂停", Cancelled = "取消" }
);

label_enum!(
    /// 权力来源
    PowerSource {
        Statutory = "法定本级行使",
        Delegated = "上级下放",
        Authorised = "上级授权",
        PeerEntrusted = "同级委托",
        SuperiorEntrusted = "上级委托",
    }
);

label_enum!(
    /// 行使层级
    UseLevel {
        National = "国家级",
        Provincial = "省级",
        City = "市级",
        County = "县级",
        Township = "镇（乡、街道）级",
        Village = "村（社区）级",
    }
);

label_enum!(
    /// 实施主体性质
    DeptType { Statutory = "法定机关", Authorised = "授权组织", Entrusted = "受委托组织" }
);

label_enum!(
    /// 服务对象
    ServeObject {
        Person = "自然人",
        Enterprise = "企业法人",
        Institution = "事业法人",
        SocialOrg = "社会组织法人",
        NonLegalEnterprise = "非法人企业",
        Government = "行政机关",
        Other = "其他组织",
    }
);

label_enum!(
    /// 办件类型
    ProjectType { Immediate = "即办件", Promised = "承诺件" }
);

label_enum!(
    /// 办结时限单位
    DayUnit { Working = "工作日", Natural = "自然日" }
);

label_enum!(
    /// 办理形式
    HandleForm { Window = "窗口办理", Online = "网上办理", Post = "快递申请" }
);

label_enum!(
    /// 通办范围
    TongbanRange { None = "无", District = "全区", City = "全市", Province = "全省", Country = "全国" }
);

label_enum!(
    /// 审批结果类型
    ResultType { Licence = "证照", Approval = "批文", Other = "其他" }
);

label_enum!(
    /// 主题分类
    Theme { Person = "个人", Legal = "法人" }
);

label_enum!(
    /// 业务办理项 kind.
    HandlingKind {
        New = "新设",
        Change = "变更",
        Renew = "延续",
        Cancel = "注销",
        Reissue = "补证",
        Other = "其他",
    }
);

label_enum!(
    /// 材料类型
    MaterialType { Original = "原件", Copy = "复印件", Both = "原件和复印件" }
);

label_enum!(
    /// 材料形式
    MaterialForm { Paper = "纸质", Electronic = "电子", Both = "纸质和电子" }
);

label_enum!(
    /// 来源渠道
    MaterialSource { Applicant = "申请人自备", Government = "政府部门核发", Other = "其他" }
);

label_enum!(
    /// 免提交方式: how a material can be left out.
    ExemptWay { DataSharing = "数据共享", ELicence = "电子证照", Commitment = "告知承诺" }
);

label_enum!(
    /// 特别程序种类 (their time does not count towards the limit).
    SpecialKind {
        Hearing = "听证",
        Inspection = "检验检测",
        Expert = "专家评审",
        Publicity = "公示",
        Survey = "现场勘查",
        Other = "其他",
    }
);

label_enum!(
    /// 同步类型 of the exchange metadata.
    SyncOperation { Insert = "新增", Update = "更新", Delete = "删除" }
);

/// A file attached to the catalog (blank form, sample, result sample), stored
/// by the platform and referred to by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Attachment {
    pub id: String,
    pub name: String,
}

/// 业务办理项: the smallest unit of handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HandlingItem {
    /// 业务办理项编码 (implementing code + sequence).
    pub code: String,
    pub name: String,
    pub kind: HandlingKind,
}

/// A field a material carries once digitized (申请书 → 申请人, 地址 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MaterialField {
    pub name: String,
    #[serde(default)]
    pub required: bool,
}

/// 申请材料 with every attribute of the national list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Material {
    /// Stable within the item; rules refer to it.
    pub id: String,
    pub name: String,
    /// The same document across items (e.g. `居民身份证`), used to deduplicate
    /// a 一件事 checklist; defaults to the e-licence type, then the name.
    #[serde(default)]
    pub identity: Option<String>,
    pub material_type: MaterialType,
    pub form: MaterialForm,
    pub copies: u32,
    #[serde(default)]
    pub spec: Option<String>,
    pub source: MaterialSource,
    #[serde(default)]
    pub source_explain: Option<String>,
    pub necessity: Necessity,
    /// Needed in every scenario; otherwise only when a rule requires it.
    #[serde(default = "yes")]
    pub always: bool,
    /// 受理标准: what the clerk checks.
    #[serde(default)]
    pub accept_standard: Option<String>,
    #[serde(default)]
    pub review_points: Vec<String>,
    /// 验收方式 (收原件 / 验原件收复印件 …).
    #[serde(default)]
    pub check_way: Option<String>,
    #[serde(default)]
    pub blank_form: Option<Attachment>,
    #[serde(default)]
    pub sample: Option<Attachment>,
    #[serde(default)]
    pub fill_notes: Option<String>,
    #[serde(default)]
    pub basis: Option<String>,
    /// 电子证照 catalog type usable instead of paper.
    #[serde(default)]
    pub elicence_type: Option<String>,
    #[serde(default)]
    pub exempt_way: Option<ExemptWay>,
    /// 适用情形, as prose for the guide.
    #[serde(default)]
    pub applies_to: Option<String>,
    #[serde(default)]
    pub fields: Vec<MaterialField>,
}

fn yes() -> bool {
    true
}

impl Material {
    /// What makes two members' materials the same document.
    pub fn identity_key(&self) -> String {
        self.identity
            .clone()
            .or_else(|| self.elicence_type.clone())
            .unwrap_or_else(|| self.name.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Fee {
    pub name: String,
    /// 收费标准 as published.
    pub standard: String,
    /// Amount in 分 when fixed.
    #[serde(default)]
    pub fen: Option<i64>,
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub waivable: bool,
}

/// One step of 办理流程.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Step {
    pub name: String,
    /// 办理人员/岗位.
    pub role: String,
    #[serde(default)]
    pub limit_days: Option<u32>,
    /// Counted towards the time limit (特别程序 are not).
    #[serde(default = "yes")]
    pub counted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SpecialProcedure {
    pub kind: SpecialKind,
    #[serde(default)]
    pub limit_days: Option<u32>,
    #[serde(default)]
    pub explain: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Faq {
    pub question: String,
    pub answer: String,
}

/// Exchange metadata kept for the city platform.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SyncMeta {
    #[serde(default)]
    pub cd_operation: Option<SyncOperation>,
    #[serde(default)]
    pub cd_time: Option<String>,
    #[serde(default)]
    pub cd_batch: Option<String>,
    #[serde(default)]
    pub data_source: Option<String>,
}

/// One version of one 实施清单 item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ItemDoc {
    /// 事项名称
    pub task_name: String,
    /// 基本编码 (12 characters).
    pub catalog_code: String,
    /// 实施编码: the key an import updates by.
    pub task_code: String,
    /// 地方编码
    #[serde(default)]
    pub local_code: Option<String>,
    pub task_type: ItemType,
    pub task_state: ItemState,
    pub power_source: PowerSource,
    pub use_level: UseLevel,
    /// 实施主体
    pub dept_name: String,
    /// 实施主体编码 (统一社会信用代码). The hall department with this credit
    /// code claims (认领) the item.
    pub dept_code: String,
    pub dept_type: DeptType,
    /// 委托部门
    #[serde(default)]
    pub entrust_name: Option<String>,
    /// 设定依据 (with clauses).
    pub by_law: String,
    /// 受理条件
    pub accept_condition: String,
    pub serve_objects: Vec<ServeObject>,
    pub project_type: ProjectType,
    /// 法定办结时限
    pub anticipate_day: u32,
    pub anticipate_type: DayUnit,
    #[serde(default)]
    pub anticipate_explain: Option<String>,
    /// 承诺办结时限 (≤ 法定).
    pub promise_day: u32,
    pub promise_type: DayUnit,
    #[serde(default)]
    pub promise_explain: Option<String>,
    #[serde(default)]
    pub special_procedures: Vec<SpecialProcedure>,
    /// 到办事现场次数 (0, 1 or 2).
    pub limit_scene_num: u8,
    #[serde(default)]
    pub limit_scene_explain: Option<String>,
    /// 办理流程 as published prose; `steps` is the same as data.
    pub handle_flow: String,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub handle_forms: Vec<HandleForm>,
    pub is_charge: bool,
    #[serde(default)]
    pub fees: Vec<Fee>,
    /// 咨询方式
    pub link_way: String,
    /// 监督投诉方式
    pub supervise_way: String,
    /// 办理地点
    pub transact_addr: String,
    /// 办理时间
    pub transact_time: String,
    pub is_entry_center: bool,
    #[serde(default = "no_range")]
    pub tongban_range: TongbanRange,
    /// 联办机构
    #[serde(default)]
    pub joint_agencies: Vec<String>,
    pub result_type: ResultType,
    #[serde(default)]
    pub result_name: Option<String>,
    #[serde(default)]
    pub result_sample: Option<Attachment>,
    #[serde(default)]
    pub is_appoint: bool,
    pub is_online_pay: bool,
    pub is_express: bool,
    #[serde(default)]
    pub is_self_service: bool,
    pub is_online: bool,
    /// 网办深度 1 信息公开 … 4 全程网办.
    #[serde(default)]
    pub online_depth: Option<u8>,
    #[serde(default)]
    pub themes: Vec<Theme>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub faqs: Vec<Faq>,
    pub handling_items: Vec<HandlingItem>,
    pub materials: Vec<Material>,
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub sync: SyncMeta,
}

fn no_range() -> TongbanRange {
    TongbanRange::None
}

/// A problem found in a document: where (a path such as `materials[2].copies`)
/// and a Chinese message naming the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema, utoipa::ToSchema)]
pub struct Problem {
    pub at: String,
    pub message: String,
}

impl Problem {
    pub fn new(at: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            at: at.into(),
            message: message.into(),
        }
    }
}

impl ItemDoc {
    pub fn has_scenarios(&self) -> bool {
        !self.questions.is_empty() || !self.rules.is_empty()
    }

    /// The part the resolver reads.
    pub fn scenarios(&self) -> scenario::ItemScenarios {
        scenario::ItemScenarios {
            handling_items: self
                .handling_items
                .iter()
                .map(|h| scenario::HandlingItem {
                    code: h.code.clone(),
                    name: h.name.clone(),
                })
                .collect(),
            materials: self
                .materials
                .iter()
                .map(|m| scenario::Material {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    necessity: m.necessity,
                    copies: m.copies,
                    always: m.always,
                })
                .collect(),
            questions: self.questions.clone(),
            rules: self.rules.clone(),
            promised_days: self.promise_day,
        }
    }

    /// The promised limit in working days, converting 自然日 conservatively.
    fn days_in_natural(days: u32, unit: DayUnit) -> u32 {
        match unit {
            DayUnit::Natural => days,
            // Five working days take at least seven calendar days.
            DayUnit::Working => (days * 7).div_ceil(5),
        }
    }

    /// Every rule a saved or imported item must satisfy. Empty means valid.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut fail = |at: &str, msg: String| out.push(Problem::new(at, msg));
        let required = [
            ("task_name", "事项名称", &self.task_name),
            ("catalog_code", "基本编码", &self.catalog_code),
            ("task_code", "实施编码", &self.task_code),
            ("dept_name", "实施主体", &self.dept_name),
            ("by_law", "设定依据", &self.by_law),
            ("accept_condition", "受理条件", &self.accept_condition),
            ("handle_flow", "办理流程", &self.handle_flow),
            ("link_way", "咨询方式", &self.link_way),
            ("supervise_way", "监督投诉方式", &self.supervise_way),
            ("transact_addr", "办理地点", &self.transact_addr),
            ("transact_time", "办理时间", &self.transact_time),
        ];
        for (field, label, value) in required {
            if value.trim().is_empty() {
                fail(field, format!("{label}为必填项"));
            }
        }
        if self.task_name.chars().count() > 200 {
            fail("task_name", "事项名称不能超过 200 个字".into());
        }
        if !self.catalog_code.is_empty()
            && (self.catalog_code.chars().count() != 12
                || !self.catalog_code.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            fail("catalog_code", "基本编码应为 12 位字母或数字".into());
        }
        if !self.task_code.is_empty()
            && (self.task_code.len() > 40
                || !self
                    .task_code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            fail(
                "task_code",
                "实施编码只能由字母、数字和连字符组成，且不超过 40 位".into(),
            );
        }
        if let Some(p) = govhall_kernel::validate::credit_code_problem(&self.dept_code) {
            fail("dept_code", format!("实施主体编码：{p}"));
        }
        if self.serve_objects.is_empty() {
            fail("serve_objects", "服务对象至少选择一项".into());
        }
        if Self::days_in_natural(self.promise_day, self.promise_type)
            > Self::days_in_natural(self.anticipate_day, self.anticipate_type)
            && !(self.anticipate_day == 0 && self.project_type == ProjectType::Immediate)
        {
            fail(
                "promise_day",
                format!(
                    "承诺办结时限（{}{}）不能长于法定办结时限（{}{}）",
                    self.promise_day,
                    self.promise_type.label(),
                    self.anticipate_day,
                    self.anticipate_type.label()
                ),
            );
        }
        if self.limit_scene_num > 2 {
            fail("limit_scene_num", "到办事现场次数只能是 0、1 或 2".into());
        }
        if let Some(d) = self.online_depth
            && !(1..=4).contains(&d)
        {
            fail("online_depth", "网办深度应为 1 至 4".into());
        }
        if self.is_charge && self.fees.is_empty() {
            fail("fees", "收费事项至少填写一项收费项目".into());
        }
        if !self.is_charge && !self.fees.is_empty() {
            fail("fees", "不收费的事项不能填写收费项目".into());
        }
        for (i, f) in self.fees.iter().enumerate() {
            if f.name.trim().is_empty() || f.standard.trim().is_empty() {
                fail(&format!("fees[{i}]"), "收费项目的名称和标准为必填项".into());
            }
            if f.fen.is_some_and(|v| v < 0) {
                fail(&format!("fees[{i}].fen"), "收费金额不能为负数".into());
            }
        }
        for (i, s) in self.steps.iter().enumerate() {
            if s.name.trim().is_empty() {
                fail(&format!("steps[{i}].name"), "流程环节名称为必填项".into());
            }
        }
        for (i, f) in self.faqs.iter().enumerate() {
            if f.question.trim().is_empty() || f.answer.trim().is_empty() {
                fail(&format!("faqs[{i}]"), "常见问题的问与答都为必填项".into());
            }
        }
        if self.handling_items.is_empty() {
            fail("handling_items", "至少配置一个业务办理项".into());
        }
        let mut codes = std::collections::BTreeSet::new();
        for (i, h) in self.handling_items.iter().enumerate() {
            if h.code.trim().is_empty() || h.name.trim().is_empty() {
                fail(
                    &format!("handling_items[{i}]"),
                    "业务办理项的编码和名称为必填项".into(),
                );
            }
            if !codes.insert(h.code.as_str()) {
                fail(
                    &format!("handling_items[{i}].code"),
                    format!("业务办理项编码“{}”重复", h.code),
                );
            }
        }
        let mut ids = std::collections::BTreeSet::new();
        for (i, m) in self.materials.iter().enumerate() {
            let at = format!("materials[{i}]");
            if m.id.trim().is_empty() || m.name.trim().is_empty() {
                fail(&at, "材料的编号和名称为必填项".into());
            }
            if !ids.insert(m.id.as_str()) {
                fail(&format!("{at}.id"), format!("材料编号“{}”重复", m.id));
            }
            if m.copies == 0 || m.copies > 99 {
                fail(&format!("{at}.copies"), "份数应为 1 至 99".into());
            }
            if m.exempt_way == Some(ExemptWay::ELicence) && m.elicence_type.is_none() {
                fail(
                    &format!("{at}.elicence_type"),
                    "免提交方式为电子证照时须填写电子证照类型".into(),
                );
            }
        }
        for p in scenario::validate(&self.scenarios()) {
            fail(&format!("情形 {}", p.at), p.message);
        }
        // A situation may shorten the time limit or set its own, never beyond the law's.
        for r in &self.rules {
            for e in &r.then {
                if let scenario::Effect::SetTimeLimit { days } = e
                    && self.anticipate_day > 0
                    && Self::days_in_natural(*days, DayUnit::Working)
                        > Self::days_in_natural(self.anticipate_day, self.anticipate_type)
                {
                    fail(
                        &format!("情形 规则 {}", r.id),
                        format!(
                            "规则设定的办结时限（{days}个工作日）不能长于法定办结时限（{}{}）",
                            self.anticipate_day,
                            self.anticipate_type.label()
                        ),
                    );
                }
            }
        }
        out
    }

    /// What the completeness report lists for this item (beyond validity).
    pub fn gaps(&self) -> Vec<String> {
        let mut gaps = Vec::new();
        for m in &self.materials {
            if m.sample.is_none() && m.source == MaterialSource::Applicant {
                gaps.push(format!("材料“{}”缺少示例样表", m.name));
            }
            if m.accept_standard.is_none() {
                gaps.push(format!("材料“{}”未填写受理标准", m.name));
            }
        }
        if self.faqs.is_empty() {
            gaps.push("未配置常见问题".into());
        }
        if self.keywords.is_empty() {
            gaps.push("未配置检索关键词".into());
        }
        if self.steps.is_empty() {
            gaps.push("办理流程未拆分为环节".into());
        }
        gaps
    }

    /// A 0–100 score for the list view: the share of checks without a gap.
    pub fn completeness(&self) -> u8 {
        let checks = 3 + 2 * self.materials.len();
        let gaps = self.gaps().len().min(checks);
        (100 * (checks - gaps) / checks) as u8
    }
}
