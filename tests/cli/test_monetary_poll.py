"""The monetary sources end to end: ``ticker poll``, ``providers`` and ``health`` as
processes against their recorded (or built) answers on the local feed server
(tests/helpers/monetary_feeds.py), on SQLite and PostgreSQL.

Each source's values are stored with their period and release date; polling again adds
nothing; a revised CPI keeps both values; a series a source refuses is said on its poll
line and in ``ticker providers``; a source that fails says one line naming it and what it
said, and nothing stored is lost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from tests.helpers.feedserver import FeedServer
from tests.helpers.monetary_feeds import (
    FIRST_CPI,
    MONETARY_NAMES,
    MONETARY_NOW,
    REVISED_CPI,
    MonetaryFeeds,
)
from tests.helpers.paths import REPO
from ticker.config import PROVIDERS
from ticker.storage.db import open_database
from ticker.storage.lease import Identity
from ticker.storage.lease.sqlite import SqliteLease
from ticker.storage.repository import Repository

#: nbk-data asked for the tenge remittances too: refused, with the reason.
TENGE = (
    "form 408 gives million tenge (2 months to 2026-05) and no exchange rate: "
    "not stored as USD millions"
)


def write_config(tmp_path: Path, server: FeedServer) -> Path:
    """Every source on the local server (no internet); nbk-data also asked for the
    remittances it refuses."""
    lines = []
    for name, spec in PROVIDERS.items():
        lines.append(f'[providers.{name}]\nbase_url = "{server.base_url(name)}"\n')
        if spec.kind == "market":
            lines.append("enabled = false\n")
        if name == "nbk-data":
            lines.append(
                'indicators = ["policy-rate", "policy-corridor-low", "policy-corridor-high", '
                '"reserves", "remittances-in"]\n'
            )
    cfg = tmp_path / "config.toml"
    cfg.write_text("".join(lines))
    return cfg


def run(cfg: Path, db_url: str, *args: str, days: int = 0) -> subprocess.CompletedProcess[str]:
    now = MONETARY_NOW + timedelta(days=days)
    env = {**os.environ, "TICKER_NOW": now.isoformat(), "TICKER_DB_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "ticker.cli", "--config", str(cfg), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def poll(cfg: Path, db_url: str, *names: str) -> subprocess.CompletedProcess[str]:
    return run(cfg, db_url, "poll", *[a for name in names for a in ("--provider", name)])


def lines_of(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    return {line.split()[0]: line for line in result.stdout.splitlines()}


def stored(db_url: str) -> Repository:
    return Repository(open_database(db_url))


def test_the_four_are_polled_stored_once_revised_and_said(tmp_path: Path, db_url: str) -> None:
    feeds = MonetaryFeeds()
    with FeedServer(feeds).running() as server:
        cfg = write_config(tmp_path, server)
        first = poll(cfg, db_url, *MONETARY_NAMES)
        again = poll(cfg, db_url, *MONETARY_NAMES)
        feeds.revise()
        revised = poll(cfg, db_url, "imf-sdmx")
        providers = run(cfg, db_url, "providers", "--json")
        table = run(cfg, db_url, "providers", "-v")
        asked = {(s.provider, s.path) for s in server.seen}
    assert not {name for name, _ in asked} - set(MONETARY_NAMES)  # nothing else was asked

    assert first.returncode == 0, first.stderr
    said = lines_of(first)
    assert said["nbk-data"] == (
        "nbk-data     ok      51 indicator values (51 new, 0 revised); "
        f"refused remittances-in: {TENGE}"
    )
    assert said["imf-sdmx"] == "imf-sdmx     ok      52 indicator values (52 new, 0 revised)"
    assert said["cbu-policy"] == "cbu-policy   ok      156 indicator values (156 new, 0 revised)"
    assert said["siat"] == "siat         ok      27 indicator values (27 new, 0 revised)"
    # Polling the same answers again adds nothing.
    assert again.returncode == 0, again.stderr
    assert len(lines_of(again)) == 4
    for line in lines_of(again).values():
        assert "(0 new, 0 revised)" in line, line
    # The IMF revised KAZ's CPI of August: a new value of the same month, the old kept.
    assert revised.returncode == 0, revised.stderr
    assert revised.stdout == "imf-sdmx     ok      52 indicator values (0 new, 1 revised)\n"

    repo = stored(db_url)
    points = {(p.source, p.indicator, p.country, p.period): p for p in repo.indicator_points()}
    assert len(points) == 51 + 52 + 156 + 27
    # Period at the series' own frequency, and the release date the source gives.
    decision = points[("nbk-data", "policy-rate", "KAZ", "2026-09-07")]  # announced Saturday
    assert (decision.value, decision.released) == (Decimal("16.25"), date(2026, 9, 7))
    reserves = points[("nbk-data", "reserves", "KAZ", "2026-06")]
    assert (reserves.value, reserves.released) == (Decimal("61828.63729572266"), None)
    assert points[("cbu-policy", "policy-rate", "UZB", "2025-12")].value == Decimal(14)
    assert points[("siat", "cpi-mom", "UZB", "2026-03")].value == Decimal("0.6")
    assert points[("imf-sdmx", "policy-rate", "KGZ", "2026-06")].value == Decimal("9.5")
    cpi = points[("imf-sdmx", "cpi-yoy", "KAZ", "2026-08")]
    assert (cpi.value, cpi.previous_value) == (Decimal(REVISED_CPI), Decimal(FIRST_CPI))
    [old] = repo.indicator_revisions("imf-sdmx", "cpi-yoy", "KAZ")
    assert (old.period, old.value) == ("2026-08", Decimal(FIRST_CPI))
    repo.db.dispose()

    # ticker providers: each source's health, and the series it refused.
    assert providers.returncode == 0, providers.stderr
    records = {r["provider"]: r for r in json.loads(providers.stdout)["providers"]}
    for name in MONETARY_NAMES:
        assert (records[name]["state"], records[name]["enabled"]) == ("ok", True), name
    assert [(r["indicator"], r["reason"]) for r in records["nbk-data"]["refused"]] == [
        ("remittances-in", TENGE)
    ]
    assert records["imf-sdmx"]["refused"] == []
    row = next(line for line in table.stdout.splitlines() if line.startswith("nbk-data "))
    assert row.split()[1] == "ok" and row.endswith(f"refused remittances-in: {TENGE}")


def test_a_failing_source_says_one_line_and_loses_nothing(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 't.db'}"
    feeds = MonetaryFeeds()
    with FeedServer(feeds).running() as server:
        cfg = write_config(tmp_path, server)
        assert poll(cfg, db_url, *MONETARY_NAMES).returncode == 0
        feeds.failing = {"siat", "nbk-data"}
        failed = poll(cfg, db_url, *MONETARY_NAMES)
        providers = run(cfg, db_url, "providers", "--json")
    assert failed.returncode == 1  # some failed: what the others gave is stored
    said = lines_of(failed)
    url = server.base_url("siat") + "/media/uploads/sdmx/sdmx_data_4585.json"
    assert said["siat"].startswith("siat         failed  ")
    assert "503" in said["siat"] and said["siat"].endswith(f"({url})")
    assert said["nbk-data"].startswith("nbk-data     failed  ")
    assert said["cbu-policy"].startswith("cbu-policy   ok      156 indicator values (0 new")
    assert len(failed.stdout.splitlines()) == 4 and "Traceback" not in failed.stderr
    repo = stored(db_url)
    counts: dict[str, int] = {}
    for point in repo.indicator_points():
        counts[point.source] = counts.get(point.source, 0) + 1
    repo.db.dispose()
    assert counts == {"nbk-data": 51, "imf-sdmx": 52, "cbu-policy": 156, "siat": 27}
    records = {r["provider"]: r for r in json.loads(providers.stdout)["providers"]}
    assert records["siat"]["state"] == "unstable" and "503" in records["siat"]["last_error"]
    # Its refusals as last said stay: the failed poll asked nothing of its series.
    assert [r["indicator"] for r in records["nbk-data"]["refused"]] == ["remittances-in"]


def test_health_says_a_monetary_source_no_longer_polled(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    db_url = f"sqlite:///{db}"
    later = MONETARY_NOW + timedelta(days=2)
    with FeedServer(MonetaryFeeds()).running() as server:
        cfg = write_config(tmp_path, server)
        assert poll(cfg, db_url, "nbk-data").returncode == 0
        fresh = run(cfg, db_url, "health", "--json")
        lease = SqliteLease(Identity("collector-host", 4321, later), str(db), database=db)
        lease.acquire(later)  # a collector holds the store, but polls nothing
        try:
            stalled = run(cfg, db_url, "health", "--json", days=2)
        finally:
            lease.abandon()
    assert not any("nbk-data" in r for r in json.loads(fresh.stdout)["reasons"])
    reasons = json.loads(stalled.stdout)["reasons"]
    assert stalled.returncode == 1
    assert any(r.startswith("nbk-data: nothing polled for ") for r in reasons), reasons
