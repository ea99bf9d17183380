"""``ticker convert``: an amount through each side's routed official rate against the
dollar, with the sources and dates it was worked out from."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers import exact_json
from tests.helpers.cli import ticker
from tests.helpers.dashboard import NOW, TODAY, repo_for
from tests.helpers.factories import series
from tests.helpers.seeded import seed, settings_for
from ticker.display.format import format_rate
from ticker.model.conversion import through_usd

DAY = TODAY.strftime("%d %b")


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    seed(repo)  # today: NBK 478.77 KZT, NBKR 87.45 KGS, CBT 3.50 TMT (its polls failing)
    repo.close()
    return {"TICKER_DB_URL": settings.database_url, "TICKER_NOW": NOW.isoformat()}


def test_a_cross_of_two_currencies_names_both_sources(store: dict[str, str]) -> None:
    done = ticker("convert", "10,000", "kzt", "KGS", env=store)
    assert done.returncode == 0, done.stderr
    expected = Decimal(10000) / Decimal("478.77") * Decimal("87.45")
    shown = format_rate(expected, 5)
    assert done.stdout == f"10,000 KZT = {shown} KGS via USD: NBK {DAY}, NBKR {DAY}\n"


def test_dollars_take_one_side_and_a_state_is_said(store: dict[str, str]) -> None:
    done = ticker("convert", "100", "USD", "TMT", env=store)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"100 USD = 350.00 TMT: CBT {DAY} (last poll failed)\n"
    back = ticker("convert", "0.5", "KZT", "usd", env=store)
    assert back.stdout.startswith(
        f"0.5 KZT = {format_rate(Decimal('0.5') / Decimal('478.77'), 5)} USD"
    )


def test_json_keeps_every_digit(store: dict[str, str]) -> None:
    done = ticker("convert", "1000000", "UZS", "KZT", "--json", env=store)
    assert done.returncode == 0, done.stderr
    record = exact_json.load(done.stdout)
    rate = Decimal("478.77") / Decimal("12194.21")
    assert exact_json.number(record["rate"]) == rate
    assert exact_json.number(record["result"]) == Decimal(1000000) * rate
    assert exact_json.number(record["amount"]) == 1000000
    legs = record["legs"]
    assert [(leg["pair"], leg["provider"], exact_json.number(leg["rate"])) for leg in legs] == [
        ("USD/UZS", "cbu", Decimal("12194.21")),
        ("USD/KZT", "nbk", Decimal("478.77")),
    ]


def test_a_side_without_a_rate_is_exit_1(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    repo.add_observations(series("KZT", "nbk", TODAY, ["478.77"]))
    repo.close()
    env = {"TICKER_DB_URL": settings.database_url, "TICKER_NOW": NOW.isoformat()}
    done = ticker("convert", "10", "KZT", "KGS", env=env)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("ticker: no KGS rate stored yet")
    empty = ticker(
        "convert", "10", "KZT", "KGS", env={"TICKER_DB_URL": f"sqlite:///{tmp_path / 'no.db'}"}
    )
    assert empty.returncode == 1 and "no KZT or KGS rate stored yet" in empty.stderr
    assert not (tmp_path / "no.db").exists()  # a read creates no store


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["1e5", "KZT", "KGS"],
            "AMOUNT: expected a number like 10000, 10 000, 10,000, 0.5 or 0,5, got '1e5'",
        ),
        (["1,50,0", "KZT", "KGS"], "AMOUNT: expected a number like 10000"),
        (["-5", "KZT", "KGS"], "AMOUNT: expected more than 0 and at most 10^15, got '-5'"),
        (["0", "KZT", "KGS"], "AMOUNT: expected more than 0 and at most 10^15, got '0'"),
        (["１０", "KZT", "KGS"], "AMOUNT: expected a number like 10000"),
        (["10", "RUB", "KGS"], "FROM: expected one of USD, KGS, KZT, TJS, UZS, TMT, got 'RUB'"),
        (["10", "KZT", "EUR"], "TO: expected one of USD, KGS, KZT, TJS, UZS, TMT, got 'EUR'"),
        (["10", "kzt", "KZT"], "FROM and TO are the same currency (KZT)"),
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], message: str, store: dict[str, str]) -> None:
    done = ticker("convert", *args, env=store)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"ticker: {message}") and done.stderr.count("\n") == 1


def test_the_arithmetic_goes_through_the_dollar_exactly() -> None:
    per_usd = {"KZT": Decimal("478.77"), "KGS": Decimal("87.45")}
    there = through_usd(Decimal(10000), "KZT", "KGS", per_usd)
    back = through_usd(there.result, "KGS", "KZT", per_usd)
    assert abs(back.result - Decimal(10000)) < Decimal("1e-20")
    assert through_usd(Decimal(2), "USD", "KZT", per_usd).result == Decimal("957.54")
    assert through_usd(Decimal("957.54"), "KZT", "USD", per_usd).result == Decimal(2)
