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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from providers.base import Observation
from ticker.config import Settings
from ticker.core.rates import CHANGE_DEPTH, Recent, routed_rates
from ticker.model.health import ProviderHealth
from ticker.model.pairs import Orientation
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


Round = list[tuple[list[StoredRule], PairReadings]]
"""Each pair and orientation that has rules and stored fixings: its rules (oldest first)
and what they judge, in the order of the rules."""


def read_round(
    reads: ReadQueries,
    settings: Settings,
    now: datetime,
    health: Mapping[str, ProviderHealth] | None = None,
    only: int | None = None,
) -> Round:
    """Every rule (or rule ``only``) with what it judges at ``now``, read in one block
    (see the module)."""
    with reads.reading():
        rules = [r for r in reads.alert_rules() if only is None or r.id == only]
        if not rules:
            return []
        health = reads.load_health() if health is None else health
        groups: dict[tuple[str, Orientation], list[StoredRule]] = {}
        for stored in rules:
            pair = stored.rule.pair
            groups.setdefault((pair.local, pair.orientation), []).append(stored)
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
    found: Round = []
    for key, pair_rules in groups.items():
        view = views.get(key)
        if view is None:
            continue  # nothing stored for the pair yet
        last = preferred[view.local]
        fixings = {(view.provider, view.as_of)}
        if last is not None:
            fixings.add((last.provider, last.as_of))
        readings = PairReadings(
            view,
            {w: before.get(fixing) for w, fixing in windows[key].items()},
            last,
            {(p, d): ids.get((view.local, p, d)) for p, d in fixings},
            settings.display.significant_digits,
        )
        found.append((pair_rules, readings))
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
