"""A refresh after new fixings alone reads only the pairs they are of: the snapshot it
gives is the one a whole read gives (rows, sparklines, health, rules), and anything else
that moved (a health, a rule, a firing) or a watched pair beyond the dollar reads it all."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY
from tests.helpers.looks import look, looking, seeded_store, statements
from ticker.config import Settings
from ticker.core.session import StoreSession
from ticker.model.pairs import Orientation, Pair
from ticker.model.snapshot import Snapshot
from ticker.storage.sql import OBSERVED_SINCE

TOMORROW = TODAY + timedelta(days=1)
NBK_NEXT = Observation("nbk", "USD", "KZT", TOMORROW, Decimal("479.77"), False, NOW)
"""NBK's next fixing, a tenge up."""


@pytest.fixture
def store(tmp_path: Path) -> Settings:
    return seeded_store(tmp_path / "t.db")


def _whole(settings: Settings) -> Snapshot:
    """The same store read whole by a session of its own."""
    session = StoreSession(settings, lambda: NOW)
    try:
        snapshot = session.snapshot(Orientation.PER_USD, None)
        assert snapshot is not None
        return snapshot
    finally:
        session.close()


def _shown(snapshot: Snapshot) -> tuple[Any, ...]:
    return (snapshot.views, snapshot.sparks, snapshot.health, snapshot.rules)


def test_new_fixings_of_two_pairs_read_those_pairs_and_show_what_a_whole_read_shows(
    store: Settings,
) -> None:
    with looking(store) as (session, other, shown):
        other.store(
            [
                NBK_NEXT,
                Observation("cbu", "USD", "UZS", TOMORROW, Decimal("12200.5"), False, NOW),
            ]
        )
        with statements(session) as seen:
            fresh = look(session, shown)
        assert fresh is not None
        assert seen[1] == OBSERVED_SINCE and len(seen) == 3  # the mark, what, their fixings
        assert _shown(fresh) == _shown(_whole(store))
        (kzt,) = [v for v in fresh.views if v.local == "KZT"]
        assert (kzt.rate, kzt.as_of) == (Decimal("479.77"), TOMORROW)
        untouched = [v for v in shown.views if v.local not in ("KZT", "UZS")]
        assert [v for v in fresh.views if v.local not in ("KZT", "UZS")] == untouched
        assert fresh.loaded_at == shown.loaded_at  # the whole state is read on its pace
        assert look(session, fresh) is None  # read once


def test_a_fixing_of_a_source_no_pair_is_routed_to_reads_no_row(store: Settings) -> None:
    with looking(store) as (session, other, shown):
        other.store([Observation("nbkr", "USD", "EUR", TOMORROW, Decimal("0.86"), False, NOW)])
        with statements(session) as seen:
            fresh = look(session, shown)
        assert fresh is not None and len(seen) == 2  # the mark, what: nothing shown moved
        assert _shown(fresh) == _shown(shown)


def test_a_fixing_with_a_new_health_reads_it_all(store: Settings) -> None:
    with looking(store) as (session, other, shown):
        other.store([NBK_NEXT])
        health = other.load_health()["nbk"]
        later = NOW + timedelta(minutes=1)
        other.save_health(dataclasses.replace(health, last_attempt=later))
        with statements(session) as seen:
            fresh = look(session, shown)
        assert fresh is not None and OBSERVED_SINCE not in seen and len(seen) == 1 + 4
        assert fresh.health["nbk"].last_attempt == later
        assert _shown(fresh) == _shown(_whole(store))


def test_with_pairs_beyond_the_dollar_watched_new_fixings_read_it_all(store: Settings) -> None:
    watching = dataclasses.replace(
        store, pairs=dataclasses.replace(store.pairs, watch=(Pair("RUB", "KZT"),))
    )
    with looking(store, watching) as (session, other, shown):
        other.store([NBK_NEXT])
        with statements(session) as seen:
            fresh = look(session, shown)
        assert fresh is not None and OBSERVED_SINCE not in seen
        (kzt,) = [v for v in fresh.views if v.local == "KZT" and v.pair.is_usd]
        assert kzt.rate == Decimal("479.77")
