"""``inspect`` deferred (:mod:`ticker.cli.deferred`) is still ``inspect`` once used: a
dataclass without a docstring gets the one ``dataclasses`` writes, and whoever imported
the stand-in reads the real module's names. Checked in a fresh interpreter (this one has
loaded ``inspect`` long ago)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.paths import REPO

_CODE = """
import sys
from ticker.cli.deferred import defer_inspect
defer_inspect()
import dataclasses, inspect
assert "ast" not in sys.modules and "dis" not in sys.modules  # named, not loaded

@dataclasses.dataclass
class Documented:
    '''Says what it is.'''
    x: int

assert "ast" not in sys.modules
assert Documented.__doc__ == "Says what it is."

@dataclasses.dataclass
class Bare:
    x: int
    y: str = ""

assert Bare.__doc__ == "Bare(x: int, y: str = '')", Bare.__doc__
assert "ast" in sys.modules and sys.modules["inspect"] is not inspect
assert inspect.isclass(Bare) and inspect.signature(Bare).parameters["y"].default == ""
from inspect import getmembers, isfunction
assert callable(getmembers) and not isfunction(Bare)
import inspect as again
assert again is sys.modules["inspect"] and again.isclass(Bare)
print("ok")
"""


def test_inspect_deferred_is_inspect_once_used() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CODE], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"


def test_nothing_is_deferred_once_inspect_is_loaded() -> None:
    import inspect

    from ticker.cli.deferred import defer_inspect

    defer_inspect()
    assert sys.modules["inspect"] is inspect
