"""Every market board's pair has its official reference (issue 29): the local central
bank is asked for the foreign currencies the enabled boards quote (NBT for EUR and RUB
while ``nbt-banks`` is on), so ``RUB/TJS``'s distance from NBT's rouble rate exists
without ``[pairs] watch``; and nothing else changes: no other source is asked for more,
the poll costs no request more, and the rates, the strip and the export show the five
dollar pairs exactly as before."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from providers.base import Batch, Channel, MarketQuote
from tests.helpers import exact_json
from tests.helpers.e2e import E2E_NOW, route
from tests.helpers.feedserver import FeedServer
from tests.helpers.market import join_market
from ticker.cli import main
from ticker.config import PROVIDERS, SanitySettings, parse_config
from ticker.core.ingest import ingest
from ticker.core.market import market_view
from ticker.core.registry import asked_currencies, build_provider
from ticker.model.pair_routes import board_pairs, extra_currencies
from ticker.model.pairs import Pair, percent_change
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

#: NBT's recorded table (tests/fixtures/providers/nbt/export_xml_2026-05-18.xml).
NBT_RUB, NBT_EUR = Decimal("0.1277"), Decimal("10.8757")


@pytest.fixture(autouse=True)
def joined(monkeypatch: pytest.MonkeyPatch) -> None:
    join_market(monkeypatch)


def settings_of(data: dict[str, Any]) -> Any:
    return parse_config(data, "c.toml")


# ----------------------------------------------------------------- what is asked


def test_nbt_is_asked_for_the_boards_currencies_without_any_watch() -> None:
    settings = settings_of({})
    assert settings.pairs.others == ()
    assert settings.enabled_providers("market") == ["nbt-banks"]
    # NBT alone, for its board's euro and rouble: no Bank of Russia, no aggregator.
    assert asked_currencies(settings) == {"nbt": frozenset({"EUR", "RUB"})}
    nbt = build_provider("nbt", settings)
    assert nbt.options.extra_currencies == frozenset({"EUR", "RUB"})
    assert build_provider("cbr", settings).options.extra_currencies == frozenset()
    assert build_provider("frankfurter", settings).options.extra_currencies == frozenset()
    # A backfill's providers are asked for the watched pairs only.
    assert build_provider("nbt", settings, references=False).options.extra_currencies == (
        frozenset()
    )
    assert asked_currencies(settings, references=False) == {}


def test_without_the_board_or_its_bank_nothing_is_asked() -> None:
    off = {"enabled": False}
    assert asked_currencies(settings_of({"providers": {"nbt-banks": off}})) == {}
    assert "nbt" not in asked_currencies(settings_of({"providers": {"nbt": off}}))


def test_every_enabled_board_asks_its_own_central_bank() -> None:
    on = {"enabled": True}
    settings = settings_of(
        {
            "providers": {
                "fx-kg": {"enabled": True, "token": "t0k"},
                "kurs-kz": on,
                "bank-uz": on,
            }
        }
    )
    assert asked_currencies(settings) == {
        "nbt": frozenset({"EUR", "RUB"}),
        "nbkr": frozenset({"EUR", "RUB", "KZT"}),  # fx.kg quotes the tenge in som too
        "nbk": frozenset({"EUR", "RUB"}),
        "cbu": frozenset({"EUR", "RUB"}),
    }
    # fx.kg without its token is not polled: NBKR is asked for nothing.
    no_token = settings_of({"providers": {"fx-kg": on}})
    assert "nbkr" not in asked_currencies(no_token)


def test_a_watched_pair_keeps_its_whole_route_beside_the_references() -> None:
    settings = settings_of({"pairs": {"watch": ["USD/TJS", "RUB/TJS"]}})
    asked = asked_currencies(settings)
    assert asked["nbt"] == {"EUR", "RUB"} and asked["cbr"] == {"TJS"}
    assert asked["frankfurter"] == {"RUB"}
    assert asked == {
        **extra_currencies(settings.pairs.others, settings.routing),
        "nbt": frozenset({"EUR", "RUB"}),
    }


def test_board_pairs_are_each_records_others_in_its_local_currency() -> None:
    from providers.market_records import MARKET

    pairs = board_pairs([MARKET["fx-kg"], MARKET["nbt-banks"], MARKET["nbt-banks"]])
    assert [str(p) for p in pairs] == [
        "EUR/KGS", "KZT/KGS", "RUB/KGS", "USD/KGS", "EUR/TJS", "RUB/TJS", "USD/TJS",
    ]  # fmt: skip
    routing = settings_of({}).routing
    # The dollar pairs need nothing; KZT/KGS is asked of NBKR (the quote side's bank),
    # not of NBK, which publishes it the other way round.
    assert extra_currencies([], routing, None, pairs) == {
        "nbkr": frozenset({"EUR", "KZT", "RUB"}),
        "nbt": frozenset({"EUR", "RUB"}),
    }


# ----------------------------------------------------------------- end to end


def write_config(tmp_path: Path, server: FeedServer, name: str, boards: bool) -> Path:
    """Every source on the feed server, the defaults otherwise (``nbt-banks`` on), or
    with the board off."""
    lines = [f'[storage]\nurl = "sqlite:///{tmp_path / name}.db"\n']
    for source in PROVIDERS:
        lines.append(f'[providers.{source}]\nbase_url = "{server.base_url(source)}"\n')
        if source == "nbt-banks" and not boards:
            lines.append("enabled = false\n")
    cfg = tmp_path / f"{name}.toml"
    cfg.write_text("".join(lines))
    return cfg


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def answer(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """A command's exit and words, without the fetched times (the running clock's, a
    poll apart)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, re.sub(r"T13:0\d:\d\d(\.\d+)?", "T13:00", out), err


