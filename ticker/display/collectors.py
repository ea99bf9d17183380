"""The words for the store's collectors: the log lines of the lease, the dashboard's
status, and ``ticker providers``' table and JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ticker.i18n.dates import day_month
from ticker.i18n.words import _
from ticker.i18n.zone import clock, in_zone, zone_name
from ticker.model.collectors import CollectorRecord


def since_text(when: datetime, now: datetime, zone_shown: bool = True) -> str:
    """A moment on the user's clock: ``14:02 UTC`` today, ``28 Nov 14:02 UTC`` another
    day (``14:02 +06`` at ``[display] timezone = "Asia/Bishkek"``); ``zone_shown``: with
    the zone's name (a time standing alone in a line), else without it."""
    shown, today = in_zone(when), in_zone(now)
    said = (
        clock(when)
        if shown.date() == today.date()
        else f"{day_month(shown).removeprefix('0')} {clock(when)}"
    )
    return f"{said} {zone_name(when)}" if zone_shown else said


def standing_by(names: Sequence[str], holder: CollectorRecord | None, now: datetime) -> str:
    """``standing by: nbkr, nbk, ... polled by host pid 1234 since 14:02 UTC``."""
    polled = ", ".join(names)
    if holder is None:
        return _("standing by: {sources} polled by another collector (it did not say who)").format(
            sources=polled
        )
    since = holder.active_since or holder.started_at
    return _("standing by: {sources} polled by {who} since {since}").format(
        sources=polled, who=holder.who, since=since_text(since, now)
    )


def fed_by(holder: CollectorRecord | None) -> str:
    """The dashboard's status note while another collector holds the lease (short: the
    line has the ages and the clock beside it at 80 columns; ``ticker providers`` says
    since when)."""
    if holder is None:
        return _("fed by another collector (standing by)")
    return _("fed by {who} (standing by)").format(who=holder.who)


def collectors_lines(collectors: Sequence[CollectorRecord], now: datetime) -> list[str]:
    """``ticker providers``' lines under the table: the active collector, then each
    standby, with their last heartbeat."""
    from ticker.display.views import relative

    if not collectors:
        return [_("Collector: none running")]
    lines = []
    for c in collectors:
        template = (
            _("Collector: {who}, since {since}, last heartbeat {age}")
            if c.role == "active"
            else _("Standby: {who}, since {since}, last heartbeat {age}")
        )
        since = c.active_since if c.role == "active" and c.active_since else c.started_at
        lines.append(
            template.format(
                who=c.who, since=since_text(since, now), age=relative(c.heartbeat_at, now)
            )
        )
    if all(c.role != "active" for c in collectors):
        lines.insert(0, _("Collector: none holds the lease"))
    return lines


def collector_json(c: CollectorRecord) -> dict[str, Any]:
    from ticker.display.views import utc_text

    return {
        "host": c.host,
        "pid": c.pid,
        "role": str(c.role),
        "started_at": utc_text(c.started_at),
        "active_since": utc_text(c.active_since) if c.active_since else None,
        "heartbeat_at": utc_text(c.heartbeat_at),
    }


def health_json(verdict: Any) -> str:
    """``ticker health --json``: the status, the reasons, the collectors, the sources."""
    import json

    from ticker.model.collectors import active_of

    active = active_of(verdict.collectors)
    record = {
        "status": "ok" if verdict.ok else "degraded",
        "reasons": verdict.reasons,
        "warnings": list(getattr(verdict, "warnings", [])),
        "collector": collector_json(active) if active is not None else None,
        "standbys": [collector_json(c) for c in verdict.collectors if c is not active],
        "sources": [
            {
                "provider": s.provider,
                "pair": getattr(s, "pair", "") or f"USD/{s.local}",
                "as_of": s.as_of.isoformat() if s.as_of else None,
                "stale": s.stale,
                "reason": s.reason,
            }
            for s in verdict.sources
        ],
    }
    return json.dumps(record, indent=2, ensure_ascii=False)


def health_text(verdict: Any, now: datetime) -> str:
    """``ok: ...`` in one line, or each reason on a line of its own; then each warning
    (``warning: fx-kg: failing (...)``)."""
    warned = "".join(
        "\n" + _("warning: {warning}").format(warning=w) for w in getattr(verdict, "warnings", [])
    )
    return _health_line(verdict, now) + warned


def _health_line(verdict: Any, now: datetime) -> str:
    from ticker.display.views import relative
    from ticker.model.collectors import active_of

    if not verdict.ok:
        return "\n".join(verdict.reasons)
    active = active_of(verdict.collectors)
    assert active is not None
    dollars = [s.provider for s in verdict.sources if not getattr(s, "pair", "")]
    fresh = ", ".join(dollars) or _("no official source enabled")
    pairs = [f"{s.pair} ({s.provider})" for s in verdict.sources if getattr(s, "pair", "")]
    if pairs:
        fresh = _("{sources}; pairs: {pairs}").format(sources=fresh, pairs=", ".join(pairs))
    judged = getattr(verdict, "clock", None) or now  # as judged (the server's, on PostgreSQL)
    return _("ok: {who} collects (heartbeat {age}); fresh: {fresh}").format(
        who=active.who, age=relative(active.heartbeat_at, judged), fresh=fresh
    )
