"""Market rules on the command line: ``alerts add USD/TJS market-sell below 10.8
--channel card``: the side's word after the kind, a market channel among ``--channel``,
a word when no board quotes the pair, and the best price now in ``alerts list``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ticker.errors import UsageError
from ticker.i18n.words import _
from ticker.model.market_channels import CHANNEL_ORDER, parse_channel
from ticker.model.records import StoredRule
from ticker.model.rules import ALERT_CHANNELS, KINDS, MARKET_KINDS, AlertRuleConfig

if TYPE_CHECKING:
    from ticker.storage.reads import ReadQueries

_MARKET_CHANNELS = ", ".join(c.value for c in CHANNEL_ORDER)


def _market_kinds() -> str:
    """``market-sell and market-buy``."""
    *some, last = MARKET_KINDS
    return _("{some} and {last}").format(some=", ".join(some), last=last)


def is_market(kind: str) -> bool:
    grammar = KINDS.get(kind)
    return grammar is not None and grammar.side is not None


def level_words(kind: str, threshold: str, level: str | None) -> tuple[str | None, str]:
    """``market-sell below 10.8``: (the direction, the threshold) from the words after
    KIND; other kinds take one word (the threshold; no direction). An unknown kind is
    left to the rule's check, which names the kinds, before any word after it is judged."""
    if level is None or kind not in KINDS:
        return None, threshold
    if not is_market(kind):
        raise UsageError(
            _(
                "THRESHOLD: one value after KIND {kind}, got {threshold} and {level} (two words "
                "are for {kinds}: 'market-sell below 10.8')"
            ).format(
                kind=repr(kind), threshold=repr(threshold), level=repr(level), kinds=_market_kinds()
            )
        )
    return threshold, level


def split_channels(kind: str, names: Sequence[str] | None) -> tuple[list[str], str | None]:
    """``--channel`` values: delivery channels (toast, bell, ...) and at most one market
    channel (cash, card, ...: only a market rule has one). The two sets of names do not
    meet, so one option says both."""
    delivery: list[str] = []
    market: list[str] = []
    for name in names or ():
        if name.strip().lower() in ALERT_CHANNELS:
            delivery.append(name)
            continue
        try:
            market.append(parse_channel(name).value)
        except ValueError:
            if not is_market(kind):
                delivery.append(name)  # said by the check, as every unknown channel
                continue
            raise UsageError(
                _(
                    "--channel: expected a delivery channel ({channels}) or a market channel "
                    "({market_channels}), got {text}"
                ).format(
                    channels=", ".join(ALERT_CHANNELS),
                    market_channels=_MARKET_CHANNELS,
                    text=repr(name),
                )
            ) from None
    if market and not is_market(kind):
        raise UsageError(
            _(
                "--channel: {channel} is a market channel; only {kinds} rules watch one "
                "(delivery channels: {channels})"
            ).format(channel=market[0], kinds=_market_kinds(), channels=", ".join(ALERT_CHANNELS))
        )
    if len(set(market)) > 1:
        raise UsageError(
            _("--channel: one market channel per rule, got {channels}").format(
                channels=", ".join(market)
            )
        )
    return delivery, market[0] if market else None


def no_board(rule: AlertRuleConfig) -> str:
    """A warning when no market source quotes the rule's local currency (``USD/TMT``):
    the rule is kept, and judged once a board quotes it; empty otherwise."""
    from providers.market_records import MARKET_SOURCES

    if not is_market(rule.kind):
        return ""
    local = rule.watched_pair.quote
    if any(local in s.currencies for s in MARKET_SOURCES):
        return ""
    quoted = sorted({c for s in MARKET_SOURCES for c in s.currencies})
    return _(
        "no market source quotes {local} (boards: {boards}); the rule is kept but fires "
        "only once one does (a reported rate is not a market price)"
    ).format(local=local, boards=", ".join(quoted))


def best_now(reads: ReadQueries, rules: Sequence[StoredRule], now: datetime) -> dict[int, str]:
    """Each market rule's best current price, for ``alerts list``: ``best 10.95 Amonatbonk``,
    ``best 479.50 Миг (kurs-kz, third party)`` from a third party's board (``no current
    quote`` while none is current); one read for all of them."""
    from ticker.core.market import market_view
    from ticker.display.format import format_rate
    from ticker.display.market_text import source_text
    from ticker.model.market import Origin, origin_of

    market = [r for r in rules if is_market(r.rule.kind)]
    if not market:
        return {}
    pairs = sorted({(r.rule.watched_pair.base, r.rule.watched_pair.quote) for r in market})
    view = market_view(reads, now, pairs, reported=False)
    said: dict[int, str] = {}
    for stored in market:
        rule = stored.rule
        side = KINDS[rule.kind].side
        assert side is not None and rule.market_channel is not None
        pair = rule.watched_pair
        best = view.best(f"{pair.base}/{pair.quote}", side, rule.market_channel, now)
        if best is None:
            said[stored.id] = _("no current quote")
            continue
        said[stored.id] = _("best {price} {institution}").format(
            price=format_rate(best.price), institution=best.institution
        )
        if origin_of(best.source) is not Origin.OFFICIAL:
            said[stored.id] += f" ({source_text(best.source)})"
    return said
