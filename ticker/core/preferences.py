"""What the dashboard remembers between runs: the theme last chosen with ``t`` or the
palette, the orientation last chosen with ``f`` (of the dollar pairs), and each pair
beyond the dollar that ``f`` turned round, in ``$XDG_STATE_HOME/ticker/dashboard.json``.

Each choice is kept with the ``[display]`` value it was made under (``theme``,
``orientation``): when config.toml names another value later, the file's new word wins
(that choice is forgotten). The file is small, written atomically (one choice written
keeps the other), and a damaged or unreadable one counts as no choice.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from ticker.config import locations
from ticker.model.pairs import Pair

#: Each remembered setting: the file's key for the choice, and for the ``[display]``
#: value it was made under (the theme's names are the file's first, kept as they were).
CHOICES: dict[str, tuple[str, str]] = {
    "theme": ("theme", "configured"),
    "orientation": ("orientation", "orientation_configured"),
}
#: Two choices written at once (two workers) must not lose one another.
_WRITING = threading.Lock()


def preferences_file() -> Path:
    return locations.state_dir() / "dashboard.json"


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered(setting: str, configured: str, path: Path | None = None) -> str | None:
    """The ``setting`` (a key of :data:`CHOICES`) chosen last, if it was chosen under the
    ``configured`` value."""
    key, under = CHOICES[setting]
    data = _read(path or preferences_file())
    if data.get(under) != configured:
        return None
    value = data.get(key)
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def remember(setting: str, value: str, configured: str, path: Path | None = None) -> None:
    """Keep ``value`` as the ``setting`` chosen under ``configured`` (atomically, the other
    choices kept); an unwritable place raises OSError."""
    key, under = CHOICES[setting]
    _write(lambda data: data.update({key: value, under: configured}), path)


def _write(change: Callable[[dict[str, object]], None], path: Path | None) -> None:
    """The file with ``change`` made to what it holds (atomically, the rest kept)."""
    path = path or preferences_file()
    with _WRITING:
        data = {k: v for k, v in _read(path).items() if k in _KNOWN}
        change(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f".{path.name}.{os.getpid()}.part")
        part.write_text(json.dumps(data), encoding="utf-8")
        os.replace(part, path)


#: The file's key for the pairs beyond the dollar that ``f`` turned round: each pair's
#: key (``RUB/TJS``) -> the pair as written in ``[pairs] watch`` when it was turned.
FLIPPED = "flipped_pairs"
_KNOWN = frozenset({*(name for pair in CHOICES.values() for name in pair), FLIPPED})


def _flipped(path: Path | None) -> dict[str, str]:
    found = _read(path or preferences_file()).get(FLIPPED)
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)}


def flipped_pairs(watched: Sequence[Pair], path: Path | None = None) -> set[str]:
    """The keys of the ``watched`` pairs (as written) that ``f`` turned round, when they
    were turned as written so: a pair written the other way since is shown as written."""
    flipped = _flipped(path)
    return {p.key for p in watched if flipped.get(p.key) == str(p)}


def remember_flip(written: Pair, flipped: bool, path: Path | None = None) -> None:
    """Keep whether the pair (as written in ``[pairs] watch``) is shown turned round
    (atomically, the other choices kept); an unwritable place raises OSError."""

    def change(data: dict[str, object]) -> None:
        pairs = _flipped(path)
        pairs.pop(written.key, None)
        if flipped:
            pairs[written.key] = str(written)
        data[FLIPPED] = pairs

    _write(change, path)


def remembered_theme(configured: str, path: Path | None = None) -> str | None:
    """The theme chosen last, if it was chosen under the ``configured`` theme."""
    return remembered("theme", configured, path)


def remember_theme(theme: str, configured: str, path: Path | None = None) -> None:
    """Keep ``theme`` as the choice made under ``configured``."""
    remember("theme", theme, configured, path)
