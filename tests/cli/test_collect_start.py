"""`ticker collect` as a process says, at its start, when each source is polled next and
why; an interval changed in the config takes effect at the restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from tests.helpers.e2e import E2E_NOW, cbt_route
from tests.helpers.feedserver import FeedServer
from tests.helpers.paths import REPO
from ticker.config import PROVIDERS
from ticker.model.health import OK, ProviderHealth
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


def test_collect_says_each_next_poll_and_a_changed_interval_takes_effect(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    # A collector at the default interval (1h) left Frankfurter, Friday's fixing in hand
    # and nothing due before 16:00 UTC, to be polled again at 15:25.
    last = E2E_NOW - timedelta(minutes=5)
    database = open_database(f"sqlite:///{db}")
    Repository(database).save_health(
        ProviderHealth(
            "frankfurter", OK, last, last, None, 0, E2E_NOW + timedelta(hours=2, minutes=25)
        )
    )
    database.dispose()
    state = tmp_path / "state"
    with FeedServer(cbt_route).running() as server:
        lines = [f'[storage]\nurl = "sqlite:///{db}"\n']
        for name in PROVIDERS:  # every source on the local server; only Frankfurter on
            on = 'interval = "1m"\n' if name == "frankfurter" else "enabled = false\n"
            lines.append(f'[providers.{name}]\nbase_url = "{server.base_url(name)}"\n{on}')
        cfg = tmp_path / "config.toml"
        cfg.write_text("".join(lines))
        env = {**os.environ, "TICKER_NOW": E2E_NOW.isoformat(), "XDG_STATE_HOME": str(state)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "ticker.cli", "--config", str(cfg), "collect", "-v"],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        log = state / "ticker" / "collector.log"
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # until the poll at once is logged
                if log.exists() and "polls: frankfurter: 5 rates" in log.read_text():
                    break
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
            _out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0, err
    said = [line.split(" ", 1)[1] for line in err.splitlines()]
    start = said.index("INFO ticker.collect: collecting from frankfurter into " + str(db))
    assert said[start + 1] == (
        "INFO ticker.collector: frankfurter: polling now (the poll planned for 15:25 UTC was "
        "for another interval; every 1m, as configured)"
    )
    assert said[start + 2].startswith("INFO ticker.collector.polls: frankfurter: 5 rates")
