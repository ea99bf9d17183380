"""open.er-api.com (ExchangeRate-API open access): latest only, attribution required.

``v6/latest/USD`` -> ``{"result": "success", "time_last_update_unix": ..., "rates": {...}}``.
Updates once a day; polling more than hourly risks a 429 lock-out. Rates by
ExchangeRate-API (https://www.exchangerate-api.com).
Other currencies asked for (EUR, RUB, CNY ...): ``USD/X`` from the same answer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from providers.base import Batch, ProviderResponseError, Rejected
from providers.catalogue import SOURCES
from providers.parsing import bad_response
from providers.source import HTTPProvider, add_direct, add_extras

ATTRIBUTION = "Rates by ExchangeRate-API (https://www.exchangerate-api.com)"


class ERAPI(HTTPProvider, source=SOURCES["erapi"]):
    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        data, url = await self.get_json(client, "/v6/latest/USD")
        return self.require_some(self._parse(data, url), url)

    def _parse(self, data: Any, url: str) -> Batch:
        batch = Batch()
        with bad_response(self.NAME, url):
            if not isinstance(data, dict):
                raise ValueError(f"expected a JSON object, got {type(data).__name__}")
            if data.get("result") != "success":
                kind = data.get("error-type", "unknown error")
                raise ProviderResponseError(self.NAME, url, f"the source reports {kind!s}")
            if str(data["base_code"]).upper() != "USD":
                raise ValueError(f"expected base_code USD, got {data['base_code']!r}")
            updated = int(data["time_last_update_unix"])
            as_of = datetime.fromtimestamp(updated, UTC).date()
            rates = data["rates"]
            if not isinstance(rates, dict):
                raise ValueError("rates is not an object")
            for local in sorted(self.CURRENCIES):
                if local not in rates:
                    batch.rejected.append(Rejected(f"USD/{local}", "", "missing from the response"))
                else:
                    add_direct(self, batch, local, rates[local], as_of)
            add_extras(self, batch, rates, as_of, lower=False)
        return batch
