"""A pair's state in words and symbols, from one table keyed by the state (no terminal)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ticker.display.states import (
    HEALTH_SYMBOL,
    STATE_WORDS,
    Tone,
    is_ok,
    state_text,
    state_words,
)
from ticker.model.freshness import Freshness
from ticker.model.health import FAILING, OK, UNKNOWN, UNSTABLE, HealthState
from ticker.model.pairs import Pair
from ticker.model.routing import PairState, PairView

BASE = PairView(
    local="KGS",
    pair=Pair("KGS", "USD"),
    rate=Decimal("0.011435"),
    change=None,
    change_pct=None,
    as_of=date(2026, 11, 20),
    provider="nbkr",
    derived=False,
    fetched_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
    freshness=Freshness(False, 0, 0),
    provider_state=OK,
    divergence_pct=None,
    divergent=False,
)
STALE_3D = Freshness(True, 2, 3)


def view(**changes: object) -> PairView:
    return BASE._replace(**changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("shown", "kind", "long", "short", "symbol", "tone"),
    [
        (view(), PairState.OK, "ok", "ok", "●", Tone.OK),
        (view(provider_state=UNKNOWN), PairState.OK, "ok", "ok", "●", Tone.OK),
        (view(divergent=True), PairState.DIVERGENT, "divergent", "divergent", "◆", Tone.WARN),
        (
            view(provider_state=UNSTABLE),
            PairState.LAST_POLL_FAILED,
            "last poll failed",
            "poll failed",
            "▲",
            Tone.BAD,
        ),
        (
            view(provider_state=FAILING, divergent=True),
            PairState.LAST_POLL_FAILED,
            "last poll failed",
            "poll failed",
            "▲",
            Tone.BAD,
        ),
        (
            view(fallback_for="nbkr", fallback_why="failing", provider="nbt"),
            PairState.FALLBACK,
            "fallback, nbkr failing",
            "fallback",
            "↪",
            Tone.WARN,
        ),
        (
            view(fallback_for="nbk", fallback_why="no data", provider="cbu"),
            PairState.FALLBACK,
            "fallback, nbk no data",
            "fallback",
            "↪",
            Tone.WARN,
        ),
        (view(freshness=STALE_3D), PairState.STALE, "stale 3d", "stale 3d", "◷", Tone.WARN),
        (
            view(freshness=STALE_3D, provider_state=UNSTABLE),
            PairState.STALE,
            "stale 3d",
            "stale 3d",
            "◷",
            Tone.WARN,
        ),
        (
            view(freshness=STALE_3D, provider_state=FAILING, fallback_for="nbk"),
            PairState.SOURCE_FAILING,
            "source failing",
            "failing",
            "✖",
            Tone.BAD,
        ),
    ],
)
def test_each_state_is_worded_from_its_row(
    shown: PairView, kind: PairState, long: str, short: str, symbol: str, tone: Tone
) -> None:
    assert shown.kind is kind
    assert state_text(shown) == long
    assert state_text(shown, short=True) == short
    assert (state_words(shown).symbol, state_words(shown).tone) == (symbol, tone)
    assert is_ok(shown) is (kind is PairState.OK)


def test_every_state_has_one_row_in_the_order_of_the_states() -> None:
    assert list(STATE_WORDS) == list(PairState)
    symbols = [w.symbol for w in STATE_WORDS.values()]
    assert len(set(symbols)) == len(symbols)


def test_short_words_are_whole_words_never_longer_than_the_long_ones() -> None:
    for shown in (
        view(fallback_for="currencyapi", fallback_why="stale"),
        view(provider_state=UNSTABLE),
        view(freshness=STALE_3D, provider_state=FAILING),
    ):
        long, short = state_text(shown), state_text(shown, short=True)
        assert len(short) < len(long) and short.split()[0] in long


def test_tones_name_the_dashboards_colours() -> None:
    assert {t.color_key for t in Tone} == {"ok", "warn", "down"}


def test_a_provider_polled_has_a_symbol_and_one_never_polled_has_words() -> None:
    assert set(HEALTH_SYMBOL) == set(HealthState) - {UNKNOWN}
    # A source failing has one symbol whether the panel or the rates table says it.
    assert HEALTH_SYMBOL[FAILING] == STATE_WORDS[PairState.SOURCE_FAILING].symbol
