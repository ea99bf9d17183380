"""``--pair`` of ``rates`` and ``strip``: each pair in the orientation written (``USD/KZT``
is tenge per dollar whatever the display orientation), a bare code in the display one."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import ticker
from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.seeded import seed, settings_for


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The seeded store (five official sources), as the command's env."""
    settings = settings_for(tmp_path_factory.mktemp("pairs") / "t.db")
    repo = repo_for(settings)
    seed(repo)
    repo.close()
    return {"TICKER_DB_URL": settings.database_url, "TICKER_NOW": NOW.isoformat()}


def _strip(store: dict[str, str], *args: str) -> list[str]:
    done = ticker("strip", *args, env=store)
    assert done.returncode == 0, done.stderr
    return [part.split(" = ")[0] for part in done.stdout.rstrip("\n").split(" • ")]


def test_strip_shows_a_pair_the_way_it_is_written(store: dict[str, str]) -> None:
    done = ticker("strip", "--pair", "USD/KZT", env=store)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "USD/KZT = 478.77 0.00% NBK\n"
    assert _strip(store, "--pair", "KZT/USD") == ["KZT/USD"]
    # Mixed in one strip, in the order given; a bare code takes the display orientation.
    written = ["--pair", "USD/KZT", "--pair", "KGS", "--pair", "tmt/usd", "--pair", "usd/uzs"]
    assert _strip(store, *written) == ["USD/KZT", "KGS/USD", "TMT/USD", "USD/UZS"]
    # --invert flips the display orientation: the bare codes, never a pair written whole.
    assert _strip(store, *written, "--invert") == ["USD/KZT", "USD/KGS", "TMT/USD", "USD/UZS"]
    # The same currency both ways is two items.
    assert _strip(store, "--pair", "USD/KZT", "--pair", "KZT/USD") == ["USD/KZT", "KZT/USD"]


def test_rates_takes_pairs_as_written(store: dict[str, str]) -> None:
    done = ticker("rates", "--pair", "USD/KZT", "--pair", "KGS", env=store)
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split()[:2] == ["Pair", "Rate"]
    assert [row.split()[:2] for row in rows] == [["USD/KZT", "478.77"], ["KGS/USD", "0.011435"]]
    records = json.loads(ticker("rates", "--json", "--pair", "USD/UZS", env=store).stdout)
    assert [(r["pair"], r["base"], r["quote"], r["rate"]) for r in records] == [
        ("USD/UZS", "USD", "UZS", "12194.21")
    ]
    inverted = json.loads(
        ticker(
            "rates", "--json", "--invert", "--pair", "TJS", "--pair", "KZT/USD", env=store
        ).stdout
    )
    assert [r["pair"] for r in inverted] == ["USD/TJS", "KZT/USD"]


@pytest.mark.parametrize("command", ["rates", "strip"])
def test_an_unknown_pair_is_one_line_exit_2(command: str, store: dict[str, str]) -> None:
    done = ticker(command, "--pair", "KZT", "--pair", "EUR/USD", env=store)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        "ticker: --pair: expected one of KGS, KZT, TJS, UZS, TMT, or a pair like KZT/USD, "
        "USD/KZT or RUB/TJS, got 'EUR/USD'\n"
    )
