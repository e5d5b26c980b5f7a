"""The mastered episode: PCM → gain and true-peak limit → MP3 (ffmpeg) → ID3 tags and chapters, atomically."""
from __future__ import annotations

import math
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from audio.errors import AudioError
from audio.ffmpeg import ffmpeg_path
from audio.chunk import Format


@dataclass(frozen=True)
class EncodeSettings:
    bitrate: str = "64k"
    sample_rate: int = 44100
    # Takes were already held near 13 dB above their loudness (audio.master), so at −16 LUFS this
    # limiter only trims the loudest takes; it sits 1.5 dB under the maximum because the codec adds
    # up to about that on transients (measured on the seed: −2.5 here gave −1.6 dBTP after MP3).
    ceiling_db: float = -2.5
    # What directories accept, measured on the final MP3: at 64 kb/s the codec's own error can lift a
    # transient 2 dB past anything a limiter before it allowed, so the file is measured, not assumed.
    max_true_peak_db: float = -1.0
    # LAME's algorithm quality (0 best … 9 fastest; ffmpeg leaves LAME's 3). On the seed at 64 kb/s,
    # 7 encodes 3.2x faster with the same DNSMOS (3.07) and round-trip WER within the metric's noise
    # (0.089 vs 0.100): the slower searches buy nothing audible for one voice at this bitrate.
    lame_quality: int = 7


ENCODE_TRIES = 3
# The stitcher's true peaks are 2× oversampled estimates; the resampler's own 44.1 kHz samples of the
# same audio came within 0.01 dB of them on every take of the seed. An episode whose peaks stay this
# far under the limiter's ceiling is encoded without it: the limiter would not act, only cost.
LIMITER_MARGIN_DB = 0.3
FOLLOW_INTERVAL = 0.02  # seconds between looks at the file the encoder is writing


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str | None = None  # the article's byline
    album: str | None = None  # the show
    date: str | None = None
    comment: str | None = None
    url: str | None = None
    cover: Path | None = None


@dataclass(frozen=True)
class ChapterTag:
    title: str
    start: float
    end: float
    url: str | None = None


def pcm_input(fmt: Format) -> list[str]:
    return ["-f", f"s{8 * fmt.width}le", "-ar", str(fmt.rate), "-ac", str(fmt.channels)]


def gain_and_rate(gain_db: float, settings: EncodeSettings) -> list[str]:
    """The filters every encode starts with. The gain makes them float: soxr would dither 16-bit
    samples (at random, so two encodes of the same episode would differ)."""
    return [f"volume={gain_db:.2f}dB", f"aresample={settings.sample_rate}:resampler=soxr"]


def mp3_output(settings: EncodeSettings) -> list[str]:
    return ["-ac", "1", "-ar", str(settings.sample_rate), "-c:a", "libmp3lame", "-b:a", settings.bitrate,
            "-compression_level", str(settings.lame_quality), "-f", "mp3"]


def codec_gain_db(fmt: Format, settings: EncodeSettings, store: Path) -> float:
    """The level change the encoder itself makes, for the episode's gain to make up: LAME scales its
    input by 0.95 (-0.45 dB) at 128 kb/s and below, which left every episode half a dB under the
    loudness aimed at. Measured once per ffmpeg binary and settings, and kept in `store` (JSON)."""
    import json

    binary = Path(ffmpeg_path())
    found = binary.stat()
    key = (f"{binary} {found.st_size} {found.st_mtime_ns}; {fmt.rate} Hz in; {settings.bitrate} "
           f"{settings.sample_rate} Hz q{settings.lame_quality}")
    try:
        known = json.loads(store.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):  # never measured, or a file cut short: measure again
        known = {}
    if key not in known:
        from audio.cache import put_atomically

        known[key] = measure_codec_gain(fmt, settings)
        put_atomically(store, lambda raw: raw.write(json.dumps(known, indent=1).encode()))
    return float(known[key])


def mastering_gain_db(loudness: float, target: float, fmt: Format, settings: EncodeSettings, store: Path) -> float:
    """The one gain that takes the stitched episode from its `loudness` to `target` as the MP3 will
    measure: what the encoder does to the level made up (`store` as for codec_gain_db)."""
    return target - loudness - codec_gain_db(fmt, settings, store)


