"""``ticker backfill --indicators``: the indicator sources' history from a date, as a
process against the monetary sources' recorded (or built) answers on the local feed
server, on SQLite and PostgreSQL. The IMF's SDMX service is asked a series a country
with its time filter; the whole-file sources are read whole and their values before
``--since`` dropped; the plan says the requests and their time; a rerun adds nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers.feedserver import FeedServer
from tests.helpers.monetary_feeds import MONETARY_NAMES, MONETARY_NOW, MonetaryFeeds
from tests.helpers.paths import REPO
from ticker.config import PROVIDERS
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

#: The five monetary sources (cbu-stavka's page and workbook served too).
PROVIDER_ARGS = [a for name in (*MONETARY_NAMES, "cbu-stavka") for a in ("--provider", name)]


def write_config(tmp_path: Path, server: FeedServer) -> Path:
    lines = []
    for name, spec in PROVIDERS.items():  # every source on the local server
        lines.append(f'[providers.{name}]\nbase_url = "{server.base_url(name)}"\n')
        if spec.kind == "market":
            lines.append("enabled = false\n")
    cfg = tmp_path / "config.toml"
    cfg.write_text("".join(lines))
    return cfg


def backfill(cfg: Path, db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TICKER_NOW": MONETARY_NOW.isoformat(), "TICKER_DB_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "ticker.cli", "--config", str(cfg), "backfill", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def periods(db_url: str) -> dict[tuple[str, str], list[str]]:
    """Each (source, series)'s stored periods, oldest first."""
    database = open_database(db_url)
    try:
        found: dict[tuple[str, str], list[str]] = {}
        for p in Repository(database).indicator_points():
            found.setdefault((p.source, p.indicator), []).append(p.period)
        return {key: sorted(set(v)) for key, v in found.items()}
    finally:
        database.dispose()


def test_five_years_back_in_21_requests_then_nothing_new(tmp_path: Path, db_url: str) -> None:
    with FeedServer(MonetaryFeeds()).running() as server:
        cfg = write_config(tmp_path, server)
        first = backfill(cfg, db_url, "--indicators", "--since", "5y", "-v", *PROVIDER_ARGS)
        seen = list(server.seen)
        again = backfill(cfg, db_url, "--indicators", "--since", "5y", *PROVIDER_ARGS)

    assert first.returncode == 0, first.stderr
    said = first.stderr.splitlines()
    # The plan: requests and time, in all and per source (the rate backfill's words).
    assert said[0].startswith(
        "ticker: backfill from 2021-09-05 to 2026-09-05: about 21 requests, ~"
    )
    plan = {line.split()[1]: line for line in said[1:6]}
    assert "about 2 requests" in plan["nbk-data"] and "about 15 requests" in plan["imf-sdmx"]
    assert "about 1 request," in plan["cbu-policy"] and "about 1 request," in plan["siat"]
    assert "about 2 requests," in plan["cbu-stavka"]  # the page, then its workbook
    assert said[-1] == "188 new values stored from 2021-09-05 to 2026-09-05."
    assert "ticker: imf-sdmx: no cpi-index for KAZ: the IMF has no observations" in first.stderr

    # One request a series a country of the IMF, each with the SDMX 3.0 time filter; the
    # whole files once (NBK's form 34 on its two pages; the CBU's page, then its workbook).
    asked = Counter(s.provider for s in seen)
    assert asked == {"nbk-data": 3, "imf-sdmx": 15, "cbu-policy": 1, "siat": 1, "cbu-stavka": 2}
    imf = [s for s in seen if s.provider == "imf-sdmx"]
    assert {tuple(s.query.items()) for s in imf} == {(("c[TIME_PERIOD]", "ge:2021-09+le:2026-09"),)}
    assert len({s.path for s in imf}) == 15

    stored = periods(db_url)
    # CBU's file runs from 2013-01: the months before September 2021 are dropped.
    assert stored[("cbu-policy", "policy-rate")][0] == "2021-09"
    assert len(stored[("cbu-policy", "policy-rate")]) == 52  # 2021-09 .. 2025-12
    assert stored[("siat", "cpi-mom")][0] == "2024-01"  # the file's first month
    # The CBU's decisions from September 2021 on, each on the day it took effect.
    assert stored[("cbu-stavka", "policy-rate")] == [
        "2022-03-18", "2022-06-10", "2022-07-22", "2023-03-17", "2024-07-26", "2025-03-24",
    ]  # fmt: skip
    # The decision announced on Saturday for Monday is kept: --until was not given.
    assert stored[("nbk-data", "policy-rate")][-1] == "2026-09-07"

    assert again.returncode == 0, again.stderr
    assert again.stderr.splitlines()[-1] == "0 new values stored from 2021-09-05 to 2026-09-05."


def test_until_drops_what_comes_after_and_narrows_the_imfs_filter(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 't.db'}"
    with FeedServer(MonetaryFeeds()).running() as server:
        cfg = write_config(tmp_path, server)
        args = ["--indicators", "--since", "2025-01", "--until", "2026-06-30"]
        result = backfill(cfg, db_url, *args, "--provider", "nbk-data", "--provider", "imf-sdmx")
        imf = [s for s in server.seen if s.provider == "imf-sdmx"]
    assert result.returncode == 0, result.stderr
    assert {s.query["c[TIME_PERIOD]"] for s in imf} == {"ge:2025-01+le:2026-06"}
    stored = periods(db_url)
    assert stored[("nbk-data", "policy-rate")] == [
        "2025-01-20",
        "2025-03-11",
        "2025-04-14",
        "2025-06-09",
        "2025-07-14",
        "2025-09-02",
        "2025-10-13",
        "2025-12-01",
        "2026-01-26",
        "2026-03-10",
        "2026-04-27",
        "2026-06-08",
    ]
    assert stored[("nbk-data", "reserves")] == ["2026-03", "2026-04", "2026-06"]
    assert result.stderr.splitlines()[-1].endswith("stored from 2025-01-01 to 2026-06-30.")


def test_a_source_that_fails_is_one_line_and_the_others_are_stored(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 't.db'}"
    feeds = MonetaryFeeds()
    feeds.failing = {"siat"}
    with FeedServer(feeds).running() as server:
        cfg = write_config(tmp_path, server)
        result = backfill(cfg, db_url, "--indicators", "--since", "1y", *PROVIDER_ARGS)
        url = server.base_url("siat") + "/media/uploads/sdmx/sdmx_data_4585.json"
    assert result.returncode == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("ticker: siat")]
    assert line.startswith("ticker: siat: 1 request failed: HTTP 503") and line.endswith(f"({url})")
    assert "Traceback" not in result.stderr
    stored = periods(db_url)
    assert ("siat", "cpi-mom") not in stored
    assert stored[("cbu-policy", "policy-rate")][0] == "2025-09"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pair", "KZT"], "ticker: --indicators: --pair is for rates, not indicators\n"),
        (["--provider", "nbk"], "got 'nbk' (a rates source)\n"),
    ],
)
def test_rate_options_are_refused_with_indicators(
    tmp_path: Path, args: list[str], message: str
) -> None:
    with FeedServer(MonetaryFeeds()).running() as server:
        cfg = write_config(tmp_path, server)
        result = backfill(
            cfg, f"sqlite:///{tmp_path / 't.db'}", "--indicators", "--since", "1y", *args
        )
        assert server.seen == []
    assert result.returncode == 2
    assert result.stderr.endswith(message) and result.stderr.count("\n") == 1
