"""What is at a SQLite store's path, checked before anything opens it: a directory, a
FIFO, another program's file or a read-only one. Shared by the write side
(:mod:`ticker.storage.db`) and the read side (:mod:`ticker.storage.reader`)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from ticker.errors import StorageError
from ticker.i18n.words import _

SQLITE_MAGIC = b"SQLite format 3\x00"

#: One descriptor per database file read here, kept open for the life of the process.
#: Closing ANY descriptor of a file drops every POSIX lock the process holds on it,
#: SQLite's included: its connections in this process would then look closed to the
#: others, and the last of those to close would checkpoint and delete the WAL under them
#: (their later writes unseen by anyone else, or "disk I/O error"). So the header is read
#: through a descriptor that is never closed.
_HEADER_FDS: dict[tuple[int, int], int] = {}


def read_header(path: Path, size: int = len(SQLITE_MAGIC)) -> bytes:
    """The first ``size`` bytes of the regular file at ``path`` (raises OSError), read
    without ever closing a descriptor of a file SQLite may have open in this process."""
    info = os.stat(path)
    key = (info.st_dev, info.st_ino)
    fd = _HEADER_FDS.get(key)
    if fd is None:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != key:  # replaced in between: try it as it is now
            key = (opened.st_dev, opened.st_ino)
        _HEADER_FDS.setdefault(key, fd)
        if _HEADER_FDS[key] != fd:
            fd = _HEADER_FDS[key]  # another thread was first: this one is kept open too
    return os.pread(fd, size, 0)


def check_sqlite_file(path: Path, create_parent: bool) -> None:
    """Refuse, without touching it, anything at ``path`` that is not a SQLite database."""
    if path.is_dir():
        raise StorageError(
            _("{path}: is a directory, expected a SQLite database file").format(path=path)
        )
    if path.exists():
        if not path.is_file():  # a FIFO or a device: opening it could block for ever
            raise StorageError(
                _(
                    "{path}: not a regular file (a FIFO, a device), expected a SQLite database file"
                ).format(path=path)
            )
        try:
            header = read_header(path)
        except OSError as err:
            raise StorageError(
                _("{path}: cannot read the database: {reason}").format(
                    path=path, reason=err.strerror
                )
            ) from None
        if header and header != SQLITE_MAGIC:
            raise StorageError(
                _(
                    "{path}: not a SQLite database (the file was left untouched; "
                    "move it away or point [storage] url elsewhere)"
                ).format(path=path)
            )
        return
    parent = path.parent
    if not parent.is_dir():
        if not create_parent:
            raise StorageError(
                _("{path}: directory {parent} does not exist").format(path=path, parent=parent)
            )
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StorageError(
                _("{path}: cannot create {parent}: {reason}").format(
                    path=path, parent=parent, reason=err.strerror
                )
            ) from None


def read_only_mode(path: Path) -> str | None:
    """How an existing SQLite file must be opened when this process cannot write it:
    ``"ro"`` when the file is read-only (SQLite can still make its WAL index beside it),
    ``"immutable"`` when its directory is (a read-only mount: nothing can be made there,
    and nobody else can be writing); None when it is writable."""
    if not path.exists():
        return None
    if not os.access(path.parent, os.W_OK):
        return "immutable"
    if not os.access(path, os.W_OK):
        return "ro"
    return None


def read_only_refusal(where: str) -> str:
    """Why a store this process cannot write refuses a write, in the one line every
    writing command (and the dashboard's keys that write) says."""
    return _(
        "{where}: is read-only (the file or its directory cannot be written); "
        "reading works, writing needs a writable store"
    ).format(where=where)


def file_uri(path: Path, *, immutable: bool = False) -> str:
    """A ``file:`` URI that opens ``path`` read-only (``immutable``: on a read-only
    mount, where SQLite cannot make its WAL index)."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    return uri + "&immutable=1" if immutable else uri
