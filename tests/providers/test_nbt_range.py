"""NBT's history by its range export (``export_xml_dynamic.php``, one currency a request).

The recording is ``Mahmud0547/kursi-tojik`` ``api/test/fixtures/history-kzt.xml`` at commit
a74b20321e28a65448ee5b0ad3b82b1c676637b9 (our
``nbt/export_xml_dynamic_KZT_2026-09-20_2026-10-01.xml``), with that project's snapshot of
2026-10-01 (``api/test/fixtures/daily-2026-10-01.xml`` at a685c8e3, our
``nbt/export_xml_2026-10-01.xml``); see ``tests/fixtures/providers/nbt/README.md``. The
expected values are written here from those files' digits. Ranges of the other
currencies are built from recorded snapshots in the recording's shape
(``tests/helpers/nbt_range.py``): the range path must give what the snapshots give.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from providers.base import Batch, NoFixing, ProviderOptions, ProviderResponseError
from providers.http import MAX_BYTES
from providers.nbt import NBT, parse_range
from providers.parsing import parse_xml
from tests.helpers.nbt_range import range_answer, range_dates
from tests.helpers.samples import assert_nbt_five, by_quote
from tests.helpers.scenarios import BASE, Recorder, fixture, run

RANGE = "nbt/export_xml_dynamic_KZT_2026-09-20_2026-10-01.xml"
PATH = "/en/kurs/export_xml_dynamic.php"
FIVE = ["KGS", "KZT", "TMT", "USD", "UZS"]


def nbt(now: datetime, extra: frozenset[str] = frozenset()) -> NBT:
    return NBT(BASE, 5.0, lambda: now, ProviderOptions(extra_currencies=extra))


def snapshots(*names: str) -> Callable[[date], bytes | None]:
    """The recorded snapshots by their date."""
    by_day = {date.fromisoformat(n[-14:-4]): fixture(f"nbt/{n}") for n in names}
    return by_day.get


RECORDED = snapshots(
    "export_xml_2026-05-18.xml",
    "export_xml_2026-05-19.xml",
    "export_xml_2026-05-20.xml",
    "export_xml_2026-10-01.xml",
)


def ranges(
    snapshot: Callable[[date], bytes | None], own: dict[str, bytes] | None = None
) -> Recorder:
    """A MockTransport answering the range export: ``own[code]`` as it is, else built
    from the snapshots."""

    def reply(request: httpx.Request) -> httpx.Response:
        assert request.url.path == PATH, request.url
        query = dict(request.url.params)
        assert query["export"] == "xml"
        if own is not None and query["cs"] in own:
            return httpx.Response(200, content=own[query["cs"]])
        return httpx.Response(200, content=range_answer(query["cs"], *range_dates(query), snapshot))

    return Recorder(reply)


def test_the_recorded_range_parses_to_its_published_digits() -> None:
    root = parse_xml(fixture(RANGE), "ValCurs")
    rows = parse_range(root, "KZT", date(2026, 9, 20), date(2026, 10, 1))
    # Twelve days, weekends included (Sun 20, Sat 26, Sun 27 Sep), each per 10 tenge.
    assert sorted(rows) == [date(2026, 9, 20) + timedelta(days=i) for i in range(12)]
    assert {nominal for _, nominal in rows.values()} == {"10"}
    assert rows[date(2026, 9, 20)] == ("0.2070", "10")
    assert rows[date(2026, 9, 22)] == ("0.2072", "10")
    assert rows[date(2026, 9, 23)] == ("0.2065", "10")
    assert rows[date(2026, 9, 27)] == ("0.2092", "10")  # Sunday: Saturday's value
    assert rows[date(2026, 9, 30)] == ("0.2102", "10")
    assert rows[date(2026, 10, 1)] == ("0.2091", "10")


def test_a_range_gives_the_five_against_the_dollar_from_its_series() -> None:
    """The KZT range as recorded, the dollar's and the others' from the snapshot of
    2026-10-01: that day has the five; the recording's other days have KZT alone, so
    their dollar pairs are rejected, each saying the dollar is missing."""
    provider = nbt(datetime(2026, 10, 1, 6, 0, tzinfo=UTC))
    reply = ranges(RECORDED, {"KZT": fixture(RANGE)})
    batch = run(provider, reply, "history", date(2026, 9, 20), date(2026, 10, 1))
    assert sorted(r.url.params["cs"] for r in reply.requests) == FIVE
    assert {(r.url.params["d1"], r.url.params["d2"]) for r in reply.requests} == {
        ("2026-09-20", "2026-10-01")
    }
    got = by_quote(batch)
    assert_nbt_five(
        got, date(2026, 10, 1), "9.2201", kgs="1.0543", kzt="0.2091", uzs="0.0781", tmt="2.6343"
    )
    assert {r.pair for r in batch.rejected} == {
        f"USD/{c}" for c in ("KGS", "KZT", "TJS", "TMT", "UZS")
    }
    assert {r.reason for r in batch.rejected} == {"USD missing from the response"}
    assert len(batch.rejected) == 11 * 5  # 20-30 Sep, the five pairs each


def _observed(batch: Batch) -> list[tuple[object, ...]]:
    return sorted(
        (o.base, o.quote, o.as_of, o.rate, o.derived, o.precision) for o in batch.observations
    )


@pytest.mark.parametrize("extra", [frozenset(), frozenset({"RUB", "EUR", "CNY", "KGS"})])
def test_the_range_gives_exactly_what_the_daily_snapshots_give(extra: frozenset[str]) -> None:
    """Same dates, values, crosses, units and precision, from the same published rows:
    three days of Frankfurter's recordings, through each path."""
    now = datetime(2026, 5, 21, 6, 0, tzinfo=UTC)
    days = [date(2026, 5, 18), date(2026, 5, 19), date(2026, 5, 20)]

    def snapshot(request: httpx.Request) -> httpx.Response:
        body = RECORDED(date.fromisoformat(request.url.params["date"]))
        return httpx.Response(200 if body else 404, content=body or b"")

    daily = Batch()
    for day in days:
        daily.extend(run(nbt(now, extra), Recorder(snapshot), "fetch_day", day))
    reply = ranges(RECORDED)
    ranged = run(nbt(now, extra), reply, "history", days[0], days[-1])
    assert _observed(ranged) == _observed(daily)
    assert len(ranged.observations) == 3 * (5 + len(extra))
    assert ranged.rejected == daily.rejected == []
    # One request per currency for the three days (KGS asked besides: read anyway).
    assert sorted(r.url.params["cs"] for r in reply.requests) == sorted(set(FIVE) | extra)
    # And the recorded KZT range agrees with the recorded snapshot of its last day.
    recorded = run(
        nbt(now),
        ranges(RECORDED, {"KZT": fixture(RANGE)}),
        "fetch_history",
        date(2026, 9, 20),
        date(2026, 10, 1),
    )
    one = run(nbt(now), Recorder(snapshot), "fetch_day", date(2026, 10, 1))
    assert _observed(recorded) == _observed(one)


