"""The dashboard screen's backfill keys: ``b`` (``[keys] backfill``) starts a backfill of a
year, or stops the one running; Escape stops it too (and does nothing else while none
runs). The work is the app's (:mod:`ticker.tui.backfilling`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.screen import Screen

from ticker.i18n.words import N_

if TYPE_CHECKING:
    from ticker.tui.backfilling import DashboardBackfill


class BackfillKeys(Screen[None]):
    BINDINGS = [Binding("escape", "stop_backfill", N_("Stop backfill"), show=False)]

    def _backfill_app(self) -> DashboardBackfill:
        return cast("DashboardBackfill", self.app)

    def action_backfill(self) -> None:
        self._backfill_app().toggle_backfill()

    def action_stop_backfill(self) -> None:
        self._backfill_app().stop_backfill()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_backfill" and not self._backfill_app().backfilling:
            return False  # Escape is not taken while no backfill runs
        return super().check_action(action, parameters)
