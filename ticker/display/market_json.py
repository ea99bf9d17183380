"""Market quotes as JSON: a quote, a board line, who gives a price, a summary, and the
``--json`` of them all. The same bytes whatever the language: no word of people's here
(a channel, an origin are their identifiers), every number exact
(:func:`~ticker.display.views.exact_json`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ticker.display.views import exact_json, utc_text
from ticker.model.market import BoardLine, MarketSummary, QuoteLike, local_time, origin_of

__all__ = ["board_record", "market_json", "quote_record", "summary_record", "who_records"]


def quote_record(q: QuoteLike) -> dict[str, Any]:
    """A quote as JSON values (Decimals stay exact until :func:`market_json`)."""
    return {
        "source": q.source,
        "origin": origin_of(q.source).value,
        "institution": q.institution,
        "city": q.city or None,  # null where the source gives none
        "pair": f"{q.base}/{q.quote}",
        "base": q.base,
        "quote": q.quote,
        "channel": q.channel.value,
        "buy": q.buy,
        "sell": q.sell,
        "quoted_at": local_time(q).isoformat() if q.quoted_at is not None else None,
        "fetched_at": utc_text(q.fetched_at),
    }


def board_record(line: BoardLine[Any]) -> dict[str, Any]:
    """A board line as JSON values: its quote's, with the chosen side's ``price``, ``best``,
    ``stale``, ``age_seconds`` and ``vs_official_pct``."""
    return {
        **quote_record(line.quote),
        "price": line.price,
        "best": line.best,
        "stale": line.stale,
        "age_seconds": int(line.age.total_seconds()),
        "vs_official_pct": line.vs_official,
    }


def who_records(quotes: Sequence[QuoteLike]) -> list[dict[str, str | None]]:
    """Who gives a price, as JSON values (``city`` null where the source gives none)."""
    return [
        {"institution": q.institution, "city": q.city or None, "source": q.source} for q in quotes
    ]


def summary_record(s: MarketSummary[Any], official_source: str | None = None) -> dict[str, Any]:
    """A summary as JSON values, its quotes included; ``official_source``: the provider of
    the official rate it is measured against (``nbt``)."""
    return {
        "pair": s.pair,
        "base": s.base,
        "quote": s.quote,
        "channel": s.channel.value,
        "origin": s.origin.value,
        "sources": list(s.sources),
        "institutions": s.institutions,
        "stale_left_out": s.left_out,
        "stale": s.stale,
        "best_buy": s.best_buy,
        "best_buy_from": who_records(s.best_buy_from),
        "best_sell": s.best_sell,
        "best_sell_from": who_records(s.best_sell_from),
        "median_buy": s.median_buy,
        "median_sell": s.median_sell,
        "spread": s.spread,
        "median_spread": s.median_spread,
        "official": s.official,
        "official_source": official_source if s.official is not None else None,
        "best_buy_vs_official_pct": s.best_buy_vs_official,
        "best_sell_vs_official_pct": s.best_sell_vs_official,
        "median_buy_vs_official_pct": s.median_buy_vs_official,
        "median_sell_vs_official_pct": s.median_sell_vs_official,
        "newest": s.newest.isoformat(),
        "quotes": [quote_record(q) for q in s.quotes],
    }


def market_json(
    summaries: Sequence[MarketSummary[Any]], official_sources: Mapping[str, str] | None = None
) -> str:
    """The summaries as ``--json`` writes them (:func:`~ticker.display.views.exact_json`);
    ``official_sources``: each pair's official provider, by pair text (``USD/TJS``: ``nbt``)."""
    named = official_sources or {}
    return exact_json([summary_record(s, named.get(s.pair)) for s in summaries])
