//! 事项梳理: the service-item catalog. This first part is the pure scenario
//! model (情形化) — questions, options, rules and effects — and its resolver,
//! which turns a published item version and a citizen's answers into the exact
//! handling item, material checklist, conditions, time limit and fees, or a
//! termination, each line explained by the rule that produced it.
//!
//! Storage, versions, import/export and search arrive with the rest of issue 4.

pub mod scenario;
