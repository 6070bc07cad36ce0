//! A hall's own voice pack (语音包): the clips a screen strings together to
//! announce a call, uploaded as one ZIP of WAV files named by clip
//! (`0.wav` … `9.wav`, `A.wav` … `Z.wav`, `please.wav`, …). Kept in the
//! database so every instance serves it; screens fall back to the built-in
//! pack when the hall has none.

use crate::entity::voice_clip;
use chrono::Utc;
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::{collections::BTreeMap, io::Read};
use utoipa::ToSchema;

/// Every clip a call may need: the chime, digits, letters and the words
/// (请 / 号 / 到 / 号窗口办理 / 窗口 / 十 / 百).
pub const CLIPS: &[&str] = &[
    "chime",
    "0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
    "H",
    "I",
    "J",
    "K",
    "L",
    "M",
    "N",
    "O",
    "P",
    "Q",
    "R",
    "S",
    "T",
    "U",
    "V",
    "W",
    "X",
    "Y",
    "Z",
    "please",
    "hao",
    "to",
    "window",
    "window_short",
    "ten",
    "hundred",
];

const CLIP_LIMIT: u64 = 1024 * 1024;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Manifest {
    pub name: String,
    /// Clip → file name (relative to the manifest).
    pub clips: BTreeMap<String, String>,
}

fn is_wav(bytes: &[u8]) -> bool {
    bytes.len() > 44 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WAVE"
}

/// The clips in a ZIP, checked: every clip present, each a WAV of at most 1 MB.
fn read_pack(zip: &[u8]) -> AppResult<BTreeMap<String, Vec<u8>>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip))
        .map_err(|_| AppError::field("file", "语音包须为 ZIP 文件"))?;
    let mut clips = BTreeMap::new();
    let mut problems = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive
            .by_index(i)
            .map_err(|_| AppError::field("file", "语音包 ZIP 已损坏"))?;
        if f.is_dir() {
            continue;
        }
        let name = f
            .name()
            .map(|n| n.rsplit('/').next().unwrap_or_default().to_string())
            .unwrap_or_default();
        let Some(clip) = name.strip_suffix(".wav").filter(|c| CLIPS.contains(c)) else {
            continue; // other files (readme, licence) are ignored
        };
        if f.size() > CLIP_LIMIT {
            problems.push(format!("{name} 超过 1 MB"));
            continue;
        }
        let mut bytes = Vec::with_capacity(f.size() as usize);
        f.by_ref()
            .take(CLIP_LIMIT)
            .read_to_end(&mut bytes)
            .map_err(|_| AppError::field("file", "语音包 ZIP 已损坏"))?;
        if !is_wav(&bytes) {
            problems.push(format!("{name} 不是 WAV 音频"));
            continue;
        }
        clips.insert(clip.to_string(), bytes);
    }
    let missing: Vec<&str> = CLIPS
        .iter()
        .copied()
        .filter(|c| !clips.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "缺少片段：{}",
            missing
                .iter()
                .map(|c| format!("{c}.wav"))
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::field(
            "file",
            format!("语音包不完整：{}", problems.join("；")),
        ));
    }
    Ok(clips)
}

/// Replaces the hall's voice pack with the clips of `zip`.
pub async fn upload(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    zip: &[u8],
) -> AppResult<Manifest> {
    let clips = read_pack(zip)?;
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    voice_clip::Entity::delete_many()
        .filter(voice_clip::Column::HallId.eq(hall_id))
        .exec(&txn)
        .await
        .db_err()?;
    let bytes: usize = clips.values().map(Vec::len).sum();
    for (clip, body) in clips {
        voice_clip::ActiveModel {
            hall_id: Set(hall_id.to_string()),
            clip: Set(clip),
            body: Set(body),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    let ev = crate::events::VOICE_PACK_UPLOADED.event(
        Some(hall_id),
        &crate::events::VoicePackUploaded {
            clips: CLIPS.len(),
            bytes,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(manifest_of(CLIPS.iter().map(|c| c.to_string())))
}

/// Back to the built-in pack.
pub async fn remove(state: &AppState, actor: &Actor, hall_id: &str) -> AppResult<()> {
    let txn = begin_write(&state.db).await.db_err()?;
    let res = voice_clip::Entity::delete_many()
        .filter(voice_clip::Column::HallId.eq(hall_id))
        .exec(&txn)
        .await
        .db_err()?;
    if res.rows_affected == 0 {
        return Err(AppError::not_found("本厅语音包"));
    }
    let ev = crate::events::VOICE_PACK_REMOVED.event(Some(hall_id), &crate::events::Nothing {});
    commit_with(state, txn, actor, vec![ev]).await
}

fn manifest_of(clips: impl Iterator<Item = String>) -> Manifest {
    Manifest {
        name: "本厅语音包".into(),
        clips: clips.map(|c| (c.clone(), format!("{c}.wav"))).collect(),
    }
}

/// The hall's pack, when it has one.
pub async fn manifest(state: &AppState, hall_id: &str) -> AppResult<Option<Manifest>> {
    use sea_orm::QuerySelect;
    let clips: Vec<String> = voice_clip::Entity::find()
        .select_only()
        .column(voice_clip::Column::Clip)
        .filter(voice_clip::Column::HallId.eq(hall_id))
        .into_tuple()
        .all(&state.db)
        .await
        .db_err()?;
    Ok((!clips.is_empty()).then(|| manifest_of(clips.into_iter())))
}

/// One clip of the hall's pack (`A.wav`).
pub async fn clip(state: &AppState, hall_id: &str, file: &str) -> AppResult<Vec<u8>> {
    let name = file.strip_suffix(".wav").unwrap_or(file);
    voice_clip::Entity::find_by_id((hall_id.to_string(), name.to_string()))
        .one(&state.db)
        .await
        .db_err()?
        .map(|c| c.body)
        .ok_or_else(|| AppError::not_found("语音片段"))
}
