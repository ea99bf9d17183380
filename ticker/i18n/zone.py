"""The one clock every time on screen and in the command line's words is in: the user's
zone, ``[display] timezone`` (an IANA name, ``Asia/Bishkek``), else the machine's. The
zone is said once where times are shown together (the status line, the heading of
``alerts history``). The sources' own dates (a fixing's day, a decision's day) are
never moved into it: they are the sources' dates."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from ticker.i18n.machine import MACHINE

__all__ = ["clock", "in_zone", "use_zone", "zone_name"]

_zone: tzinfo | None = None  # None: the machine's


def use_zone(zone: tzinfo | None) -> None:
    """Show times in ``zone`` from now on (None: the machine's own)."""
    global _zone
    _zone = zone


def in_zone(moment: datetime) -> datetime:
    """``moment`` (aware) as the user's clock reads it."""
    return moment.astimezone(UTC if MACHINE.get() else _zone)


def zone_name(moment: datetime) -> str:
    """How the zone is said beside a time at ``moment``: its abbreviation (``UTC``,
    ``+06``, ``MSK``), which can change with daylight saving."""
    return in_zone(moment).tzname() or in_zone(moment).strftime("%z")


def clock(moment: datetime) -> str:
    """``14:05``: hours and minutes on the user's clock (24 hours in every language)."""
    return f"{in_zone(moment):%H:%M}"
