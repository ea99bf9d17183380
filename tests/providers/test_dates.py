"""The settled date rules (docs/dates-and-provenance.md) against the public recordings they
were settled from: NBK's Saturday file, CBU's answer dated before the date asked, the
provenance of CBR's crosses."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from providers.catalogue import CALENDARS
from providers.parsing import parse_any_date
from providers.provenance import derivation, is_independent
from tests.helpers.cli import ticker
from tests.helpers.feedserver import FeedServer
from tests.helpers.scenarios import Recorder, fixture, make, run
from ticker.model.freshness import freshness
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

ALMATY = timezone(timedelta(hours=5))
SATURDAY_FILE = "nbk/get_rates.cfm_fdate_01.08.2026_trimmed.xml"
EMPTY = b'<?xml version="1.0" encoding="utf-8"?><rates><date>%s</date></rates>'


def nbk_on_friday_evening(request: httpx.Request) -> httpx.Response:
    """NBK at 17:00 on Friday 31 July 2026: Saturday's file (the recorded one) is out."""
    asked = request.url.params["fdate"]
    if asked == "01.08.2026":
        return httpx.Response(200, content=fixture(SATURDAY_FILE))
    return httpx.Response(200, content=EMPTY % asked.encode())


def test_nbks_saturday_file_is_the_newest_from_friday_evening_and_in_force_to_monday() -> None:
    friday_evening = datetime(2026, 7, 31, 17, 0, tzinfo=ALMATY)
    recorder = Recorder(nbk_on_friday_evening)
    batch = run(make("nbk", friday_evening.astimezone(UTC)), recorder, "latest")
    usd = {o.quote: o for o in batch.observations}["KZT"]
    assert (usd.as_of, usd.rate) == (date(2026, 8, 1), Decimal("473.59"))
    assert [r.url.params["fdate"] for r in recorder.requests] == ["01.08.2026"]
    # The rate set on Friday is in force on Saturday, Sunday and Monday (their files
    # repeat it); Tuesday's new rate is due on Monday at 16:00.
    for day, hour, stale in [(1, 18, False), (2, 18, False), (3, 18, False), (4, 18, True)]:
        now = datetime(2026, 8, day, hour, 0, tzinfo=ALMATY)
        assert freshness("nbk", date(2026, 8, 1), now).stale is stale, now


CBU_WEEKLY = "cbu/common_json_date_15.07.2020.json"


def test_cbus_answer_dated_before_the_date_asked_is_kept_under_its_own_date() -> None:
    provider = make("cbu", datetime(2026, 12, 5, 9, 0, tzinfo=UTC))
    recorder = Recorder(lambda r: httpx.Response(200, content=fixture(CBU_WEEKLY)))
    batch = run(provider, recorder, "fetch_history", date(2020, 7, 15), date(2020, 7, 15))
    assert [r.url.path for r in recorder.requests] == [
        "/en/arkhiv-kursov-valyut/json/all/2020-07-15/"
    ]
    assert {o.as_of for o in batch.observations} == {date(2020, 7, 14)}
    assert {o.quote: o.rate for o in batch.observations}["UZS"] == Decimal("10194.96")
    assert batch.notes == [
        "cbu: asked for 2020-07-15, the answer is dated 2020-07-14: kept under 2020-07-14, "
        "the date it declares; none is dated 2020-07-15"
    ]


