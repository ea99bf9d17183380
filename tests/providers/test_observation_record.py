"""An observation (made by :mod:`providers.record`, its ``__init__`` written out) is the
frozen dataclass the standard decorator makes of the same fields: checked against a twin."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from providers.observation import Observation

FETCHED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@dataclasses.dataclass(frozen=True, slots=True)
class Twin:
    provider: str
    base: str
    quote: str
    as_of: date
    rate: Decimal
    derived: bool
    fetched_at: datetime
    precision: Decimal | None = None


def test_an_observation_is_the_standard_frozen_dataclass_of_its_fields() -> None:
    args = ("nbt", "RUB", "TJS", date(2026, 11, 20), Decimal("0.1149"), False, FETCHED)
    o, twin = Observation(*args), Twin(*args)
    assert repr(o) == repr(twin).replace("Twin", "Observation")
    assert [f.name for f in dataclasses.fields(o)] == [f.name for f in dataclasses.fields(twin)]
    assert Observation.__match_args__ == Twin.__match_args__
    assert o == Observation(*args) and hash(o) == hash(twin)
    assert o != Observation(*args, precision=Decimal("0.5"))
    assert Observation(*args[:6], fetched_at=FETCHED, precision=Decimal(1)).precision == 1
    assert dataclasses.replace(o, rate=Decimal("0.115")).rate == Decimal("0.115")
    assert pickle.loads(pickle.dumps(o)) == o and copy.copy(o) == o
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.rate = Decimal(1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"rate": Decimal(0)}, "rate must be a positive finite Decimal"),
        ({"rate": Decimal("NaN")}, "rate must be a positive finite Decimal"),
        ({"fetched_at": datetime(2026, 11, 20)}, "fetched_at must be timezone-aware"),
        ({"base": "TJS"}, "base and quote are both TJS"),
    ],
)
def test_a_wrong_observation_is_refused_as_ever(change: dict[str, object], said: str) -> None:
    fields = {
        "provider": "nbt", "base": "RUB", "quote": "TJS", "as_of": date(2026, 11, 20),
        "rate": Decimal("0.1149"), "derived": False, "fetched_at": FETCHED,
    }  # fmt: skip
    with pytest.raises(ValueError, match=said):
        Observation(**(fields | change))  # type: ignore[arg-type]
