from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from providers.base import Observation
from tests.helpers.factories import obs, series
from ticker.model.records import IndicatorRefusal, Quarantined
from ticker.storage.db import Database
from ticker.storage.export_stream import Selection, field_rows, write_lines
from ticker.storage.repository import Repository


@pytest.fixture
def repo(database: Database) -> Repository:
    return Repository(database)


EXACT_RATES = [
    "478.77",  # NBK, two decimals: must not come back as 478.76999999
    "87.4500",  # NBKR keeps trailing zeros
    "0.0000539256",  # CBR exponent form 5,39256E-05 after parsing
    "12050.47",
    "3.50",
    "0.000082019012345678901",  # a cross with more digits than a double holds
    "1E+3",  # exponent notation in, plain digits out
]


@pytest.mark.parametrize("text", EXACT_RATES)
def test_rate_round_trips_exactly(repo: Repository, text: str) -> None:
    repo.add_observations([obs(rate=text)])
    (stored,) = repo.last_fixings("KZT", "nbk", 1)
    assert stored.rate == Decimal(text)
    assert str(stored.rate) == format(Decimal(text), "f")  # same digits, same exponent
    row = next(field_rows(repo, Selection()))
    assert row[3] == format(Decimal(text), "f")  # what export writes
    assert "E" not in row[3]


def test_round_trip_keeps_every_field(repo: Repository) -> None:
    kolkata = timezone(timedelta(hours=5, minutes=30))
    original = obs(
        quote="UZS",
        rate="12050.47",
        as_of=date(2026, 3, 31),
        provider="cbr",
        derived=True,
        fetched_at=datetime(2026, 3, 30, 23, 59, 59, 999999, tzinfo=kolkata),
    )
    assert repo.add_observations([original]) == 1
    (stored,) = repo.history("UZS")
    assert stored == original
    assert stored.fetched_at.utcoffset() == timedelta(0)  # stored and returned in UTC
    assert stored.fetched_at == original.fetched_at


def test_repolling_the_same_fixing_adds_nothing_and_changes_nothing(repo: Repository) -> None:
    first = obs(rate="478.77")
    assert repo.add_observations([first]) == 1
    later = obs(rate="478.77", fetched_at=first.fetched_at + timedelta(hours=3))
    revised = obs(rate="480.00", fetched_at=first.fetched_at + timedelta(hours=4))
    assert repo.add_observations([later, revised]) == 0
    assert repo.count_observations() == 1
    (stored,) = repo.history("KZT")
    assert stored == first  # neither the rate nor fetched_at moved


def test_batch_counts_only_new_rows(repo: Repository) -> None:
    batch = series("KZT", "nbk", date(2026, 11, 1), ["470", "471", "472"])
    assert repo.add_observations(batch) == 3
    more = series("KZT", "nbk", date(2026, 11, 2), ["471", "472", "473", "474"])
    assert repo.add_observations(more) == 2
    assert repo.count_observations() == 5
    assert repo.add_observations([]) == 0


def test_same_date_from_other_providers_and_pairs_are_distinct(repo: Repository) -> None:
    day = date(2026, 11, 20)
    added = repo.add_observations(
        [
            obs("KZT", "478.77", day, "nbk"),
            obs("KZT", "478.9", day, "cbr", derived=True),
            obs("KGS", "87.45", day, "nbk", derived=True),
        ]
    )
    assert added == 3
    assert {o.provider for o in repo.history("KZT")} == {"nbk", "cbr"}


def test_only_canonical_usd_local_is_stored(repo: Repository) -> None:
    from providers.base import Observation

    flipped = Observation(
        "nbk", "KZT", "USD", date(2026, 1, 1), Decimal("0.002"), False, obs().fetched_at
    )
    with pytest.raises(ValueError, match="USD/local"):
        repo.add_observations([flipped])
    assert repo.count_observations() == 0


def test_last_fixings_are_the_latest_n_oldest_first(repo: Repository) -> None:
    rates = [str(400 + i) for i in range(40)]
    repo.add_observations(series("KZT", "nbk", date(2026, 1, 1), rates))
    repo.add_observations(series("KZT", "cbr", date(2026, 1, 1), ["1", "2"]))
    last = repo.last_fixings("KZT", "nbk", 30)
    assert [o.rate for o in last] == [Decimal(r) for r in rates[-30:]]
    assert [o.as_of for o in last] == sorted(o.as_of for o in last)
    assert {o.provider for o in last} == {"nbk"}
    assert repo.last_fixings("KGS", "nbk") == []


