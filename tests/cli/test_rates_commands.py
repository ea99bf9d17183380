"""`ticker rates`, `ticker strip` and `ticker providers`, from the store only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, localcontext
from pathlib import Path

import pytest

from tests.helpers import exact_json
from tests.helpers.cli import ticker
from tests.helpers.factories import obs
from ticker.config import PROVIDERS
from ticker.model.health import HealthState, ProviderHealth
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

#: The moment every command here runs at ($TICKER_NOW): a Wednesday, after every
#: source's usual hour, so the results never depend on when the suite runs.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def today() -> date:
    return NOW.date()


def business_day(back: int) -> date:
    """The business day ``back`` business days before today (0: the latest one)."""
    day = today()
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    while back:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            back -= 1
    return day


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[dict[str, str], Repository]]:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    repo = Repository(database)
    yield {"TICKER_DB_URL": f"sqlite:///{db}", "TICKER_NOW": NOW.isoformat()}, repo
    database.dispose()


def test_rates_route_show_change_and_flip(store) -> None:
    env, repo = store
    d0, d1 = business_day(0), business_day(1)
    repo.add_observations(
        [
            obs("KZT", "478.77", d1, "nbk"),
            obs("KZT", "480.00", d0, "nbk"),
            obs("KZT", "479.50", d0, "cbr", derived=True),
            obs("UZS", "12194.21", d1, "cbu"),
            obs("UZS", "12194.21", d0, "cbu"),
        ]
    )
    result = ticker("rates", "--json", "--invert", env=env)
    assert result.returncode == 0, result.stderr
    views = {v["pair"]: v for v in exact_json.load(result.stdout)}
    kzt = views["USD/KZT"]
    assert (kzt["base"], kzt["quote"], kzt["provider"], kzt["as_of"]) == (
        "USD",
        "KZT",
        "nbk",
        d0.isoformat(),
    )
    assert kzt["rate"] == "480"  # exact, normalised (NBK's 480.00)
    expected_pct = (Decimal("480.00") - Decimal("478.77")) / Decimal("478.77") * 100
    assert exact_json.number(kzt["change_pct"]) == expected_pct
    assert kzt["stale"] is False and kzt["divergent"] is False and kzt["derived"] is False
    assert exact_json.number(views["USD/UZS"]["change_pct"]) == 0

    text = ticker("rates", env=env).stdout  # default orientation: KZT/USD, as on the strips
    with localcontext(prec=20):
        shown = Decimal(1) / Decimal("480.00")
    assert "KZT/USD" in text and f"{shown:.7f}"[:9] in text.replace(",", "")
    strip = ticker("strip", env=env)
    assert strip.returncode == 0
    assert strip.stdout == "KZT/USD = 0.0020833 -0.26% NBK • UZS/USD = 0.000082006 0.00% CBU\n"
    assert "-0%" not in strip.stdout and "-0.00%" not in strip.stdout


def test_stale_and_failing_sources_fall_back_in_routing_order(store) -> None:
    env, repo = store
    old = business_day(5)
    repo.add_observations(
        [
            obs("KZT", "478.77", old, "nbk"),  # the official source, but stale
            obs("KZT", "479.10", today(), "nbt", derived=True),  # NBT publishes every day
            obs("KGS", "87.45", today(), "nbkr"),
            obs("KGS", "87.40", today(), "nbt", derived=True),
        ]
    )
    repo.save_health(
        ProviderHealth("nbkr", HealthState.FAILING, consecutive_failures=3, last_error="timed out")
    )
    views = {v["pair"]: v for v in json.loads(ticker("rates", "--json", env=env).stdout)}
    assert views["KZT/USD"]["provider"] == "nbt" and views["KZT/USD"]["stale"] is False
    assert views["KZT/USD"]["state"] == "fallback, nbk stale"
    # nbkr is failing, but today's fixing is still current: the official rate stays.
    assert views["KGS/USD"]["provider"] == "nbkr"
    assert views["KGS/USD"]["state"] == "last poll failed"
    # Once its fixing is stale, the fallback takes over, and says why.
    repo.add_observations([obs("KGS", "87.41", today() + timedelta(days=2), "nbt", derived=True)])
    later = {**env, "TICKER_NOW": (NOW + timedelta(days=2)).isoformat()}
    views = {v["pair"]: v for v in json.loads(ticker("rates", "--json", env=later).stdout)}
    assert views["KGS/USD"]["provider"] == "nbt"
    assert views["KGS/USD"]["state"] == "fallback, nbkr failing"


def test_everything_stale_still_shows_the_official_rate_marked_stale(store) -> None:
    env, repo = store
    old = business_day(6)
    repo.add_observations([obs("KZT", "478.77", old, "nbk")])
    (view,) = json.loads(ticker("rates", "--json", env=env).stdout)
    assert view["provider"] == "nbk" and view["stale"] is True
    assert view["state"].startswith("stale ")
    assert f"(stale {(today() - old).days}d)" in ticker("strip", env=env).stdout


def test_divergence_is_flagged(store) -> None:
    env, repo = store
    d0 = business_day(0)
    repo.add_observations(
        [
            obs("KZT", "478.77", d0, "nbk"),
            obs("KZT", "500.00", d0, "nbt", derived=True),
            obs("KZT", "501.00", d0, "frankfurter"),
            obs("KZT", "478.80", d0, "cbr", derived=True),  # NBK's own number: no vote
        ]
    )
    (view,) = exact_json.load(ticker("rates", "--json", env=env).stdout)
    assert view["divergent"] is True and view["state"] == "divergent"
    # In the display orientation (KZT/USD): 1/478.77 against the median of 1/500 and 1/501;
    # the shown tenge is worth more dollars than the others say, so the sign is +.
    with localcontext(prec=40):
        shown = 1 / Decimal("478.77")
        median = (1 / Decimal("500.00") + 1 / Decimal("501.00")) / 2
        expected = (shown - median) / median * 100
    assert abs(exact_json.number(view["divergence_pct"]) - expected) < Decimal("1e-12")
    assert expected > 4


def test_an_empty_store_is_exit_1_with_a_message(tmp_path: Path) -> None:
    env = {"TICKER_DB_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    for args in (["rates"], ["strip"]):
        result = ticker(*args, env=env)
        assert result.returncode == 1
        assert result.stdout == ""
        assert (
            result.stderr
            == "ticker: no rates stored yet; run 'ticker poll' (or 'ticker collect') first\n"
        )
    assert ticker("rates", "--json", env=env).stdout.strip() == "[]"
    assert not (tmp_path / "none.db").exists()  # reading never creates a database


def test_providers_table_and_json(store) -> None:
    env, repo = store
    now = NOW
    repo.save_health(
        ProviderHealth(
            "cbt",
            HealthState.FAILING,
            now,
            now - timedelta(days=2),
            "timed out after 20s",
            4,
            now + timedelta(hours=2),
        )
    )
    repo.save_health(
        ProviderHealth("nbk", HealthState.OK, now, now, None, 0, now + timedelta(minutes=30))
    )
    table = ticker("providers", env=env).stdout.splitlines()
    assert table[0].split() == [
        "Provider",
        "State",
        "Last",
        "success",
        "Last",
        "attempt",
        "Failures",
        "Next",
        "run",
        "Last",
        "error",
    ]
    cbt = next(line for line in table if line.startswith("cbt "))
    assert "failing" in cbt and "2d ago" in cbt and "timed out after 20s" in cbt and " 4 " in cbt
    document = json.loads(ticker("providers", "--json", env=env).stdout)
    records = {r["provider"]: r for r in document["providers"]}
    assert document["collector"] is None and document["standbys"] == []  # none ran here
    assert set(records) == set(PROVIDERS)  # the indicator sources too
    assert records["cbt"]["state"] == "failing" and records["cbt"]["consecutive_failures"] == 4
    assert records["nbt"]["state"] == "unknown" and records["nbt"]["last_attempt"] is None


def test_a_same_date_fallback_never_replaces_the_official_fixing(tmp_path: Path) -> None:
    # Tuesday 8 Dec 2026, 17:00 in Almaty: NBK's Friday fixing is the newest stored, and
    # Frankfurter's newest is of the same date: the official one stays, shown stale.
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    friday = date(2026, 12, 4)
    Repository(database).add_observations(
        [
            obs("KZT", "474.20", friday, "nbk"),
            obs("KZT", "474.31", friday, "frankfurter"),
            # CBR's newer tenge is NBK's own number through the rouble: no fallback either.
            obs("KZT", "474.25", date(2026, 12, 8), "cbr", derived=True),
        ]
    )
    database.dispose()
    env = {"TICKER_DB_URL": f"sqlite:///{db}", "TICKER_NOW": "2026-12-08T12:00:00Z"}
    result = ticker("rates", "--json", "--invert", env=env)
    assert result.returncode == 0, result.stderr
    (kzt,) = [v for v in exact_json.load(result.stdout) if v["pair"] == "USD/KZT"]
    assert (kzt["provider"], kzt["rate"], kzt["as_of"]) == ("nbk", "474.2", "2026-12-04")
    assert kzt["stale"] is True and kzt["fallback_for"] is None
    assert kzt["state"].startswith("stale")
    assert (kzt["independent"], kzt["derived_from"], kzt["provenance"]) == (
        True,
        None,
        "direct",
    )


def test_rates_say_where_a_derived_value_comes_from(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    Repository(database).add_observations(
        [obs("KGS", "87.3910", date(2026, 11, 25), "cbr", derived=True)]
    )
    database.dispose()
    env = {"TICKER_DB_URL": f"sqlite:///{db}", "TICKER_NOW": NOW.isoformat()}
    result = ticker("rates", "--json", env=env)
    assert result.returncode == 0, result.stderr
    (kgs,) = exact_json.load(result.stdout)
    assert (kgs["provider"], kgs["fallback_for"]) == ("cbr", "nbkr")  # nothing from NBKR
    assert (kgs["independent"], kgs["derived_from"], kgs["provenance"]) == (
        False,
        "nbkr",
        "derived from NBKR via RUB",
    )
    text = ticker("rates", env=env).stdout
    assert "cbr (derived from NBKR via RUB)" in text
