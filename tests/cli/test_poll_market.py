"""``ticker poll`` polls the rates; ``--market`` the enabled market sources too, each said
in one line, a failing board making the exit 1 as any source asked for does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.e2e import E2E_NOW, cbt_route, write_config
from tests.helpers.factories import obs
from tests.helpers.feedserver import FeedServer, Reply
from tests.helpers.market import BOARD, join_market
from ticker.cli import main
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


class Feeds:
    """The recorded rate sources, and a board that is up or down."""

    def __init__(self) -> None:
        self.board_up = True

    def __call__(self, provider: str, path: str, query: dict[str, str]) -> Reply:
        if provider == "nbt-banks":
            if not self.board_up:
                return 503, b"down for maintenance"
            return 200, json.dumps({"rows": BOARD}).encode()
        return cbt_route(provider, path, query)


@pytest.fixture(autouse=True)
def joined(monkeypatch: pytest.MonkeyPatch) -> None:
    join_market(monkeypatch)
    monkeypatch.setenv("TICKER_NOW", E2E_NOW.isoformat())


def lines_of(out: str, name: str) -> list[str]:
    return [line for line in out.splitlines() if line.split(" ")[0] == name]


def test_poll_polls_the_rates_and_market_the_boards_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = Feeds()
    with FeedServer(feeds).running() as server:
        extra = "[collector]\nretries = 1\n"
        cfg = write_config(tmp_path, server, tmp_path / "t.db", extra, market=True)
        assert main(["--config", str(cfg), "poll"]) == 0
        out = capsys.readouterr().out
        assert lines_of(out, "nbk") and not lines_of(out, "nbt-banks")
        assert server.requests_of("nbt-banks") == []
        assert main(["--config", str(cfg), "poll", "--market"]) == 0
        out = capsys.readouterr().out
        # The fake board's 10.95 is far from the recorded NBT fixing of 9.3: held, and said.
        (line,) = lines_of(out, "nbt-banks")
        assert line.startswith("nbt-banks    ok      3 quotes; held 3 quotes as implausible")
        assert lines_of(out, "fx-kg") == []  # off: a third party, and no token
        feeds.board_up = False
        assert main(["--config", str(cfg), "poll", "--market"]) == 1
        (line,) = lines_of(capsys.readouterr().out, "nbt-banks")
        assert line.startswith("nbt-banks    failed  HTTP 503")
        assert main(["--config", str(cfg), "poll", "--provider", "nbt-banks"]) == 1
    assert main(["--config", str(cfg), "poll", "--market", "--provider", "nbk"]) == 2
    assert "--market and --provider: choose one" in capsys.readouterr().err


def test_a_board_held_as_implausible_is_said_in_the_poll_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # NBT's official rate 7.0000 somoni per dollar: the board's 10.95 (sell) is 56% off,
    # far beyond [sanity] market_band's 10%: every quote is held, and the line says so.
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    day = E2E_NOW.date()
    Repository(database).add_observations([obs("TJS", "7.0000", day, "nbt", fetched_at=E2E_NOW)])
    database.dispose()
    with FeedServer(Feeds()).running() as server:
        extra = "[collector]\nretries = 1\n"
        cfg = write_config(tmp_path, server, db, extra, market=True)
        assert main(["--config", str(cfg), "poll", "--provider", "nbt-banks"]) == 0
    (line,) = lines_of(capsys.readouterr().out, "nbt-banks")
    assert line == (
        "nbt-banks    ok      3 quotes; held 3 quotes as implausible "
        "(more than 10% from NBT's official rate: USD/TJS)"
    )
