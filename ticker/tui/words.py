"""What the dashboard says, as text built from values (no widget, no store): the strip's
items and the hint of an empty store (the status line: :mod:`ticker.tui.status`). Tested
without a terminal."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from ticker.config import Settings
from ticker.display.backfill import FIRST_RUN_SINCE
from ticker.display.columns import source_label
from ticker.display.format import format_percent, format_rate
from ticker.display.names import period_tag
from ticker.display.states import is_ok, state_text
from ticker.i18n.words import N_, _
from ticker.model.health import UNKNOWN
from ticker.model.routing import PairView
from ticker.model.snapshot import Snapshot

#: The work a worker does, as a notification's title and the status line name it when
#: it fails (``WorkFailed.what``, a worker's group); any other is said as it is.
WORK_WORDS: dict[str, str] = {
    "store": N_("store"),
    "collector": N_("collector"),
    "alert": N_("alert"),
    "alerts": N_("alerts"),
    "chart": N_("chart"),
    "detail": N_("detail"),
    "market": N_("market"),
    "market-column": N_("market"),
    "market-board": N_("market"),
    "export": N_("export"),
    "indicators": N_("indicators"),
    "decisions": N_("decisions"),
    "orientation": N_("orientation"),
    "theme": N_("theme"),
    "preferences": N_("theme"),
    "refresh": N_("refresh"),
    "snapshot": N_("store"),
    "convert": N_("converter"),
    "backfill": N_("backfill"),
    "worker": N_("worker"),
}


def work_word(what: str) -> str:
    """The work ``what`` (``store``) in the user's words (``хранилище``)."""
    return _(WORK_WORDS[what]) if what in WORK_WORDS else what


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
    tag = period_tag(v.change_period)
    if v.change_pct is None and tag:
        text.append(" " + _("n/a"), style="dim")
    if tag:
        text.append(f" {tag}", style="dim")
    text.append(f" {source_label(v.provider, False)}", style="dim")
    if not is_ok(v):
        text.append(f" ({state_text(v)})", style=colors["warn"])
    return text


def empty_hint(
    snapshot: Snapshot, settings: Settings, collecting: bool, polling: bool, now: datetime
) -> str:
    """What an empty store's chart area says: what is happening, and how to get history
    (the backfill key, or the command; both fetch a year, ``--since 1y``)."""
    key = settings.keys.get("backfill", "b").split(",")[0]
    if not collecting:
        said = _(
            "No rates stored yet, and this dashboard does not collect. Run ticker poll; "
            "press {key} to backfill a year of history here "
            "(or run: ticker backfill --since {since})"
        )
    else:
        polled = [snapshot.health.get(n) for n in settings.enabled_providers("rates")]
        if polling or any(h is None or h.state == UNKNOWN for h in polled):
            said = _(
                "No rates stored yet. Polling the sources now; "
                "press {key} to backfill a year of history here "
                "(or run: ticker backfill --since {since})"
            )
        else:
            said = _(
                "No rates stored yet: every source failed (reasons under Providers). Check "
                "the network or the [providers] base_url settings; "
                "press {key} to backfill a year of history here "
                "(or run: ticker backfill --since {since})"
            )
    return said.format(key=key, since=FIRST_RUN_SINCE)
