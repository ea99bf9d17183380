"""What the dashboard says, as text built from values (no widget, no store): the strip's
items and the hint of an empty store (the status line: :mod:`ticker.tui.status`). Tested
without a terminal."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from ticker.config import Settings
from ticker.display.backfill import FIRST_RUN_SINCE
from ticker.display.format import format_percent, format_rate
from ticker.display.states import is_ok, state_text
from ticker.model.health import UNKNOWN
from ticker.model.routing import PairView
from ticker.model.snapshot import Snapshot


def strip_item(v: PairView, digits: int, colors: dict[str, str]) -> Text:
    """``USD/KZT 478.77 +0.12% NBK``, rises and falls in the theme's colours, the
    change's period when it is not the previous fixing (``+1.20% 1M``, ``n/a 1M`` when
    the history is shorter), a state other than ok after it."""
    text = Text()
    text.append(f"{v.pair} ", style="bold")
    text.append(format_rate(v.rate, digits))
    if v.change_pct is not None:
        up, down = v.change_pct > 0, v.change_pct < 0
        style = colors["up"] if up else colors["down"] if down else ""
        text.append(f" {format_percent(v.change_pct)}", style=style)
    elif v.change_period.tag:
        text.append(" n/a", style="dim")
    if v.change_period.tag:
        text.append(f" {v.change_period.tag}", style="dim")
    text.append(f" {v.provider.upper()}", style="dim")
    if not is_ok(v):
        text.append(f" ({state_text(v)})", style=colors["warn"])
    return text


def empty_hint(
    snapshot: Snapshot, settings: Settings, collecting: bool, polling: bool, now: datetime
) -> str:
    """What an empty store's chart area says: what is happening, and how to get history
    (the backfill key, or the command; both fetch a year, ``--since 1y``)."""
    key = settings.keys.get("backfill", "b").split(",")[0]
    backfill = (
        f"press {key} to backfill a year of history here "
        f"(or run: ticker backfill --since {FIRST_RUN_SINCE})"
    )
    if not collecting:
        return (
            f"No rates stored yet, and this dashboard does not collect. Run ticker poll; {backfill}"
        )
    polled = [snapshot.health.get(n) for n in settings.enabled_providers("rates")]
    if polling or any(h is None or h.state == UNKNOWN for h in polled):
        return f"No rates stored yet. Polling the sources now; {backfill}"
    return (
        "No rates stored yet: every source failed (reasons under Providers). Check the "
        f"network or the [providers] base_url settings; {backfill}"
    )
