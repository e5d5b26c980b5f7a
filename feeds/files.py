"""Writing published files so a reader (web server, sync tool) never sees half of one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from feeds.errors import FeedError

# mkstemp creates files only the owner can read; a published file must be readable by the web server.
_PUBLISHED_MODE = 0o644


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step: a temporary file in the same folder, fsynced, renamed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except PermissionError:
        raise FeedError(f"cannot write in {path.parent} (permission denied): make the folder writable "
                        "or set `output` in papercast.toml") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _PUBLISHED_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def write_if_changed(path: Path, data: bytes) -> bool:
    """`atomic_write` unless `path` already holds exactly `data`; True when the file was written.

    Leaving identical files alone keeps their modification time, so sync tools and HTTP caches
    (If-Modified-Since) see nothing new after a re-render.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, data)
    return True


def _fsync_folder(folder: Path) -> None:
    # The rename is only durable once the folder's entry is on disk; Windows cannot open folders.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
