"""``ticker market`` (the summary, the board, ``--json``, reported rates), ``convert --at
market``, ``strip --market`` and ``export --market`` on a store seeded by hand: three
banks' USD/TJS cash quotes (NBT's table), a third party's USD/KGS, NBT's official fixing.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.market_quote import Channel, MarketQuote
from tests.helpers import exact_json
from tests.helpers.dashboard import NOW, TODAY, repo_for
from tests.helpers.exact_json import number
from tests.helpers.factories import obs
from tests.helpers.seeded import settings_for
from ticker.cli import main
from ticker.model.market_records import REPORTED

#: Monday 14:00 in Dushanbe; the quotes an hour old.
QUOTED = NOW - timedelta(hours=1)
BANKS = [  # institution, buy, sell
    ("Alif Bank", "10.85", "10.95"),
    ("Eskhata", "10.80", "10.92"),
    ("Orienbonk", "10.83", "10.99"),
]


def quote(source: str, who: str, pair: tuple[str, str], buy: str, sell: str) -> MarketQuote:
    return MarketQuote(
        source, who, pair[0], pair[1], Channel.CASH, Decimal(buy), Decimal(sell), QUOTED, NOW
    )


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "t.db"
    repo = repo_for(settings_for(db))
    repo.add_observations([obs("TJS", "10.88", TODAY, "nbt")])
    board = [quote("nbt-banks", who, ("USD", "TJS"), b, s) for who, b, s in BANKS]
    board.append(quote("fx-kg", "Optima Bank", ("USD", "KGS"), "87.10", "87.60"))
    repo.store_quotes(board, {}, Decimal(50))
    repo.close()
    monkeypatch.setenv("TICKER_DB_URL", f"sqlite:///{db}")
    monkeypatch.setenv("TICKER_NOW", NOW.isoformat())
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TICKER_CONFIG", raising=False)
    return db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_summary_names_the_best_and_the_distance(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "market", "TJS")
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith(
        "USD/TJS cash buy 10.85 (Alif Bank), -0.28% vs NBT; sell 10.92 (Eskhata)"
    )
    assert "spread" in first and "3 institutions" in first and "official source" in first
    assert "USD/KGS" not in out
    # one pair and channel asked: its board, by sell (the lowest first), best marked
    table = out.split("USD/TJS cash, by sell: lowest first\n", 1)[1].splitlines()
    assert table[1].split()[0] == "Eskhata" and table[1].rstrip().endswith("nbt-banks")
    assert "best" in table[1] and "1h00m ago" in table[1]
    assert [row.split()[0] for row in table[1:]] == ["Eskhata", "Alif", "Orienbonk"]


def test_side_buy_sorts_the_board_by_buy_and_labels_a_third_party(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "market", "--side", "buy")
    assert code == 0
    assert "USD/TJS cash, by buy: highest first" in out
    tjs = out.split("USD/TJS cash, by buy: highest first\n", 1)[1].split("\n\n", 1)[0]
    assert [row.split()[0] for row in tjs.splitlines()[1:]] == ["Alif", "Orienbonk", "Eskhata"]
    kgs = out.split("USD/KGS cash, by buy: highest first\n", 1)[1]
    assert "fx-kg, third party" in kgs
    assert "USD/KGS cash buy 87.1 (Optima Bank)" in out or "USD/KGS cash buy 87.10" in out


def test_json_is_exact_with_institution_channel_and_quoted_time(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "market", "USD/TJS", "--json")
    assert code == 0
    (summary,) = exact_json.load(out)
    assert (summary["best_buy"], summary["best_sell"]) == ("10.85", "10.92")
    assert summary["best_sell_from"] == [
        {"institution": "Eskhata", "city": None, "source": "nbt-banks"}
    ]
    assert summary["official_source"] == "nbt" and summary["channel"] == "cash"
    q = summary["quotes"][0]
    assert q["institution"] == "Eskhata" and q["origin"] == "official"
    assert q["quoted_at"] == "2026-11-23T13:00:00+05:00"  # Dushanbe's own offset


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["market", "--side", "up"], "--side: expected buy or sell, got 'up'"),
        (["market", "--channel", "barter"], "--channel: unknown channel 'barter'"),
        (["market", "TJSX"], "CODE: expected a currency like TJS"),
        (["market", "reported", "--side", "buy"], "--side: does not go with"),
        (["market", "--note", "x"], "--note: does not go with 'ticker market'"),
        (["market", "forget", "x"], "market forget: expected the id"),
        (["market", "report", "TMT"], "market report: expected CODE|PAIR RATE"),
        (["market", "report", "TMT", "lots"], "RATE: expected a number like 19.5"),
        (["market", "report", "USD", "19.5"], "CODE: expected a local currency"),
        (
            ["market", "XYZ"],
            "CODE: expected a currency like TJS or a pair like USD/TJS "
            "(local: KGS, KZT, TJS, UZS, TMT; against them: USD, EUR, RUB), got 'XYZ'",
        ),
        (["market", "USD/XYZ"], "CODE: expected a currency like TJS"),
        (["market", "reported", "XYZ"], "CODE: expected a currency like TJS"),
        (
            ["market", "TJS", "--source", "nope"],
            "--source: expected one of nbt-banks, fx-kg, kurs-kz, bank-uz, got 'nope'",
        ),
        (
            ["market", "USD/TJS", "--source", "fx-kg"],
            "--source: fx-kg quotes KGS (against EUR, KZT, RUB, USD), not TJS",
        ),
        (
            ["market", "report", "TMT", "1e3"],
            "RATE: expected a number like 19.5, 19,5 or 12 500 (no sign, no exponent), got '1e3'",
        ),
        (["market", "report", "TMT", "NaN"], "RATE: expected a number like 19.5"),
        (["market", "report", "TMT", "inf"], "RATE: expected a number like 19.5"),
        (["market", "report", "TMT", "-19.5"], "RATE: expected a number like 19.5"),
    ],
)
def test_mistakes_are_one_line_exit_2(
    argv: list[str], message: str, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"ticker: {message}") and err.count("\n") == 1, err


def test_nothing_stored_is_one_line_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TICKER_DB_URL", f"sqlite:///{tmp_path / 'none.db'}")
    monkeypatch.setenv("TICKER_NOW", NOW.isoformat())
    code, out, err = run(capsys, "market")
    assert (code, out) == (1, "")
    assert err == (
        "ticker: no market quotes stored yet; run 'ticker poll --market' (or 'ticker "
        "collect'), or enable a market source in config.toml (ticker config check lists them)\n"
    )
    assert not (tmp_path / "none.db").exists()  # a read of nothing makes no store


def test_a_reported_rate_is_kept_listed_shown_and_forgotten(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "market", "report", "TMT", "19.5", "--note", "Ashgabat, cash")
    assert code == 0, err
    assert out == (
        "reported #1: USD/TMT 19.5 (TMT per USD), stored as reported (not official, not "
        "market data): Ashgabat, cash\n"
    )
    monkeypatch.setenv("TICKER_NOW", (NOW + timedelta(hours=1)).isoformat())
    assert run(capsys, "market", "report", "RUB/TMT", "0.25")[0] == 0
    code, out, _ = run(capsys, "market", "reported", "--json")
    listed = json.loads(out)
    assert [(r["id"], r["pair"], r["rate"], r["origin"]) for r in listed] == [
        (2, "RUB/TMT", "0.25", REPORTED),
        (1, "USD/TMT", "19.5", REPORTED),
    ]
    code, out, _ = run(capsys, "market", "TMT")  # no market quote: the reported ones, said so
    assert code == 0
    assert "Reported by hand (not official, not market data):" in out
    assert "#1 USD/TMT 19.5 reported 2026-11-23T09:00:00" in out
    code, _, err = run(capsys, "market", "forget", "7")
    assert (code, err) == (2, "ticker: no reported rate #7 (see 'ticker market reported')\n")
    assert run(capsys, "market", "forget", "1") == (0, "forgot reported rate #1\n", "")
    code, out, _ = run(capsys, "market", "reported", "TMT")
    assert out == "#2 RUB/TMT 0.25 reported " + out.split(" reported ", 1)[1]


def test_an_implausible_report_is_refused_and_nothing_stored(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "market", "report", "TJS", "1000000")
    assert code == 2 and "is not a plausible rate" in err and err.count("\n") == 1
    assert run(capsys, "market", "reported", "--json")[1] == "[]\n"


def test_convert_at_market_both_directions(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # selling dollars: the bank's buy, the highest (Alif Bank 10.85)
    code, out, err = run(capsys, "convert", "100", "USD", "TJS", "--at", "market")
    assert code == 0, err
    assert out == (
        "100 USD = 1,085.00 TJS at Alif Bank: cash buy 10.85, quoted 23 Nov 08:00 UTC "
        "(nbt-banks) · official 1,088.00 TJS (NBT 10.88)\n"
    )
    # buying dollars with somoni: the bank's sell, the lowest (Eskhata 10.92)
    code, out, _ = run(capsys, "convert", "1092", "TJS", "USD", "--at", "market", "--json")
    record = exact_json.load(out)
    assert record["institution"] == "Eskhata" and record["side"] == "sell"
    assert number(record["price"]) == Decimal("10.92") and number(record["result"]) == 100
    assert record["channel"] == "cash" and record["quoted_at"] == "2026-11-23T13:00:00+05:00"
    assert number(record["official_result"]) == Decimal(1092) / Decimal("10.88")


def test_convert_at_market_without_a_quote_is_exit_1(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "convert", "100", "USD", "TJS", "--at", "market", "--channel", "card"
    )
    assert (code, out) == (1, "")
    assert err == (
        "ticker: no current card USD/TJS market quote stored; run 'ticker poll --market' "
        "(or enable a market source for it in config.toml)\n"
    )
    code, _, err = run(capsys, "convert", "100", "USD", "EUR", "--at", "market")
    assert code == 2 and "one side is a local currency" in err
    code, _, err = run(capsys, "convert", "100", "USD", "TJS", "--channel", "cash")
    assert code == 2 and "--channel: goes with --at market" in err


def test_export_market_is_long_form_exact_with_the_reported_rates(
    store: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "market", "report", "TMT", "19.5", "--note", 'Ashgabat, "cash"')[0] == 0
    code, out, err = run(capsys, "export", "--market")
    assert code == 0, err
    assert out.startswith(
        "source,origin,institution,city,base,quote,channel,buy,sell,quoted_at,"
        "first_fetched_at,last_fetched_at,rate,note\r\n"
    )
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [(r["institution"], r["buy"], r["sell"]) for r in rows[:4]] == [
        ("Optima Bank", "87.10", "87.60"),
        ("Alif Bank", "10.85", "10.95"),
        ("Eskhata", "10.80", "10.92"),
        ("Orienbonk", "10.83", "10.99"),
    ]
    assert rows[1]["origin"] == "official" and rows[0]["origin"] == "third-party"
    assert rows[1]["quoted_at"] == "2026-11-23T13:00:00+05:00"
    assert rows[1]["first_fetched_at"] == "2026-11-23T09:00:00Z"
    reported = rows[-1]
    assert (reported["source"], reported["origin"], reported["rate"], reported["note"]) == (
        REPORTED, REPORTED, "19.5", 'Ashgabat, "cash"',
    )  # fmt: skip
    assert reported["buy"] == reported["sell"] == reported["channel"] == ""
    target = tmp_path / "m.csv"
    code, _, err = run(capsys, "export", "--market", "--since", "2026-11-24", "-o", str(target))
    assert (code, err) == (0, f"0 rows written to {target}\n")
    code, _, err = run(capsys, "export", "--market", "--best")
    assert code == 2 and err == "ticker: --market: --best is for rates, not the market\n"


def test_strip_market_adds_the_best_cash_buy_and_sell(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, plain, err = run(capsys, "strip")
    assert code == 0, err
    code, out, err = run(capsys, "strip", "--market")
    assert code == 0, err
    # fx-kg's KGS is a third party's board: marked as the rates table marks it, said once
    said = " | market KGS 87.10/87.60* TJS 10.85/10.92 (* third party)\n"
    assert out == plain.rstrip("\n") + said
    assert "\n" not in out.rstrip("\n")  # one line


def add_quotes(db: Path, quotes: list[MarketQuote], official: dict[tuple[str, str], str]) -> None:
    repo = repo_for(settings_for(db))
    repo.store_quotes(quotes, {k: Decimal(v) for k, v in official.items()}, Decimal(10))
    repo.close()


def test_a_source_without_quotes_says_its_state(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "market", "KZT", "--source", "kurs-kz")
    assert (code, out) == (1, "")
    assert err == (
        "ticker: no market quotes from kurs-kz stored; kurs-kz is off: third party, set "
        "[providers.kurs-kz] enabled = true\n"
    )
    code, _, err = run(capsys, "market", "TMT")
    assert code == 1
    assert err == (
        "ticker: no market source quotes TMT (no bank or exchange-office board is "
        "published); keep a rate heard with 'ticker market report TMT RATE'\n"
    )


def test_a_board_held_as_implausible_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "held.db"
    board = [quote("nbt-banks", who, ("USD", "TJS"), b, s) for who, b, s in BANKS]
    add_quotes(db, board, {("USD", "TJS"): "7.0000"})  # NBT's rate far off: all held
    monkeypatch.setenv("TICKER_DB_URL", f"sqlite:///{db}")
    monkeypatch.setenv("TICKER_NOW", NOW.isoformat())
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    code, out, err = run(capsys, "market", "TJS")
    assert (code, out) == (1, "")
    assert err == (
        "ticker: no market quote to show: 3 quotes from nbt-banks were held as implausible "
        "(more than 10% from NBT's 7.00)\n"
    )
    assert run(capsys, "market", "KGS")[2].startswith("ticker: no market quotes stored yet")


def test_reported_rates_of_a_code_without_reports(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "market", "report", "KGS", "87.5")[0] == 0
    code, out, err = run(capsys, "market", "reported", "TMT")
    assert (code, out) == (0, "")
    assert err == "ticker: no reported rate of TMT (1 of another currency)\n"


def test_a_report_is_echoed_plain_and_timed_to_the_second(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TICKER_NOW", (NOW + timedelta(microseconds=6)).isoformat())
    code, out, _ = run(capsys, "market", "report", "UZS", "12850.0")
    assert code == 0 and out.startswith("reported #1: USD/UZS 12850.0 (UZS per USD)")
    code, out, _ = run(capsys, "market", "reported")
    assert out == "#1 USD/UZS 12850.0 reported 2026-11-23T09:00:00Z\n"
    assert json.loads(run(capsys, "market", "reported", "--json")[1])[0]["reported_at"] == (
        "2026-11-23T09:00:00Z"
    )


def test_the_board_drops_an_empty_city_column_and_keeps_a_full_one(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "market", "USD/TJS")
    header = out.split("USD/TJS cash, by sell: lowest first\n", 1)[1].splitlines()[0]
    assert code == 0 and header.split()[:3] == ["Institution", "Buy", "Sell"]
    kassa = replace(quote("kurs-kz", "Kassa 24", ("USD", "KZT"), "470.5", "472"), city="Almaty")
    add_quotes(store, [kassa], {})
    code, out, _ = run(capsys, "market", "KZT")
    table = out.split("USD/KZT cash, by sell: lowest first\n", 1)[1].splitlines()
    assert table[0].split()[:3] == ["Institution", "City", "Buy"]
    assert table[1].split()[:3] == ["Kassa", "24", "Almaty"]
    (summary,) = exact_json.load(run(capsys, "market", "KZT", "--json")[1])
    assert summary["quotes"][0]["city"] == "Almaty"


def test_convert_at_market_names_every_tied_best(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_quotes(store, [quote("nbt-banks", "Zudamal", ("USD", "TJS"), "10.85", "11.00")], {})
    code, out, err = run(capsys, "convert", "100", "USD", "TJS", "--at", "market")
    assert code == 0, err
    assert out.startswith("100 USD = 1,085.00 TJS at Alif Bank, Zudamal: cash buy 10.85")
    record = exact_json.load(run(capsys, "convert", "100", "USD", "TJS", "--at", "market",
                                 "--json")[1])  # fmt: skip
    assert [w["institution"] for w in record["best_from"]] == ["Alif Bank", "Zudamal"]


def test_convert_at_market_between_two_local_currencies(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_quotes(store, [quote("fx-kg", "Optima Bank", ("KZT", "KGS"), "0.165", "0.172")], {})
    code, out, err = run(capsys, "convert", "1000", "KZT", "KGS", "--at", "market")
    assert code == 0, err
    assert out.startswith("1,000 KZT = 165.00 KGS at Optima Bank: cash buy 0.165")
    code, out, err = run(capsys, "convert", "172", "KGS", "KZT", "--at", "market")
    assert code == 0, err
    assert out.startswith("172 KGS = 1,000.00 KZT at Optima Bank: cash sell 0.172")


def test_convert_at_market_without_a_market_source_points_to_reports(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "convert", "100", "USD", "TMT", "--at", "market")
    assert (code, out) == (1, "")
    assert err == (
        "ticker: TMT has no market source (no bank or exchange-office board is published); "
        "keep a rate heard with 'ticker market report TMT RATE'\n"
    )
    assert run(capsys, "market", "report", "TMT", "19.5")[0] == 0
    code, _, err = run(capsys, "convert", "100", "USD", "TMT", "--at", "market")
    assert code == 1 and err.endswith(
        "; newest reported USD/TMT 19.5 at 23 Nov 2026 09:00 UTC (reported by hand, not market "
        "data)\n"
    )
    code, _, err = run(capsys, "convert", "100", "CNY", "TJS", "--at", "market")
    assert code == 1
    assert err == (
        "ticker: no market source quotes CNY against TJS (the boards of TJS quote EUR, RUB, USD)\n"
    )


def test_config_check_counts_the_market(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "market", "report", "TMT", "19.5")[0] == 0
    code, out, err = run(capsys, "config", "check")
    assert code == 0, err
    assert "; 1 observation, 4 market quotes, 1 reported rate)" in out