def test_latest_per_provider(repo: Repository) -> None:
    repo.add_observations(series("KZT", "nbk", date(2026, 11, 1), ["470", "471", "472"]))
    repo.add_observations(series("KZT", "cbr", date(2026, 10, 1), ["469", "468"]))
    repo.add_observations(series("KGS", "nbkr", date(2026, 11, 5), ["87.45"]))
    latest = repo.latest_per_provider(["KZT", "KGS", "TMT"], ["nbk", "cbr", "nbkr"])
    got = {(o.quote, o.provider): (o.as_of, o.rate) for o in latest}
    assert got == {
        ("KZT", "nbk"): (date(2026, 11, 3), Decimal("472")),
        ("KZT", "cbr"): (date(2026, 10, 2), Decimal("468")),
        ("KGS", "nbkr"): (date(2026, 11, 5), Decimal("87.45")),
    }


def test_history_over_a_range(repo: Repository) -> None:
    repo.add_observations(
        series("TJS", "nbt", date(2026, 1, 1), [str(9 + i / 10) for i in range(10)])
    )
    repo.add_observations(series("TJS", "cbu", date(2026, 1, 3), ["9.5"]))
    got = repo.history("TJS", since=date(2026, 1, 3), until=date(2026, 1, 5))
    assert [(o.as_of, o.provider) for o in got] == [
        (date(2026, 1, 3), "cbu"),
        (date(2026, 1, 3), "nbt"),
        (date(2026, 1, 4), "nbt"),
        (date(2026, 1, 5), "nbt"),
    ]
    only = repo.history("TJS", since=date(2026, 1, 3), until=date(2026, 1, 5), provider="cbu")
    assert [o.rate for o in only] == [Decimal("9.5")]


def test_export_rows_are_ordered_by_pair_date_provider_and_filtered(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.add_observations(series("UZS", "cbu", date(2026, 2, 1), ["12000", "12001"]))
    repo.add_observations(series("KGS", "nbkr", date(2026, 2, 2), ["87.4"]))
    repo.add_observations(series("KGS", "cbr", date(2026, 2, 1), ["87.3", "87.5"]))
    monkeypatch.setattr("ticker.storage.export_stream.BATCH", 2)  # several batches
    rows = list(field_rows(repo, Selection()))
    assert [(r[2], int(r[0][-2:]), r[4]) for r in rows] == [
        ("KGS", 1, "cbr"),
        ("KGS", 2, "cbr"),
        ("KGS", 2, "nbkr"),
        ("UZS", 1, "cbu"),
        ("UZS", 2, "cbu"),
    ]
    kgs_cbr = list(field_rows(repo, Selection(["KGS"], ["cbr"], since=date(2026, 2, 2))))
    assert [(r[2], r[4], r[3]) for r in kgs_cbr] == [("KGS", "cbr", "87.5")]
    assert list(field_rows(repo, Selection(until=date(2026, 1, 31)))) == []
    out = io.BytesIO()
    assert write_lines(repo, Selection(), out) == 5
    text = out.getvalue()
    assert text.endswith(b"\r\n")
    lines = text.split(b"\r\n")[:-1]
    assert [line.split(b",")[2] for line in lines] == [b"KGS", b"KGS", b"KGS", b"UZS", b"UZS"]


def test_quarantine_keeps_rejected_values_with_their_reason(repo: Repository) -> None:
    bad = obs("TMT", "3.02", date(2026, 4, 1), "cbu", derived=True)
    held = Quarantined(bad, "moved -13.7% from 3.50", Decimal("3.50"))
    assert repo.store([], [held]) == 0
    repo.store([], [held])  # kept once, however often it is seen
    (kept,) = repo.quarantined("TMT")
    assert kept.observation == bad
    assert kept.reason == "moved -13.7% from 3.50"
    assert kept.previous_rate == Decimal("3.50")
    assert repo.history("TMT") == []  # never a normal point
    assert repo.quarantined("KZT") == []


@pytest.mark.parametrize(
    "bad", [obs(provider="n,bk"), obs(provider='nb"k'), obs(quote="K,Z"), obs(quote="kzt")]
)
def test_names_that_would_need_quoting_in_csv_are_refused(
    repo: Repository, bad: Observation
) -> None:
    with pytest.raises(ValueError):
        repo.store([bad])
    assert repo.count_observations() == 0


def test_refusals_are_what_the_last_poll_of_the_source_said(database: Database) -> None:
    repo = Repository(database)
    first = datetime(2026, 11, 23, 9, tzinfo=UTC)
    later = datetime(2026, 11, 24, 9, tzinfo=UTC)
    repo.record_refusals("worldbank", {"A": "archived", "B": "unknown"}, first)
    repo.record_refusals("imf", {"X": "no values"}, first)
    assert [r.indicator for r in repo.indicator_refusals()] == ["X", "A", "B"]  # by source
    # The next poll serves A again and still refuses B: A is refused no longer.
    repo.record_refusals("worldbank", {"B": "unknown"}, later)
    assert repo.indicator_refusals() == [
        IndicatorRefusal("imf", "X", "no values", first),
        IndicatorRefusal("worldbank", "B", "unknown", later),
    ]
    repo.record_refusals("worldbank", {}, later)  # everything served
    assert [r.source for r in repo.indicator_refusals()] == ["imf"]
