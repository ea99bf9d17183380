"""The dashboard's market column read headless: bounded, in the column's channel, and
read again only when the store's market moved or the last read is old."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.seeded import seed, settings_for
from tests.tui.market_seed import nbt_board, quote, store_market
from ticker.core.market import COLUMN_REREAD, MarketColumn, with_market
from ticker.model.market import Origin
from ticker.model.market_column import ColumnEntry
from ticker.model.pairs import Pair
from ticker.model.snapshot import PairDetail
from ticker.storage.reader import open_reads


def test_read_again_only_when_the_market_moved_or_the_read_is_old(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    seed(repo)
    repo.close()
    store_market(settings, nbt_board())
    reads = open_reads(settings, lambda: NOW)
    column = MarketColumn()
    try:
        tjs = ColumnEntry("USD", "TJS", Decimal("9.31"), Decimal("9.38"), Origin.OFFICIAL)
        assert column.read(reads, NOW) == [tjs]  # cash only: Eskhata's card is not in it
        assert column.read(reads, NOW + timedelta(minutes=1)) is None  # nothing moved
        store_market(settings, [], [("TMT", "19.5")])
        again = column.read(reads, NOW + timedelta(minutes=2))
        assert again is not None and again[-1].origin is Origin.REPORTED
        assert column.read(reads, NOW + timedelta(minutes=3)) is None
        assert column.read(reads, NOW + timedelta(minutes=2) + COLUMN_REREAD) is not None
        store_market(settings, [quote("nbt-banks", "Orienbonk", ("USD", "TJS"), "9.32", "9.36")])
        moved = column.read(reads, NOW + timedelta(minutes=30))
        assert moved is not None and moved[0].buy == Decimal("9.32")
    finally:
        reads.close()


def test_a_pairs_detail_gets_its_market_either_way_round(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    seed(repo)
    repo.close()
    store_market(settings, nbt_board(), [("TMT", "19.5")])
    reads = open_reads(settings, lambda: NOW)
    try:
        for pair in (Pair("USD", "TJS"), Pair("TJS", "USD")):
            detail = with_market(PairDetail("TJS", [], []), reads, pair, NOW)
            assert [s.channel.value for s in detail.market] == ["cash", "card"]
            assert detail.market_official == "nbt" and detail.reported == ()
            assert detail.market[0].official == Decimal("9.3450")
        tmt = with_market(PairDetail("TMT", [], []), reads, Pair("TMT", "USD"), NOW)
        assert tmt.market == () and [r.rate for r in tmt.reported] == [Decimal("19.5")]
    finally:
        reads.close()
