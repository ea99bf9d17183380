"""`ticker poll` beside a running collector: the one-off poll is recorded, and every
source's next run stays the one the collector planned (`ticker providers` shows it)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from tests.helpers.cli import ticker
from tests.helpers.e2e import E2E_ENV, E2E_NOW, cbt_route, write_config
from tests.helpers.feedserver import FeedServer
from ticker.config import RATE_PROVIDERS
from ticker.model.health import OK, ProviderHealth
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


def test_a_one_off_poll_keeps_every_next_run_shown(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    planned = E2E_NOW + timedelta(hours=2, minutes=57)
    last = E2E_NOW - timedelta(minutes=3)
    database = open_database(f"sqlite:///{db}")
    repo = Repository(database)
    for name in RATE_PROVIDERS:  # as a running collector left them
        repo.save_health(ProviderHealth(name, OK, last, last, None, 0, planned))
    database.dispose()
    with FeedServer(cbt_route).running() as server:
        cfg = write_config(tmp_path, server, db)
        polled = ticker("--config", str(cfg), "poll", env=E2E_ENV)
    assert polled.returncode == 0, polled.stdout + polled.stderr
    shown = ticker("--config", str(cfg), "providers", "--json", env=E2E_ENV)
    records = {r["provider"]: r for r in json.loads(shown.stdout)["providers"]}
    for name in RATE_PROVIDERS:
        assert records[name]["next_run"] == planned.strftime("%Y-%m-%dT%H:%M:%SZ"), name
        assert records[name]["last_attempt"] != last.strftime("%Y-%m-%dT%H:%M:%SZ")  # polled
    table = ticker("--config", str(cfg), "providers", env=E2E_ENV).stdout
    for line in table.splitlines()[1 : 1 + len(RATE_PROVIDERS)]:
        assert "in 2h5" in line, line  # not `-`
