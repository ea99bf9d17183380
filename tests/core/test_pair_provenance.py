"""Provenance of the pairs beyond the dollar (issue 28): the Bank of Russia's ``KGS/RUB``
(and KZT, TJS, UZS) has been computed from the local central bank's dollar rate since
27 Dec 2024 (:func:`providers.provenance.pair_derivation`). From that date it is marked
derived and never confirms the local bank's own quote of the rouble (divergence); before
it, it is the Bank of Russia's own number. It is no copy of the local bank's rouble rate,
so a newer one may stand in for a stale one (said derived), as a cross may."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation
from tests.helpers.dashboard import repo_for
from tests.helpers.seeded import settings_for
from ticker.config import Settings
from ticker.core.pair_rates import pair_rates
from ticker.model.pairs import Pair, invert
from ticker.model.periods import ChangePeriod
from ticker.model.routing import PairView
from ticker.storage.repository import Repository

AFTER = date(2026, 11, 25)  # a Wednesday, CBR's som derived from NBKR's
BEFORE = date(2024, 12, 18)  # a Wednesday, CBR's som its own
RUB_KGS = Pair("RUB", "KGS")


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)  # noon in Bishkek


def obs(provider: str, pair: str, day: date, rate: str) -> Observation:
    base, quote = pair.split("/")
    return Observation(provider, base, quote, day, Decimal(rate), False, noon(day))


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[Settings, Repository]]:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    try:
        yield settings, repo
    finally:
        repo.db.dispose()


def view(settings: Settings, repo: Repository, day: date, pair: Pair = RUB_KGS) -> PairView:
    (found,) = pair_rates(repo, settings, [pair], noon(day))
    return found


@pytest.mark.parametrize("day", [AFTER, BEFORE])
def test_cbr_confirms_nbkr_only_before_it_took_nbkrs_number(stored, day: date) -> None:
    settings, repo = stored
    # NBKR: 1.1234 som per rouble; CBR: 80 roubles per 100 som, 1.25 per rouble (11% off).
    repo.add_observations(
        [obs("nbkr", "RUB/KGS", day, "1.1234"), obs("cbr", "KGS/RUB", day, "0.8")]
    )
    shown = view(settings, repo, day)
    assert (shown.provider, shown.rate, shown.derived_from) == ("nbkr", Decimal("1.1234"), None)
    if day == AFTER:
        assert (shown.divergence_pct, shown.divergent) == (None, False)
    else:
        assert shown.divergent
        assert shown.divergence_pct is not None and shown.divergence_pct < -10


@pytest.mark.parametrize("day", [AFTER, BEFORE])
def test_cbr_stands_in_for_a_stale_nbkr_with_a_newer_fixing_said_derived_after(
    stored, day: date
) -> None:
    """Not a copy of the held number (NBKR's rouble rate): CBR's newer ``KGS/RUB`` is
    NBKR's newer *dollar* rate through CBR's own USD/RUB, so it may stand in, said so."""
    settings, repo = stored
    week_ago = day - timedelta(days=7)
    repo.add_observations([obs("nbkr", "RUB/KGS", week_ago, "1.1234"),
                           obs("cbr", "KGS/RUB", day, "0.89")])  # fmt: skip
    shown = view(settings, repo, day)
    assert (shown.provider, shown.as_of, shown.fallback_for) == ("cbr", day, "nbkr")
    assert shown.rate == invert(Decimal("0.89"))
    assert (shown.derived_from is not None) is (day == AFTER)


@pytest.mark.parametrize("day", [AFTER, BEFORE])
def test_cbr_alone_is_shown_and_said_derived_after(stored, day: date) -> None:
    settings, repo = stored
    repo.add_observations([obs("cbr", "KGS/RUB", day, "0.89")])
    shown = view(settings, repo, day)
    assert shown.provider == "cbr"
    if day == AFTER:
        assert shown.derived_from is not None
        assert shown.derived_from.describe() == "derived from NBKR via USD"
    else:
        assert shown.derived_from is None


def test_cbrs_own_rates_stay_independent(stored) -> None:
    """CBR's manat (TMT/RUB) is its own publication after 2024 too: it confirms CBT."""
    settings, repo = stored
    repo.add_observations([obs("cbt", "RUB/TMT", AFTER, "0.049088"),
                           obs("cbr", "TMT/RUB", AFTER, "18")])  # fmt: skip
    shown = view(settings, repo, AFTER, Pair("RUB", "TMT"))
    assert shown.provider == "cbt" and shown.derived_from is None
    assert shown.divergence_pct is not None


# Crosses over a period (1w, 1m, ytd, 1y): made again from each leg's rate in force at
# the period's start, from the same sources.


def test_a_local_cross_changes_over_a_month_from_each_legs_rate_then(stored) -> None:
    settings, repo = stored
    then, day = date(2026, 10, 23), AFTER  # a month before 25 Nov: 25 Oct, a Sunday
    repo.add_observations([
        obs("nbkr", "USD/KGS", then, "87.00"), obs("nbk", "USD/KZT", then, "500.00"),
        obs("nbkr", "USD/KGS", day, "87.45"), obs("nbk", "USD/KZT", day, "478.77"),
    ])  # fmt: skip
    (shown,) = pair_rates(repo, settings, [Pair("KZT", "KGS")], noon(day),
                          period=ChangePeriod.MONTH)  # fmt: skip
    assert shown.is_cross
    before = Decimal("87.00") / Decimal("500.00")
    assert shown.rate == Decimal("87.45") / Decimal("478.77")
    assert (shown.change_from_rate, shown.change_from) == (before, then)
    assert shown.change == shown.rate - before
    assert shown.change_pct is not None and shown.change_pct > 4
    # Turned round (KGS/KZT), the same two legs.
    (turned,) = pair_rates(repo, settings, [Pair("KGS", "KZT")], noon(day),
                           period=ChangePeriod.MONTH)  # fmt: skip
    assert turned.change_from_rate == Decimal("500.00") / Decimal("87.00")


def test_an_aggregator_cross_changes_over_a_week_and_is_na_without_a_leg_then(stored) -> None:
    settings, repo = stored
    day = AFTER
    week = day - timedelta(days=7)
    repo.add_observations([
        obs("nbt", "USD/TJS", week, "9.30"), obs("frankfurter", "USD/RUB", week, "80"),
        obs("nbt", "USD/TJS", day, "9.2886"), obs("frankfurter", "USD/RUB", day, "81"),
    ])  # fmt: skip
    (shown,) = pair_rates(repo, settings, [Pair("RUB", "TJS")], noon(day),
                          period=ChangePeriod.WEEK)  # fmt: skip
    assert shown.is_cross and shown.rate == Decimal("9.2886") / 81
    assert (shown.change_from_rate, shown.change_from) == (Decimal("9.30") / 80, week)
    (year,) = pair_rates(repo, settings, [Pair("RUB", "TJS")], noon(day),
                         period=ChangePeriod.YEAR)  # fmt: skip
    assert (year.change, year.change_pct, year.change_from) == (None, None, None)
    assert year.change_period is ChangePeriod.YEAR
