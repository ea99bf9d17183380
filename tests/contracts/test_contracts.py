"""The floor plan holds: the import contracts of pyproject.toml (`make lint` runs them
too) are kept, so CI refuses an import that runs up a floor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers.paths import REPO


def test_every_import_contract_is_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stdout[-4000:]
    assert "0 broken" in done.stdout
