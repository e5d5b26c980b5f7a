"""One writer per show: a render or sync holds the show's lock; a second one waits or gives up."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from papercast.errors import PapercastError


@contextmanager
def show_lock(root: Path, *, wait: bool = True, on_wait: Callable[[str], None] = lambda message: None
              ) -> Iterator[None]:
    path = root / ".lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            if not wait:
                raise PapercastError(
                    f"the show is busy (papercast pid {holder} is working on it): try again when it finishes"
                ) from None
            on_wait(f"waiting for papercast pid {holder} to finish with this show…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
