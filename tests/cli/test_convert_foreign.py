"""``ticker convert`` between two foreign currencies (issue 28): through a local currency
whose central bank publishes both, else through an aggregator's dollar rates (the local
side cancelling out), said which, human and JSON."""

from __future__ import annotations

from decimal import Decimal

from tests.core.test_pairs_beyond_usd import BANKS, o, store  # noqa: F401 - the fixture
from tests.helpers import exact_json
from tests.helpers.cli import ticker


def test_rub_to_eur_through_the_one_bank_that_publishes_both(store) -> None:  # noqa: F811
    env, repo, config = store
    repo.add_observations(BANKS)  # NBKR has no EUR row here; NBK has RUB and EUR
    result = ticker("--config", str(config), "convert", "100", "RUB", "EUR", "--json", env=env)
    assert result.returncode == 0, result.stderr
    record = exact_json.load(result.stdout)
    rate = Decimal("6.12") / Decimal("555.81")
    assert exact_json.number(record["rate"]) == rate
    assert exact_json.number(record["result"]) == 100 * rate
    assert record["via"] == "KZT"
    assert [(leg["pair"], leg["provider"], leg["direct"]) for leg in record["legs"]] == [
        ("RUB/KZT", "nbk", True),
        ("EUR/KZT", "nbk", True),
    ]
    text = ticker("--config", str(config), "convert", "100", "RUB", "EUR", env=env).stdout
    assert text.strip() == "100 RUB = 1.1011 EUR via KZT: NBK RUB/KZT 25 Nov, NBK EUR/KZT 25 Nov"


def test_the_first_local_currency_whose_bank_publishes_both_wins(store) -> None:  # noqa: F811
    env, repo, config = store
    repo.add_observations([*BANKS, o("nbk", "CNY/KZT", "66.5")])
    # KGS comes first: NBKR publishes both the rouble and the yuan.
    result = ticker("--config", str(config), "convert", "100", "CNY", "RUB", "--json", env=env)
    record = exact_json.load(result.stdout)
    assert record["via"] == "KGS"
    assert exact_json.number(record["rate"]) == Decimal("12.0843") / Decimal("1.1234")


def test_through_an_aggregators_dollar_rates_when_no_bank_publishes_both(store) -> None:  # noqa: F811
    env, repo, config = store
    repo.add_observations([
        o("nbkr", "USD/KGS", "87.45"),
        o("frankfurter", "USD/RUB", "80", derived=True),
        o("frankfurter", "USD/EUR", "0.86", derived=True),
    ])  # fmt: skip
    result = ticker("--config", str(config), "convert", "100", "RUB", "EUR", "--json", env=env)
    assert result.returncode == 0, result.stderr
    record = exact_json.load(result.stdout)
    # (87.45/80) / (87.45/0.86): the som cancels, leaving frankfurter's 0.86/80.
    rate = Decimal(record["rate"])
    assert abs(rate - Decimal("0.86") / 80) < Decimal("1e-20")
    assert record["via"] == "KGS"
    assert [(leg["pair"], leg["direct"]) for leg in record["legs"]] == [
        ("RUB/KGS", False),
        ("EUR/KGS", False),
    ]
    text = ticker("--config", str(config), "convert", "100", "RUB", "EUR", env=env).stdout
    assert "via KGS: RUB/KGS via USD: " in text and "FRANKFURTER" in text


def test_two_foreign_currencies_with_nothing_stored_exit_partial(store) -> None:  # noqa: F811
    env, _repo, config = store
    result = ticker("--config", str(config), "convert", "100", "RUB", "EUR", env=env)
    assert result.returncode != 0
    assert "no RUB or EUR against" in result.stderr
