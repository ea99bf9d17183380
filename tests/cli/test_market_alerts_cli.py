"""``ticker alerts add USD/TJS market-sell below 10.8 [--channel card]``: the grammar of
market rules on the command line, what is refused in one line, and ``alerts list``
saying where each stands with the best current price."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Channel, MarketQuote, Observation
from providers.calendar import DUSHANBE
from tests.helpers.market import join_market
from ticker import cli
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

NOON = datetime(2026, 12, 8, 12, 0, tzinfo=DUSHANBE)


@pytest.fixture(autouse=True)
def joined(monkeypatch: pytest.MonkeyPatch) -> None:
    join_market(monkeypatch)
    monkeypatch.setenv("TICKER_NOW", NOON.isoformat())


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n')
    return path


def run(capsys: pytest.CaptureFixture[str], cfg: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["alerts", *args, "--config", str(cfg)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_market_rule_is_written_as_a_sentence(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, cfg, "add", "USD/TJS", "market-sell", "below", "10.8")
    assert (code, err) == (0, "")
    assert out == "added alert #1: USD/TJS best cash sell below 10.8 (armed)\n"
    code, out, _ = run(
        capsys, cfg, "add", "USD/TJS", "market-buy", "above", "11", "--channel", "card",
        "--channel", "desktop",
    )  # fmt: skip
    assert code == 0 and out == "added alert #2: USD/TJS best card buy above 11 (armed)\n"
    _, out, _ = run(capsys, cfg, "list", "--json")
    second = json.loads(out)[1]
    assert (second["market_channel"], second["direction"]) == ("card", "above")
    assert second["channels"] == ["desktop"]
    # Edited: another channel, the delivery channels kept.
    code, out, _ = run(capsys, cfg, "edit", "2", "--channel", "e-wallet", "--threshold", "11.1")
    assert code == 0 and out.startswith("edited alert #2: USD/TJS best e-wallet buy above 11.1")
    _, out, _ = run(capsys, cfg, "list", "--json")
    assert json.loads(out)[1]["channels"] == ["desktop"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("TJS/USD", "market-sell", "below", "10.8"),
            "PAIR: expected a pair as the boards write it, USD/TJS (a price in local units "
            'per one foreign, whatever the display orientation), got "TJS/USD"',
        ),
        (
            ("USD/TJS", "market-sell", "10.8"),
            "--direction: expected a value (required for a 'market-sell' rule), got nothing",
        ),
        (
            ("USD/TJS", "market-sell", "down", "10.8"),
            '--direction: expected one of above, below, got "down"',
        ),
        (
            ("USD/TJS", "market-buy", "above", "11", "--channel", "plastic"),
            "--channel: expected a delivery channel (toast, bell, desktop, command, webhook, "
            "telegram) or a market channel (cash, noncash, card, ewallet, transfer, "
            "interbank), got 'plastic'",
        ),
        (
            ("USD/TJS", "market-buy", "above", "11", "--channel", "cash", "--channel", "card"),
            "--channel: one market channel per rule, got cash, card",
        ),
        (
            ("USD/TJS", "above", "11", "--channel", "cash"),
            "--channel: cash is a market channel; only market-sell and market-buy rules "
            "watch one (delivery channels: toast, bell, desktop, command, webhook, telegram)",
        ),
        (
            ("USD/TJS", "above", "below", "11"),
            "THRESHOLD: one value after KIND 'above', got 'below' and '11' (two words are "
            "for market-sell and market-buy: 'market-sell below 10.8')",
        ),
        (
            ("USD/TJS", "market-sell", "below", "cheap"),
            'THRESHOLD: expected a number from 0 to 1000000000, got "cheap"',
        ),
    ],
)
def test_bad_market_rules_are_one_line_and_nothing_is_stored(
    cfg: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
) -> None:
    code, out, err = run(capsys, cfg, "add", *args)
    assert (code, out, err) == (2, "", f"ticker: {said}\n")
    _, out, _ = run(capsys, cfg, "list", "--json")
    assert out.strip() in ("", "[]")


def test_a_pair_no_board_quotes_is_kept_with_a_warning(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, cfg, "add", "USD/TMT", "market-sell", "below", "19")
    assert code == 0 and out.startswith("added alert #1: USD/TMT best cash sell below 19")
    assert err == (
        "ticker: warning: no market source quotes TMT (boards: KGS, KZT, TJS, UZS); the rule "
        "is kept but fires only once one does (a reported rate is not a market price)\n"
    )


def test_alerts_list_says_the_best_current_price(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, cfg, "add", "USD/TJS", "market-sell", "below", "10.8")
    run(capsys, cfg, "add", "USD/TJS", "market-buy", "above", "10.9", "--channel", "card")
    run(capsys, cfg, "add", "USD/KZT", "above", "600")
    url = cfg.read_text().split('"')[1]
    repo = Repository(open_database(url))
    repo.add_observations(
        [Observation("nbt", "USD", "TJS", date(2026, 12, 7), Decimal("10.9"), False, NOON)]
    )
    quoted = NOON - timedelta(minutes=20)

    def quote(name: str, buy: str, sell: str) -> MarketQuote:
        return MarketQuote(
            "nbt-banks", name, "USD", "TJS", Channel.CASH, Decimal(buy), Decimal(sell),
            quoted, quoted,
        )  # fmt: skip

    board = [quote("Amonatbonk", "10.85", "10.95"), quote("Orienbonk", "10.86", "10.97")]
    repo.store_quotes(board, {("USD", "TJS"): Decimal("10.9")}, Decimal(20))
    _, out, _ = run(capsys, cfg, "list")
    assert [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()] == [
        ["ID", "Pair", "Condition", "State", "Channels", "From", "Label"],
        ["1", "USD/TJS", "best cash sell below 10.8", "armed; best 10.95 Amonatbonk",
         "toast,bell", "cli", "-"],
        ["2", "USD/TJS", "best card buy above 10.9", "armed; no current quote", "toast,bell",
         "cli", "-"],
        ["3", "USD/KZT", "above 600", "armed", "toast,bell", "cli", "-"],
    ]  # fmt: skip


def test_alerts_test_runs_a_market_rule_s_hook_with_its_channel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import sys

    calls = tmp_path / "calls.jsonl"
    hook = tmp_path / "hook.py"
    hook.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        f"with open({str(calls)!r}, 'a') as f: f.write(json.dumps("
        "[*sys.argv[1:], os.environ.get('TICKER_MARKET_CHANNEL')]) + '\\n')\n"
    )
    hook.chmod(0o755)
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
        f'[hooks.rec]\ncommand = ["{hook}", "{{market_channel}}", "[{{institution}}]"]\n'
    )
    monkeypatch.setenv("PATH", f"/nonexistent{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    code, _, err = run(
        capsys, cfg, "add", "USD/TJS", "market-sell", "below", "10.8", "--channel", "card",
        "--hook", "rec",
    )  # fmt: skip
    assert code == 0, err
    run(capsys, cfg, "test")
    (call,) = [json.loads(line) for line in calls.read_text().splitlines()]
    assert call == ["card", "[]", "card"]  # no institution: nothing fired