def test_requests_one_per_currency_asked() -> None:
    provider = nbt(datetime(2026, 5, 21, tzinfo=UTC), frozenset({"RUB", "EUR"}))
    assert provider.history_codes() == ["EUR", "KGS", "KZT", "RUB", "TMT", "USD", "UZS"]
    assert provider.history_requests() == 7
    assert nbt(datetime(2026, 5, 21, tzinfo=UTC)).history_requests() == 5


def _one_currency(code: str, body: bytes) -> Recorder:
    """The snapshots' range for every currency but ``code``, answered ``body``."""
    return ranges(RECORDED, {code: body})


def _record(day: str, code: str = "KZT", nominal: str = "10", value: str = "0.2091") -> bytes:
    return (
        f'<Record Date="{day}" Id="398"><CharCode>{code}</CharCode>'
        f"<Nominal>{nominal}</Nominal><Value>{value}</Value></Record>"
    ).encode()


def _range(
    *records: bytes, head: bytes = b'<?xml version="1.0" encoding="windows-1251" ?>'
) -> bytes:
    return head + b'<ValCurs ID="398" Name="Kazakhstan Tenge">' + b"".join(records) + b"</ValCurs>"


NOW = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)  # 11:00 in Dushanbe: the 1st is out
FIRST, LAST = date(2026, 10, 1), date(2026, 10, 1)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            _range(_record("02.10.2026")),
            "asked for 2026-10-01 to 2026-10-01, a record is dated 2026-10-02",
        ),
        (
            _range(_record("30.09.2026")),
            "asked for 2026-10-01 to 2026-10-01, a record is dated 2026-09-30",
        ),
        (_range(_record("01.10.2026"), _record("01.10.2026")), "two KZT records dated 2026-10-01"),
        (
            _range(_record("01.10.2026", code="KGS")),
            "asked for KZT, a record dated 2026-10-01 is of KGS",
        ),
        (_range(_record("31.02.2026")), "does not match format|day is out of range"),
        (
            _range(_record("01.10.2026"), head=b'<?xml version="1.0" encoding="x-unknown" ?>'),
            "encoding",
        ),
        (
            _range(
                b'<Record Date="01.10.2026"><CharCode>KZT</CharCode><Name>\x98</Name>'
                b"<Nominal>10</Nominal><Value>0.2091</Value></Record>"
            ),
            "not well-formed",
        ),
        (b"<!DOCTYPE html><html><body>export help</body></html>", "unsafe XML refused"),
        (b"<html><body>export help</body></html>", "expected XML root <ValCurs>, got <html>"),
        (b"<ValCurs>Error in parameters</ValCurs>", "the source says 'Error in parameters'"),
        (
            _range(
                b'<Record Date="01.10.2026"><CharCode>KZT</CharCode><Value>0.2</Value></Record>'
            ),
            "<Record> without <Nominal>",
        ),
    ],
)
def test_a_range_answer_that_contradicts_the_request_is_refused(body: bytes, said: str) -> None:
    with pytest.raises(ProviderResponseError, match=said) as caught:
        run(nbt(NOW), _one_currency("KZT", body), "history", FIRST, LAST)
    assert caught.value.provider == "nbt" and PATH in caught.value.url


