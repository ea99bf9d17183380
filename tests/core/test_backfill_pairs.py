"""``backfill`` of pairs beyond the dollar (issue 28): ``--pair RUB/TJS`` and a plain
backfill watching ``[pairs]`` ask the banks' history for those currencies, store it as
published, resume, and count the extra requests in the estimate; the default config asks
nothing more than before."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.helpers.cli import ticker
from tests.helpers.feedserver import FeedServer, Reply
from tests.helpers.nbt_range import range_answer, range_dates
from ticker.config import PairsSettings, Settings
from ticker.core.backfill import Backfill
from ticker.core.registry import build_provider, build_providers
from ticker.model.pairs import Pair
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

FIXTURES = Path(__file__).parents[1] / "fixtures" / "providers"
NBT_DAYS = ("2026-05-18", "2026-05-19", "2026-05-20")
NOW = "2026-05-25T12:00:00+00:00"


def snapshot(day: date) -> bytes | None:
    if day.isoformat() not in NBT_DAYS:
        return None
    return (FIXTURES / "nbt" / f"export_xml_{day.isoformat()}.xml").read_bytes()


def nbt_route(provider: str, path: str, query: dict[str, str]) -> Reply:
    """NBT's range export, one currency a request, from the recorded snapshots."""
    assert provider == "nbt" and path == "/en/kurs/export_xml_dynamic.php", path
    assert query["export"] == "xml"
    return 200, range_answer(query["cs"], *range_dates(query), snapshot)


def config(tmp_path: Path, server: FeedServer, watch: list[str] | None = None) -> Path:
    cfg = tmp_path / "config.toml"
    text = (
        f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
        f'[providers.nbt]\nbase_url = "{server.base_url("nbt")}"\nbackfill_delay = "0s"\n'
    )
    if watch is not None:
        text += "[pairs]\nwatch = [" + ", ".join(f'"{p}"' for p in watch) + "]\n"
    cfg.write_text(text)
    return cfg


def stored(tmp_path: Path, pair: str) -> list[tuple[str, str, Decimal]]:
    db = open_database(f"sqlite:///{tmp_path / 't.db'}")
    try:
        base, quote = pair.split("/")
        rows = Repository(db).pair_history(Pair(base, quote))
        return [(o.provider, o.as_of.isoformat(), o.rate) for o in rows]
    finally:
        db.dispose()


def test_backfill_pair_stores_the_banks_rouble_history_as_published(tmp_path: Path) -> None:
    server = FeedServer(nbt_route)
    with server.running():
        cfg = config(tmp_path, server)
        args = ["--config", str(cfg), "backfill", "--since", "2026-05-18", "--until", "2026-05-20"]
        env = {"TICKER_NOW": NOW}
        result = ticker(*args, "--provider", "nbt", "--pair", "RUB/TJS", "-v", env=env)
        assert result.returncode == 0, result.stderr
        asked = len(server.seen)
        again = ticker(*args, "--provider", "nbt", "--pair", "RUB/TJS", env=env)
        assert again.returncode == 0, again.stderr
        assert "already stored" in again.stderr  # resumable: nothing asked again
        # One range request per currency the pair needs: the rouble's (RUB/TJS) and the
        # dollar's (USD/TJS, its crosses' way); none of the four other crosses'.
        assert len(server.seen) == asked == 2
        assert sorted(s.query["cs"] for s in server.seen) == ["RUB", "USD"]
        # The plan said so (-v prints it), and the progress counted them.
        assert "ticker:   nbt  about 2 requests" in result.stderr
        assert " 2/2 requests " in result.stderr
    # NBT's own rouble rate (somoni per rouble, nominal 1), as the recorded files say.
    assert stored(tmp_path, "RUB/TJS") == [
        ("nbt", "2026-05-18", Decimal("0.1277")),
        ("nbt", "2026-05-19", Decimal("0.1289")),
        ("nbt", "2026-05-20", Decimal("0.1308")),
    ]
    # The dollar rate its crosses go through is stored too; no other pair is.
    assert [r[1] for r in stored(tmp_path, "USD/TJS")] == list(NBT_DAYS)
    assert stored(tmp_path, "KGS/TJS") == []


def test_plain_backfill_watching_pairs_fetches_them_and_the_default_does_not(
    tmp_path: Path,
) -> None:
    server = FeedServer(nbt_route)
    with server.running():
        plain = tmp_path / "plain"
        plain.mkdir()
        cfg = config(plain, server)
        args = ["backfill", "--since", "2026-05-18", "--until", "2026-05-20", "--provider", "nbt"]
        result = ticker("--config", str(cfg), *args, env={"TICKER_NOW": NOW})
        assert result.returncode == 0, result.stderr
        assert stored(plain, "RUB/TJS") == []  # the default config changes nothing
        watching = tmp_path / "watching"
        watching.mkdir()
        cfg = config(watching, server, ["TJS/USD", "RUB/TJS", "KGS/TJS"])
        result = ticker("--config", str(cfg), *args, env={"TICKER_NOW": NOW})
        assert result.returncode == 0, result.stderr
    assert [r[2] for r in stored(watching, "RUB/TJS")][:2] == [Decimal("0.1277"), Decimal("0.1289")]
    assert stored(watching, "KGS/TJS")[0][2] == Decimal("1.0686") / 10  # per 10 som
    assert [r[1] for r in stored(watching, "USD/TJS")] == list(NBT_DAYS)


def test_the_estimate_counts_a_request_per_extra_currency(tmp_path: Path) -> None:
    """NBKR's history page and CBR's dynamic file are per currency: the rouble and the
    euro cost one more request per span each."""
    base = Settings()
    watching = dataclasses.replace(
        base,
        pairs=PairsSettings(watch=(Pair("RUB", "KGS"), Pair("EUR", "KGS"), Pair("CNY", "KZT"))),
    )
    db = open_database(f"sqlite:///{tmp_path / 't.db'}")
    repo = Repository(db)

    async def plan(settings: Settings) -> dict[str, int]:
        providers = [build_provider(n, settings) for n in ("nbkr", "cbr", "nbt")]
        job = Backfill(repo, None, settings, providers, date(2026, 3, 2), date(2026, 3, 6))  # type: ignore[arg-type]
        progress = await job.plan()
        return {n: p.requests for n, p in progress.items()}

    try:
        before, after = asyncio.run(plan(base)), asyncio.run(plan(watching))
    finally:
        db.dispose()
    nbkr_units = before["nbkr"] // 5  # USD and the four others: one page each
    assert after["nbkr"] == nbkr_units * (5 + 2)  # RUB and EUR
    assert after["cbr"] == before["cbr"]  # asked KGS/RUB: a page it reads anyway
    assert after["nbt"] == before["nbt"]  # none of these pairs asks NBT for more
    assert {p.NAME for p in build_providers(watching)} >= {"nbkr", "nbk"}
