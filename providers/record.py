"""The settings' frozen dataclasses (and a few of the read path's records), made without
compiling their methods.

``@dataclass(frozen=True, slots=True)`` writes six methods for every class it makes
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``)
as source text and compiles each: about a third of a millisecond a class here, and the
settings' ten classes are made by every command, a status bar's ``ticker strip`` too.
:func:`dataclass` makes the same dataclasses (``dataclasses.fields``, ``replace``,
``asdict`` and ``is_dataclass`` read them as ever) with those six methods written once,
in :class:`Frozen`, reading the fields each class declares. They do what the generated
ones do: the same arguments, defaults and factories; the same ``repr``, equality (same
class, the compared fields in order), hash and :class:`dataclasses.FrozenInstanceError`;
pickling as a frozen slotted dataclass pickles.

The modules that declare settings import it as ``dataclass`` at run time only; the type
checker reads the standard decorator (``if TYPE_CHECKING``), so every use of a settings
class is checked as a frozen dataclass's. A mutable record (``frozen=False``: the
providers' health) derives from :class:`Mutable` instead: the same methods but the hash
(none, as the decorator's ``eq`` makes it) and the frozen ones. A record the program makes
by the hundred (a :class:`~ticker.model.pairs.Pair`) writes out its own ``__init__``,
``__eq__`` and ``__hash__`` (a class's own methods come before these shared ones).

It lives here, the bottom of the imports (the feed clients never import the program),
so that a record of any layer may use it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["Frozen", "Mutable", "dataclass"]

T = TypeVar("T")
_MISSING: Any = dataclasses.MISSING


class _Record:
    """The methods every record shares (see the module docstring). A class made by
    :func:`dataclass` holds its fields' facts in ``_init``, ``_shown``, ``_compared``
    and ``_hashed``."""

    __slots__ = ()
    _init: tuple[tuple[str, Any, Any], ...] = ()
    """Each ``__init__`` field in order: (name, default, default factory)."""
    _shown: tuple[str, ...] = ()
    """The fields ``repr`` shows."""
    _compared: tuple[str, ...] = ()
    """The fields equality reads."""
    _hashed: tuple[str, ...] = ()
    """The fields the hash reads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._init
        if len(args) > len(fields):
            raise TypeError(
                f"{type(self).__name__}.__init__() takes {len(fields) + 1} positional "
                f"arguments but {len(args) + 1} were given"
            )
        for (name, _default, _factory), value in zip(fields, args, strict=False):
            if name in kwargs:
                raise TypeError(
                    f"{type(self).__name__}.__init__() got multiple values for argument {name!r}"
                )
            object.__setattr__(self, name, value)
        for name, default, factory in fields[len(args) :]:
            if name in kwargs:
                value = kwargs.pop(name)
            elif default is not _MISSING:
                value = default
            elif factory is not _MISSING:
                value = factory()
            else:
                raise TypeError(
                    f"{type(self).__name__}.__init__() missing 1 required positional "
                    f"argument: {name!r}"
                )
            object.__setattr__(self, name, value)
        for name in kwargs:  # what is left names no field
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument {name!r}"
            )

    def __repr__(self) -> str:
        said = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{type(self).__qualname__}({said})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            names = self._compared
            return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)
        return NotImplemented

    def __getstate__(self) -> list[Any]:
        return [getattr(self, f.name) for f in dataclasses.fields(self)]  # type: ignore[arg-type]

    def __setstate__(self, state: list[Any]) -> None:
        for f, value in zip(dataclasses.fields(self), state, strict=False):  # type: ignore[arg-type]
            object.__setattr__(self, f.name, value)


class Frozen(_Record):
    """The methods of a frozen dataclass, shared (see the module docstring)."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in self._hashed))

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


class Mutable(_Record):
    """The methods of a mutable dataclass, shared: as :class:`Frozen`'s, without a hash
    (as the decorator's ``eq`` leaves it) and with fields that may be set."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]


def dataclass(*, frozen: bool, slots: bool) -> Callable[[type[T]], type[T]]:
    """``dataclasses.dataclass(frozen=frozen, slots=True)``, for a class that derives
    from :class:`Frozen` (or :class:`Mutable`, not frozen)."""
    if not slots:
        raise TypeError("only slotted records are made here")
    base = Frozen if frozen else Mutable

    def make(cls: type[T]) -> type[T]:
        if not issubclass(cls, base):
            raise TypeError(f"{cls.__name__}: a record derives from {base.__name__}")
        made: Any = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=True)
        fields = dataclasses.fields(made)
        made._init = tuple((f.name, f.default, f.default_factory) for f in fields if f.init)
        made._shown = tuple(f.name for f in fields if f.repr)
        made._compared = tuple(f.name for f in fields if f.compare)
        made._hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
        result: type[T] = made
        return result

    return make
