"""eSpeak NG: a small, robotic but dependable formant synthesiser, run as the espeak-ng program."""
from __future__ import annotations

import os
import shutil
import subprocess
from typing import Iterator

from audio.chunk import AudioChunk
from audio.decode import read_wav
from audio.engines.base import Engine, EngineSettings, Voice
from audio.errors import AudioError

PROGRAM = "espeak-ng"
MISSING = "espeak-ng is not installed: apt-get install espeak-ng"
# espeak-ng's own default rate, which speed 1.0 keeps.
WORDS_PER_MINUTE = 175


def _program() -> str:
    found = shutil.which(PROGRAM)
    if found is None:
        raise AudioError(MISSING)
    return found


def _run(*args: str, text: str | None = None) -> bytes:
    result = subprocess.run([_program(), *args], input=None if text is None else text.encode(),
                            capture_output=True)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip() or f"exit status {result.returncode}"
        raise AudioError(f"espeak-ng failed ({detail}): check the voice with `espeak-ng --voices`")
    return result.stdout


def parse_voices(listing: str) -> list[Voice]:
    """Voices from the table `espeak-ng --voices` prints: Pty Language Age/Gender VoiceName File Others."""
    voices: dict[str, Voice] = {}
    for line in listing.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 5:
            continue
        _, language, gender, description, _ = fields[:5]
        voices.setdefault(language, Voice("espeak", language, language,
                                          f"{description.replace('_', ' ')} ({gender.strip('-/')})"))
    return list(voices.values())


class EspeakEngine(Engine):
    name = "espeak"
    default_voice = "en-us"
    native_speed = True
    # Each take is its own single-threaded process, so takes can use a core each.
    concurrency = os.cpu_count() or 1

    def __init__(self, settings: EngineSettings):
        super().__init__(settings)
        if settings.options:
            raise AudioError(f"espeak takes no options, got {', '.join(sorted(settings.options))}: "
                             "remove them or choose another engine")
        if not settings.speed > 0:
            raise AudioError(f"speed must be above 0, got {settings.speed}: set a speed such as 1.0 or 1.25")
        self._version = _run("--version").decode(errors="replace").split("Data at")[0].strip()

    @classmethod
    def available(cls) -> tuple[bool, str]:
        if shutil.which(PROGRAM) is None:
            return False, MISSING
        return True, ""

    @classmethod
    def voices(cls) -> list[Voice]:
        if shutil.which(PROGRAM) is None:
            return []
        return parse_voices(_run("--voices").decode(errors="replace"))

    def synthesize(self, text: str) -> Iterator[AudioChunk]:
        words_per_minute = round(WORDS_PER_MINUTE * self.settings.speed)
        # Text goes through stdin, so nothing in it can be read as an option.
        wav = _run("--stdout", "-b", "1", "-v", self.voice, "-s", str(words_per_minute), "--stdin", text=text)
        chunk = read_wav(wav)
        if chunk.data:
            yield chunk

    def version(self) -> str:
        return self._version
