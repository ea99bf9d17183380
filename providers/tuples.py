"""The read path's value records: :class:`typing.NamedTuple` without its run-time look at
the annotations.

Every module here postpones its annotations (``from __future__ import annotations``), so
each field of a ``class Record(NamedTuple)`` is annotated with a string, which ``typing``
turns into a ``ForwardRef``, compiling it: a ``compile()`` per field (7 µs each), and the
process's first ``compile()`` sets up the AST's types (0.75 ms), for types nothing looks
at while the program runs (mypy checks them before it does). The twenty records of a
one-shot read (131 fields) took 3.6 ms to make, 1.6 ms without the compiles (measured, of
a 40 ms run). So a module of the read path takes ``typing``'s class for mypy and this
one at run time::

    if TYPE_CHECKING:
        from typing import NamedTuple
    else:  # the same class, made without compiling its annotations (providers.tuples)
        from providers.tuples import NamedTuple

The class made is what ``typing`` makes of the same body, by the same
:func:`collections.namedtuple` (fields, defaults, methods, properties and docstrings,
``_replace``, pickling), except that ``__annotations__`` holds the annotations as written
(strings, as :func:`typing.get_type_hints` reads them), not ``ForwardRef``\\ s; tested
against ``typing``'s twin (``tests/providers/test_tuples.py``).

It lives here, the bottom of the imports (the feed clients never import the program, and
every part of the program may import them), so that the records of both use it.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any

__all__ = ["NamedTuple"]

#: :func:`collections.namedtuple`, called with names known only at run time.
_namedtuple: Callable[..., Any] = collections.namedtuple
#: What the class body holds that is not copied onto the class (as ``typing`` does).
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})
#: What a NamedTuple's body may not set (``typing``'s list).
_PROHIBITED = frozenset(
    {
        "__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
        "_make", "_replace", "_asdict", "_source",
    }
)  # fmt: skip


class _Maker(type):
    def __new__(
        cls, typename: str, bases: tuple[type, ...], ns: dict[str, Any]
    ) -> Any:  # a namedtuple class, not a _Maker
        if not bases:  # NamedTuple itself
            return super().__new__(cls, typename, bases, ns)
        if bases != (NamedTuple,):
            raise TypeError("can only inherit from a NamedTuple type")
        annotations: dict[str, Any] = ns.get("__annotations__", {})
        defaults = [name for name in annotations if name in ns]
        if defaults and list(annotations)[-len(defaults) :] != defaults:
            raise TypeError(f"{typename}: a field without a default follows one with a default")
        record = _namedtuple(
            typename, list(annotations), defaults=[ns[n] for n in defaults],
            module=ns["__module__"],
        )  # fmt: skip
        record.__annotations__ = record.__new__.__annotations__ = dict(annotations)
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
            if key not in _SPECIAL and key not in annotations:
                setattr(record, key, value)
        return record


class NamedTuple(metaclass=_Maker):
    """The base of a record made as :mod:`typing`'s ``NamedTuple`` makes it (see the
    module's docstring); a record's class is a :class:`tuple`, never one of this."""