def measure_codec_gain(fmt: Format, settings: EncodeSettings) -> float:
    """dB from a tone in the episode's PCM format to the same tone decoded from the MP3 (LAME's scale is
    the same at every frequency), over whole periods in the middle of the tone, away from the codec's
    edges: wherever the decoder starts, the measurement comes out the same."""
    import numpy as np

    amplitude, period = 0.1, 50  # samples of the MP3's rate: 882 Hz at 44.1 kHz
    tone = amplitude * np.sin(2 * np.pi * (settings.sample_rate / period) * np.arange(fmt.rate) / fmt.rate)
    encode = [ffmpeg_path(), "-nostdin", "-loglevel", "error", *pcm_input(fmt), "-i", "pipe:0",
              "-af", ",".join(gain_and_rate(0.0, settings)), *mp3_output(settings), "pipe:1"]
    decode = [ffmpeg_path(), "-nostdin", "-loglevel", "error", "-f", "mp3", "-i", "pipe:0",
              "-f", "f32le", "-ac", "1", "pipe:1"]
    mp3 = subprocess.run(encode, input=(tone * 32767).round().astype("<i2").tobytes(), capture_output=True)
    heard = subprocess.run(decode, input=mp3.stdout, capture_output=True)
    samples = np.frombuffer(heard.stdout, dtype="<f4")
    if mp3.returncode or heard.returncode or len(samples) < settings.sample_rate // 2:
        last = (mp3.stderr or heard.stderr).decode(errors="replace").strip().splitlines() or ["no message"]
        raise AudioError(f"ffmpeg could not encode a test tone ({last[-1]}): check the bitrate and "
                         "sample_rate under [audio] in papercast.toml")
    middle = samples[len(samples) // 4:][: len(samples) // 2 // period * period]
    return float(20 * np.log10(np.sqrt(np.mean(middle * middle)) * math.sqrt(2) / (amplitude * 32767 / 32768)))


def encode_mp3(pcm: Path, fmt: Format, gain_db: float, peak: float, out: Path, settings: EncodeSettings) -> float:
    """Encode raw PCM to `out` (overwritten) with one gain for the whole episode and, where the PCM's
    true `peak` (linear) could reach its ceiling after that gain, a lookahead limiter.
    Returns the MP3's true peak (dBTP) after decoding: the scanner reads the file while the encoder
    writes it, on the other core, so the measurement adds almost no wait."""
    from audio.measure import peak_scanner_command, read_true_peak

    filters = gain_and_rate(gain_db, settings)
    if 20 * math.log10(max(peak, 1e-9)) + gain_db > settings.ceiling_db - LIMITER_MARGIN_DB:
        # latency=1: the lookahead delays nothing, so the audio stays where the timeline says it is.
        ceiling = 10 ** (settings.ceiling_db / 20)
        filters.append(f"alimiter=limit={ceiling:.4f}:attack=5:release=60:level=disabled:latency=1")
    command = [
        ffmpeg_path(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *pcm_input(fmt), "-i", str(pcm),
        "-af", ",".join(filters), *mp3_output(settings), "-map_metadata", "-1", "-write_id3v1", "0", str(out),
    ]
    out.write_bytes(b"")  # the scanner must not read a previous encode's bytes before ffmpeg truncates
    with tempfile.TemporaryFile() as encoder_log, tempfile.TemporaryFile() as scanner_log:
        encoder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=encoder_log)
        scanner = subprocess.Popen(peak_scanner_command(settings.sample_rate), stdin=subprocess.PIPE,
                                   stdout=subprocess.DEVNULL, stderr=scanner_log)
        try:
            follow(out, encoder, scanner.stdin)
        finally:
            try:
                scanner.stdin.close()
            except BrokenPipeError:
                pass
            encoder.wait()
            scanner.wait()
        if encoder.returncode != 0:
            encoder_log.seek(0)
            last = (encoder_log.read().decode(errors="replace").strip().splitlines() or ["no message"])[-1]
            raise AudioError(f"ffmpeg could not encode the episode ({last}): check free disk space and the bitrate setting")
        scanner_log.seek(0)
        return read_true_peak(scanner.returncode, scanner_log.read().decode(errors="replace"), out)


def follow(path: Path, writer: subprocess.Popen, sink: BinaryIO) -> None:
    """Copy `path` into `sink` as `writer` writes it, up to its last byte once `writer` has exited."""
    with open(path, "rb") as source:
        while True:
            finished = writer.poll() is not None  # asked before reading: then nothing can come after
            chunk = source.read(1 << 16)
            if chunk:
                try:
                    sink.write(chunk)
                except BrokenPipeError:  # the scanner gave up; its exit status reports why
                    return
            elif finished:
                return
            else:
                time.sleep(FOLLOW_INTERVAL)


def encode_within_true_peak(pcm: Path, fmt: Format, gain_db: float, peak: float, out: Path,
                            settings: EncodeSettings) -> None:
    """Encode and measure the MP3 as directories will; if the codec pushed a transient past the true-peak
    maximum, encode again with the gain lowered by the excess. Never a second limiter."""
    # ebur128, which directories use, reads within 0.1 dB of the scanner and reports tenths of a dB.
    ceiling = settings.max_true_peak_db - 0.15
    for _ in range(ENCODE_TRIES):
        true_peak = encode_mp3(pcm, fmt, gain_db, peak, out, settings)
        if true_peak <= ceiling:
            return
        gain_db -= true_peak - ceiling + 0.1
    raise AudioError(f"the episode's true peak stayed above {settings.max_true_peak_db} dBTP after "
                     f"{ENCODE_TRIES} encodes: lower `loudness` under [audio] in papercast.toml")


def write_tags(path: Path, tags: Tags, chapters: list[ChapterTag]) -> None:
    from mutagen.id3 import APIC, CHAP, COMM, CTOC, ID3, TALB, TDRC, TIT2, TPE1, WXXX, CTOCFlags

    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    if tags.artist:
        id3.add(TPE1(encoding=3, text=[tags.artist]))
    if tags.album:
        id3.add(TALB(encoding=3, text=[tags.album]))
    if tags.date:
        id3.add(TDRC(encoding=3, text=[tags.date]))
    if tags.comment:
        id3.add(COMM(encoding=3, lang="eng", desc="", text=[tags.comment]))
    if tags.url:
        id3.add(WXXX(encoding=3, desc="source", url=tags.url))
    if tags.cover:
        mime = "image/png" if tags.cover.suffix.lower() == ".png" else "image/jpeg"
        id3.add(APIC(encoding=3, mime=mime, type=3, desc="Cover", data=tags.cover.read_bytes()))
    if chapters:
        ids = [f"chp{i}" for i in range(len(chapters))]
        id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                     child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=["Chapters"])]))
        for element_id, chapter in zip(ids, chapters):
            sub_frames = [TIT2(encoding=3, text=[chapter.title])]
            if chapter.url:
                sub_frames.append(WXXX(encoding=3, desc="chapter url", url=chapter.url))
            id3.add(CHAP(element_id=element_id, start_time=round(chapter.start * 1000),
                         end_time=round(chapter.end * 1000), start_offset=0xFFFFFFFF,
                         end_offset=0xFFFFFFFF, sub_frames=sub_frames))
    id3.save(path, v2_version=3)
    put_chapters_in_order(path)


