//! A sample courseware video made here, so the demo (and the benchmark) have
//! a real, playable MP4 without downloading one: a title band, a seconds
//! counter in seven-segment digits and a progress bar, one frame a second,
//! encoded as H.264 (baseline, all-intra) by `less-avc` and put in an MP4
//! by `mp4`.

use crate::raster::{Canvas, Rgb};
use anyhow::Context;
use less_avc::{
    BitDepth, H264Writer,
    ycbcr_image::{DataPlane, Planes, YCbCrImage},
};

const W: usize = 320;
const H: usize = 176;

/// An RGB colour as BT.601 Y, Cb, Cr.
fn ycc((r, g, b): Rgb) -> Rgb {
    let (r, g, b) = (f32::from(r), f32::from(g), f32::from(b));
    let y = 16.0 + 0.257 * r + 0.504 * g + 0.098 * b;
    let cb = 128.0 - 0.148 * r - 0.291 * g + 0.439 * b;
    let cr = 128.0 + 0.439 * r - 0.368 * g - 0.071 * b;
    (y as u8, cb as u8, cr as u8)
}

/// The video's poster frame: its first picture, as a PNG.
pub fn poster() -> anyhow::Result<Vec<u8>> {
    let px = picture(0, 1);
    Canvas {
        width: W,
        height: H,
        px,
    }
    .png()
}

/// The RGB picture of second `t` of `total`.
fn picture(t: u32, total: u32) -> Vec<Rgb> {
    let light = (255, 255, 255);
    let mut c = Canvas::new(W, H, (13, 71, 161));
    c.rect(0, 0, W, 28, (183, 28, 28));
    c.rect(16, 10, 120, 8, light);
    c.rect(0, H - 16, W, 16, (40, 90, 170));
    c.rect(0, H - 16, W * t as usize / total.max(1) as usize, 16, light);
    c.digits(&format!("{:02}", t % 100), 112, 48, 80, light);
    c.px
}

/// Planes of 4:2:0 YCbCr from an RGB picture.
fn planes(px: &[Rgb]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let yc: Vec<Rgb> = px.iter().map(|&c| ycc(c)).collect();
    let y = yc.iter().map(|c| c.0).collect();
    let mut cb = Vec::with_capacity(W * H / 4);
    let mut cr = Vec::with_capacity(W * H / 4);
    for row in 0..H / 2 {
        for col in 0..W / 2 {
            let c = yc[row * 2 * W + col * 2];
            cb.push(c.1);
            cr.push(c.2);
        }
    }
    (y, cb, cr)
}

fn plane(data: &[u8], stride: usize) -> DataPlane<'_> {
    DataPlane {
        data,
        stride,
        bit_depth: BitDepth::Depth8,
    }
}

/// Splits an Annex B stream into its NAL units (without start codes).
fn nal_units(stream: &[u8]) -> Vec<&[u8]> {
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= stream.len() {
        if stream[i..i + 3] == [0, 0, 1] {
            starts.push(i + 3);
            i += 3;
        } else {
            i += 1;
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let mut end = starts.get(k + 1).map(|n| n - 3).unwrap_or(stream.len());
            // A four-byte start code leaves a zero before the three-byte one.
            while end > s && stream[end - 1] == 0 {
                end -= 1;
            }
            &stream[s..end]
        })
        .collect()
}

/// An MP4 of `seconds` seconds, one frame a second.
pub fn generate(seconds: u32) -> anyhow::Result<Vec<u8>> {
    let mut writer = H264Writer::new(Vec::new()).context("H.264 encoder")?;
    for t in 0..seconds {
        let (y, cb, cr) = planes(&picture(t, seconds));
        let image = YCbCrImage {
            planes: Planes::YCbCr((plane(&y, W), plane(&cb, W / 2), plane(&cr, W / 2))),
            width: W as u32,
            height: H as u32,
        };
        writer.write(&image).context("H.264 frame")?;
    }
    let stream = writer.into_inner();
    let units = nal_units(&stream);
    let (sps, pps) = (units.first().context("SPS")?, units.get(1).context("PPS")?);
    let frames = &units[2..];
    let brand = |s: &str| s.parse::<mp4::FourCC>();
    let config = mp4::Mp4Config {
        major_brand: brand("isom")?,
        minor_version: 512,
        compatible_brands: vec![
            brand("isom")?,
            brand("iso2")?,
            brand("avc1")?,
            brand("mp41")?,
        ],
        timescale: 1000,
    };
    let mut mp4w = mp4::Mp4Writer::write_start(std::io::Cursor::new(Vec::new()), &config)?;
    mp4w.add_track(&mp4::TrackConfig {
        track_type: mp4::TrackType::Video,
        timescale: 1000,
        language: "und".into(),
        media_conf: mp4::MediaConfig::AvcConfig(mp4::AvcConfig {
            width: W as u16,
            height: H as u16,
            seq_param_set: sps.to_vec(),
            pic_param_set: pps.to_vec(),
        }),
    })?;
    for (t, nal) in frames.iter().enumerate() {
        let mut sample = Vec::with_capacity(nal.len() + 4);
        sample.extend_from_slice(&(nal.len() as u32).to_be_bytes());
        sample.extend_from_slice(nal);
        mp4w.write_sample(
            1,
            &mp4::Mp4Sample {
                start_time: t as u64 * 1000,
                duration: 1000,
                rendering_offset: 0,
                is_sync: true,
                bytes: mp4::Bytes::from(sample),
            },
        )?;
    }
    mp4w.write_end()?;
    Ok(mp4w.into_writer().into_inner())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sample_is_an_h264_mp4_of_the_asked_length() {
        let bytes = super::generate(3).unwrap();
        let size = bytes.len() as u64;
        let mp4 = mp4::Mp4Reader::read_header(std::io::Cursor::new(bytes), size).unwrap();
        assert_eq!(mp4.duration().as_secs(), 3);
        let track = mp4.tracks().values().next().unwrap();
        assert_eq!(track.media_type().unwrap(), mp4::MediaType::H264);
        assert_eq!(track.sample_count(), 3);
    }
}
