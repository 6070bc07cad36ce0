//! 云游大厅: the hall as panoramas, one per area (equirectangular images,
//! 2:1), with hotspots that lead to another area or show a window (its live
//! state comes from the directory's public hall view on the page; the
//! matters it accepts from the catalog's window authorisation). Open to
//! anyone; a manager uploads panoramas and places hotspots. The demo's
//! panoramas are drawn here (`panorama`): a counter row with each window's
//! number on its sign, so the hotspots sit on the windows they name.

use crate::entity::scene;
use crate::raster::Canvas;
use chrono::Utc;
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::f64::consts::{FRAC_PI_2, PI};
use utoipa::ToSchema;

/// A hotspot: where it sits (radians; yaw 0 is the panorama's centre) and
/// what it leads to — another scene or a window by its code.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Spot {
    pub yaw: f64,
    pub pitch: f64,
    pub label: String,
    #[serde(default)]
    pub target_scene: Option<String>,
    #[serde(default)]
    pub window_code: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SceneInput {
    pub title: String,
    /// An uploaded JPG or PNG panorama (equirectangular, 2:1).
    pub file_id: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SceneDto {
    pub id: String,
    pub title: String,
    pub file_id: String,
    pub spots: Vec<Spot>,
    /// What the windows of the scene's hotspots accept (the public tour only).
    pub windows: Vec<WindowMatters>,
}

/// The published matters a window may accept.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WindowMatters {
    pub window_code: String,
    /// Matter names, by name (at most 50).
    pub matters: Vec<String>,
    /// How many there are in all.
    pub total: usize,
}

/// Shown per window; a comprehensive window may accept hundreds.
const MATTERS_SHOWN: usize = 50;

fn dto(s: scene::Model) -> SceneDto {
    SceneDto {
        spots: serde_json::from_str(&s.spots).unwrap_or_default(),
        id: s.id,
        title: s.title,
        file_id: s.file_id,
        windows: vec![],
    }
}

/// The tour as a visitor sees it: the scenes with what each window in them accepts.
pub async fn public_tour(state: &AppState, hall_id: &str) -> AppResult<Vec<SceneDto>> {
    let mut scenes = list(state, hall_id).await?;
    let windows = govhall_directory::service::windows(&state.db, hall_id).await?;
    let by_window = govhall_catalog::service::published_items_by_window(state, hall_id).await?;
    for s in &mut scenes {
        s.windows = s
            .spots
            .iter()
            .filter_map(|spot| spot.window_code.as_deref())
            .filter_map(|code| windows.iter().find(|w| w.code == code))
            .map(|w| {
                let items = by_window.get(w.id.as_str()).map_or(&[][..], Vec::as_slice);
                WindowMatters {
                    window_code: w.code.clone(),
                    matters: items
                        .iter()
                        .take(MATTERS_SHOWN)
                        .map(|i| i.task_name.clone())
                        .collect(),
                    total: items.len(),
                }
            })
            .collect();
    }
    Ok(scenes)
}

/// The hall's scenes, in order.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<SceneDto>> {
    let rows = scene::Entity::find()
        .filter(scene::Column::HallId.eq(hall_id))
        .order_by_asc(scene::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?;
    Ok(rows.into_iter().map(dto).collect())
}

pub async fn create(state: &AppState, hall_id: &str, input: &SceneInput) -> AppResult<SceneDto> {
    let title = input.title.trim();
    let mut ch = Checker::new();
    ch.check(
        (1..=30).contains(&title.chars().count()),
        "title",
        "场景名称须为 1 至 30 个字",
    );
    match crate::files::find(state, hall_id, &input.file_id).await {
        Ok((f, _)) => ch.check(
            f.mime.starts_with("image/"),
            "file_id",
            format!("全景图须为 JPG 或 PNG 图片，“{}”是 {}", f.name, f.mime),
        ),
        Err(_) => ch.fail("file_id", "全景图文件不存在，请先上传"),
    }
    ch.finish()?;
    let order = scene::Entity::find()
        .filter(scene::Column::HallId.eq(hall_id))
        .count(&state.db)
        .await
        .db_err()? as i32;
    let row = scene::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        title: Set(title.to_string()),
        file_id: Set(input.file_id.clone()),
        sort_order: Set(order + 1),
        spots: Set("[]".into()),
        created_at: Set(Utc::now()),
    };
    Ok(dto(row.insert(&state.db).await.db_err()?))
}

