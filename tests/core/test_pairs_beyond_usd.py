"""Pairs beyond the dollar (issue 28): routed per pair from stored observations, shown by
``rates --json`` with their provenance, converted directly, and ``[pairs]`` checked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from providers.base import Observation
from tests.helpers import exact_json
from tests.helpers.cli import ticker
from ticker.config import parse_config
from ticker.errors import ConfigError
from ticker.model.pair_routes import extra_currencies, route_for
from ticker.model.pairs import Pair, invert, parse_pair
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday afternoon
DAY = date(2026, 11, 25)
FETCHED = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
WATCH = ["KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD", "RUB/TJS", "RUB/KGS",
         "RUB/UZS", "RUB/KZT", "EUR/KZT", "CNY/KGS", "KZT/KGS"]  # fmt: skip


def o(provider: str, pair: str, rate: str, derived: bool = False) -> Observation:
    base, quote = pair.split("/")
    return Observation(provider, base, quote, DAY, Decimal(rate), derived, FETCHED)


#: What each bank's own table gives (already divided by its nominal), and the dollar rows.
BANKS = [
    o("nbt", "USD/TJS", "9.2886"),
    o("nbt", "RUB/TJS", "0.1149"),
    o("nbkr", "USD/KGS", "87.45"),
    o("nbkr", "RUB/KGS", "1.1234"),
    o("nbkr", "CNY/KGS", "12.0843"),
    o("nbkr", "KZT/KGS", "0.1859"),
    o("cbu", "USD/UZS", "12194.21"),
    o("cbu", "RUB/UZS", "151.93"),
    o("nbk", "USD/KZT", "478.77"),
    o("nbk", "RUB/KZT", "6.12"),
    o("nbk", "EUR/KZT", "555.81"),
    o("nbk", "KGS/KZT", "5.47"),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[dict[str, str], Repository, Path]]:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    config = tmp_path / "config.toml"
    config.write_text("[pairs]\nwatch = [" + ", ".join(f'"{p}"' for p in WATCH) + "]\n")
    env = {"TICKER_DB_URL": f"sqlite:///{db}", "TICKER_NOW": NOW.isoformat()}
    yield env, Repository(database), config
    database.dispose()


def rates(env: dict[str, str], config: Path, *args: str) -> dict[str, dict[str, Any]]:
    result = ticker("--config", str(config), "rates", "--json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return {v["pair"]: v for v in exact_json.load(result.stdout)}


def test_each_watched_pair_comes_from_its_local_central_bank(store) -> None:
    env, repo, config = store
    repo.add_observations(BANKS)
    views = rates(env, config)
    expected = {
        "RUB/TJS": ("nbt", "0.1149"),
        "RUB/KGS": ("nbkr", "1.1234"),
        "RUB/UZS": ("cbu", "151.93"),
        "RUB/KZT": ("nbk", "6.12"),
        "EUR/KZT": ("nbk", "555.81"),
        "CNY/KGS": ("nbkr", "12.0843"),
        "KZT/KGS": ("nbkr", "0.1859"),  # NBKR's tenge, as published: the quote side's bank
    }
    for pair, (provider, rate) in expected.items():
        v = views[pair]
        assert (v["provider"], v["rate"]) == (provider, rate), pair
        assert (v["base"], v["quote"]) == tuple(pair.split("/"))
        assert v["cross"] is False and v["via"] is None and v["provenance"] == "direct"
        assert v["independent"] is True and v["state"] == "ok"
    assert views["KGS/USD"]["provider"] == "nbkr"  # the dollar pairs as ever
    assert (
        list(views)[:5] == ["KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD"][:4] + ["RUB/TJS"]
        or "TMT/USD" not in views
    )


def test_a_pair_turned_round_and_the_other_bank_inverted(store) -> None:
    env, repo, config = store
    repo.add_observations([o("nbk", "USD/KZT", "478.77"), o("nbk", "KGS/KZT", "5")])
    views = rates(env, config, "--pair", "KZT/KGS", "--pair", "KGS/KZT")
    assert views["KZT/KGS"]["provider"] == "nbk" and views["KZT/KGS"]["rate"] == "0.2"
    assert views["KGS/KZT"]["rate"] == "5"


def test_crosses_through_the_dollar_say_what_they_come_from(store) -> None:
    env, repo, config = store
    repo.add_observations(
        [
            o("nbt", "USD/TJS", "9.2886"),
            o("frankfurter", "USD/RUB", "80", derived=True),
            o("nbkr", "USD/KGS", "87.45"),
            o("nbk", "USD/KZT", "478.77"),
        ]
    )
    views = rates(env, config, "--pair", "RUB/TJS", "--pair", "KZT/KGS")
    rub = views["RUB/TJS"]
    assert exact_json.number(rub["rate"]) == Decimal("9.2886") / Decimal(80)
    assert rub["cross"] is True and rub["derived"] is True
    assert [(leg["provider"], leg["pair"]) for leg in rub["via"]] == [
        ("frankfurter", "USD/RUB"),
        ("nbt", "USD/TJS"),
    ]
    kzt = views["KZT/KGS"]
    assert exact_json.number(kzt["rate"]) == Decimal("87.45") / Decimal("478.77")
    assert kzt["provenance"] == "via USD: NBK 25 Nov, NBKR 25 Nov"
    text = ticker("--config", str(config), "rates", "--pair", "KZT/KGS", env=env).stdout
    assert "via USD: NBK 25 Nov, NBKR 25 Nov" in text


def test_the_rouble_from_the_bank_of_russia_before_any_cross(store) -> None:
    env, repo, config = store
    repo.add_observations(
        [
            o("nbt", "USD/TJS", "9.2886"),
            o("frankfurter", "USD/RUB", "80", derived=True),
            o("cbr", "TJS/RUB", "8.5"),
        ]
    )
    rub = rates(env, config, "--pair", "RUB/TJS")["RUB/TJS"]
    assert rub["provider"] == "cbr" and rub["cross"] is False
    assert exact_json.number(rub["rate"]) == invert(Decimal("8.5"))  # 20 digits


def test_convert_100_rub_kgs_uses_nbkrs_rouble_rate(store) -> None:
    env, repo, config = store
    repo.add_observations(BANKS)
    result = ticker("--config", str(config), "convert", "100", "RUB", "KGS", "--json", env=env)
    assert result.returncode == 0, result.stderr
    record = exact_json.load(result.stdout)
    assert record["result"] == "112.34" and record["rate"] == "1.1234"
    assert [(leg["pair"], leg["provider"], leg["direct"]) for leg in record["legs"]] == [
        ("RUB/KGS", "nbkr", True)
    ]
    line = ticker("--config", str(config), "convert", "100", "RUB", "KGS", env=env).stdout
    assert "NBKR RUB/KGS 25 Nov, direct" in line
    # Not watched: the rouble is no currency to convert (as before).
    refused = ticker("convert", "100", "RUB", "KGS", env=env)
    assert refused.returncode == 2 and "expected one of USD, KGS" in refused.stderr


def test_the_default_config_watches_the_five_against_the_dollar() -> None:
    settings = parse_config({}, "config.toml")
    assert [str(p) for p in settings.pairs.watch] == WATCH[:5]
    assert settings.pairs.others == ()
    assert extra_currencies(settings.pairs.others, settings.routing) == {}


def test_bad_pairs_are_one_line_each() -> None:
    off = {"enabled": False}
    data: dict[str, Any] = {
        "pairs": {"watch": ["RUB/TJS", "XYZ/KGS", "TJS/RUB", "EUR/KZT", "USD/EUR", 5]},
        "providers": dict.fromkeys(("nbk", "frankfurter", "currencyapi", "erapi"), off),
    }
    with pytest.raises(ConfigError) as info:
        parse_config(data, "c.toml")
    lines = str(info.value).splitlines()
    assert lines == [
        "c.toml: pairs.watch[1]: expected a pair like \"RUB/TJS\" (unknown currency 'XYZ' "
        '(known: USD, EUR, RUB, CNY, KGS, KZT, TJS, UZS, TMT)), got "XYZ/KGS"',
        'c.toml: pairs.watch[2]: expected a pair not given before, got "TJS/RUB" (the same '
        "pair as pairs.watch[0], turned round)",
        'c.toml: pairs.watch[3]: expected a pair an enabled source can give, got "EUR/KZT" '
        "(none of its central banks' tables or crosses is enabled)",
        'c.toml: pairs.watch[4]: expected a pair like "RUB/TJS" (no local currency (KGS, KZT, '
        'TJS, UZS, TMT) on either side), got "USD/EUR"',
        'c.toml: pairs.watch[5]: expected a pair like "RUB/TJS", got 5',
    ]


def test_a_bad_pairs_entry_exits_2_from_every_command(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[pairs]\nwatch = ["KGS/USD", "USD/KGS"]\n')
    for command in (["config", "check"], ["rates"], ["convert", "1", "USD", "KGS"]):
        result = ticker("--config", str(config), *command)
        assert result.returncode == 2, command
        assert "pairs.watch[1]: expected a pair not given before" in result.stderr


def test_several_bad_pairs_are_said_on_a_line_each_by_the_command(tmp_path: Path) -> None:
    """Each mistake on a line of its own on the terminal, never one line with ``\\n`` in it."""
    config = tmp_path / "c.toml"
    config.write_text('[pairs]\nwatch = ["RUB/TJS", "XYZ/KGS", "TJS/RUB", "EUR/USD"]\n')
    result = ticker("--config", str(config), "config", "check")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("ticker: ") for line in lines), lines
    assert "\\n" not in result.stderr
    assert [line.split(": ")[2] for line in lines] == [
        "pairs.watch[1]", "pairs.watch[2]", "pairs.watch[3]",
    ]  # fmt: skip


def test_routes_and_what_each_source_is_asked_for() -> None:
    routing = parse_config({}, "c").routing
    rub = route_for(Pair("RUB", "TJS"), routing)
    assert [(g.provider, str(g.stored)) for g in rub.direct] == [
        ("nbt", "RUB/TJS"),
        ("cbr", "TJS/RUB"),
    ]
    assert [g.provider for g in rub.via] == ["frankfurter", "currencyapi", "erapi"]
    kzt = route_for(Pair("KGS", "KZT"), routing)
    assert kzt.pair == Pair("KZT", "KGS") and kzt.crosses_locals
    assert [(g.provider, str(g.stored)) for g in kzt.direct] == [
        ("nbkr", "KZT/KGS"),
        ("nbk", "KGS/KZT"),
    ]
    asked = extra_currencies([Pair("RUB", "TJS"), Pair("KZT", "KGS"), Pair("EUR", "KZT")], routing)
    assert asked["nbt"] == {"RUB"} and asked["cbr"] == {"TJS"} and asked["nbk"] == {"KGS", "EUR"}
    assert asked["nbkr"] == {"KZT"} and asked["frankfurter"] == {"RUB", "EUR"}


def test_parse_pair_keeps_the_dollar_pairs_and_takes_any_pair_when_asked() -> None:
    with pytest.raises(ValueError):
        parse_pair("RUB/TJS")
    assert parse_pair("rub/tjs", any_pair=True) == Pair("RUB", "TJS")
    assert Pair("TJS", "RUB").canonical == Pair("RUB", "TJS")
    assert Pair("KGS", "KZT").canonical == Pair("KZT", "KGS")
    assert Pair("TJS", "UZS").canonical == Pair("UZS", "TJS")
    assert Pair("KGS", "USD").canonical == Pair("USD", "KGS") and Pair("KGS", "USD").local == "KGS"


def test_ingest_judges_each_pair_by_its_own_series(tmp_path: Path) -> None:
    from providers.base import Batch
    from ticker.config import SanitySettings
    from ticker.core.ingest import ingest, plausible_band

    database = open_database(f"sqlite:///{tmp_path / 'i.db'}")
    try:
        repo = Repository(database)
        sanity = SanitySettings()
        first = ingest(repo, Batch([o("nbt", "USD/TJS", "9.2886")]), sanity)
        # 0.1149 somoni per rouble is no 98% move of NBT's dollar rate.
        second = ingest(repo, Batch([o("nbt", "RUB/TJS", "0.1149")]), sanity)
        assert (first.stored, second.stored, second.quarantined) == (1, 1, [])
        # A rouble rate not divided by its nominal (per 100), against another source's
        # value of the same pair: held at first sight.
        assert ingest(repo, Batch([o("nbt", "RUB/UZS", "151.93")]), sanity).stored == 1
        wrong = ingest(repo, Batch([o("cbu", "RUB/UZS", "15193")]), sanity)
        assert wrong.stored == 0 and len(wrong.quarantined) == 1
    finally:
        database.dispose()
    low, high = plausible_band("RUB", "TJS") or (Decimal(0), Decimal(0))
    assert low < Decimal("0.1149") < high
    assert plausible_band("USD", "TMT") is not None and plausible_band("KZT", "KGS") is not None
