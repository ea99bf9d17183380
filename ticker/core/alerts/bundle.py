"""What a round of alert evaluation reads: everything every rule judges, in one read
block (one connection), in a number of statements that does not grow with the rules.

The rules and the providers' health (one statement each), the routed rates of the
rules' pairs (:func:`~ticker.core.rates.routed_rates`, one to three statements, once per
orientation the rules are written in: at most two), the fixings a window ago of the
rules with a ``window`` (one statement for all) and the store's ids of the fixings a
reading can be about (one). At most ten statements, however many rules, pairs or
windows; five for rules written in one orientation on pairs shown by their first source.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from providers.base import Observation
from ticker.config import Settings
from ticker.core.market import MarketView, market_view
from ticker.core.pair_rates import pair_rates
from ticker.core.rates import CHANGE_DEPTH, Recent, routed_rates
from ticker.model.health import ProviderHealth
from ticker.model.monetary import MonetaryView
from ticker.model.pair_routes import Leg, route_for
from ticker.model.pairs import USD, Orientation, Pair, invert
from ticker.model.records import StoredRule
from ticker.model.routing import PairView
from ticker.model.rules import KINDS

if TYPE_CHECKING:
    from ticker.storage.reads import ReadQueries

Fixing = tuple[str, str, date]
"""(local, provider, as_of)."""


@dataclass(frozen=True, slots=True)
class PairReadings:
    """Everything the rules of one pair (in one orientation) judge, read in one go."""

    view: PairView
    """The pair as shown (routed), in the rules' orientation."""
    before: dict[timedelta, Observation | None]
    """Per ``move`` window: the routed source's last fixing on or before a window ago."""
    preferred_last: Observation | None
    """``stale``: the last fixing of the pair's preferred source (the first enabled one in
    ``[routing]`` that ever published it)."""
    observation_ids: dict[tuple[str, date], int | None]
    """The store's id of each fixing a reading can be about: (provider, as_of) -> id."""
    digits: int = 5
    """Significant digits of the rates in messages: the table's (``[display]``)."""
    market: MarketView | None = None
    """Market rules: the boards of their pairs (None: the pair has no market rule)."""
    at: datetime | None = None
    """The moment judged: which market quotes are current (set with :attr:`market`)."""


Round = list[tuple[list[StoredRule], PairReadings]]
"""Each pair and orientation that has rules and stored fixings: its rules (oldest first)
and what they judge, in the order of the rules."""


@dataclass(frozen=True, slots=True)
class ReleaseReadings:
    """The release rules (a country's series, no pair) and the series they watch, each
    as the monitor shows it (the source that speaks for it: :mod:`ticker.model.monetary`)."""

    rules: list[StoredRule]
    view: MonetaryView | None = None
    """None: there is no release rule."""


def read_round(
    reads: ReadQueries,
    settings: Settings,
    now: datetime,
    health: Mapping[str, ProviderHealth] | None = None,
    only: int | None = None,
) -> Round:
    """Every rule on a rate (or rule ``only``) with what it judges at ``now``, read in one
    block (see the module)."""
    return read_all(reads, settings, now, health, only)[0]


def read_all(
    reads: ReadQueries,
    settings: Settings,
    now: datetime,
    health: Mapping[str, ProviderHealth] | None = None,
    only: int | None = None,
) -> tuple[Round, ReleaseReadings]:
    """:func:`read_round`, and the release rules with their series (one statement more,
    only when there is one), in the same read block."""
    with reads.reading():
        rules = [r for r in reads.alert_rules() if only is None or r.id == only]
        releases = read_releases(reads, settings, [r for r in rules if r.rule.pair is None])
        rules = [r for r in rules if r.rule.pair is not None]
        if not rules:
            return [], releases
        return _read_pairs(reads, settings, now, health, rules), releases


def read_releases(
    reads: ReadQueries, settings: Settings, rules: list[StoredRule]
) -> ReleaseReadings:
    """The series the release ``rules`` watch, from every source of their routes (one
    statement; none without a rule)."""
    if not rules:
        return ReleaseReadings([])
    from ticker.config import monetary_asked
    from ticker.model.monetary import ROUTES, monetary_view

    countries = sorted({r.rule.country for r in rules if r.rule.country is not None})
    series = sorted({r.rule.series for r in rules if r.rule.series is not None})
    sources = sorted({s for code in series for c in countries for s in ROUTES[code].get(c, ())})
    points = reads.indicator_points(sources, series, countries) if sources else []
    view = monetary_view(points, monetary_asked(settings), countries, series)
    return ReleaseReadings(rules, view)


