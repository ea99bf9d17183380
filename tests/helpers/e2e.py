"""End-to-end runs against the local feed server: its clock, its routes (the recorded
answers re-dated), and a config that points every source at it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from tests.helpers.feedserver import FeedServer
from tests.helpers.monetary_feeds import MONETARY_NAMES, monetary_route
from tests.helpers.nbt_range import range_answer, range_dates
from tests.helpers.scenarios import LATEST, fixture
from ticker.config import PROVIDERS

#: The moment the programs run at against this server ($TICKER_NOW): the recorded NBKR,
#: NBT, CBT and aggregator answers are current then (Friday, after every publication).
E2E_NOW = datetime(2026, 5, 22, 13, 0, tzinfo=UTC)


E2E_ENV = {"TICKER_NOW": E2E_NOW.isoformat()}


def e2e_clock() -> datetime:
    """The clock of in-process runs against this server: E2E_NOW, running."""
    return E2E_NOW + (datetime.now(UTC) - _STARTED)


_STARTED = datetime.now(UTC)


def route(provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
    if provider in MONETARY_NAMES:  # their recordings, as they are
        return monetary_route(provider, path, query)
    if provider == "nbt" and path == "/en/kurs/export_xml_dynamic.php":  # its history
        return 200, range_answer(query["cs"], *range_dates(query), _nbt_snapshot)
    routes = LATEST[provider].routes
    if path not in routes or routes[path][1] is None:
        if provider == "cbt" and path.startswith("/kurs/"):
            path = "/kurs/2026/20052026.xml"
        else:
            return 404, b"not here"
    name = routes[path][1]
    assert name is not None
    body = fixture(name)
    # Dated sources answer for the date asked (the real NBT and NBK do; the tests that
    # check the parsed values use the recorded dates with a fixed clock instead); the
    # older recordings (NBK, CBU, CBR) are moved to the day of E2E_NOW.
    if provider == "nbt":
        body = body.replace(b'Date="2026-05-18"', f'Date="{query["date"]}"'.encode())
    if provider == "nbk":
        body = body.replace(b"<date>01.04.2026</date>", f"<date>{query['fdate']}</date>".encode())
    if provider == "cbu":
        body = body.replace(b"01.04.2026", b"22.05.2026")
    if provider == "cbr":
        body = body.replace(b'Date="25.04.2026"', b'Date="23.05.2026"')  # Friday's set
    return 200, body


def _nbt_snapshot(day: date) -> bytes:
    """NBT's recorded snapshot, dated ``day`` (as the snapshot route answers)."""
    body = fixture(LATEST["nbt"].routes["/en/kurs/export_xml.php"][1] or "")
    return body.replace(b'Date="2026-05-18"', f'Date="{day.isoformat()}"'.encode())


def cbt_route(provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
    if provider == "cbt":
        day = datetime.strptime(path.rsplit("/", 1)[1], "%d%m%Y.xml").date()
        body = fixture("cbt/kurs_2026_20052026.xml")
        return 200, body.replace(b"20.05.2026", day.strftime("%d.%m.%Y").encode())
    return route(provider, path, query)


def write_config(
    tmp_path: Path,
    server: FeedServer,
    db: Path,
    extra: str = "",
    market: bool = False,
    monetary: bool = False,
) -> Path:
    """A config with every source on the local server; the market boards off unless
    ``market``, the monetary sources off unless ``monetary`` (the rate sources' tests
    count the server's requests and time their rounds; the server answers the monetary
    sources with their recordings either way, and ``--provider`` polls them)."""
    lines = [f'[storage]\nurl = "sqlite:///{db}"\n']
    for name, spec in PROVIDERS.items():  # every source on the local server: no internet
        lines.append(f'[providers.{name}]\nbase_url = "{server.base_url(name)}"\n')
        if (spec.kind == "market" and not market) or (name in MONETARY_NAMES and not monetary):
            lines.append("enabled = false\n")
    cfg = tmp_path / "config.toml"
    cfg.write_text("".join(lines) + extra)
    return cfg
