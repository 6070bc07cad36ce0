//! A hall's own voice pack: uploaded as a ZIP of WAV clips, checked complete,
//! served to screens without sign-in, removed to fall back to the built-in pack.

use crate::queue::H;
use govhall_queue::voice::CLIPS;
use govhall_testkit::TestServer;
use std::io::Write;

/// A tiny valid WAV (header and a few samples), different per clip.
fn wav(tag: u8) -> Vec<u8> {
    let data = vec![tag; 32];
    let mut w = Vec::new();
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes()); // PCM
    w.extend_from_slice(&1u16.to_le_bytes()); // mono
    w.extend_from_slice(&16000u32.to_le_bytes());
    w.extend_from_slice(&32000u32.to_le_bytes());
    w.extend_from_slice(&2u16.to_le_bytes());
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&(data.len() as u32).to_le_bytes());
    w.extend_from_slice(&data);
    w
}

fn pack(clips: &[&str], broken: Option<&str>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, c) in clips.iter().enumerate() {
        zip.start_file(
            format!("pack/{c}.wav"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        let body = if Some(*c) == broken {
            b"not audio at all, just text".to_vec()
        } else {
            wav(i as u8)
        };
        zip.write_all(&body).unwrap();
    }
    zip.start_file("README.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all("本厅录制的语音包".as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_hall_uploads_its_own_voice_pack_and_screens_read_it() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let anon = s.client();
    assert_eq!(
        anon.get(&format!("{H}/voice/manifest.json")).await.status(),
        204,
        "the built-in pack until a hall uploads its own"
    );
    let url = format!("{H}/voice-pack");
    let put = |body: Vec<u8>| {
        let manager = manager.clone();
        let url = manager.url(&url);
        async move {
            manager
                .http
                .put(url)
                .header("x-csrf-token", manager.csrf())
                .header("content-type", "application/zip")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let missing = put(pack(&CLIPS[..CLIPS.len() - 2], None)).await;
    assert_eq!(missing.status(), 422);
    let text = missing.text().await.unwrap();
    assert!(
        text.contains("缺少片段") && text.contains("ten.wav") && text.contains("hundred.wav"),
        "{text}"
    );
    let broken = put(pack(CLIPS, Some("A"))).await;
    assert_eq!(broken.status(), 422);
    assert!(broken.text().await.unwrap().contains("A.wav 不是 WAV"));
    assert_eq!(put(b"PK not a zip".to_vec()).await.status(), 422);
    assert_eq!(
        anon.get(&format!("{H}/voice/manifest.json")).await.status(),
        204,
        "a refused pack changes nothing"
    );

    let ok = put(pack(CLIPS, None)).await;
    assert_eq!(ok.status(), 200);
    let manifest: serde_json::Value = anon.json(&format!("{H}/voice/manifest.json")).await;
    assert_eq!(manifest["clips"].as_object().unwrap().len(), CLIPS.len());
    assert_eq!(manifest["clips"]["please"], "please.wav");
    let clip = anon.get(&format!("{H}/voice/B.wav")).await;
    assert_eq!(clip.status(), 200);
    assert_eq!(clip.headers()["content-type"], "audio/wav");
    let index_of_b = CLIPS.iter().position(|c| *c == "B").unwrap() as u8;
    assert_eq!(clip.bytes().await.unwrap().to_vec(), wav(index_of_b));

    let clerk = s.login("clerk01").await;
    assert_eq!(clerk.delete(&url).await.status(), 403);
    assert_eq!(manager.delete(&url).await.status(), 204);
    assert_eq!(
        anon.get(&format!("{H}/voice/manifest.json")).await.status(),
        204
    );
}
