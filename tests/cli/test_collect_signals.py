"""`ticker collect` ends on SIGHUP (the terminal it ran in closed) as on SIGTERM: the
lease released, its row removed, exit 0."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.helpers.e2e import cbt_route
from tests.helpers.feedserver import FeedServer
from tests.helpers.leases import active_rows, collectors, write_config


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT])
def test_a_hangup_stops_the_collector_and_releases_the_lease(
    tmp_path: Path, sig: signal.Signals
) -> None:
    url = f"sqlite:///{tmp_path / 'ticker.db'}"
    with FeedServer(cbt_route).running() as server:
        cfg = write_config(tmp_path, server, url)
        with collectors(cfg, tmp_path) as start:
            first = start("first")
            first.wait_for("collecting from")
            assert len(active_rows(url)) == 1
            first.proc.send_signal(sig)
            _out, err = first.proc.communicate(timeout=60)
            assert first.proc.returncode == 0, err
            assert active_rows(url) == []  # its row removed: released, not abandoned
            second = start("second")  # the lease is free: the next one polls at once
            second.wait_for("collecting from")
            assert not second.lines("took over") and not second.lines("standing by")
    assert "Traceback" not in err
    assert first.lines("stopped") and first.lines("stopping")
