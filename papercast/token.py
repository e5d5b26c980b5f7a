"""A private feed's secret: one unguessable token, kept in `<show>/token`, that every served URL must start with."""
from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path

from papercast.errors import PapercastError

TOKEN_FILE = "token"
# What token_urlsafe(24) produces (32 characters); a shorter or odd one was not written by rotate().
_VALID = re.compile(r"[A-Za-z0-9_-]{32,}")


def rotate(show_root: Path) -> str:
    """Write a new token, replacing any old one (whose URLs stop working), and return it."""
    token = secrets.token_urlsafe(24)
    path = show_root / TOKEN_FILE
    # mkstemp creates the file readable by its owner only, so the token is never briefly world-readable;
    # the rename makes a reader see the old token or the new one, never half of one.
    handle, temporary = tempfile.mkstemp(dir=show_root, prefix=f".{TOKEN_FILE}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(token + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return token


def current(show_root: Path) -> str | None:
    """The show's token, or None when the feed is public (no token file)."""
    path = show_root / TOKEN_FILE
    try:
        token = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (UnicodeDecodeError, IsADirectoryError):
        token = ""
    if not _VALID.fullmatch(token):
        raise PapercastError(f"{path} does not hold a valid token: run `papercast token rotate` to write a new one")
    return token
