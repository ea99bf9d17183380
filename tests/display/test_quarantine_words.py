"""A quarantined value in words, in the orientation the user looks at."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, localcontext

import pytest

from providers.base import Observation
from ticker.display.quarantine import held_line, held_reason
from ticker.model.pairs import Pair
from ticker.model.quarantine import HeldKind, HeldReason, encode
from ticker.model.records import Quarantined
from ticker.storage.migrations import IMPOSSIBLE_DATE

D = Decimal
TMT_USD, USD_TMT = Pair("TMT", "USD"), Pair("USD", "TMT")
PEG = encode(HeldReason(HeldKind.PEG, D(2)))


def held(per_usd: Decimal, reason: str, previous: Decimal | None) -> Quarantined:
    fetched = datetime(2026, 4, 1, 9, tzinfo=UTC)
    o = Observation("cbu", "USD", "TMT", date(2026, 4, 1), per_usd, False, fetched)
    return Quarantined(o, reason, previous)


def pct(old: Decimal, new: Decimal) -> str:
    with localcontext(prec=30):
        value = (new - old) / old * 100
    return f"{value:+.2f}%"


def test_the_peg_is_in_the_orientation_shown() -> None:
    # The user's case: TMT/USD 0.41979 is USD/TMT 2.38214...; the peg is 3.50 per dollar.
    with localcontext(prec=30):
        per_usd = 1 / D("0.41979")
    h = held(per_usd, PEG, D("3.50"))
    # In TMT/USD: 0.41979 against 1/3.50 = 0.285714...: 0.41979 * 3.50 - 1 = +46.93%
    assert pct(1 / D("3.50"), D("0.41979")) == "+46.93%"
    assert held_line(h, TMT_USD, 5) == (
        "TMT/USD 0.41979: +46.93% off the official peg of 1/3.50 = 0.28571 "
        "(more than the 2% allowed)"
    )
    # In USD/TMT: 2.38214... against 3.50: -31.94%
    assert pct(D("3.50"), per_usd) == "-31.94%"
    assert held_line(h, USD_TMT, 5) == (
        "USD/TMT 2.3821: -31.94% off the official peg of 3.50 (more than the 2% allowed)"
    )


@pytest.mark.parametrize(
    ("pair", "expected"),
    [
        (USD_TMT, "moved -13.71% from 3.50"),
        # 1/3.0200747 against 1/3.50: 3.50/3.0200747 - 1 = +15.89%
        (TMT_USD, "moved +15.89% from 0.28571"),
    ],
)
def test_an_old_stored_sentence_is_worded_again_in_the_orientation_shown(
    pair: Pair, expected: str
) -> None:
    # As schema 1 stored it (tests/fixtures/db/schema_v1.sqlite.sql), in USD/TMT.
    h = held(D("3.0200747"), "moved -13.71% from 3.50", D("3.50"))
    assert held_reason(h, pair, 5) == expected
    assert pct(1 / D("3.50"), 1 / D("3.0200747")) == "+15.89%"


def test_an_old_sentence_without_a_stored_reference_uses_the_one_it_names() -> None:
    sentence = "-13.71% off the official peg of 3.50 (more than the 2% allowed)"
    h = held(D("3.0200747"), sentence, None)
    assert held_reason(h, TMT_USD, 5).startswith("+15.89% off the official peg of 1/3.50 = ")


def test_a_move_and_a_first_sight_in_both_orientations() -> None:
    move = held(D("2.80"), encode(HeldReason(HeldKind.MOVE, D(20))), D("3.50"))
    assert held_reason(move, USD_TMT, 5) == "moved -20.00% from 3.50 (more than the 20% allowed)"
    # 3.50/2.80 - 1 = +25%
    assert held_reason(move, TMT_USD, 5) == "moved +25.00% from 0.28571 (more than the 20% allowed)"
    first = held(D("2.80"), encode(HeldReason(HeldKind.FIRST_SIGHT, D(20), "nbt")), D("3.50"))
    assert held_reason(first, TMT_USD, 5) == (
        "+25.00% from nbt's 0.28571 at first sight (more than the 20% allowed)"
    )


def test_the_plausible_band_turns_around_with_the_pair() -> None:
    h = held(
        D("1E+30"), encode(HeldReason(HeldKind.IMPLAUSIBLE, band=(D("0.28"), D("150000")))), None
    )
    assert held_reason(h, USD_TMT, 5) == "outside the plausible 0.28 to 150,000 for USD/TMT"
    # 1/150000 = 0.0000066667, 1/0.28 = 3.5714
    assert held_reason(h, TMT_USD, 5) == "outside the plausible 0.0000067 to 3.6 for TMT/USD"


def test_a_reason_that_is_only_words_is_shown_as_stored() -> None:
    h = held(D("3.50"), IMPOSSIBLE_DATE, None)
    assert held_reason(h, TMT_USD, 5) == IMPOSSIBLE_DATE
