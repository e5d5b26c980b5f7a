"""Find an ffmpeg binary: one on PATH, else the one inside the imageio-ffmpeg wheel."""
from __future__ import annotations

import functools
import os
import shutil

from audio.errors import AudioError

MISSING = "ffmpeg not found: install it (apt-get install ffmpeg) or `pip install imageio-ffmpeg`"


@functools.cache
def ffmpeg_path() -> str:
    override = os.environ.get("PAPERCAST_FFMPEG")
    if override is not None:
        if override and shutil.which(override):
            return shutil.which(override)
        raise AudioError(MISSING)
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        raise AudioError(MISSING) from None