/// Replaces a scene's hotspots; each is checked (place, label, a target
/// that exists) and a bad one names its index.
pub async fn set_spots(
    state: &AppState,
    hall_id: &str,
    id: &str,
    spots: &[Spot],
) -> AppResult<SceneDto> {
    let row = scene::Entity::find_by_id(id.to_string())
        .filter(scene::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("场景"))?;
    let scenes = list(state, hall_id).await?;
    let windows = govhall_directory::service::windows(&state.db, hall_id).await?;
    let mut ch = Checker::new();
    ch.check(spots.len() <= 200, "spots", "一个场景最多 200 个热点");
    for (i, s) in spots.iter().enumerate() {
        let field = format!("spots[{i}]");
        let n = i + 1;
        if !(-2.0 * PI..=2.0 * PI).contains(&s.yaw) || !(-FRAC_PI_2..=FRAC_PI_2).contains(&s.pitch)
        {
            ch.fail(
                &field,
                format!("第 {n} 个热点的位置不在全景图内（水平 ±360°，垂直 ±90°）"),
            );
        }
        if !(1..=20).contains(&s.label.trim().chars().count()) {
            ch.fail(&field, format!("第 {n} 个热点的名称须为 1 至 20 个字"));
        }
        match (&s.target_scene, &s.window_code) {
            (Some(t), None) if t == id => {
                ch.fail(&field, format!("第 {n} 个热点不能指向本场景自身"))
            }
            (Some(t), None) if !scenes.iter().any(|x| &x.id == t) => {
                ch.fail(&field, format!("第 {n} 个热点指向的场景不存在"))
            }
            (None, Some(w)) if !windows.iter().any(|x| &x.code == w) => {
                ch.fail(&field, format!("第 {n} 个热点的窗口编号 {w} 不存在"))
            }
            (Some(_), None) | (None, Some(_)) => {}
            _ => ch.fail(
                &field,
                format!("第 {n} 个热点须指向一个场景或一个窗口（二选一）"),
            ),
        }
    }
    ch.finish()?;
    let mut a = row.into_active_model();
    a.spots = Set(serde_json::to_string(spots).unwrap_or_else(|_| "[]".into()));
    Ok(dto(a.update(&state.db).await.db_err()?))
}

/// Whether a file is one of the hall's panoramas (open to anyone).
pub async fn file_is_panorama(state: &AppState, hall_id: &str, file_id: &str) -> AppResult<bool> {
    Ok(scene::Entity::find()
        .filter(scene::Column::HallId.eq(hall_id))
        .filter(scene::Column::FileId.eq(file_id))
        .count(&state.db)
        .await
        .db_err()?
        > 0)
}

/// Width and height of the drawn panoramas.
const PW: usize = 2048;
const PH: usize = 1024;

/// The yaw of a column of the panorama (the centre is 0).
pub fn yaw_at(x: usize) -> f64 {
    (x as f64 / PW as f64 - 0.5) * 2.0 * PI
}

/// A place on a panorama: yaw and pitch, in radians.
pub type Place = (f64, f64);

/// A panorama of a counter row: ceiling lights, a wall with one booth per
/// window (its number on a blue sign), a door to the next area, a tiled
/// floor. Returns the PNG and, per booth and for the door, the yaw and pitch
/// of its centre.
pub fn panorama(windows: &[String]) -> anyhow::Result<(Vec<u8>, Vec<Place>, Place)> {
    let mut c = Canvas::new(PW, PH, (236, 232, 224));
    let (wall_top, floor_top) = (PH * 36 / 100, PH * 60 / 100);
    // Ceiling, lights in rows.
    c.rect(0, 0, PW, wall_top, (245, 245, 242));
    for row in 0..4 {
        for k in 0..16 {
            c.rect(
                k * PW / 16 + 40,
                60 + row * 70,
                60,
                10 + row * 4,
                (255, 253, 235),
            );
        }
    }
    // Floor tiles.
    c.rect(0, floor_top, PW, PH - floor_top, (196, 198, 204));
    for k in 0..32 {
        c.rect(k * PW / 32, floor_top, 2, PH - floor_top, (170, 172, 180));
    }
    for k in 0..8 {
        let y = floor_top + (k * k + 1) * 8;
        c.rect(0, y.min(PH - 1), PW, 2, (170, 172, 180));
    }
    // A door to the next area, opposite the middle of the counters.
    let door_x = 40;
    c.rect(
        door_x,
        wall_top - 40,
        110,
        floor_top - wall_top + 40,
        (120, 86, 60),
    );
    c.rect(door_x + 12, wall_top - 28, 86, 40, (46, 125, 50));
    // The booths, spread over the rest of the wall.
    let n = windows.len().max(1);
    let span = PW - 260;
    let mut spots = Vec::new();
    for (i, code) in windows.iter().enumerate() {
        let w = (span / n).min(180);
        let x = 220 + i * span / n;
        let sign_y = wall_top + 10;
        c.rect(x, sign_y, w - 16, 56, (13, 71, 161));
        c.digits(code, x + 10, sign_y + 8, 40, (255, 255, 255));
        c.rect(
            x,
            sign_y + 70,
            w - 16,
            floor_top - sign_y - 70,
            (222, 226, 232),
        );
        c.rect(x - 4, floor_top - 40, w - 8, 40, (150, 104, 68));
        let cx = x + (w - 16) / 2;
        spots.push((yaw_at(cx), (0.5 - (sign_y + 28) as f64 / PH as f64) * PI));
    }
    let door = (
        yaw_at(door_x + 55),
        (0.5 - (wall_top + 60) as f64 / PH as f64) * PI,
    );
    Ok((c.png()?, spots, door))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_drawn_panorama_is_a_two_to_one_png_with_a_spot_per_window() {
        let codes: Vec<String> = (1..=12).map(|i| format!("{i:02}")).collect();
        let (png, spots, door) = super::panorama(&codes).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        assert_eq!(spots.len(), 12);
        assert!(
            spots.windows(2).all(|w| w[0].0 < w[1].0),
            "booths left to right"
        );
        assert!(door.0 < spots[0].0);
        assert!(
            spots.iter().all(|s| s.1 > -0.5 && s.1 < 0.5),
            "at eye level"
        );
    }
}
