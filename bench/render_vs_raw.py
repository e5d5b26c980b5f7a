"""A full `papercast render` of the seed sample with piper against raw piper on the same text.

    .venv/bin/python bench/render_vs_raw.py [--profile]

Raw: one process loads the voice, calls PiperVoice.synthesize on the article's whole text with the
SynthesisConfig audio/engines/piper.py uses, and encodes the audio with ffmpeg to the episode's format
(MP3, 64 kb/s, mono, 44.1 kHz, with papercast's LAME settings): the least any tool could do to turn
this text into the same kind of file. Render: `papercast render` in a fresh show (add is
not timed), so a cold cache. Both are whole processes, start-up and voice loading included.
--profile writes a pyinstrument profile of one render to $TMPDIR/papercast-render-profile.txt.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import Row, new_show, papercast, report, seed_article

TRIES = 3
TARGET = 1.05

RAW = """
import subprocess, sys
from articles import load
from audio.engines.piper import DEFAULT_OPTIONS, installed_models, PiperEngine
from audio.export import EncodeSettings
from audio.ffmpeg import ffmpeg_path
from piper import PiperVoice, SynthesisConfig

article = load(sys.argv[1])
text = "\\n\\n".join([article.title, *(p for s in article.sections for p in ([s.heading] if s.heading else []) + list(s.paragraphs))])
model = installed_models()[PiperEngine.default_voice]
voice = PiperVoice.load(model.model, model.config)
config = SynthesisConfig(length_scale=voice.config.length_scale, noise_scale=DEFAULT_OPTIONS["noise_scale"],
                         noise_w_scale=DEFAULT_OPTIONS["noise_w"], normalize_audio=False)
pcm = b"".join(chunk.audio_int16_bytes for chunk in voice.synthesize(text, config))
subprocess.run([ffmpeg_path(), "-nostdin", "-loglevel", "error", "-y", "-f", "s16le", "-ar",
                str(voice.config.sample_rate), "-ac", "1", "-i", "-", "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "64k",
                "-compression_level", str(EncodeSettings().lame_quality), sys.argv[2]], input=pcm, check=True)
"""


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def render_once(source: Path, profile: bool = False) -> float:
    with new_show("piper") as show:
        papercast("add", source, cwd=show)
        command = [str(Path(sys.executable).parent / "papercast"), "--quiet", "render"]
        if profile:
            out = Path(tempfile.gettempdir()) / "papercast-render-profile.txt"
            command = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(out),
                       "-m", "papercast", "--quiet", "render"]
        return timed(command, show)


def raw_once(source: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        return timed([sys.executable, "-c", RAW, str(source.resolve()), str(Path(folder) / "raw.mp3")], Path(folder))


def measure() -> list[Row]:
    source = seed_article()
    raw, rendered = [], []
    for _ in range(TRIES):  # interleaved, so a burst of load on the machine hits both sides alike
        raw.append(raw_once(source))
        rendered.append(render_once(source))
    best_raw, best_render = min(raw), min(rendered)
    return [Row(f"render vs raw piper+ffmpeg, {source.name} ({best_render:.1f} vs {best_raw:.1f} s)",
                best_render / best_raw, TARGET)]


if __name__ == "__main__":
    if "--profile" in sys.argv:
        render_once(seed_article(), profile=True)
    else:
        report(measure())
