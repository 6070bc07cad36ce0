#!/usr/bin/env python3
"""Pre-renders the call announcement clips the screens concatenate offline.

The hall runs on the 政务外网 without internet and the screen boxes have no
Chinese TTS voice, so every word a call needs — 请, the letters A–Z, the
digits, 号, 到, 号窗口办理 … — is rendered once here with espeak-ng (Debian
package `espeak-ng`, Mandarin voice `cmn`) and committed under
web/public/voice/zh-CN/. A hall may upload its own recorded pack instead.

Run: python3 scripts/voice_clips.py   (needs `apt-get install espeak-ng`)
"""
import array
import json
import math
import pathlib
import subprocess
import tempfile
import wave

OUT = pathlib.Path(__file__).resolve().parent.parent / "web/public/voice/zh-CN"
RATE = 16000

DIGITS = "零一二三四五六七八九"
PHRASES = {
    "please": "请",
    "hao": "号",
    "to": "到",
    "window": "号窗口办理",
    "window_short": "号窗口",
    "ten": "十",
    "hundred": "百",
}


def render(text: str, voice: str = "cmn") -> array.array:
    with tempfile.NamedTemporaryFile(suffix=".wav") as f:
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", "145", "-p", "45", "-w", f.name, text],
            check=True,
        )
        with wave.open(f.name) as w:
            src_rate = w.getframerate()
            raw = array.array("h", w.readframes(w.getnframes()))
    # Resample to 16 kHz (linear) and trim silence, leaving 30 ms either side.
    n = int(len(raw) * RATE / src_rate)
    out = array.array("h", (raw[min(int(i * src_rate / RATE), len(raw) - 1)] for i in range(n)))
    loud = [i for i, v in enumerate(out) if abs(v) > 600]
    if not loud:
        return out
    pad = int(0.03 * RATE)
    return out[max(0, loud[0] - pad) : min(len(out), loud[-1] + pad)]


def chime() -> array.array:
    """Two-tone 叮咚 before each call."""
    out = array.array("h")
    for freq, dur in ((880.0, 0.35), (660.0, 0.55)):
        for i in range(int(dur * RATE)):
            t = i / RATE
            out.append(int(9000 * math.exp(-4 * t) * math.sin(2 * math.pi * freq * t)))
    return out


def write(name: str, samples: array.array) -> str:
    path = OUT / f"{name}.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())
    return path.name


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    clips = {"chime": write("chime", chime())}
    for i, d in enumerate(DIGITS):
        clips[str(i)] = write(f"d{i}", render(d))
    for c in map(chr, range(ord("A"), ord("Z") + 1)):
        clips[c] = write(f"l{c}", render(c))
    for key, text in PHRASES.items():
        clips[key] = write(key, render(text))
    manifest = {"name": "普通话（离线合成，espeak-ng）", "rate": RATE, "clips": clips}
    (OUT / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
