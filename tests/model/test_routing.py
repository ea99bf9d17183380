"""Routing decisions, table-driven: which source is shown, and what counts as divergent."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.helpers.factories import obs
from ticker.config import Settings
from ticker.core.rates import route_pair
from ticker.display.states import state_text
from ticker.model.health import FAILING, UNSTABLE, HealthState, ProviderHealth
from ticker.model.pairs import convert, percent_change
from ticker.model.routing import Choice, choose, divergence
from ticker.storage.db import Database
from ticker.storage.repository import Repository

KZT = ("nbk", "nbt", "cbu", "cbr")
WED = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)  # 18:00 in Almaty
TUE, MON, FRI = date(2026, 12, 1), date(2026, 11, 30), date(2026, 11, 27)


@pytest.mark.parametrize(
    ("latest", "states", "expected"),
    [
        # The official fixing is current: shown, even while its polls fail.
        ({"nbk": WED.date(), "nbt": WED.date()}, {"nbk": FAILING}, Choice("nbk")),
        ({"nbk": WED.date()}, {"nbk": UNSTABLE}, Choice("nbk")),
        # Not current any more: a fallback with a newer fixing, saying why.
        ({"nbk": FRI, "nbt": TUE}, {"nbk": FAILING}, Choice("nbt", "nbk", "failing")),
        ({"nbk": FRI, "nbt": TUE}, {}, Choice("nbt", "nbk", "stale")),
        # Never back in time: an older fallback is no fallback.
        ({"nbk": MON, "nbt": FRI}, {"nbk": FAILING}, Choice("nbk")),
        # Nor the same date again: the official fixing stays, shown stale.
        ({"nbk": FRI, "frankfurter": FRI}, {}, Choice("nbk")),
        # Nor a copy of the held number: CBR's tenge is NBK's, passed through the rouble.
        ({"nbk": FRI, "cbr": TUE}, {"nbk": FAILING}, Choice("nbk")),
        ({"nbk": FRI, "cbr": TUE, "cbu": MON}, {}, Choice("cbu", "nbk", "stale")),
        # A failing fallback is passed over for the next one.
        (
            {"nbk": FRI, "nbt": TUE, "cbu": TUE},
            {"nbt": FAILING},
            Choice("cbu", "nbk", "stale"),
        ),
        # Nothing from the official source at all: whatever there is, saying so.
        ({"cbu": TUE}, {}, Choice("cbu", "nbk", "no data")),
        ({"cbu": WED.date()}, {}, Choice("cbu", "nbk", "no data")),
        ({}, {}, None),
    ],
)
def test_choose(
    latest: dict[str, date], states: dict[str, HealthState], expected: Choice | None
) -> None:
    fixings = {p: obs("KZT", "478.77", d, p) for p, d in latest.items()}
    assert choose(KZT, fixings, states, WED) == expected


def test_without_the_official_source_an_independent_one_comes_before_a_copy_of_it() -> None:
    routing = ("nbk", "cbr", "nbt")
    fixings = {p: obs("KZT", "478.77", WED.date(), p) for p in ("cbr", "nbt")}
    assert choose(routing, fixings, {}, WED) == Choice("nbt", "nbk", "no data")
    # Only the copy: better than nothing, and said to stand in.
    only = {"cbr": fixings["cbr"]}
    assert choose(routing, only, {}, WED) == Choice("cbr", "nbk", "no data")
    # A current copy of the official number before a stale independent one.
    old = {"cbr": fixings["cbr"], "nbt": obs("KZT", "478.77", date(2026, 11, 25), "nbt")}
    assert choose(routing, old, {}, WED) == Choice("cbr", "nbk", "no data")


def test_cbr_before_27_december_2024_was_its_own_publication() -> None:
    # Friday 20 Dec 2024, 18:00 in Almaty on Tuesday 24th: NBK's Friday fixing is stale.
    now = datetime(2024, 12, 24, 13, 0, tzinfo=UTC)
    held = obs("KZT", "520.00", date(2024, 12, 20), "nbk")
    then = obs("KZT", "522.00", date(2024, 12, 24), "cbr", derived=True)
    assert choose(KZT, {"nbk": held, "cbr": then}, {}, now) == Choice("cbr", "nbk", "stale")
    later = obs("KZT", "522.00", date(2024, 12, 27), "cbr", derived=True)
    at_27th = datetime(2024, 12, 27, 13, 0, tzinfo=UTC)
    assert choose(KZT, {"nbk": held, "cbr": later}, {}, at_27th) == Choice("nbk")


@pytest.mark.parametrize(
    ("others", "divergent"),
    [
        ([(Decimal("102"), None)], True),  # 2% is the threshold: -1.96% is inside it
        ([(Decimal("103"), None)], True),
        ([(Decimal("101"), None)], False),
        ([(Decimal("103"), Decimal("0.7"))], True),  # 2.9% is beyond 0.7% too
        ([(Decimal("103"), Decimal("3"))], False),  # within the other value's own precision
        ([], False),
    ],
)
def test_divergence_is_beyond_the_threshold_and_the_values_precision(
    others: list[tuple[Decimal, Decimal | None]], divergent: bool
) -> None:
    pct, flagged = divergence(Decimal("100"), None, others, Decimal("1.9"))
    assert flagged is divergent
    assert (pct is None) == (not others)


def test_divergence_compares_independent_fixings_of_the_same_date(database: Database) -> None:
    repo = Repository(database)
    settings = Settings()
    # NBKR stamps the next day: its Wednesday fixing is out on Tuesday afternoon, while
    # the aggregators still have Tuesday's. Same-date fixings agree; across dates they
    # would not.
    repo.add_observations(
        [
            obs("KGS", "90.00", date(2026, 12, 2), "nbkr"),
            obs("KGS", "87.45", TUE, "nbkr"),
            obs("KGS", "87.40", TUE, "frankfurter"),
            obs("KGS", "87.50", TUE, "nbt", derived=True),
        ]
    )
    tuesday_evening = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    view = route_pair(repo, settings, "KGS", tuesday_evening, settings.display.orientation, {})
    assert view is not None and view.provider == "nbkr" and view.as_of == date(2026, 12, 2)
    assert view.divergence_pct is None and not view.divergent  # nothing of that date yet
    # CBR's som of that date is NBKR's own number through the rouble: it confirms nothing.
    repo.add_observations([obs("KGS", "90.02", date(2026, 12, 2), "cbr", derived=True)])
    view = route_pair(repo, settings, "KGS", tuesday_evening, settings.display.orientation, {})
    assert view is not None and view.divergence_pct is None
    assert view.derived_from is None  # NBKR's own publication
    repo.add_observations([obs("KGS", "95.00", date(2026, 12, 2), "nbt", derived=True)])
    view = route_pair(repo, settings, "KGS", tuesday_evening, settings.display.orientation, {})
    assert view is not None and view.divergence_pct is not None
    # Against NBT's 95.00 alone (CBR's 90.02 would have pulled the median to 92.51).
    assert view.divergence_pct == percent_change(convert(Decimal("95.00"), view.pair), view.rate)
    assert view.divergent and state_text(view) == "divergent"


def test_a_shown_copy_is_not_confirmed_by_its_origin(database: Database) -> None:
    repo = Repository(database)
    settings = Settings()
    routing = {**settings.routing, "KGS": ("cbr", "nbkr", "nbt")}
    settings = dataclasses.replace(settings, routing=routing)
    day = date(2026, 12, 2)
    repo.add_observations(
        [
            obs("KGS", "90.00", day, "cbr", derived=True),
            obs("KGS", "80.00", day, "nbkr"),  # its origin: a timing difference, no opinion
            obs("KGS", "90.10", day, "nbt", derived=True),
        ]
    )
    now = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    view = route_pair(repo, settings, "KGS", now, settings.display.orientation, {})
    assert view is not None and view.provider == "cbr"
    assert view.derived_from is not None and view.derived_from.describe() == (
        "derived from NBKR via RUB"
    )
    assert view.divergence_pct == percent_change(convert(Decimal("90.10"), view.pair), view.rate)
    assert not view.divergent


def test_nbkr_weekly_precision_is_not_a_divergence(database: Database) -> None:
    repo = Repository(database)
    wed = WED.date()
    precise = dataclasses.replace(obs("UZS", "12000", wed, "nbt"), precision=Decimal("0.06"))
    coarse = dataclasses.replace(
        obs("UZS", "11979.45", wed, "nbkr", derived=True), precision=Decimal("0.68")
    )
    repo.add_observations([precise, coarse])
    settings = Settings()
    routing = {**settings.routing, "UZS": ("nbkr", "nbt")}
    low = dataclasses.replace(
        settings, collector=dataclasses.replace(settings.collector, divergence=Decimal("0.1"))
    )
    low = dataclasses.replace(low, routing=routing)
    health = {"nbkr": ProviderHealth("nbkr", HealthState.OK)}
    view = route_pair(repo, low, "UZS", WED, settings.display.orientation, health)
    assert view is not None and view.precision_pct == Decimal("0.68")
    # 0.17% apart: beyond the 0.1% threshold, but inside NBKR's own ±0.7%.
    assert view.divergence_pct is not None and abs(view.divergence_pct) > Decimal("0.1")
    assert not view.divergent
