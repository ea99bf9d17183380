"""Each third-party market source (kurs-kz, fx-kg, bank-uz) is labelled on the dashboard's
market surfaces, from its record's ``third_party`` flag: the board screen's title (``m``),
the rates table's market cell (``*``) and the legend the detail shows; NBT's own table is
not marked. The screens themselves: tests/tui/test_market_board.py, test_market_column.py.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from providers.market_quote import Channel, Side
from providers.market_records import MARKET
from ticker.display.market import MARKET_LEGEND, THIRD_PARTY_MARK, market_cell
from ticker.display.market_board import title_line
from ticker.display.market_text import source_text
from ticker.model.market import origin_of
from ticker.model.market_column import ColumnEntry

THIRD = [name for name, source in MARKET.items() if source.third_party]


def test_the_third_parties_are_the_three_boards() -> None:
    assert sorted(THIRD) == ["bank-uz", "fx-kg", "kurs-kz"]


@pytest.mark.parametrize("source", THIRD)
def test_the_board_title_cell_and_source_say_third_party(source: str) -> None:
    local = next(iter(MARKET[source].currencies))
    title = title_line(f"USD/{local}", Channel.CASH, Side.SELL, [source])
    assert f"{source} · third party" in title
    entry = ColumnEntry("USD", local, Decimal("10.85"), Decimal("10.92"), origin_of(source))
    assert market_cell(entry) == f"10.85/10.92{THIRD_PARTY_MARK}"
    assert source_text(source) == f"{source}, third party"


def test_the_central_bank_s_table_is_not_marked_and_the_legend_says_the_mark() -> None:
    entry = ColumnEntry("USD", "TJS", Decimal("10.85"), Decimal("10.92"), origin_of("nbt-banks"))
    assert market_cell(entry) == "10.85/10.92"
    assert "nbt-banks · official source" in title_line(
        "USD/TJS", Channel.CASH, Side.SELL, ["nbt-banks"]
    )
    assert f"{THIRD_PARTY_MARK} a third party's board" in MARKET_LEGEND
