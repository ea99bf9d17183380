"""What the dashboard loads after its first frame: the store's and the collector's
modules (in one fixed order, from whichever thread needs them first), and the screens
opened on demand."""

from __future__ import annotations

import threading

from textual.app import App

_imports = threading.Lock()
_loaded_modules: set[str] = set()


#: What reading the store needs (no ORM), then what writing, collecting and exporting
#: need besides.
STORE_MODULES = (
    "ticker.storage.reader",
    "ticker.storage.changes",
    "ticker.core.rates",
    "ticker.core.snapshot",
)
COLLECTOR_MODULES = (
    "ticker.core.polling",
    "ticker.storage.repository",
    "ticker.core.ingest",
    "ticker.core.alerts.evaluate",
    "ticker.core.alerts.deliver",
    "ticker.core.collector",
    "ticker.core.net",
    "ticker.core.registry",
    "ticker.core.scheduler",
    "ticker.core.export",
)
#: What reading the market needs besides the store's (the rates table's market column).
MARKET_MODULES = ("ticker.core.market", "ticker.display.market")
#: What the monetary monitor needs besides (the status line's decisions, the indicators
#: screen's panel, the pair detail's policy rate).
MONETARY_MODULES = ("ticker.model.monetary", "ticker.display.monetary_screen")


def load_store_modules(
    collector: bool = False, market: bool = False, monetary: bool = False
) -> None:
    """Import the storage and routing modules (and with ``collector``, the collector's and
    export's too), once, in a fixed order, under a lock. They load after the first frame,
    from worker threads and the collector's start at the same time: Python's per-module
    import locks can otherwise meet in a cycle across threads and fail one import (a
    collector that silently never starts). The first read of the store does not wait for
    the collector's modules."""
    import importlib

    with _imports:
        wanted = STORE_MODULES + (COLLECTOR_MODULES if collector else ())
        wanted += MARKET_MODULES if market else ()
        wanted += MONETARY_MODULES if monetary else ()
        for name in wanted:
            if name not in _loaded_modules:
                importlib.import_module(name)
                _loaded_modules.add(name)


class _Screens:
    """The screens opened on demand, imported then (not before the first frame)."""

    def __init__(self) -> None:
        from ticker.tui.screens.confirm import ConfirmScreen
        from ticker.tui.screens.converter import ConverterScreen
        from ticker.tui.screens.detail import DetailScreen
        from ticker.tui.screens.forms import AlertForm, ExportForm, RuleFields
        from ticker.tui.screens.indicators import IndicatorsScreen
        from ticker.tui.screens.market import MarketScreen
        from ticker.tui.screens.snooze import SnoozeScreen

        self.ConfirmScreen = ConfirmScreen
        self.ConverterScreen = ConverterScreen
        self.DetailScreen = DetailScreen
        self.AlertForm = AlertForm
        self.RuleFields = RuleFields
        self.SnoozeScreen = SnoozeScreen
        self.ExportForm = ExportForm
        self.IndicatorsScreen = IndicatorsScreen
        self.MarketScreen = MarketScreen


_loaded: _Screens | None = None


def screens() -> _Screens:
    global _loaded
    if _loaded is None:
        _loaded = _Screens()
    return _loaded


def showing_indicators(app: App[None]) -> bool:
    return _loaded is not None and isinstance(app.screen, _loaded.IndicatorsScreen)


def showing_market(app: App[None]) -> bool:
    return _loaded is not None and isinstance(app.screen, _loaded.MarketScreen)
