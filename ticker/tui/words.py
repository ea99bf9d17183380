"""What the dashboard says, as text built from values (no widget, no store): the strip's
items, the status line, the hint of an empty store. Tested without a terminal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from rich.text import Text

from ticker.config import Settings
from ticker.display.format import format_percent, format_rate
from ticker.display.states import is_ok, state_text
from ticker.display.views import relative
from ticker.model.health import FAILING, UNKNOWN, UNSTABLE
from ticker.model.routing import PairView
from ticker.model.snapshot import Snapshot


def strip_item(v: PairView, digits: int, colors: dict[str, str]) -> Text:
    """``USD/KZT 478.77 +0.12% NBK``, rises and falls in the theme's colours, a state
    other than ok after it."""
    text = Text()
    text.append(f"{v.pair} ", style="bold")
    text.append(format_rate(v.rate, digits))
    if v.change_pct is not None:
        up, down = v.change_pct > 0, v.change_pct < 0
        style = colors["up"] if up else colors["down"] if down else ""
        text.append(f" {format_percent(v.change_pct)}", style=style)
    text.append(f" {v.provider.upper()}", style="dim")
    if not is_ok(v):
        text.append(f" ({state_text(v)})", style=colors["warn"])
    return text


def status_line(
    snapshot: Snapshot | None, collecting_from: Sequence[str] | None, note: str, now: datetime
) -> str:
    """``polled 2 min ago · collecting from 11 sources · 14:05 UTC``; when the last poll of
    every source failed, ``offline since 14:02: no source reachable · 14:05 UTC``; without
    a collector (``collecting_from`` None) the age of the newest data and the note instead.
    """
    clock = now.strftime("%H:%M UTC")
    offline = offline_text(snapshot, collecting_from, now)
    if offline is not None:
        return f"{offline}  ·  {clock}"
    parts = []
    if snapshot is not None:
        polled = [h.last_success for h in snapshot.health.values() if h.last_success]
        if collecting_from is not None and polled:
            parts.append(f"polled {relative(max(polled), now)}")
        elif snapshot.views:
            latest = max(v.fetched_at for v in snapshot.views)
            parts.append(f"updated {relative(latest, now)}")
    if collecting_from is not None:
        parts.append(f"collecting from {len(collecting_from)} sources")
    elif note:
        parts.append(note)
    parts.append(clock)
    return "  ·  ".join(parts)


def offline_text(
    snapshot: Snapshot | None, sources: Sequence[str] | None, now: datetime
) -> str | None:
    """``offline since 14:02: no source reachable`` when the last poll of every source
    this dashboard collects from failed (since: the last time one answered, in ``now``'s
    zone, with the day when it was not today); None otherwise, and while a source has
    not been polled yet."""
    if snapshot is None or not sources:
        return None
    health = [snapshot.health.get(name) for name in sources]
    if any(h is None or h.state not in (UNSTABLE, FAILING) for h in health):
        return None
    reached = [h.last_success for h in health if h is not None and h.last_success is not None]
    if not reached:
        return "offline: no source reachable"
    since = max(reached).astimezone(now.tzinfo)
    shown = since.strftime("%H:%M") if since.date() == now.date() else since.strftime("%d %b %H:%M")
    return f"offline since {shown}: no source reachable"


def empty_hint(
    snapshot: Snapshot, settings: Settings, collecting: bool, polling: bool, now: datetime
) -> str:
    """What an empty store's chart area says: what is happening, and how to get history."""
    since = (now.date().replace(day=1) - timedelta(days=365)).isoformat()
    backfill = f"for history run: ticker backfill --since {since}"
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
