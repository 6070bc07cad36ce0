#!/usr/bin/env python3
"""Makes the Chinese font the printed notices embed (crates/pdf/fonts/).

Notices (受理通知书, 一次性告知书 …) must print the same on every server, with no
font installed and no internet, so the binary carries its own: Noto Serif CJK SC
(思源宋体, SIL OFL 1.1) from Debian's `fonts-noto-cjk`, cut down to the 6,763
hanzi of GB 2312 plus ASCII, Latin-1, general and CJK punctuation, circled
numbers, shapes and full-width forms (about 4 MB instead of 26 MB). Rarer
characters (some names) fall back at run time to a full CJK font when the
machine has one (see crates/pdf/src/fonts.rs).

Run: python3 scripts/notice_font.py
     (needs `apt-get install fonts-noto-cjk` and `pip install fonttools`)
"""
import pathlib
import subprocess
import tempfile

SOURCE = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
FACE_SC = 2  # the collection's faces: JP, KR, SC, TC, HK
OUT = pathlib.Path(__file__).resolve().parent.parent / "crates/pdf/fonts/NotoSerifSC-GB2312.otf"
RANGES = [
    "U+0020-007E", "U+00A0-00FF", "U+2000-206F", "U+2100-214F", "U+2190-21FF",
    "U+2460-24FF", "U+2500-25FF", "U+3000-303F", "U+FF00-FFEF",
]


def gb2312_hanzi() -> str:
    chars = []
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


def main() -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as text:
        text.write(gb2312_hanzi())
        text.flush()
        subprocess.run(
            [
                "pyftsubset", SOURCE, f"--font-number={FACE_SC}",
                f"--unicodes={','.join(RANGES)}", f"--text-file={text.name}",
                "--layout-features=*", "--no-hinting", f"--output-file={OUT}",
            ],
            check=True,
        )
    print(f"{OUT} {OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