def test_backfill_says_it_in_one_line_and_stores_nothing_under_the_date_asked(
    tmp_path: Path,
) -> None:
    def route(provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        assert provider == "cbu", provider
        if path.endswith("/2020-07-14/"):
            return 200, fixture(CBU_WEEKLY)  # the Tuesday: dated as asked
        if path.endswith(("/2020-07-15/", "/2020-07-16/")):
            return 200, fixture(CBU_WEEKLY)  # the week's rate, still in force
        raise AssertionError(path)

    server = FeedServer(route)
    db = tmp_path / "t.db"
    cfg = tmp_path / "config.toml"
    with server.running():
        cfg.write_text(
            f'[storage]\nurl = "sqlite:///{db}"\n'
            f'[providers.cbu]\nbase_url = "{server.base_url("cbu")}"\nbackfill_delay = "0s"\n'
        )
        result = ticker(
            "--config", str(cfg), "backfill", "--provider", "cbu", "--pair", "UZS",
            "--since", "2020-07-14", "--until", "2020-07-16",
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = (
        "ticker: cbu: asked for 2020-07-15, the answer is dated 2020-07-14: kept under "
        "2020-07-14, the date it declares; none is dated 2020-07-15 (and 1 more date like it)"
    )
    assert line in result.stderr.splitlines(), result.stderr
    database = open_database(f"sqlite:///{db}")
    try:
        stored = Repository(database).history("UZS")
    finally:
        database.dispose()
    assert [(o.as_of, o.rate) for o in stored] == [(date(2020, 7, 14), Decimal("10194.96"))]


def test_cbrs_crosses_of_the_four_are_derived_from_the_local_banks_since_27_december_2024() -> None:
    origins = {c: derivation("cbr", c, date(2024, 12, 27)) for c in ("KGS", "KZT", "TJS", "UZS")}
    assert {c: d.origin for c, d in origins.items() if d} == {
        "KGS": "nbkr",
        "KZT": "nbk",
        "TJS": "nbt",
        "UZS": "cbu",
    }
    assert origins["KGS"] is not None and origins["KGS"].describe() == "derived from NBKR via RUB"
    assert is_independent("cbr", "KGS", date(2024, 12, 26))  # before the order
    assert is_independent("cbr", "TMT", date(2026, 12, 4))  # not among the four
    assert not is_independent("frankfurter", "TMT", date(2026, 12, 4))  # the 3.50 peg
    assert is_independent("frankfurter", "KGS", date(2026, 12, 4))  # a blend of many
    assert is_independent("nbt", "KZT", date(2026, 12, 4))  # NBT's own quote of the tenge


RECORDED_DATE = re.compile(
    rb'(?:<date>|Date=")(\d\d\.\d\d\.\d{4}|\d{4}-\d\d-\d\d)|"Date": ?"(\d\d\.\d\d\.\d{4})"'
)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers"
#: The sources whose calendars leave days undated (NBKR, NBK and NBT date every day).
SAMPLES = sorted(
    (path.parent.name, path)
    for path in FIXTURES.glob("*/*")
    if path.parent.name in ("cbu", "cbt", "cbr") and path.suffix != ".md"
)


@pytest.mark.parametrize(("source", "path"), SAMPLES, ids=[p.name for _, p in SAMPLES])
def test_every_recorded_answer_is_dated_on_a_day_its_calendar_dates(
    source: str, path: Path
) -> None:
    found = [a or b for a, b in RECORDED_DATE.findall(path.read_bytes())]
    assert found, path
    for text in found:
        day = parse_any_date(text.decode())
        assert CALENDARS[source].is_dated(day), f"{path.name}: {day} ({day:%A})"


@pytest.mark.parametrize(
    ("source", "recorded", "dated"),
    [
        # The recordings whose moment is known (their response headers): each is dated
        # at most the newest date the calendar allows then, and is the newest it expects.
        ("nbkr", datetime(2026, 5, 22, 12, 59, tzinfo=UTC), date(2026, 5, 23)),
        ("nbkr", datetime(2026, 5, 23, 23, 51, tzinfo=UTC), date(2026, 5, 24)),
        ("cbr", datetime(2026, 4, 26, 22, 0, tzinfo=UTC), date(2026, 4, 25)),
    ],
)
def test_recordings_of_a_known_moment_hold_the_newest_fixing_the_calendar_expects(
    source: str, recorded: datetime, dated: date
) -> None:
    calendar = CALENDARS[source]
    assert dated <= calendar.newest_possible(recorded)
    assert calendar.expected(recorded) == dated
    assert not freshness(source, dated, recorded).stale


TASHKENT = timezone(timedelta(hours=5))


@pytest.mark.parametrize(
    ("now", "window", "newest"),
    [
        # Friday 4 Dec, 17:00-20:30 Tashkent: Monday's rate comes out; polled busily.
        (datetime(2026, 12, 4, 16, 0, tzinfo=TASHKENT), False, date(2026, 12, 7)),
        (datetime(2026, 12, 4, 17, 10, tzinfo=TASHKENT), True, date(2026, 12, 7)),
        (datetime(2026, 12, 4, 20, 0, tzinfo=TASHKENT), True, date(2026, 12, 7)),
        # Sunday evening: nothing comes out (Monday's is already out).
        (datetime(2026, 12, 6, 18, 0, tzinfo=TASHKENT), False, date(2026, 12, 7)),
        # Monday 7 Dec: Tuesday 8 is a holiday; Wednesday's rate comes out on Monday.
        (datetime(2026, 12, 7, 18, 0, tzinfo=TASHKENT), True, date(2026, 12, 9)),
        (datetime(2026, 12, 8, 18, 0, tzinfo=TASHKENT), False, date(2026, 12, 9)),
    ],
)
def test_cbu_is_polled_when_its_rate_comes_out_the_business_day_before(
    now: datetime, window: bool, newest: date
) -> None:
    cbu = CALENDARS["cbu"]
    assert cbu.in_window(now) is window
    assert cbu.newest_possible(now) == newest
    # And a weekend never makes Friday's rate, in force until Monday, stale.
    assert not freshness(
        "cbu", date(2026, 12, 4), datetime(2026, 12, 6, 23, 0, tzinfo=TASHKENT)
    ).stale


def test_cbr_new_year_never_leaves_the_latest_poll_without_a_date_to_ask() -> None:
    cbr = CALENDARS["cbr"]
    for day in range(1, 12):
        now = datetime(2027, 1, day, 12, 0, tzinfo=timezone(timedelta(hours=3)))
        asked = list(cbr.recent(now))
        assert asked and asked[0] <= cbr.newest_possible(now), (now, asked)
        assert cbr.newest_possible(now) <= now.date() + timedelta(days=1)


def test_cbrs_first_january_fixing_is_the_latest_until_the_tenth() -> None:
    # No fixing is dated 2 to 9 January: on the 9th the latest answer is dated the 1st,
    # and it is neither refused as too old nor stale.
    provider = make("cbr", datetime(2027, 1, 9, 12, 0, tzinfo=UTC))
    body = fixture("cbr/XML_daily_latest_2026-04-25.xml").replace(b"25.04.2026", b"01.01.2027")
    batch = run(provider, Recorder(lambda r: httpx.Response(200, content=body)), "latest")
    assert {o.as_of for o in batch.observations} == {date(2027, 1, 1)}
    assert not freshness("cbr", date(2027, 1, 1), datetime(2027, 1, 9, 12, 0, tzinfo=UTC)).stale
