//! Courseware files. The request body is streamed to disk while it is
//! hashed, its type is decided by its content (`infer`), not by its name, and
//! a name that says otherwise is refused; a video must be an MP4 whose video
//! track is H.264 (what every browser plays), and its length is read from the
//! file (`mp4`). The bytes are kept once under `<data>/training/<sha256>`
//! (the database holds the row) and served with HTTP Range requests, so a
//! player seeks and resumes.

use crate::entity::file;
use crate::events::{FILE_UPLOADED, FileUploaded};
use axum::body::Body;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use govhall_kernel::{AppError, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;
use utoipa::ToSchema;

/// What courseware may be, by content: its type, the name endings that may
/// label it, its largest size and what it is called.
struct Kind {
    mime: &'static str,
    endings: &'static [&'static str],
    max: u64,
    label: &'static str,
}

const MIB: u64 = 1024 * 1024;
const KINDS: &[Kind] = &[
    Kind {
        mime: "video/mp4",
        endings: &["mp4", "m4v"],
        max: 1024 * MIB,
        label: "MP4 视频",
    },
    Kind {
        mime: "application/pdf",
        endings: &["pdf"],
        max: 100 * MIB,
        label: "PDF 文档",
    },
    Kind {
        mime: "image/jpeg",
        endings: &["jpg", "jpeg"],
        max: 20 * MIB,
        label: "JPG 图片",
    },
    Kind {
        mime: "image/png",
        endings: &["png"],
        max: 20 * MIB,
        label: "PNG 图片",
    },
];
/// Bytes read before deciding what a file is.
const SNIFF: usize = 8192;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileDto {
    pub id: String,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    /// A video's length in seconds.
    pub duration_s: Option<f64>,
    /// A PDF's number of pages.
    pub pages: Option<i32>,
    pub created_at: DateTime<Utc>,
}

fn dto(m: file::Model) -> FileDto {
    FileDto {
        id: m.id,
        name: m.name,
        mime: m.mime,
        size: m.size,
        sha256: m.sha256,
        duration_s: m.duration_s,
        pages: m.pages,
        created_at: m.created_at,
    }
}

fn folder(state: &AppState) -> PathBuf {
    state.config.data_dir.join("training")
}

fn bad(message: impl Into<String>) -> AppError {
    AppError::field("file", message)
}

/// The kind a file's first bytes show, checked against its name.
fn kind_of(name: &str, head: &[u8]) -> AppResult<&'static Kind> {
    let allowed = || KINDS.iter().map(|k| k.label).collect::<Vec<_>>().join("、");
    let found = infer::get(head).map(|t| t.mime_type());
    let kind = KINDS
        .iter()
        .find(|k| Some(k.mime) == found)
        .ok_or_else(|| {
            bad(format!(
                "不支持的课件“{name}”（按内容识别为 {}）：只接受 {}",
                found.unwrap_or("未知类型"),
                allowed()
            ))
        })?;
    let ending = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !kind.endings.contains(&ending.as_str()) {
        return Err(bad(format!(
            "文件名“{name}”与内容不符：内容是{}，扩展名应为 .{}",
            kind.label, kind.endings[0]
        )));
    }
    Ok(kind)
}

/// A video's length, if the browser can play it (MP4 with an H.264 track).
fn probe_video(path: &Path) -> Result<f64, String> {
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let size = f.metadata().map_err(|e| e.to_string())?.len();
    let mp4 = mp4::Mp4Reader::read_header(std::io::BufReader::new(f), size)
        .map_err(|e| format!("无法读取 MP4 结构（{e}）"))?;
    let codecs: Vec<String> = mp4
        .tracks()
        .values()
        .filter_map(|t| t.media_type().ok())
        .map(|m| m.to_string())
        .collect();
    if !codecs.iter().any(|c| c == "h264") {
        return Err(format!(
            "视频须为 H.264 编码（浏览器可直接播放），本文件的轨道为 {}",
            if codecs.is_empty() {
                "无".to_string()
            } else {
                codecs.join("、")
            }
        ));
    }
    let seconds = mp4.duration().as_secs_f64();
    if seconds <= 0.0 {
        return Err("视频时长为 0".into());
    }
    Ok(seconds)
}

/// A PDF's number of pages, if it can be read.
fn probe_pdf(path: &Path) -> Result<i32, String> {
    let doc = lopdf::Document::load(path).map_err(|e| format!("无法读取 PDF 结构（{e}）"))?;
    match doc.get_pages().len() {
        0 => Err("PDF 没有页面".into()),
        n => Ok(n as i32),
    }
}