def _read_pairs(
    reads: ReadQueries,
    settings: Settings,
    now: datetime,
    health: Mapping[str, ProviderHealth] | None,
    rules: list[StoredRule],
) -> Round:
    """The rules on rates with what they judge (inside the caller's read block)."""
    health = reads.load_health() if health is None else health
    groups: dict[tuple[str, Orientation] | Pair, list[StoredRule]] = {}
    for stored in rules:
        pair = stored.rule.watched_pair
        key = (pair.local, pair.orientation) if pair.is_usd else pair
        groups.setdefault(key, []).append(stored)
    usd = {k: rules for k, rules in groups.items() if isinstance(k, tuple)}
    others = {k: rules for k, rules in groups.items() if isinstance(k, Pair)}
    found = _dollar_readings(reads, settings, now, health, usd)
    found.update(other_readings(reads, settings, now, health, others))
    found = _with_market(reads, now, groups, found)
    return [(pair_rules, found[key]) for key, pair_rules in groups.items() if key in found]


def _with_market(
    reads: ReadQueries,
    now: datetime,
    groups: Mapping[tuple[str, Orientation] | Pair, list[StoredRule]],
    found: dict[tuple[str, Orientation] | Pair, PairReadings],
) -> dict[tuple[str, Orientation] | Pair, PairReadings]:
    """``found`` with the market's view added to the readings of groups with market
    rules (read once, for the pairs of every market rule)."""
    market = {
        key: [r for r in rules if KINDS[r.rule.kind].side is not None]
        for key, rules in groups.items()
        if key in found
    }
    pairs = {
        (r.rule.watched_pair.base, r.rule.watched_pair.quote)
        for rules in market.values()
        for r in rules
    }
    if not pairs:
        return found
    view = market_view(reads, now, sorted(pairs), reported=False)
    return {
        key: dataclasses.replace(readings, market=view, at=now) if market.get(key) else readings
        for key, readings in found.items()
    }


def _dollar_readings(
    reads: ReadQueries,
    settings: Settings,
    now: datetime,
    health: Mapping[str, ProviderHealth],
    groups: Mapping[tuple[str, Orientation], list[StoredRule]],
) -> dict[tuple[str, Orientation] | Pair, PairReadings]:
    """The readings of the dollar pairs' rules, per (local, orientation)."""
    if not groups:
        return {}
    views: dict[tuple[str, Orientation], PairView] = {}
    recent: dict[tuple[str, str], list[Observation]] = {}
    for orientation in dict.fromkeys(o for _, o in groups):
        locals_ = [local for local, o in groups if o == orientation]
        routed = routed_rates(reads, settings, now, orientation, health, CHANGE_DEPTH, locals_)
        views.update({(v.local, orientation): v for v in routed.views})
        recent.update({key: list(fixings) for key, fixings in routed.recent.items()})
    preferred = {local: _preferred(settings, local, recent) for local, _ in views}
    windows = {key: _windows(groups[key], view) for key, view in views.items()}
    wanted = dict.fromkeys(f for w in windows.values() for f in w.values())
    before = reads.fixings_before(list(wanted))
    about = [(v.local, v.provider, v.as_of) for v in views.values()]
    about += [(o.quote, o.provider, o.as_of) for o in preferred.values() if o is not None]
    ids = reads.observation_ids(list(dict.fromkeys(about)))
    found: dict[tuple[str, Orientation] | Pair, PairReadings] = {}
    for key, view in views.items():
        last = preferred[view.local]
        fixings = {(view.provider, view.as_of)}
        if last is not None:
            fixings.add((last.provider, last.as_of))
        found[key] = PairReadings(
            view,
            {w: before.get(fixing) for w, fixing in windows[key].items()},
            last,
            {(p, d): ids.get((view.local, p, d)) for p, d in fixings},
            settings.display.significant_digits,
        )
    return found


def _windows(rules: list[StoredRule], view: PairView) -> dict[timedelta, Fixing]:
    """Per window of the rules that have one: the fixing key whose last one before is the
    routed source's fixing on or before a window ago."""
    return {
        r.rule.window: (view.local, view.provider, view.as_of - r.rule.window + timedelta(days=1))
        for r in rules
        if "window" in KINDS[r.rule.kind].keys and r.rule.window is not None
    }


def _preferred(settings: Settings, local: str, recent: Recent) -> Observation | None:
    """The last fixing of the pair's preferred source: the first enabled one in
    ``[routing]`` with any fixing (routing read the last fixings of every one)."""
    for provider in settings.routing[local]:
        if settings.providers[provider].enabled and recent.get((local, provider)):
            return recent[(local, provider)][0]
    return None