def put_chapters_in_order(path: Path) -> None:
    """mutagen writes frames smallest first; players that read CHAP frames in file order (not through the
    CTOC) would list the chapters shuffled. Reorder the CHAP frames by start time, in place: the same
    bytes in another order, so the tag keeps its size."""
    with open(path, "r+b") as file:
        header = file.read(10)
        if header[:3] != b"ID3" or header[3] != 3 or header[5] & 0xC0:  # v2.3, no unsync or extended header
            return
        size = sum(byte << (7 * (3 - i)) for i, byte in enumerate(header[6:10]))  # syncsafe
        body = file.read(size)
        frames, offset = [], 0
        while offset + 10 <= len(body) and body[offset:offset + 4].strip(b"\0"):
            length = int.from_bytes(body[offset + 4:offset + 8], "big")
            frames.append(body[offset:offset + 10 + length])
            offset += 10 + length
        chapters = [frame for frame in frames if frame[:4] == b"CHAP"]

        def start_ms(frame: bytes) -> int:
            after_id = frame.index(b"\0", 10) + 1  # the element id is a terminated string
            return int.from_bytes(frame[after_id:after_id + 4], "big")

        ordered = iter(sorted(chapters, key=start_ms))
        reordered = b"".join(next(ordered) if frame[:4] == b"CHAP" else frame for frame in frames)
        file.seek(10)
        file.write(reordered)


def export_episode(pcm: Path, fmt: Format, gain_db: float, peak: float, out: Path, settings: EncodeSettings,
                   tags: Tags, chapters: list[ChapterTag]) -> int:
    """Encode and tag into a temporary file beside `out`, then rename: a reader of `out` only ever sees a
    complete episode. `peak` is the PCM's true peak before `gain_db` (linear). Returns the file's size."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=".part")
    except PermissionError:
        raise AudioError(f"cannot write in {out.parent} (permission denied): make the folder writable "
                         "or set `output` in papercast.toml") from None
    os.close(handle)
    part = Path(temporary)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(part, 0o666 & ~umask)  # readable like any published file, not mkstemp's owner-only
    try:
        encode_within_true_peak(pcm, fmt, gain_db, peak, part, settings)
        write_tags(part, tags, chapters)
        with open(part, "rb+") as file:
            os.fsync(file.fileno())
        os.replace(part, out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return out.stat().st_size
