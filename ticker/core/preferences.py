"""What the dashboard remembers between runs: the theme last chosen with ``t`` or the
palette, in ``$XDG_STATE_HOME/ticker/dashboard.json``.

The choice is kept with the ``[display] theme`` it was made under: when config.toml names
another theme later, the file's new word wins (the choice is forgotten). The file is small,
written atomically, and a damaged or unreadable one counts as no choice.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ticker.config import locations


def preferences_file() -> Path:
    return locations.state_dir() / "dashboard.json"


def remembered_theme(configured: str, path: Path | None = None) -> str | None:
    """The theme chosen last, if it was chosen under the ``configured`` theme."""
    path = path or preferences_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("configured") != configured:
        return None
    theme = data.get("theme")
    return theme if isinstance(theme, str) and 0 < len(theme) <= 64 else None


def remember_theme(theme: str, configured: str, path: Path | None = None) -> None:
    """Keep ``theme`` as the choice made under ``configured`` (atomically); an unwritable
    place raises OSError."""
    path = path or preferences_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    part.write_text(json.dumps({"theme": theme, "configured": configured}), encoding="utf-8")
    os.replace(part, path)
