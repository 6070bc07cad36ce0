//! The catalog's events: an item through its publishing workflow, 一件事,
//! synonyms, imports, and what citizens did with 智能导办 and search (the
//! guidance analytics read these; they carry no personal data).

use govhall_platform::events::{EventDef, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An item (实施清单) and the version a workflow step touched.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemEvent {
    pub item_id: String,
    /// 实施编码.
    pub task_code: String,
    pub task_name: String,
    pub version: i32,
    /// What the step adds: the reviewer's note, the windows authorised.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub detail: serde_json::Map<String, serde_json::Value>,
}

/// A 一件事 bundle created or changed, with its members' 实施编码.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BundleSaved {
    pub bundle_id: String,
    pub code: String,
    pub name: String,
    pub members: Vec<String>,
}

/// A 一件事 bundle removed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BundleDeleted {
    pub bundle_id: String,
    pub code: String,
    pub name: String,
}

/// The hall's search synonyms were replaced as a whole.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SynonymsReplaced {
    pub groups: usize,
}

/// A sample or blank form was uploaded for the items' materials.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttachmentUploaded {
    pub id: String,
    pub name: String,
    pub size: i64,
}

/// 智能导办 reached a checklist: the matter, the handling item and the answers in words.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GuidanceResolved {
    pub task_code: String,
    pub handling_item: String,
    /// The answers as the citizen gave them (是否通过网络经营？是 …).
    pub answers: String,
}

/// A guidance result was texted to a phone as a short link.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GuidanceSent {
    pub task_code: String,
    /// The short link's key (the phone number is not recorded).
    pub token: String,
    /// Materials on the checklist.
    pub materials: usize,
}

/// A public search found nothing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SearchMissed {
    pub query: String,
}

/// A catalog file was imported: the items created and updated (实施编码).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CatalogImported {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
    pub bundles: usize,
    pub synonyms: usize,
    /// The imported versions were published (else saved as drafts).
    pub published: bool,
}

/// A hall's semantic-retrieval endpoint saved (never its key).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EmbeddingsSaved {
    pub enabled: bool,
    pub model: String,
}

/// A hall's catalog embedded again.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VectorsRebuilt {
    pub vectors: usize,
    pub dims: usize,
    pub model: String,
}

const fn item(name: &'static str, label: &'static str) -> EventType<ItemEvent> {
    EventType::new(name, label)
}

pub const ITEM_CREATED: EventType<ItemEvent> = item("catalog.item.created", "新建事项");
pub const ITEM_DRAFT_SAVED: EventType<ItemEvent> = item("catalog.item.draft_saved", "保存事项草稿");
pub const ITEM_SUBMITTED: EventType<ItemEvent> = item("catalog.item.submitted", "事项提交审核");
pub const ITEM_PUBLISHED: EventType<ItemEvent> = item("catalog.item.published", "发布事项");
pub const ITEM_SENT_BACK: EventType<ItemEvent> = item("catalog.item.sent_back", "事项退回修改");
pub const ITEM_WITHDRAWN: EventType<ItemEvent> = item("catalog.item.withdrawn", "撤回事项");
pub const ITEM_DRAFT_DISCARDED: EventType<ItemEvent> =
    item("catalog.item.draft_discarded", "放弃事项草稿");
pub const ITEM_DELETED: EventType<ItemEvent> = item("catalog.item.deleted", "删除事项");
pub const ITEM_WINDOWS_SET: EventType<ItemEvent> =
    item("catalog.item.windows_set", "设置事项受理窗口");
pub const BUNDLE_CREATED: EventType<BundleSaved> =
    EventType::new("catalog.bundle.created", "新增一件事");
pub const BUNDLE_UPDATED: EventType<BundleSaved> =
    EventType::new("catalog.bundle.updated", "修改一件事");
pub const BUNDLE_DELETED: EventType<BundleDeleted> =
    EventType::new("catalog.bundle.deleted", "删除一件事");
pub const SYNONYMS_REPLACED: EventType<SynonymsReplaced> =
    EventType::new("catalog.synonyms.replaced", "替换检索同义词");
pub const ATTACHMENT_UPLOADED: EventType<AttachmentUploaded> =
    EventType::new("catalog.attachment.uploaded", "上传附件");
pub const GUIDANCE_RESOLVED: EventType<GuidanceResolved> =
    EventType::new("catalog.guidance.resolved", "智能导办得出材料清单");
pub const GUIDANCE_SENT: EventType<GuidanceSent> =
    EventType::new("catalog.guidance.sent", "导办结果发送到手机");
pub const SEARCH_MISSED: EventType<SearchMissed> =
    EventType::new("catalog.search.missed", "检索未命中");
pub const EMBEDDINGS_SAVED: EventType<EmbeddingsSaved> =
    EventType::new("catalog.embeddings.saved", "保存语义检索设置");
pub const VECTORS_REBUILT: EventType<VectorsRebuilt> =
    EventType::new("catalog.vectors.rebuilt", "重建语义检索向量");
pub const IMPORTED: EventType<CatalogImported> =
    EventType::new("catalog.import.completed", "导入事项");

/// The catalog's typed events, for the catalogue.
pub static EVENTS: &[EventDef] = &[
    ITEM_CREATED.def(),
    ITEM_DRAFT_SAVED.def(),
    ITEM_SUBMITTED.def(),
    ITEM_PUBLISHED.def(),
    ITEM_SENT_BACK.def(),
    ITEM_WITHDRAWN.def(),
    ITEM_DRAFT_DISCARDED.def(),
    ITEM_DELETED.def(),
    ITEM_WINDOWS_SET.def(),
    BUNDLE_CREATED.def(),
    BUNDLE_UPDATED.def(),
    BUNDLE_DELETED.def(),
    SYNONYMS_REPLACED.def(),
    ATTACHMENT_UPLOADED.def(),
    GUIDANCE_RESOLVED.def(),
    GUIDANCE_SENT.def(),
    SEARCH_MISSED.def(),
    IMPORTED.def(),
    EMBEDDINGS_SAVED.def(),
    VECTORS_REBUILT.def(),
];
