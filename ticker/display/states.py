"""A shown pair's state for people: its symbol, its words in full and short, and its tone,
one row per :class:`~ticker.model.routing.PairState` in one table (:data:`STATE_WORDS`);
and a provider's health state's symbol (:data:`HEALTH_SYMBOL`, the providers panel's).

The rates table, the column fitter's short forms, the strips (the dashboard's and ``ticker
strip``), ``ticker rates`` (text and ``--json``) and ``ticker convert`` all word a state
from here; none of them looks at the words to tell one state from another.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from ticker.i18n.words import N_, _
from ticker.model.health import HealthState
from ticker.model.routing import PairState

if TYPE_CHECKING:
    from typing import NamedTuple

    from ticker.model.routing import PairView
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple


class Tone(Enum):
    """How a state is coloured: the theme's colour for ``ok``, for a warning, for a fault."""

    OK = "ok"
    WARN = "warn"
    BAD = "down"
    """Drawn in the colour of a fall (the theme's error colour)."""

    @property
    def color_key(self) -> str:
        """The key of the dashboard's colours (``ok``, ``warn``, ``down``)."""
        return self.value


class StateWords(NamedTuple):
    """How one state is written. ``long`` and ``short`` are templates over the view's
    fields (:func:`_fields`): ``{freshness}`` (``stale 3d``), ``{preferred}`` (the source
    a fallback stands in for), ``{why}`` (``failing``, ``stale``, ``no data``)."""

    symbol: str
    long: str
    short: str
    tone: Tone


#: Every state, worst first (the order of :class:`PairState`).
STATE_WORDS: dict[PairState, StateWords] = {
    PairState.SOURCE_FAILING: StateWords("✖", N_("source failing"), N_("failing"), Tone.BAD),
    PairState.STALE: StateWords("◷", "{freshness}", "{freshness}", Tone.WARN),
    PairState.FALLBACK: StateWords(
        "↪", N_("fallback, {preferred} {why}"), N_("fallback"), Tone.WARN
    ),
    PairState.LAST_POLL_FAILED: StateWords(
        "▲", N_("last poll failed"), N_("poll failed"), Tone.BAD
    ),
    PairState.DIVERGENT: StateWords("◆", N_("divergent"), N_("divergent"), Tone.WARN),
    PairState.OK: StateWords("●", N_("ok"), N_("ok"), Tone.OK),
}

#: Why a preferred source is not shown (:attr:`PairView.fallback_why`), for people.
WHY_WORDS: dict[str, str] = {
    "failing": N_("failing"),
    "stale": N_("stale"),
    "no data": N_("no data"),
}

#: A provider's state on the dashboard's providers panel (never polled: no symbol, words).
HEALTH_SYMBOL: dict[HealthState, str] = {
    HealthState.OK: "✓",
    HealthState.UNSTABLE: "▲",
    HealthState.FAILING: "✖",
}


#: A provider's health state in words (the providers table; JSON says the state's value).
HEALTH_WORDS: dict[HealthState, str] = {
    HealthState.UNKNOWN: N_("unknown"),
    HealthState.OK: N_("ok"),
    HealthState.UNSTABLE: N_("unstable"),
    HealthState.FAILING: N_("failing"),
}


def health_word(state: HealthState) -> str:
    """``ok``, ``unstable``, ``failing``, ``unknown`` in the user's language."""
    words = HEALTH_WORDS.get(state)
    return _(words) if words is not None else str(state)


def _freshness(v: PairView, english: bool) -> str:
    """``stale 3d`` (``устарел 3 д``) or ``ok``; in English for JSON."""
    days = v.freshness.age_days
    if not v.freshness.stale:
        return "ok" if english else _("ok")
    return f"stale {days}d" if english else _("stale {days}d").format(days=days)


def _fields(v: PairView, english: bool = False) -> dict[str, str]:
    why = WHY_WORDS.get(v.fallback_why)
    return {
        "freshness": _freshness(v, english),
        "preferred": v.fallback_for or "",
        "why": v.fallback_why if english or why is None else _(why),
    }


def state_words(v: PairView) -> StateWords:
    """The row of ``v``'s state."""
    return STATE_WORDS[v.kind]


def state_text(v: PairView, short: bool = False) -> str:
    """``source failing``, ``stale 3d``, ``fallback, nbk failing``, ``last poll failed``,
    ``divergent`` or ``ok``; with ``short`` (a narrow table): ``failing``, ``stale 3d``,
    ``fallback``, ``poll failed``, ``divergent``, ``ok``."""
    words = state_words(v)
    template = words.short if short else words.long
    return _(template).format_map(_fields(v))


def state_json(v: PairView) -> str:
    """:func:`state_text` as JSON carries it: the English words whatever the language
    (``stale 3d``, ``fallback, nbk failing``)."""
    return state_words(v).long.format_map(_fields(v, english=True))


def is_ok(v: PairView) -> bool:
    """Whether ``v``'s state is ``ok`` (a strip or a conversion then says nothing of it)."""
    return v.kind is PairState.OK
