"""A read of new fixings alone (``SnapshotLoaded.rows_only``: the rules, the health and the
firings are as they were) redraws what the rows feed, and leaves the alerts table, the
providers panel and the next tick of the clock as they are."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY, make_app, repo_for, rows, settle
from ticker.config import Settings
from ticker.display.format import format_rate
from ticker.tui.messages import SnapshotLoaded
from ticker.tui.widgets.panels import AlertsTable, ProvidersPanel


async def test_new_fixings_alone_leave_the_panels_untouched(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    for widget, method in ((AlertsTable, "show"), (ProvidersPanel, "show_health")):
        real = getattr(widget, method)

        def counting(self: Any, *args: Any, _real: Any = real, _name: str = method) -> Any:
            drawn.append(_name)
            return _real(self, *args)

        monkeypatch.setattr(widget, method, counting)
    loaded: list[SnapshotLoaded] = []
    app = make_app(seeded)
    app.looks.gap = 0.0  # the look reads at once (the pace: test_look_pace.py)
    async with app.run_test(
        size=(100, 30),
        message_hook=lambda m: loaded.append(m) if isinstance(m, SnapshotLoaded) else None,
    ) as pilot:
        await settle(pilot)
        assert "show" in drawn and "show_health" in drawn  # the first read draws them
        tick = app.dashboard._tick_timer
        drawn.clear()
        other = repo_for(seeded)  # another process's collector stores tomorrow's fixing
        tomorrow = TODAY + timedelta(days=1)
        other.store([Observation("nbkr", "USD", "KGS", tomorrow, Decimal("88.10"), False, NOW)])
        other.db.dispose()
        app._reload_if_changed()
        await settle(pilot)
        assert loaded[-1].rows_only
        assert rows(app)[0]["Rate"] == format_rate(Decimal(1) / Decimal("88.10"), 5)
        assert drawn == []
        assert app.dashboard._tick_timer is tick  # the tick set comes no later: kept
        app.load_snapshot()  # a whole read (a key, a round): the panels drawn again
        await settle(pilot)
        assert not loaded[-1].rows_only
        assert "show" in drawn and "show_health" in drawn