def test_a_body_over_the_size_cap_is_refused() -> None:
    huge = _range(_record("01.10.2026") * (MAX_BYTES // 100 + 1))
    assert len(huge) > MAX_BYTES
    with pytest.raises(ProviderResponseError, match="larger than"):
        run(nbt(NOW), _one_currency("KZT", huge), "history", FIRST, LAST)


def test_a_nominal_of_zero_rejects_that_days_pair_only() -> None:
    batch = run(
        nbt(NOW),
        _one_currency("KZT", _range(_record("01.10.2026", nominal="0"))),
        "history",
        FIRST,
        LAST,
    )
    assert [(r.pair, r.reason) for r in batch.rejected] == [
        ("USD/KZT", "nominal must be positive, got 0")
    ]
    assert sorted(o.quote for o in batch.observations) == ["KGS", "TJS", "TMT", "UZS"]


def test_a_dollar_nominal_of_zero_leaves_nothing_and_is_refused() -> None:
    usd = _range(_record("01.10.2026", code="USD", nominal="0", value="9.2201"))
    with pytest.raises(ProviderResponseError, match="no usable rates"):
        run(nbt(NOW), _one_currency("USD", usd), "history", FIRST, LAST)


def test_an_empty_dollar_range_is_a_window_without_a_fixing() -> None:
    with pytest.raises(NoFixing, match="no USD rates from 2026-10-01 to 2026-10-01"):
        run(nbt(NOW), _one_currency("USD", _range()), "history", FIRST, LAST)


def test_a_record_in_the_future_is_rejected_even_inside_the_window() -> None:
    """A window reaching past the source's today (the backfill never asks one): a record
    dated after tomorrow in Dushanbe is rejected with its reason, the rest kept."""
    now = datetime(2026, 9, 30, 6, 0, tzinfo=UTC)  # the 30th in Dushanbe
    usd = _range(
        _record("30.09.2026", code="USD", nominal="1", value="9.2201"),
        _record("02.10.2026", code="USD", nominal="1", value="9.9999"),
    )
    own = {
        code: _range(
            _record("30.09.2026", code=code, nominal="1", value="1.0000"),
            _record("02.10.2026", code=code, nominal="1", value="1.0000"),
        )
        for code in ("KGS", "KZT", "UZS", "TMT")
    }
    reply = ranges(RECORDED, {"USD": usd, **own})
    batch = run(nbt(now), reply, "history", date(2026, 9, 30), date(2026, 10, 2))
    assert {o.as_of for o in batch.observations} == {date(2026, 9, 30)}
    assert {r.reason.split(",")[0] for r in batch.rejected} == {"dated 2026-10-02"}
    assert by_quote(batch)["TJS"].rate == Decimal("9.2201")
