"""News that lands while the app shuts down: Textual's test harness (and any caller of
``App._shutdown`` from another task) removes the screens' widgets while the app's own
loop still takes the messages queued before. A snapshot, a round or a failure landing
then is dropped, never a crash (it was a flake of the refresh-through-the-store test:
``NoMatches: No nodes match 'RatesTable'``). The race itself is not reproducible on
demand; what the app does once it is marked as shutting down is."""

from __future__ import annotations

import pytest

from tests.helpers.dashboard import NOW, settle
from ticker.config import Settings
from ticker.tui.app import TickerApp
from ticker.tui.messages import SnapshotLoaded


@pytest.mark.parametrize("running", [True, False])
async def test_a_snapshot_is_shown_only_while_the_app_runs(seeded: Settings, running: bool) -> None:
    app = TickerApp(seeded, collect=False, now=lambda: NOW, animate=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        snapshot = app.dashboard.snapshot
        assert snapshot is not None
        app.dashboard.snapshot = None
        if not running:
            app._running = False  # as App._shutdown marks it before removing the screens
        app.show_snapshot(SnapshotLoaded(snapshot))
        assert (app.dashboard.snapshot is snapshot) is running
        app._running = True
