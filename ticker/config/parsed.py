"""The last config file's parsed TOML, kept between runs (``$XDG_CACHE_HOME/ticker``).

A status bar runs ``ticker strip`` every few seconds with the same ``config.toml``; loading
the standard library's TOML parser and parsing the file cost it about a tenth of each run.
The parse of the last file read is kept beside its text, and used only when the file's
text is exactly the same (compared in full, not by a date or a hash: an edited file is
always parsed again). What is kept is the parser's answer only: every run validates it
as ever, so a mistake in the file is said on every run.

The cache is a convenience: a missing, damaged, foreign (a FIFO, a symlink, a huge file)
or unwritable cache is ignored, and the file is parsed. A file whose values marshal cannot
keep (TOML's dates and times) is not kept.
"""

from __future__ import annotations

import marshal
import os
import stat
from pathlib import Path
from typing import Any

#: A cache larger than this is not read (a config file is a few kilobytes).
MAX_BYTES = 1 << 20
_NAME = "config.parsed"
_FORMAT = 1


def cache_file() -> Path:
    """Where the last parse is kept (the user's cache directory, per XDG on Linux)."""
    from ticker.config.locations import cache_dir

    return cache_dir() / _NAME


def recall(text: str, where: Path | None = None) -> dict[str, Any] | None:
    """The parse kept for exactly ``text``, else None."""
    path = where or cache_file()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        raw = os.read(fd, MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        kept = marshal.loads(raw)
    except (EOFError, ValueError, TypeError):
        return None
    if not (isinstance(kept, tuple) and len(kept) == 3 and kept[0] == _FORMAT):
        return None
    _format, kept_text, data = kept
    if kept_text != text or not isinstance(data, dict):
        return None
    return data


def keep(text: str, data: dict[str, Any], where: Path | None = None) -> None:
    """Keep ``data`` as the parse of ``text`` (quietly not, if it cannot be)."""
    path = where or cache_file()
    try:
        raw = marshal.dumps((_FORMAT, text, data))
    except ValueError:  # a TOML date or time: marshal keeps no datetime
        return
    if len(raw) > MAX_BYTES:
        return
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(part, path)
    except OSError:
        try:
            part.unlink(missing_ok=True)
        except OSError:
            pass
