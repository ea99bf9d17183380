"""The model's records made by :mod:`providers.record` (a pair, a provider's health) are
the dataclasses the standard decorator makes of the same fields: checked against twins."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import UTC, datetime

import pytest

from ticker.model.health import FAILING, OK, UNKNOWN, ProviderHealth
from ticker.model.pairs import Pair


@dataclasses.dataclass(frozen=True, slots=True)
class PairTwin:
    base: str
    quote: str


@dataclasses.dataclass(slots=True)
class HealthTwin:
    provider: str
    state: str = UNKNOWN
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    next_run: datetime | None = None


def test_a_pair_is_a_frozen_dataclass_of_two_fields() -> None:
    pair, twin = Pair("RUB", "TJS"), PairTwin("RUB", "TJS")
    assert repr(pair) == repr(twin).replace("PairTwin", "Pair") == "Pair(base='RUB', quote='TJS')"
    assert str(pair) == "RUB/TJS"
    assert pair == Pair("RUB", "TJS") and pair != Pair("TJS", "RUB")
    assert hash(pair) == hash(twin) == hash(("RUB", "TJS"))
    assert (pair == ("RUB", "TJS")) is False  # another class, as a dataclass's
    assert pair.__eq__(twin) is NotImplemented
    assert {Pair("USD", "KGS"): 1}[Pair("USD", "KGS")] == 1
    assert Pair(base="USD", quote="KZT") == Pair("USD", "KZT")
    assert [f.name for f in dataclasses.fields(pair)] == ["base", "quote"]
    assert Pair.__match_args__ == ("base", "quote")
    assert dataclasses.replace(pair, base="EUR") == Pair("EUR", "TJS")
    assert dataclasses.asdict(pair) == {"base": "RUB", "quote": "TJS"}
    assert pickle.loads(pickle.dumps(pair)) == pair and copy.deepcopy(pair) == pair
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'base'"):
        pair.base = "EUR"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        pair.other = 1  # slotted: no other attribute
    with pytest.raises(TypeError):
        Pair("RUB")  # type: ignore[call-arg]


def test_a_provider_health_is_a_mutable_dataclass() -> None:
    when = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    health = ProviderHealth("nbk")
    twin = HealthTwin("nbk")
    assert repr(health) == repr(twin).replace("HealthTwin", "ProviderHealth")
    assert health == ProviderHealth("nbk", UNKNOWN) and health != ProviderHealth("cbr")
    with pytest.raises(TypeError, match="unhashable"):
        hash(health)
    health.failed(when, "timed out", failing_after=1)
    assert (health.state, health.consecutive_failures, health.last_error) == (
        FAILING, 1, "timed out",
    )  # fmt: skip
    health.succeeded(when)
    assert health == ProviderHealth("nbk", OK, when, when, "timed out", 0, None)
    assert pickle.loads(pickle.dumps(health)) == health
    assert dataclasses.replace(health, provider="cbr").provider == "cbr"
    with pytest.raises(TypeError, match="unexpected keyword argument 'stat'"):
        ProviderHealth("nbk", stat=OK)  # type: ignore[call-arg]
