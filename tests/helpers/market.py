"""The market records joined to the catalogue, as the lead's one line does at merge
(``SOURCES`` includes ``MARKET_SOURCES``), and a board served over httpx.MockTransport.

:func:`join_market` adds the records to every table read from ``SOURCES`` at import
(the catalogue's ``SOURCES`` and ``CALENDARS``, the configuration's ``PROVIDERS``) and
registers a fake client for each name the third-party way (an entry point); once the
records are joined for real it changes nothing but the clients.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from importlib.metadata import EntryPoint

import httpx
import pytest

from providers.base import Batch, Channel
from providers.market_records import MARKET, MARKET_SOURCES
from providers.market_source import MarketProvider
from providers.registry import GROUP

#: What a board answers: (institution, buy, sell, quoted at ISO or "").
Row = tuple[str, str, str, str]

BOARD: list[Row] = [
    ("Amonatbonk", "10.85", "10.95", ""),
    ("Orienbonk", "10.86", "10.97", ""),
    ("Spitamen Bank", "0.0000", "10.99", ""),  # buys no dollars: a side not offered
]


class _Board(MarketProvider):
    """A market source reading ``/board.json``: ``{"rows": [[name, buy, sell, at]]}``."""

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        answer, _url = await self.get_json(client, "/board.json")
        batch = Batch()
        for name, buy, sell, at in answer["rows"]:
            quoted = datetime.fromisoformat(at) if at else None
            pair = ("USD", next(iter(self.CURRENCIES)))
            self.quote(batch, name, pair, Channel.CASH, Decimal(buy), Decimal(sell), quoted)
        return batch

    def request_headers(self) -> dict[str, str]:
        token = self.options.token
        return {"Authorization": f"Bearer {token}"} if token else {}


class NBTBoard(_Board, source=MARKET["nbt-banks"]):
    pass


class FxBoard(_Board, source=MARKET["fx-kg"]):
    pass


class KursBoard(_Board, source=MARKET["kurs-kz"]):
    pass


class UzBoard(_Board, source=MARKET["bank-uz"]):
    pass


CLIENTS = {
    "nbt-banks": "NBTBoard",
    "fx-kg": "FxBoard",
    "kurs-kz": "KursBoard",
    "bank-uz": "UzBoard",
}


def join_market(monkeypatch: pytest.MonkeyPatch) -> None:
    """The market records in ``SOURCES`` and what is read from it, with their clients."""
    import providers.registry
    from providers import catalogue
    from ticker.config import sources

    for source in MARKET_SOURCES:
        monkeypatch.setitem(catalogue.SOURCES, source.name, source)
        if source.calendar is not None:
            monkeypatch.setitem(catalogue.CALENDARS, source.name, source.calendar)
        monkeypatch.setitem(sources.PROVIDERS, source.name, sources.spec_of(source))
    real = providers.registry.registered

    def with_boards() -> dict[str, EntryPoint]:
        boards = {
            name: EntryPoint(name, f"tests.helpers.market:{cls}", GROUP)
            for name, cls in CLIENTS.items()
        }
        return {**real(), **boards}

    monkeypatch.setattr(providers.registry, "registered", with_boards)


def board_server(
    rows: list[Row] | Callable[[], list[Row]] = BOARD, status: int = 200
) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A board's server: every request answered with ``rows`` (and remembered)."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if status != 200:
            return httpx.Response(status, text="down for maintenance")
        board = rows() if callable(rows) else rows
        return httpx.Response(200, text=json.dumps({"rows": board}))

    return httpx.MockTransport(answer), seen
