"""Snapshots of stable layouts from a seeded store and a fixed clock.

Regenerate after an intended change with `make test PYTEST_ARGS="--snapshot-update tests/tui"`
and look at the SVGs before committing them.
"""

from __future__ import annotations

from textual.pilot import Pilot

from tests.helpers.dashboard import make_app, settle
from ticker.config import Settings


async def _ready(pilot: Pilot[None]) -> None:
    await settle(pilot)


def test_main_screen_80x24(snap_compare, seeded: Settings) -> None:
    assert snap_compare(make_app(seeded), terminal_size=(80, 24), run_before=_ready)


def test_main_screen_160x48(snap_compare, seeded: Settings) -> None:
    assert snap_compare(make_app(seeded), terminal_size=(160, 48), run_before=_ready)


def test_detail_screen(snap_compare, seeded: Settings) -> None:
    async def open_detail(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)

    assert snap_compare(make_app(seeded), terminal_size=(100, 30), run_before=open_detail)


def test_help_screen(snap_compare, seeded: Settings) -> None:
    async def open_help(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(seeded), terminal_size=(100, 30), run_before=open_help)


def test_empty_store(snap_compare, empty: Settings) -> None:
    assert snap_compare(make_app(empty), terminal_size=(80, 24), run_before=_ready)


def test_main_screen_80x24_twenty_pairs(snap_compare, tmp_path) -> None:
    """Every watched pair (20: the dollar, the rouble, the euro, the yuan and crosses
    among the five), grouped under their labels; the table scrolls, the chart keeps its
    rows."""
    from tests.tui.pairs_seed import pairs_settings

    app = make_app(pairs_settings(tmp_path))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready)
