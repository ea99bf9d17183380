"""Is the service well? The store's collectors and the official sources' freshness, as
``ticker providers`` shows them and ``ticker health`` judges them, from the read side
only (no ORM, no network: fast enough for a monitoring check every few seconds).

* The store's collectors: the heartbeat rows heard from within
  :data:`~ticker.storage.lease.FORGET_AFTER`; on SQLite the lock file says whether the
  holder lives now (a row that says ``active`` without the lock is a dead collector's).
* Healthy: a collector holds the lease and its heartbeat is fresh (within
  :func:`heartbeat_limit`), and every enabled official source's latest fixing of its own
  currency is current under that source's publication calendar
  (:mod:`ticker.model.freshness`: Monday morning is not stale for a Friday fixing).
  A market source failing is a warning (:func:`market_warnings`), never a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ticker.config import Settings
from ticker.i18n.dates import day_month
from ticker.i18n.words import N_, _, ngettext
from ticker.model.collectors import CollectorRecord, Role, active_of
from ticker.model.freshness import calendar_for, freshness
from ticker.model.health import FAILING, ProviderHealth
from ticker.storage.lease import (
    FORGET_AFTER,
    HEARTBEAT_EVERY,
    SQLITE_HEARTBEAT_EVERY,
    TAKEOVER_AFTER,
)
from ticker.storage.lease.sqlite import LockUnreadable, sqlite_holder

if TYPE_CHECKING:
    from ticker.storage.reads import ReadQueries

#: The five central banks, each with the currency it is the official source of.
OFFICIAL: dict[str, str] = {"nbkr": "KGS", "nbk": "KZT", "nbt": "TJS", "cbu": "UZS", "cbt": "TMT"}


#: A heartbeat dated later than the clock it is judged by (more than this: clocks of
#: machines differ a little) says nothing about whether its collector lives now.
FUTURE_SLACK = HEARTBEAT_EVERY


def heartbeat_limit(dialect: str) -> timedelta:
    """A holder's heartbeat older than this is stale: on PostgreSQL the takeover limit
    (a standby would take over by then); on SQLite three of its (rarer) heartbeats."""
    if dialect == "sqlite":
        return SQLITE_HEARTBEAT_EVERY * 3
    return max(TAKEOVER_AFTER, HEARTBEAT_EVERY * 3)


def store_collectors(reads: ReadQueries, now: datetime) -> list[CollectorRecord]:
    """The store's running collectors, the active one first."""
    return collectors_at(reads, now)[0]


def collectors_at(reads: ReadQueries, now: datetime) -> tuple[list[CollectorRecord], datetime]:
    """The store's running collectors (the active one first), and the clock their
    heartbeats are judged by: ``now`` on SQLite (one machine), the server's on PostgreSQL
    (the reader's clock is not the collectors'). A row that says ``active`` counts only
    while its collector holds the lock: on SQLite the lock file's, on PostgreSQL the
    advisory lock's session (``pg_locks``, named by :func:`session_name`)."""
    if reads.dialect == "postgresql":
        return _postgres_collectors(reads)
    rows = reads.collectors(now - FORGET_AFTER)
    path = reads.sqlite_path
    if path is None:
        return rows, now
    try:
        held, holder = sqlite_holder(path, now)
    except LockUnreadable:  # another account's collector: its rows and heartbeats say
        return rows, now
    key = (holder.host, holder.pid) if holder is not None else None
    alive = [r for r in rows if r.role is not Role.ACTIVE or (held and (r.host, r.pid) == key)]
    if held and holder is not None and not any(r.role is Role.ACTIVE for r in alive):
        alive.insert(0, holder)  # it holds the lock and has not written its row yet
    return alive, now


def _postgres_collectors(reads: ReadQueries) -> tuple[list[CollectorRecord], datetime]:
    from ticker.storage.lease.postgres import session_name  # PostgreSQL's: not SQLite's path

    clock, holder = reads.lease_holder()
    rows = reads.collectors(clock - FORGET_AFTER)
    if holder is None:  # nobody holds the lock: a row that says active is a dead one's
        return [r for r in rows if r.role is not Role.ACTIVE], clock
    named = [r for r in rows if r.role is Role.ACTIVE and session_name(r.host, r.pid) == holder]
    if not named:  # the holder did not say who it is (or has no row yet): the rows say
        return rows, clock
    return [r for r in rows if r.role is not Role.ACTIVE or r in named], clock


