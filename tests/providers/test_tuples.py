"""providers.tuples: a record made without compiling its annotations behaves as
``typing.NamedTuple``'s twin of the same body."""

from __future__ import annotations

import pickle
import typing
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from providers import tuples

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from providers.tuples import NamedTuple


class Fixing(NamedTuple):
    """A fixing."""

    provider: str
    rate: Decimal
    """Of the pair."""
    as_of: date | None = None
    note: str = "n/a"

    @property
    def dated(self) -> bool:
        return self.as_of is not None

    def said(self) -> str:
        return f"{self.provider} {self.rate}"


class TypingFixing(typing.NamedTuple):
    """A fixing."""

    provider: str
    rate: Decimal
    """Of the pair."""
    as_of: date | None = None
    note: str = "n/a"

    @property
    def dated(self) -> bool:
        return self.as_of is not None

    def said(self) -> str:
        return f"{self.provider} {self.rate}"


def test_the_class_is_what_typing_makes_of_the_same_body() -> None:
    mine, theirs = Fixing, TypingFixing
    assert mine.__mro__[1:] == theirs.__mro__[1:] == (tuple, object)
    assert mine._fields == theirs._fields == ("provider", "rate", "as_of", "note")
    assert mine._field_defaults == theirs._field_defaults == {"as_of": None, "note": "n/a"}
    assert mine.__doc__ == theirs.__doc__ == "A fixing."
    assert mine.__module__ == theirs.__module__ == __name__
    assert mine.__qualname__ == "Fixing"
    # The same attributes; typing's keeps the base it was written with, as Python does
    # for a base that stands for another (``__mro_entries__``): nothing here reads it.
    assert set(vars(mine)) == set(vars(theirs)) - {"__orig_bases__"}
    # The annotations as written: what typing.get_type_hints reads, to the same types.
    assert mine.__annotations__ == {
        "provider": "str", "rate": "Decimal", "as_of": "date | None", "note": "str",
    }  # fmt: skip
    assert typing.get_type_hints(mine) == typing.get_type_hints(theirs)


def test_a_record_behaves_as_its_typing_twin() -> None:
    mine = Fixing("nbk", Decimal("478.77"), date(2026, 11, 20))
    theirs = TypingFixing("nbk", Decimal("478.77"), date(2026, 11, 20))
    assert tuple(mine) == tuple(theirs) == ("nbk", Decimal("478.77"), date(2026, 11, 20), "n/a")
    assert mine == tuple(theirs)  # tuples, equal by value
    assert repr(mine) == repr(theirs).replace("TypingFixing", "Fixing")
    assert mine.said() == theirs.said() == "nbk 478.77"
    assert mine.dated and theirs.dated
    assert mine._replace(note="x").note == "x"
    assert mine._asdict() == theirs._asdict()
    assert Fixing._make(["cbr", Decimal(1), None, "x"]) == ("cbr", Decimal(1), None, "x")
    assert Fixing(provider="cbr", rate=Decimal(1)).as_of is None
    assert pickle.loads(pickle.dumps(mine)) == mine
    assert hash(mine) == hash(theirs)
    with pytest.raises(AttributeError):
        mine.provider = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Fixing("nbk")  # type: ignore[call-arg]


def test_a_body_typing_refuses_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default follows"):

        class Wrong(tuples.NamedTuple):
            a: int = 1
            b: int

    with pytest.raises(AttributeError, match="_replace"):

        class Overwrites(tuples.NamedTuple):
            a: int

            def _replace(self) -> None: ...