/// Stores an uploaded file: streamed to a temporary file while hashed and
/// measured, checked, then moved to its checksum's name.
pub async fn upload(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    name: &str,
    body: Body,
) -> AppResult<FileDto> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::field("name", "文件名须为 1 至 120 个字"));
    }
    let dir = folder(state);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(AppError::internal)?;
    let tmp = dir.join(format!(".upload-{}", new_id()));
    let stored = receive(&tmp, name, body).await;
    let (kind, size, sha256) = match stored {
        Ok(v) => v,
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(e);
        }
    };
    let probe = kind.mime;
    let path = tmp.clone();
    let probed = tokio::task::spawn_blocking(move || match probe {
        "video/mp4" => probe_video(&path).map(|s| (Some(s), None)),
        "application/pdf" => probe_pdf(&path).map(|p| (None, Some(p))),
        _ => Ok((None, None)),
    })
    .await
    .map_err(AppError::internal)?;
    let (duration, pages) = match probed {
        Ok(v) => v,
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(bad(format!("“{name}”：{e}")));
        }
    };
    let target = dir.join(&sha256);
    if tokio::fs::try_exists(&target).await.unwrap_or(false) {
        // The same bytes are already kept (another course uses them).
        let _ = tokio::fs::remove_file(&tmp).await;
    } else {
        tokio::fs::rename(&tmp, &target)
            .await
            .map_err(AppError::internal)?;
    }
    let row = file::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        name: Set(name.to_string()),
        mime: Set(kind.mime.to_string()),
        size: Set(size as i64),
        sha256: Set(sha256.clone()),
        duration_s: Set(duration),
        pages: Set(pages),
        created_at: Set(Utc::now()),
        created_by: Set(actor.id.clone().unwrap_or_else(|| "system".into())),
    };
    let txn = begin_write(&state.db).await.db_err()?;
    let row = row.insert(&txn).await.db_err()?;
    let ev = FILE_UPLOADED.event(
        Some(hall_id),
        &FileUploaded {
            file_id: row.id.clone(),
            name: row.name.clone(),
            mime: row.mime.clone(),
            size: row.size,
            sha256,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto(row))
}

/// Writes the body to `tmp`; the kind (from the first bytes), size and SHA-256.
async fn receive(tmp: &Path, name: &str, body: Body) -> AppResult<(&'static Kind, u64, String)> {
    let mut out = tokio::fs::File::create(tmp)
        .await
        .map_err(AppError::internal)?;
    let mut stream = body.into_data_stream();
    let mut hash = Sha256::new();
    let mut head: Vec<u8> = Vec::new();
    let mut kind: Option<&'static Kind> = None;
    let mut size: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| bad(format!("上传中断：{e}")))?;
        size += chunk.len() as u64;
        if kind.is_none() {
            let want = SNIFF.saturating_sub(head.len());
            head.extend_from_slice(&chunk[..chunk.len().min(want)]);
            if head.len() >= SNIFF {
                kind = Some(kind_of(name, &head)?);
            }
        }
        if let Some(k) = kind
            && size > k.max
        {
            return Err(bad(format!("{}不能超过 {} MB", k.label, k.max / MIB)));
        }
        hash.update(&chunk);
        out.write_all(&chunk).await.map_err(AppError::internal)?;
    }
    out.flush().await.map_err(AppError::internal)?;
    if size == 0 {
        return Err(bad("上传的文件是空的"));
    }
    let kind = match kind {
        Some(k) => k,
        None => kind_of(name, &head)?,
    };
    if size > kind.max {
        return Err(bad(format!("{}不能超过 {} MB", kind.label, kind.max / MIB)));
    }
    Ok((kind, size, hex::encode(hash.finalize())))
}

/// A file of the hall, and where its bytes are.
pub async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<(FileDto, PathBuf)> {
    let row = file::Entity::find_by_id(id.to_string())
        .filter(file::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("课件文件"))?;
    let path = folder(state).join(&row.sha256);
    Ok((dto(row), path))
}

/// The file's bytes for `request`, honouring its Range header (206 with the
/// asked part, 416 beyond the end).
pub async fn serve(
    path: &Path,
    mime: &str,
    request: axum::extract::Request,
) -> AppResult<axum::response::Response> {
    use tower::ServiceExt;
    let mime = mime
        .parse()
        .map_err(|_| AppError::internal("课件类型无效"))?;
    let resp = tower_http::services::ServeFile::new_with_mime(path, &mime)
        .oneshot(request)
        .await
        .map_err(AppError::internal)?;
    Ok(resp.map(Body::new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_decides_and_the_name_must_agree() {
        let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n";
        assert_eq!(kind_of("规范.pdf", pdf).unwrap().mime, "application/pdf");
        assert!(kind_of("规范.mp4", pdf).is_err(), "mislabelled");
        assert!(kind_of("脚本.exe", b"MZ\x90\x00\x03\x00\x00\x00").is_err());
        let mut mp4 = vec![0, 0, 0, 0x20];
        mp4.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2avc1mp41");
        assert_eq!(kind_of("课程.MP4", &mp4).unwrap().mime, "video/mp4");
    }
}