@dataclass(frozen=True, slots=True)
class SourceState:
    """An official source's newest fixing, judged: stale or not, and why."""

    provider: str
    local: str
    as_of: date | None
    stale: bool
    reason: str | None
    pair: str = ""
    """A watched pair beyond the dollar's, as its official source publishes it
    (``RUB/TJS``); empty: the source's own ``USD/local``."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """What ``ticker health`` says: the collectors, the official sources, and why not well."""

    collectors: list[CollectorRecord]
    sources: list[SourceState]
    reasons: list[str] = field(default_factory=list)
    clock: datetime | None = None
    """The clock the heartbeats were judged by (the server's on PostgreSQL)."""
    warnings: list[str] = field(default_factory=list)
    """What is wrong beside the official rates, which it leaves served: a market source
    failing, or not polled (said, but the service is well: exit 0)."""

    @property
    def ok(self) -> bool:
        return not self.reasons


def judge(reads: ReadQueries | None, settings: Settings, now: datetime) -> Verdict:
    """The service's state at ``now`` (``reads`` None: there is no store yet)."""
    from ticker.display.collectors import since_text
    from ticker.display.views import relative

    reasons: list[str] = []
    warnings: list[str] = []
    collectors, clock = collectors_at(reads, now) if reads is not None else ([], now)
    active = active_of(collectors)
    if active is None:
        standbys = len(collectors)
        if standbys:
            reasons.append(
                ngettext(
                    "no collector holds the lease ({n} standing by)",
                    "no collector holds the lease ({n} standing by)",
                    standbys,
                ).format(n=standbys)
            )
        else:
            reasons.append(_("no collector holds the lease"))
    else:
        assert reads is not None
        beat = active.heartbeat_at
        if beat - clock > FUTURE_SLACK:  # its clock is ahead: when it was heard is unknown
            said = _(
                "unknown heartbeat: {who} dated {ahead} ahead of the store's clock (at {at}): "
                "is its clock right?"
            )
            ahead = relative(clock, beat, suffix=False)
            reasons.append(said.format(who=active.who, ahead=ahead, at=since_text(beat, clock)))
        elif not active.heard_within(heartbeat_limit(reads.dialect), clock):
            said = _("stale heartbeat: {who} was last heard {ago} (at {at})")
            ago = relative(beat, clock)
            reasons.append(said.format(who=active.who, ago=ago, at=since_text(beat, clock)))
        healths = reads.load_health()
        reasons.extend(polling_reasons(healths, settings, now))
        warnings = market_warnings(healths, settings, now)
    enabled = set(settings.enabled_providers("rates"))
    wanted = [(local, p) for p, local in OFFICIAL.items() if p in enabled]
    latest = reads.recent_fixings(wanted, 1) if reads is not None and wanted else {}
    sources = []
    for local, provider in wanted:
        fixings = latest.get((local, provider))
        reason: str | None
        if not fixings:
            reason = _("{source}: no {currency} fixing stored yet").format(
                source=provider, currency=local
            )
            sources.append(SourceState(provider, local, None, True, reason))
            reasons.append(reason)
            continue
        as_of = fixings[0].as_of
        state = freshness(provider, as_of, now)
        reason = _stale_reason(provider, as_of) if state.stale else None
        sources.append(SourceState(provider, local, as_of, state.stale, reason))
        if reason is not None:
            reasons.append(reason)
    for watched in _watched_pairs(reads, settings, now, enabled):
        sources.append(watched)
        if watched.reason is not None:
            reasons.append(watched.reason)
    return Verdict(collectors, sources, reasons, clock, warnings)


def market_warnings(
    healths: dict[str, ProviderHealth], settings: Settings, now: datetime
) -> list[str]:
    """The enabled market sources' troubles, as warnings: a board never routes or
    replaces an official rate, so its source failing (an opt-in third party's site down,
    its token refused) leaves the service well."""
    said = []
    for name in settings.enabled_providers("market"):
        health = healths.get(name)
        if health is not None and health.state == FAILING:
            why = health.last_error or _("no reason kept")
            said.append(_("{source}: failing ({reason})").format(source=name, reason=why))
    said.extend(polling_reasons(healths, settings, now, ("market",)))
    return [
        _("{line}; a market source, the official rates are not affected").format(line=line)
        for line in said
    ]


def _watched_pairs(
    reads: ReadQueries | None, settings: Settings, now: datetime, enabled: set[str]
) -> list[SourceState]:
    """The watched pairs beyond the dollar's (``[pairs] watch``): each one's official
    series (its central bank's own quote, :func:`~ticker.model.pair_routes.route_for`)
    judged as the dollar's are; pairs only crossed through the dollar are judged by
    their dollar legs above. Nothing with the default ``[pairs]``."""
    from ticker.model.pair_routes import route_for

    series = []
    for pair in settings.pairs.others:
        route = route_for(pair, settings.routing, enabled)
        if route.direct:
            series.append((route.direct[0].stored, route.direct[0].provider))
    series = list(dict.fromkeys(series))
    latest = reads.recent_pair_fixings(series, 1) if reads is not None and series else {}
    states = []
    for stored, provider in series:
        fixings = latest.get((stored, provider))
        local = stored.quote if stored.quote in OFFICIAL.values() else stored.base
        if not fixings:
            reason = _("{source}: no {currency} fixing stored yet").format(
                source=provider, currency=stored
            )
            states.append(SourceState(provider, local, None, True, reason, str(stored)))
            continue
        as_of = fixings[0].as_of
        stale = freshness(provider, as_of, now).stale
        said = _stale_reason(provider, as_of, f"{provider} {stored}") if stale else None
        states.append(SourceState(provider, local, as_of, stale, said, str(stored)))
    return states


def polling_reasons(
    healths: dict[str, ProviderHealth],
    settings: Settings,
    now: datetime,
    kinds: tuple[str, ...] = ("rates", "indicators"),
) -> list[str]:
    """What the enabled sources' health rows say of the polling itself: a source not
    polled for longer than its longest schedule (``nbk: nothing polled for 8 intervals
    (last poll 4h ago)``), or rows dated in the future (written by a clock that was ahead:
    they tell nothing)."""
    from ticker.core.pacing import CLOCK_SLACK, longest_schedule
    from ticker.display.views import relative

    reasons = []
    slowdown = settings.collector.failing_slowdown
    for name in [name for kind in kinds for name in settings.enabled_providers(kind)]:
        health = healths.get(name)
        if health is None or health.last_attempt is None:
            continue  # never polled: a new source, the first round is under way
        interval = settings.providers[name].interval
        stamps = [t for t in (health.last_attempt, health.next_run) if t is not None]
        if health.last_attempt > now + CLOCK_SLACK:
            said = _(
                "{source}: its last poll is dated {ahead} in the future (a collector's clock "
                "was ahead): its polling is unknown"
            )
            ahead = relative(health.last_attempt, now, suffix=False)
            reasons.append(said.format(source=name, ahead=ahead))
        elif now - health.last_attempt > longest_schedule(health, interval, slowdown):
            missed = int((now - health.last_attempt) / interval)
            said = ngettext(
                "{source}: nothing polled for {n} interval (last poll {ago})",
                "{source}: nothing polled for {n} intervals (last poll {ago})",
                missed,
            )
            ago = relative(health.last_attempt, now)
            reasons.append(said.format(source=name, n=missed, ago=ago))
        elif max(stamps) > now + longest_schedule(health, interval, slowdown):
            assert health.next_run is not None
            said = _(
                "{source}: its next poll is {when}, beyond its longest schedule (a "
                "collector's clock was ahead)"
            )
            reasons.append(said.format(source=name, when=relative(health.next_run, now)))
    return reasons


def _stale_reason(provider: str, as_of: date, who: str = "") -> str:
    """``nbkr: stale since 28 Nov (expected a fixing by 16:00 Bishkek time on 27 Nov;
    the newest is dated 27 Nov)`` (``who``: what is stale, by default the provider)."""
    who = who or provider
    calendar = calendar_for(provider)
    following = calendar.next_renewal(as_of)
    if following is None:  # pragma: no cover - a calendar without dated days
        return _("{source}: stale (the newest is dated {day})").format(source=who, day=_day(as_of))
    stale_from = calendar.due(following) + calendar.grace
    out = calendar.published(following)
    zone = (out.tzname() or "UTC").rsplit("/", 1)[-1].replace("_", " ")
    said = _(
        "{source}: stale since {since} (expected a fixing by {at} on {day}; "
        "the newest is dated {newest})"
    )
    hour = f"{out:%H:%M}"
    if zone in _ZONES:
        at = _(_ZONES[zone]).format(time=hour)
    else:
        at = _("{time} {zone} time").format(time=hour, zone=zone)
    return said.format(
        source=who, since=_day(stale_from.date()), at=at, day=_day(out.date()),
        newest=_day(as_of),
    )  # fmt: skip


#: The sources' own zones, by their city (a reason says a central bank's hour in its own
#: zone: ``16:00 Bishkek time``, ``16:00 по времени Бишкека``).
_ZONES = {
    "Bishkek": N_("{time} Bishkek time"),
    "Almaty": N_("{time} Almaty time"),
    "Dushanbe": N_("{time} Dushanbe time"),
    "Tashkent": N_("{time} Tashkent time"),
    "Ashgabat": N_("{time} Ashgabat time"),
    "Moscow": N_("{time} Moscow time"),
}


def _day(value: date) -> str:
    """``1 Dec``, ``1 дек.``: a day and its month in the user's language."""
    return day_month(value).removeprefix("0")
