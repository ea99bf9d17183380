"""The standard library's ``inspect``, loaded when first used rather than when first named.

``dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``: about a
fifth of what a one-shot read loads) for one thing: the docstring of a dataclass written
without one. Every record on the read path has its docstring, so a status bar's
``ticker strip`` never uses ``inspect``; :func:`defer_inspect` lets it not pay for it.

Until something uses it, ``sys.modules["inspect"]`` is a stand-in module that knows where
the real one is. The first attribute asked of it (``inspect.signature``, or a ``from
inspect import ...``) loads the real module, puts it in ``sys.modules``, and copies its
names into the stand-in, so whoever imported the stand-in reads the real names from then
on. Nothing is deferred once ``inspect`` is loaded (the dashboard, the tests).
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any


class _Deferred(ModuleType):
    """``inspect`` before its first use."""

    def __getattr__(self, name: str) -> Any:
        if name == "__path__":  # what the import system asks of any module: not a package
            raise AttributeError(name)
        if sys.modules.get("inspect") is self:
            del sys.modules["inspect"]
        import inspect

        self.__dict__.update(inspect.__dict__)
        return getattr(inspect, name)


def defer_inspect() -> None:
    """Name ``inspect`` in ``sys.modules`` without loading it (unless it is loaded)."""
    if "inspect" in sys.modules:
        return
    from importlib.util import find_spec

    spec = find_spec("inspect")
    if spec is None:  # pragma: no cover - the standard library has it
        return
    stand_in = _Deferred("inspect")
    stand_in.__spec__ = spec
    stand_in.__file__ = spec.origin
    sys.modules["inspect"] = stand_in