def quote(institution: str, buy: str, sell: str) -> MarketQuote:
    return MarketQuote(
        "nbt-banks",
        institution,
        "RUB",
        "TJS",
        Channel.CASH,
        Decimal(buy),
        Decimal(sell),
        None,
        E2E_NOW - timedelta(minutes=5),
    )


def test_rub_tjs_is_measured_from_nbts_rouble_rate_and_nothing_else_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TICKER_NOW", E2E_NOW.isoformat())
    monkeypatch.delenv("TICKER_DB_URL", raising=False)
    with FeedServer(route).running() as server:
        plain = write_config(tmp_path, server, "plain", boards=False)
        board = write_config(tmp_path, server, "board", boards=True)
        run(capsys, "--config", str(plain), "poll")
        before = [(s.path, s.query) for s in server.requests_of("nbt")]
        run(capsys, "--config", str(board), "poll")
        after = [(s.path, s.query) for s in server.requests_of("nbt")][len(before) :]
    # One file, the same request: the table has every currency.
    assert len(before) == 1 and after == before

    database = open_database(f"sqlite:///{tmp_path / 'board.db'}")
    try:
        repo = Repository(database)
        day = E2E_NOW.date()
        (rub,) = repo.pair_history(Pair("RUB", "TJS"), day, day)
        (eur,) = repo.pair_history(Pair("EUR", "TJS"), day, day)
        assert (rub.provider, rub.rate, rub.derived) == ("nbt", NBT_RUB, False)
        assert (eur.provider, eur.rate) == ("nbt", NBT_EUR)
        # A rouble board: one bank's prices, one's per hundred roubles (not divided by
        # its nominal): held at ingest, 100 times NBT's rate.
        result = ingest(
            repo,
            Batch(quotes=[quote("Amonatbonk", "0.1250", "0.1300"), quote("Oops", "12.5", "13")]),
            SanitySettings(),
        )
        assert result.quotes_added == 1
        ((held, reason),) = result.quotes_quarantined
        assert held.institution == "Oops" and reason
        view = market_view(repo, E2E_NOW, pairs=[("RUB", "TJS")])
        assert view.official == {"RUB/TJS": NBT_RUB}
        assert view.official_sources == {"RUB/TJS": "nbt"}
    finally:
        database.dispose()

    out = run(capsys, "--config", str(board), "market", "RUB/TJS", "--json")
    (summary,) = exact_json.load(out)
    assert (summary["official"], summary["official_source"]) == (str(NBT_RUB), "nbt")
    expected = percent_change(NBT_RUB, Decimal("0.1300"))
    assert exact_json.number(summary["best_sell_vs_official_pct"]) == expected
    text = run(capsys, "--config", str(board), "market", "RUB/TJS")
    assert "vs NBT" in text

    # The rows people read: the five against the dollar, as without the board.
    for command in (["rates", "--json"], ["strip"], ["export"], ["health", "--json"]):
        shown = [answer(capsys, "--config", str(cfg), *command) for cfg in (plain, board)]
        assert shown[0] == shown[1], command
    rows = exact_json.load(run(capsys, "--config", str(board), "rates", "--json"))
    assert [r["pair"] for r in rows] == ["KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD"]
