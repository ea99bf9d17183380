"""A local NBK that answers any date (for backfills), and settings and a store for it."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.helpers.feedserver import FeedServer
from tests.helpers.scenarios import fixture
from ticker.config import Settings
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

D = date


def nbk_for(fdate: str) -> bytes:
    """The recorded NBK file, re-dated to the date asked, the dollar moved a little per day."""
    day = D(int(fdate[6:]), int(fdate[3:5]), int(fdate[:2]))
    usd = Decimal("478.77") + Decimal(day.toordinal() % 7) / 10
    body = fixture("nbk/get_rates.cfm_fdate_01.04.2026.xml")
    return body.replace(b"<date>01.04.2026</date>", f"<date>{fdate}</date>".encode()).replace(
        b"<description>478.77</description>", f"<description>{usd}</description>".encode()
    )


class NBKServer:
    def __init__(self, latency: float = 0.0) -> None:
        self.count = 0
        self.reached = threading.Event()
        self.stop_after: int | None = None
        self.server = FeedServer(self.route, latency)

    def route(self, provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        assert (provider, path) == ("nbk", "/rss/get_rates.cfm")
        self.count += 1
        if self.stop_after is not None and self.count >= self.stop_after:
            self.reached.set()
        return 200, nbk_for(query["fdate"])


def settings_for(server: FeedServer, tmp_path: Path, **nbk: Any) -> Settings:
    base = Settings()
    providers = dict(base.providers)
    providers["nbk"] = dataclasses.replace(providers["nbk"], base_url=server.base_url("nbk"), **nbk)
    return dataclasses.replace(base, providers=providers)


def repository(tmp_path: Path) -> Repository:
    return Repository(open_database(f"sqlite:///{tmp_path / 't.db'}"))