def other_readings(
    reads: ReadQueries,
    settings: Settings,
    now: datetime,
    health: Mapping[str, ProviderHealth],
    groups: Mapping[Pair, list[StoredRule]],
) -> dict[tuple[str, Orientation] | Pair, PairReadings]:
    """The readings of the rules on pairs other than the dollar's (``RUB/TJS``,
    ``KZT/KGS``), per pair as written: the pair's routed rate
    (:func:`~ticker.core.pair_rates.pair_rates`), its preferred direct source's last
    fixing (one statement), the fixings a window ago of the shown series or, for a cross,
    of both its dollar legs (one), and the ids of the direct fixings (one)."""
    if not groups:
        return {}
    views = {v.pair: v for v in pair_rates(reads, settings, list(groups), now, health)}
    enabled = settings.enabled_providers("rates")
    routes = {pair: route_for(pair, settings.routing, enabled) for pair in views}
    direct = list(dict.fromkeys((g.stored, g.provider) for r in routes.values() for g in r.direct))
    last = reads.recent_pair_fixings(direct, 1) if direct else {}
    preferred: dict[Pair, tuple[Leg, Observation] | None] = {}
    windows: dict[Pair, dict[timedelta, list[tuple[Pair, str, date]]]] = {}
    for pair, view in views.items():
        legs = [g for g in routes[pair].direct if last.get((g.stored, g.provider))]
        preferred[pair] = (legs[0], last[(legs[0].stored, legs[0].provider)][0]) if legs else None
        shown = [(g.stored, g.provider) for g in routes[pair].direct if g.provider == view.provider]
        series = [(c.pair, c.provider) for c in view.cross_of] if view.is_cross else shown[:1]
        windows[pair] = {
            r.rule.window: [
                (s, p, view.as_of - r.rule.window + timedelta(days=1)) for s, p in series
            ]
            for r in groups[pair]
            if "window" in KINDS[r.rule.kind].keys and r.rule.window is not None
        }
    wanted = list(dict.fromkeys(k for w in windows.values() for keys in w.values() for k in keys))
    before = reads.pair_fixings_before(wanted)
    about = [(o.base, o.quote, o.provider, o.as_of) for _, o in filter(None, preferred.values())]
    about += [
        (g.stored.base, g.stored.quote, g.provider, v.as_of)
        for pair, v in views.items()
        for g in routes[pair].direct
        if g.provider == v.provider and not v.is_cross
    ]
    keys = [(Pair(b, q), p, d) for b, q, p, d in dict.fromkeys(about)]
    ids = reads.pair_observation_ids(keys)
    found: dict[tuple[str, Orientation] | Pair, PairReadings] = {}
    for pair, view in views.items():
        canonical = pair.canonical
        stale_from = preferred[pair]
        last_fixing = _canonical(stale_from[1], canonical) if stale_from else _of_view(view)
        known = {(p, d): i for (s, p, d), i in ids.items() if s.key == pair.key}
        readings_ids: dict[tuple[str, date], int | None] = {}
        if not view.is_cross:
            readings_ids[(view.provider, view.as_of)] = known.get((view.provider, view.as_of))
        if stale_from is not None:
            fixing = (stale_from[1].provider, stale_from[1].as_of)
            readings_ids[fixing] = known.get(fixing)
        found[pair] = PairReadings(
            view,
            {
                w: _before(canonical, view, [before.get(k) for k in ks])
                for w, ks in windows[pair].items()
            },
            last_fixing,
            readings_ids,
            settings.display.significant_digits,
        )
    return found


def _canonical(o: Observation, canonical: Pair) -> Observation:
    """A stored fixing as a fixing of ``canonical`` (CBR's ``TJS/RUB`` turned round)."""
    if (o.base, o.quote) == (canonical.base, canonical.quote):
        return o
    return dataclasses.replace(o, base=o.quote, quote=o.base, rate=invert(o.rate))


def _of_view(view: PairView) -> Observation:
    """A cross's (or any shown rate's) canonical value as a fixing of its older leg."""
    canonical = view.pair.canonical
    rate = view.rate if view.pair == canonical else invert(view.rate)
    return Observation(
        view.provider, canonical.base, canonical.quote, view.as_of, rate, True, view.fetched_at
    )


def _before(canonical: Pair, view: PairView, found: list[Observation | None]) -> Observation | None:
    """The pair's canonical fixing a window ago: the shown series' (one fixing), or the
    cross of its two dollar legs' (``B/Q = (Q per USD) / (B per USD)``, dated as the
    older)."""
    if not found or any(o is None for o in found):
        return None
    legs = [o for o in found if o is not None]
    if not view.is_cross:
        return _canonical(legs[0], canonical)
    per_usd = {o.quote: o for o in legs if o.base == USD}
    if canonical.base not in per_usd or canonical.quote not in per_usd:
        return None
    b, q = per_usd[canonical.base], per_usd[canonical.quote]
    older = min(b, q, key=lambda o: o.as_of)
    return Observation(
        view.provider, canonical.base, canonical.quote, older.as_of, q.rate / b.rate, True,
        max(b.fetched_at, q.fetched_at),
    )  # fmt: skip
