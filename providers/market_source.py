"""What the market sources share: a board of quotes read over HTTP, each row checked.

A market source's :meth:`MarketProvider.fetch` returns a :class:`~providers.base.Batch`
whose ``quotes`` hold the board (:class:`~providers.market_quote.MarketQuote`);
:meth:`MarketProvider.latest` then checks it against the clock: a quote timed after now
(beyond a few minutes of clock skew) or older than :data:`OLDEST_QUOTE` is rejected with
its reason, and a board left empty is refused. A row the source gets wrong (buy above
sell, a price that is no number) is rejected by :meth:`MarketProvider.quote`, never
stored, and the rest of the board is kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import httpx

from providers.base import Batch, Channel, MarketQuote, ProviderResponseError, Rejected
from providers.source import HTTPProvider

#: A quote timed this far after now is believed (the source's clock may run ahead).
CLOCK_SKEW = timedelta(minutes=15)
#: A quote older than this is no current offer (a bank that left its board untouched).
OLDEST_QUOTE = timedelta(days=31)
#: A board with more rows than this is not believed (the largest real one has ~300).
MAX_QUOTES = 5000


class MarketProvider(HTTPProvider):
    """A source of banks' or exchange offices' buy and sell quotes."""

    async def latest(self, client: httpx.AsyncClient) -> Batch:
        """:meth:`fetch`, its quotes checked against the clock (what a poll uses)."""
        return self.screen_quotes(await self.fetch(client))

    def screen_quotes(self, batch: Batch) -> Batch:
        """Reject the quotes timed in the future or too long ago; refuse an empty board."""
        now = self.now()
        if len(batch.quotes) > MAX_QUOTES:
            raise ProviderResponseError(
                self.NAME, self.base_url, f"{len(batch.quotes)} quotes, more than {MAX_QUOTES}"
            )
        kept: list[MarketQuote] = []
        for q in batch.quotes:
            reason = self._unbelievable(q, now)
            if reason is None:
                kept.append(q)
            else:
                batch.rejected.append(Rejected(q.pair, q.institution, reason))
        if not kept:
            why = batch.rejected[-1].reason if batch.rejected else "the board is empty"
            raise ProviderResponseError(self.NAME, self.base_url, f"no quotes: {why}")
        batch.quotes = kept
        return batch

    @staticmethod
    def _unbelievable(q: MarketQuote, now: datetime) -> str | None:
        if q.quoted_at is None:
            return None
        if q.quoted_at > now + CLOCK_SKEW:
            return f"quoted at {q.quoted_at.isoformat()}, after now ({now.isoformat()})"
        if q.quoted_at < now - OLDEST_QUOTE:
            return f"quoted at {q.quoted_at.isoformat()}, more than {OLDEST_QUOTE.days} days ago"
        return None

    def quote(
        self,
        batch: Batch,
        institution: str,
        pair: tuple[str, str],
        channel: Channel,
        buy: Decimal | None,
        sell: Decimal | None,
        quoted_at: datetime | None,
        city: str = "",
    ) -> None:
        """Add one row of the board to ``batch``, or its rejection with the reason (buy
        above sell, no side offered, an empty name). A price of zero is "not offered"."""
        buy = None if buy is not None and buy == 0 else buy
        sell = None if sell is not None and sell == 0 else sell
        name = " ".join(institution.split())[:120]
        try:
            q = MarketQuote(
                self.NAME,
                name,
                pair[0],
                pair[1],
                channel,
                buy,
                sell,
                quoted_at,
                self.now(),
                city=" ".join(city.split())[:80],
            )
        except ValueError as err:
            label = f"{pair[0]}/{pair[1]} {channel}"
            batch.rejected.append(Rejected(label, name or "?", str(err)))
            return
        batch.quotes.append(q)
