"""The dashboard's converter (x): an amount through each side's official rate against the
dollar, the answer updating as the amount and the currencies change."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input, Select, Static

from tests.helpers.dashboard import make_app, settle
from ticker.config import Settings
from ticker.tui.app import TickerApp
from ticker.tui.screens.converter import ConverterScreen

# The seeded store's fixings of 23 Nov: NBKR 87.45 som and NBK 478.77 tenge per dollar.
KGS, KZT = Decimal("87.45"), Decimal("478.77")


def result(app: TickerApp) -> str:
    return str(app.screen.query_one("#result", Static).render())


async def type_amount(pilot, text: str) -> None:
    field = pilot.app.screen.query_one("#amount", Input)
    field.value = ""
    await pilot.press(*text)
    await settle(pilot)


async def test_the_converter_converts_through_the_dollar_and_swaps(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConverterScreen)
        # Opened on the selected pair (KGS), from dollars, for 100.
        assert app.screen.query_one("#amount", Input).value == "100"
        assert result(app).startswith("100 USD = 8,745")
        await type_amount(pilot, "3")
        assert result(app) == "3 USD = 262.35 KGS: NBKR 23 Nov"  # 3 * 87.45
        app.screen.query_one("#from", Select).value = "KZT"
        await type_amount(pilot, "10,000")
        # 10,000 / 478.77 * 87.45 = 1,826.555...: five significant digits, two decimals
        # at least (the table's rule).
        assert (10_000 / KZT * KGS).quantize(Decimal("0.01")) == Decimal("1826.56")
        assert result(app) == "10,000 KZT = 1,826.56 KGS via USD: NBK 23 Nov, NBKR 23 Nov"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert (10_000 / KGS * KZT).quantize(Decimal("0.01")) == Decimal("54747.86")
        assert result(app) == "10,000 KGS = 54,747.86 KZT via USD: NBKR 23 Nov, NBK 23 Nov"
        await type_amount(pilot, "12abc")
        assert result(app).startswith("Amount: expected a number like 10000")
        app.screen.query_one("#to", Select).value = "KGS"
        await type_amount(pilot, "5")
        assert result(app) == "From and To are the same currency (KGS)"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ConverterScreen)


async def test_the_converter_says_which_rate_is_missing(empty: Settings) -> None:
    app = make_app(empty)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert result(app) == "no KGS rate stored yet (r polls every source)"
