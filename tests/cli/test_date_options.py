"""``--since``/``--until``: ISO dates, months, years, and spans back from today, today
being the clock's (tested at the awkward ends of months and years)."""

from __future__ import annotations

import argparse
from datetime import date

import pytest

from tests.helpers.cli import ticker
from ticker.cli.args import date_range, parse_date
from ticker.errors import UsageError


@pytest.mark.parametrize(
    ("text", "today", "end", "expected"),
    [
        ("2026-01-31", None, False, date(2026, 1, 31)),
        (" 2026-01-31 ", None, False, date(2026, 1, 31)),
        ("2024", None, False, date(2024, 1, 1)),
        ("2024", None, True, date(2024, 12, 31)),
        ("2024-02", None, False, date(2024, 2, 1)),
        ("2024-02", None, True, date(2024, 2, 29)),  # a leap year's February
        ("2025-12", None, True, date(2025, 12, 31)),
        ("30d", date(2026, 3, 1), False, date(2026, 1, 30)),
        ("8W", date(2026, 3, 1), False, date(2026, 1, 4)),
        ("6m", date(2026, 8, 31), False, date(2026, 2, 28)),  # no 31 February
        ("1m", date(2026, 1, 15), False, date(2025, 12, 15)),  # back over a new year
        ("2y", date(2028, 2, 29), False, date(2026, 2, 28)),
        ("0d", date(2026, 12, 2), False, date(2026, 12, 2)),
    ],
)
def test_the_forms(text: str, today: date | None, end: bool, expected: date) -> None:
    assert parse_date(text, "--since", today, end) == expected


@pytest.mark.parametrize(
    "text", ["yesterday", "2026-13", "2026-02-30", "20260131", "1/1/2026", "0000", "５d",
             "-3d", "3x", "99999d", "2026-W05-1", ""],
)  # fmt: skip
def test_other_text_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_date(text, "--since", date(2026, 12, 2))
    assert str(refused.value).startswith("--since: expected a date like 2026-01-31, a month")
    assert str(refused.value).endswith(f"got {text!r}")


def test_a_span_needs_a_today() -> None:
    with pytest.raises(UsageError):
        parse_date("30d", "--since", None)


def test_a_range_of_months_and_years_covers_them_whole() -> None:
    args = argparse.Namespace(since="2025-11", until="2026")
    assert date_range(args, date(2026, 12, 2)) == (date(2025, 11, 1), date(2026, 12, 31))
    with pytest.raises(UsageError, match="--since 2027-01-01 is after --until 2026-12-31"):
        date_range(argparse.Namespace(since="2027", until="2026"), date(2026, 12, 2))


def test_export_counts_a_span_back_from_the_programs_clock(tmp_path: object) -> None:
    """Just after midnight in Bishkek on 2 Dec is still 1 Dec in UTC: ``1d`` is 30 Nov."""
    from pathlib import Path

    from tests.helpers.factories import series
    from ticker.storage.db import open_database
    from ticker.storage.repository import Repository

    db_path = Path(str(tmp_path)) / "t.db"
    db = open_database(f"sqlite:///{db_path}")
    Repository(db).add_observations(series("KZT", "nbk", date(2026, 11, 28), ["478"] * 4))
    db.dispose()
    env = {"TICKER_DB_URL": f"sqlite:///{db_path}", "TICKER_NOW": "2026-12-02T00:30:00+06:00"}
    done = ticker("export", "--since", "1d", env=env)
    assert done.returncode == 0, done.stderr
    days = [line.split(",")[0] for line in done.stdout.splitlines()[1:]]
    assert days == ["2026-11-30", "2026-12-01"]
