"""A source whose history is read a request per currency (NBT's range export, NBKR's
history page, CBR's ``XML_dynamic``): which request serves which pair, so that a span
narrowed to some pairs (:meth:`providers.base.Provider.narrowed`, a backfill of some) asks
only the currencies they need, and its count (the backfill's estimate) says so."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from providers.base import NoFixing
from providers.source import USD, HTTPProvider


class PerCurrencyHistory(HTTPProvider):
    """A central bank's table in ``own`` currency whose history is one request per
    currency: the subclass maps :meth:`history_currencies` to its requests."""

    def history_locals(self) -> frozenset[str]:
        """The local currencies whose dollar rates a history span is asked for: all this
        source gives, unless :meth:`~providers.base.Provider.narrowed`."""
        return frozenset(c for c in self.CURRENCIES if self.wants_history_of(f"{USD}/{c}"))

    def history_table(self, own: str) -> list[str]:
        """The :meth:`table_codes` whose ``X/own`` a history span is asked for (CBR's
        ``USD/RUB`` among them when asked)."""
        return [c for c in self.table_codes(own) if self.wants_history_of(f"{c}/{own}")]

    def history_currencies(self, own: str) -> frozenset[str]:
        """What a source read a request per currency (NBT, NBKR, CBR) asks a history span
        for, one request each, and why:

        * the dollar's own series (``USD`` in ``own``) for every dollar pair asked:
          ``USD/own`` is it; a cross ``USD/X = (own per USD) / (own per X)`` divides it
        * ``X`` for a cross ``USD/X`` asked (X one of the five, not ``own``)
        * ``X`` for an ``X/own`` asked (:meth:`history_table`).

        Unless :meth:`~providers.base.Provider.narrowed`, every pair the source gives is
        asked: the dollar and the other four locals, and each extra currency."""
        dollars = self.history_locals()
        codes = set(self.history_table(own))
        if dollars:
            codes |= {USD} | (dollars - {own})
        return frozenset(codes)

    def require_anchor(
        self, series: Mapping[str, Mapping[date, object]], url: str, start: date, end: date
    ) -> None:
        """Raise ``NoFixing`` for a span whose per-currency ``series`` (code -> day ->
        value) have nothing to build from: the dollar's, when it was asked (every cross
        divides it), else all of them."""
        if USD in series:
            if not series[USD]:
                raise NoFixing(self.NAME, url, f"no {USD} rates from {start} to {end}")
        elif not any(series.values()):
            asked = ", ".join(sorted(series)) or "nothing"
            raise NoFixing(self.NAME, url, f"no rates of {asked} from {start} to {end}")
