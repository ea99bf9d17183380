"""``[pairs] watch``: the pairs watched besides (or instead of) the dollar ones, checked
all at once: every mistake is one line of the one error (an unknown currency, a pair
given twice, even turned round, a pair no enabled source can give)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import TYPE_CHECKING

from providers.record import Frozen
from ticker.errors import ConfigError
from ticker.i18n.words import _
from ticker.model.pairs import LOCAL_CURRENCIES, USD, Pair, pair_problem

if TYPE_CHECKING:
    from dataclasses import dataclass

    from ticker.config.reader import Reader
else:  # the same dataclasses, their methods shared (:mod:`providers.record`)
    from providers.record import dataclass

#: The pairs watched by default: the five against the dollar, as on the news strips.
DEFAULT_WATCH: tuple[Pair, ...] = tuple(Pair(local, USD) for local in LOCAL_CURRENCIES)


@dataclass(frozen=True, slots=True)
class PairsSettings(Frozen):
    """``[pairs]``."""

    watch: tuple[Pair, ...] = field(default=DEFAULT_WATCH)
    """The watched pairs, as written (``RUB/TJS`` is one rouble in somoni). The dollar
    pairs among them are shown as ``[display] pairs`` and ``orientation`` say, as ever;
    every other pair as written."""

    @property
    def others(self) -> tuple[Pair, ...]:
        """The watched pairs that are not dollar pairs, in their order."""
        return tuple(p for p in self.watch if not p.is_usd)


def _written(entry: object) -> str:
    """A ``pairs.watch`` entry as a mistake shows it: a string quoted (as JSON), the rest
    as Python sees them."""
    if not isinstance(entry, str):
        return repr(entry)
    import json  # only to word a mistake: a valid config's path does without it

    return json.dumps(entry, ensure_ascii=False)


def parse_pairs(
    r: Reader,
    data: object,
    routing: Mapping[str, Sequence[str]],
    enabled: Sequence[str],
) -> PairsSettings:
    """``[pairs]``, among the ``enabled`` rate sources and the ``routing``."""
    from ticker.config.reader import expected_got
    from ticker.model.pair_routes import route_for, sources_for

    t = r.table(data, "pairs", ("watch",))
    if "watch" not in t:
        return PairsSettings()
    value = t["watch"]
    if not isinstance(value, list):
        r.fail("pairs.watch", _('an array of pairs like ["KGS/USD", "RUB/TJS"]'), value)
    if not value:
        r.fail("pairs.watch", _('at least one pair like "KGS/USD" or "RUB/TJS"'), [])
    mistakes: list[str] = []
    seen: dict[str, tuple[int, Pair]] = {}
    watch: list[Pair] = []
    for i, entry in enumerate(value):
        path = f"{r.origin}: pairs.watch[{i}]"
        if not isinstance(entry, str):
            mistakes.append(expected_got(path, _('a pair like "RUB/TJS"'), _written(entry)))
            continue
        base, slash, quote = entry.strip().upper().partition("/")
        problem = _("not BASE/QUOTE") if not slash else pair_problem(base, quote)
        if problem is not None:
            expected = _('a pair like "RUB/TJS" ({problem})').format(problem=problem)
            mistakes.append(expected_got(path, expected, _written(entry)))
            continue
        pair = Pair(base, quote)
        first = seen.get(pair.key)
        if first is not None:
            said = (
                _("{pair} (the same pair as {entry})")
                if first[1] == pair
                else _("{pair} (the same pair as {entry}, turned round)")
            ).format(pair=_written(entry), entry=f"pairs.watch[{first[0]}]")
            mistakes.append(expected_got(path, _("a pair not given before"), said))
            continue
        seen[pair.key] = (i, pair)
        if not sources_for(route_for(pair, routing, enabled), routing, enabled):
            said = _("{pair} (none of its central banks' tables or crosses is enabled)").format(
                pair=_written(entry)
            )
            mistakes.append(expected_got(path, _("a pair an enabled source can give"), said))
            continue
        watch.append(pair)
    if mistakes:
        raise ConfigError("\n".join(mistakes))
    return PairsSettings(tuple(watch))
