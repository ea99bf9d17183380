"""Days and months in the user's language, by CLDR's abbreviated month names: ``05 Dec``
and ``05 дек.``, ``Dec 2026`` and ``дек. 2026``. The order (day, month, year) and the
two-digit day are ticker's own, the same in every language, so that columns line up."""

from __future__ import annotations

from datetime import date

from ticker.i18n.numbers import locale

__all__ = ["day_month", "day_month_year", "month_name", "month_year"]


def day_month(day: date) -> str:
    """``05 Dec``, ``05 дек.``."""
    return f"{day.day:02d} {locale().months[day.month - 1]}"


def day_month_year(day: date, *, short: bool = False) -> str:
    """``05 Dec 2026``; ``05 Dec 26`` short."""
    year = f"{day.year % 100:02d}" if short else str(day.year)
    return f"{day_month(day)} {year}"


def month_name(day: date) -> str:
    """The month of ``day`` standing alone: ``Mar``, ``март``."""
    return locale().months_alone[day.month - 1]


def month_year(day: date, *, short: bool = False) -> str:
    """``Dec 2026``, ``дек. 2026``; ``Dec 26`` short."""
    year = f"{day.year % 100:02d}" if short else str(day.year)
    return f"{month_name(day)} {year}"
