"""A third-party rate source, as another package would register it."""

from __future__ import annotations

from decimal import Decimal

import httpx

from providers.base import Batch, Observation, Provider


class Acme(Provider):
    NAME = "acme"
    TITLE = "Acme FX"
    CURRENCIES = frozenset({"KGS"})

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        day = self.today()
        rate = Decimal("87.40")
        return Batch([Observation("acme", "USD", "KGS", day, rate, False, self.now())])


ENTRY_VALUE = "tests.helpers.acme:Acme"
