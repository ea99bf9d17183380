"""fx.kg's board (``providers.fx_kg``), on an answer built from fx.kg's documented shape.

No public recording of ``/api/v1/current`` exists (see the fixture's README): the fixture
``tests/fixtures/providers/market/fx-kg/current.json`` is BUILT from fx.kg's documentation
(https://fx.kg/en/docs) and the field names public clients read; its numbers are
illustrative. The expected values below are written by hand from that file.

Served through ``httpx.MockTransport``: no test touches the network.
"""

from __future__ import annotations

import asyncio
import copy
import gzip
import json
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import httpx
import pytest

from providers.base import (
    Batch,
    Channel,
    MarketQuote,
    ProviderAuthError,
    ProviderError,
    ProviderOptions,
    ProviderResponseError,
    ProviderUnavailable,
)
from providers.fx_kg import FXKG, month_turn
from tests.helpers.paths import FIXTURES
from ticker.core.pacing import RETRY_AFTER_CAP, RETRY_AFTER_MAX, backoff

TOKEN = "sEcReT7fXkGtOkEn0123456789aBcDeFgHiJkLmN"
NOW = datetime(2025, 6, 16, 6, 0, tzinfo=UTC)  # 12:00 in Bishkek
BISHKEK = timezone(timedelta(hours=6))
URL = "https://data.fx.kg/api/v1/current"
BOARD: list[dict[str, Any]] = json.loads(
    (FIXTURES / "providers" / "market" / "fx-kg" / "current.json").read_bytes()
)

Handler = Callable[[httpx.Request], httpx.Response]


def make(token: str = TOKEN, now: datetime = NOW) -> FXKG:
    return FXKG("https://data.fx.kg", now=lambda: now, options=ProviderOptions(token=token))


def answer(body: object, status: int = 200) -> Handler:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return lambda request: httpx.Response(
        status, content=raw, headers={"content-type": "application/json"}
    )


def poll(
    provider: FXKG, handler: Handler, *, latest: bool = True
) -> tuple[Batch | ProviderError, list[httpx.Request]]:
    """One poll of ``provider`` against ``handler``: its batch or its error, and the
    requests it made."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    async def go() -> Batch:
        async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as client:
            return await (provider.latest(client) if latest else provider.fetch(client))

    try:
        return asyncio.run(go()), seen
    except ProviderError as err:
        return err, seen


def board(handler: Handler, **kwargs: Any) -> Batch:
    result, seen = poll(make(), handler, **kwargs)
    assert isinstance(result, Batch), result
    assert len(seen) == 1  # one request a poll: the monthly cap
    return result


def refused(handler: Handler, provider: FXKG | None = None) -> ProviderError:
    result, _seen = poll(provider or make(), handler)
    assert isinstance(result, ProviderError), result
    return result


def edited(change: Callable[[list[dict[str, Any]]], object]) -> list[dict[str, Any]]:
    """The fixture's board with ``change`` applied to a copy."""
    data = copy.deepcopy(BOARD)
    change(data)
    return data


def rate(data: list[dict[str, Any]], title: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(o for o in data if o["title"] == title)["rates"][0]
    return entry


def by_key(batch: Batch) -> dict[tuple[str, str], MarketQuote]:
    found = {(q.institution, q.pair): q for q in batch.quotes}
    assert len(found) == len(batch.quotes), "one quote per institution, pair and channel"
    return found


def prices(q: MarketQuote) -> tuple[str | None, str | None]:
    """The published digits of both sides (exact: ``87.10`` stays ``87.10``)."""
    return (
        None if q.buy is None else format(q.buy, "f"),
        None if q.sell is None else format(q.sell, "f"),
    )


def at(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, second, tzinfo=BISHKEK)


# --------------------------------------------------------------------------- the board

#: Written by hand from current.json: (institution, pair) -> buy, sell, quoted (Bishkek).
EXPECTED = {
    ("РСК Банк", "USD/KGS"): ("87.10", "87.60", at(16, 9, 5, 12)),
    ("РСК Банк", "EUR/KGS"): ("97.80", "99.20", at(16, 9, 5, 12)),
    ("РСК Банк", "RUB/KGS"): ("1.08", "1.12", at(16, 9, 5, 12)),
    ("РСК Банк", "KZT/KGS"): ("0.16", "0.18", at(16, 9, 5, 12)),
    # Оптима's EUR is "0.00"/"0.00": not offered, so no quote.
    ("Оптима Банк", "USD/KGS"): ("87.15", "87.55", at(16, 8, 41)),
    ("Оптима Банк", "RUB/KGS"): ("1.09", "1.12", at(16, 8, 41)),
    ("Оптима Банк", "KZT/KGS"): ("0.16", "0.17", at(16, 8, 41)),
    # Демир Банк's "rates" is empty: nothing. Бакай's CNY is not on the board read.
    ("Бакай Банк", "USD/KGS"): ("87.05", "87.65", at(15, 17, 20)),
    ("Бакай Банк", "EUR/KGS"): ("97.50", "99.50", at(15, 17, 20)),
    ("Бакай Банк", "RUB/KGS"): ("1.08", "1.12", at(15, 17, 20)),
    ("Бакай Банк", "KZT/KGS"): ("0.16", "0.18", at(15, 17, 20)),
    # The exchange office quotes no tenge (null).
    ('Обменное бюро "Ала-Тоо"', "USD/KGS"): ("87.20", "87.50", at(16, 10, 12, 45)),
    ('Обменное бюро "Ала-Тоо"', "EUR/KGS"): ("98.00", "99.00", at(16, 10, 12, 45)),
    ('Обменное бюро "Ала-Тоо"', "RUB/KGS"): ("1.10", "1.11", at(16, 10, 12, 45)),
}


def test_the_board_of_the_built_answer_exactly() -> None:
    batch = board(answer(BOARD))
    quotes = by_key(batch)
    assert sorted(quotes) == sorted(EXPECTED)
    for key, (buy, sell, quoted) in EXPECTED.items():
        q = quotes[key]
        assert prices(q) == (buy, sell), key
        assert q.quoted_at == quoted, key
        assert q.quoted_at is not None and q.quoted_at.utcoffset() == timedelta(hours=6)
        assert (q.source, q.channel, q.city, q.fetched_at) == ("fx-kg", Channel.CASH, "", NOW)
    assert batch.rejected == [] and batch.notes == [] and batch.observations == []


def test_one_request_to_the_documented_path_with_the_token_in_the_header_only() -> None:
    _batch, seen = poll(make(), answer(BOARD))
    [request] = seen
    assert str(request.url) == URL  # no query: nothing of the token in the URL
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["accept"] == "application/json"
    assert TOKEN not in str(request.url)


def test_a_token_pasted_with_its_scheme_or_spaces_is_sent_once() -> None:
    _batch, seen = poll(make(token=f"  Bearer {TOKEN}\n"), answer(BOARD))
    assert seen[0].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("token", ["", "   ", "\n"])
def test_without_a_token_the_source_is_off_says_why_and_asks_nothing(token: str) -> None:
    err, seen = poll(make(token=token), answer(BOARD))
    assert seen == []
    assert isinstance(err, ProviderAuthError)
    assert err.reason.startswith("off: fx.kg's API needs a token and none is set")
    assert "[providers.fx-kg] token" in err.reason and "TICKER_FXKG_TOKEN" in err.reason
    assert "https://fx.kg" in err.reason
    assert err.url == URL


@pytest.mark.parametrize("token", ["abc\r\nX-Evil: 1", "tökén123", "two words"])
def test_a_malformed_token_is_never_sent_nor_quoted(token: str) -> None:
    err, seen = poll(make(token=token), answer(BOARD))
    assert seen == []
    assert isinstance(err, ProviderAuthError) and "malformed" in err.reason
    assert token.strip() not in str(err)


# --------------------------------------------------------------------------- refusals


def test_401_is_the_token_refused() -> None:
    err = refused(answer({"message": "Unauthenticated."}, 401))
    assert isinstance(err, ProviderAuthError)
    assert err.reason.startswith("token refused (HTTP 401)")
    assert "TICKER_FXKG_TOKEN" in err.reason and err.url == URL


def test_403_is_the_monthly_cap_reached_and_waits_for_the_month_to_turn() -> None:
    body = {"messages": "Monthly request limit exceeded. Contact support."}
    err = refused(answer(body, 403))
    assert isinstance(err, ProviderUnavailable)
    assert err.reason.startswith("monthly request cap reached (HTTP 403")
    assert "2025-07-01 00:00 Bishkek time" in err.reason
    # From 16 June 12:00 to 1 July 00:00 in Bishkek: 14 days and 12 hours.
    assert err.retry_after == timedelta(days=14, hours=12).total_seconds()
    # Not retried in a loop: a wait over the collector's cap ends the round at once, and
    # the next poll is planned after it, believed up to a day.
    assert err.retry_after > RETRY_AFTER_CAP
    assert backoff(0, err, random.random) == RETRY_AFTER_MAX


def test_403_without_api_access_is_the_plan_not_the_cap() -> None:
    err = refused(answer({"messages": "No API access. Contact support."}, 403))
    assert type(err) is ProviderAuthError
    assert err.reason.startswith("the token has no API access (fx.kg plan)")
    assert "cap" not in err.reason and "TICKER_FXKG_TOKEN" in err.reason
    assert err.url == URL


def test_403_cap_words_say_the_cap_only() -> None:
    err = refused(answer({"messages": "Monthly request limit exceeded. Contact support."}, 403))
    assert "API access" not in err.reason and "plan" not in err.reason


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><title>Forbidden</title></html>",
        b'{"messages": "No API access. Monthly request limit exceeded."}',
    ],
)
def test_a_403_naming_neither_or_both_is_read_as_the_cap_and_says_so(body: bytes) -> None:
    err = refused(answer(body, 403))
    assert isinstance(err, ProviderUnavailable) and err.retry_after is not None
    assert err.reason.startswith("monthly request cap reached (HTTP 403, an answer naming neither")


def test_a_403_body_is_told_apart_when_gzipped_and_only_its_start_is_read() -> None:
    def gzipped(request: httpx.Request) -> httpx.Response:
        said = b'{"messages": "No API access. Contact support."}' + b" " * 100_000
        return httpx.Response(
            403, content=gzip.compress(said), headers={"content-encoding": "gzip"}
        )

    err = refused(gzipped)
    assert isinstance(err, ProviderAuthError) and "no API access" in err.reason
    late = answer(b" " * 3000 + b'{"messages": "No API access."}', 403)
    assert isinstance(refused(late), ProviderUnavailable)  # past the first 2 kB: not read


def test_a_403_body_is_never_quoted() -> None:
    body = {"messages": "No API access. Contact support.", "detail": "xyzzy-plugh"}
    err = refused(answer(body, 403))
    assert "xyzzy" not in str(err) and "Contact support" not in str(err)


def test_the_month_turns_in_bishkek() -> None:
    # 31 December 23:59 in Bishkek is 17:59 UTC; 18:00 UTC is already 1 January there.
    late = datetime(2025, 12, 31, 17, 59, tzinfo=UTC)
    assert month_turn(late) == datetime(2026, 1, 1, tzinfo=BISHKEK)
    assert month_turn(late + timedelta(minutes=1)) == datetime(2026, 2, 1, tzinfo=BISHKEK)


def _timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


@pytest.mark.parametrize(
    ("handler", "words"),
    [
        (answer(b"<html><title>Bad Gateway</title></html>", 502), "HTTP 502"),
        (answer({"message": "Server Error"}, 503), "HTTP 503"),
        (_timeout, "data.fx.kg"),
    ],
)
def test_a_source_down_is_transient(handler: Handler, words: str) -> None:
    err = refused(handler)
    assert isinstance(err, ProviderUnavailable) and words in err.reason


# --------------------------------------------------------------------------- changed answers


def test_an_empty_list_is_refused_in_words() -> None:
    err = refused(answer([]))
    assert isinstance(err, ProviderResponseError)
    assert err.reason == "the board is empty: fx.kg lists no institution"


def test_institutions_without_rates_are_refused_in_words() -> None:
    err = refused(answer(edited(lambda d: [o.update(rates=[]) for o in d])))
    assert isinstance(err, ProviderResponseError)
    assert err.reason == "no institution has a rate: every 'rates' list is empty"


@pytest.mark.parametrize(
    "body",
    [
        {"data": BOARD},  # wrapped in an object
        ["РСК Банк", "Оптима Банк"],
        [{"id": 1, "title": "РСК Банк", "buy_usd": "87.10"}],  # flattened
    ],
)
def test_a_changed_shape_is_one_error_saying_what_was_expected(body: object) -> None:
    err = refused(answer(body))
    assert isinstance(err, ProviderResponseError)
    assert err.reason.startswith("expected a JSON list of institutions, each an object")


def test_renamed_price_keys_are_one_error() -> None:
    def rename(data: list[dict[str, Any]]) -> None:
        for org in data:
            for entry in org["rates"]:
                for key in [k for k in entry if k.startswith(("buy_", "sell_"))]:
                    entry[key.replace("buy_", "purchase_").replace("sell_", "sale_")] = entry.pop(
                        key
                    )

    err = refused(answer(edited(rename)))
    assert isinstance(err, ProviderResponseError)
    assert err.reason.startswith("no prices in any rate entry: expected a JSON list")


def test_an_html_page_is_refused() -> None:
    err = refused(answer(b"<!DOCTYPE html><html><title>Maintenance</title></html>"))
    assert isinstance(err, ProviderResponseError)
    assert err.reason == "an HTML page where JSON was expected ('Maintenance')"


# --------------------------------------------------------------------------- bad rows


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("abc", "not a number: 'abc'"),
        ("NaN", "not a number: 'NaN'"),
        ("Infinity", "not a number: 'Infinity'"),
        ("1e999", "not a plausible rate: '1e999'"),
        ("9" * 100, "a number of 100 characters (at most 64)"),
        ({"value": "87.10"}, "not a number (an object)"),
        ([87.1], "not a number (a list)"),
        (True, "not a number (a boolean)"),
    ],
)
def test_a_hostile_number_rejects_its_row_and_keeps_the_rest(raw: object, why: str) -> None:
    batch = board(answer(edited(lambda d: rate(d, "РСК Банк").update(buy_usd=raw))))
    [rejected] = batch.rejected
    assert (rejected.pair, rejected.value) == ("USD/KGS cash", "РСК Банк")
    assert rejected.reason == f"buy_usd {why}"
    assert sorted(by_key(batch)) == sorted(set(EXPECTED) - {("РСК Банк", "USD/KGS")})


def test_a_negative_price_is_rejected() -> None:
    batch = board(answer(edited(lambda d: rate(d, "Бакай Банк").update(sell_eur="-99.50"))))
    [rejected] = batch.rejected
    assert (rejected.pair, rejected.value) == ("EUR/KGS cash", "Бакай Банк")
    assert "sell must be a positive finite Decimal" in rejected.reason
    assert len(batch.quotes) == len(EXPECTED) - 1


def test_a_buy_above_the_sell_is_rejected_and_the_rest_kept() -> None:
    batch = board(answer(edited(lambda d: rate(d, "РСК Банк").update(buy_usd="88.00"))))
    [rejected] = batch.rejected
    assert (rejected.pair, rejected.value) == ("USD/KGS cash", "РСК Банк")
    assert rejected.reason == "buy 88.00 is above sell 87.60"
    assert ("РСК Банк", "USD/KGS") not in by_key(batch)
    assert len(batch.quotes) == len(EXPECTED) - 1


def test_one_side_offered_is_a_quote_with_the_other_none() -> None:
    batch = board(answer(edited(lambda d: rate(d, "Оптима Банк").update(sell_eur="99.40"))))
    assert prices(by_key(batch)[("Оптима Банк", "EUR/KGS")]) == (None, "99.40")


def test_a_time_in_the_future_is_rejected_by_latest() -> None:
    # 15:00 in Bishkek, three hours after now.
    later = edited(lambda d: rate(d, "Оптима Банк").update(updated_at="2025-06-16T09:00:00Z"))
    fetched = board(answer(later), latest=False)
    assert len(fetched.quotes) == len(EXPECTED)  # fetch reads it; latest() screens it
    batch = board(answer(later))
    assert sorted(r.value for r in batch.rejected) == ["Оптима Банк"] * 3
    assert all("after now" in r.reason for r in batch.rejected)
    assert all(q.institution != "Оптима Банк" for q in batch.quotes)
    assert len(batch.quotes) == len(EXPECTED) - 3


def test_a_time_without_a_zone_is_bishkek_time() -> None:
    naive = edited(lambda d: rate(d, "РСК Банк").update(updated_at="2025-06-16 09:05:12"))
    assert by_key(board(answer(naive)))[("РСК Банк", "USD/KGS")].quoted_at == at(16, 9, 5, 12)


def test_no_time_at_all_is_a_quote_without_one() -> None:
    def drop(data: list[dict[str, Any]]) -> None:
        rate(data, "РСК Банк").update(updated_at=None, created_at=None)

    assert by_key(board(answer(edited(drop))))[("РСК Банк", "USD/KGS")].quoted_at is None


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("yesterday", "updated_at 'yesterday': not a time"),
        (1750043112, "updated_at: not a time (a number)"),
        ("2025-06-16T03:05:12Z" + " " * 40, "updated_at: not a time (a string)"),
    ],
)
def test_a_bad_time_rejects_its_entry(raw: object, why: str) -> None:
    batch = board(answer(edited(lambda d: rate(d, "РСК Банк").update(updated_at=raw))))
    [rejected] = batch.rejected
    assert (rejected.pair, rejected.value, rejected.reason) == ("KGS cash", "РСК Банк", why)
    assert len(batch.quotes) == len(EXPECTED) - 4


def test_an_unknown_type_is_a_note_and_not_stored() -> None:
    def add(data: list[dict[str, Any]]) -> None:
        extra = dict(rate(data, "РСК Банк"), type="vip", buy_usd="86.00", sell_usd="86.50")
        data[0]["rates"].append(extra)

    batch = board(answer(edited(add)))
    assert batch.notes == ["fx-kg: 1 rate entry of type 'vip' not read: its channel is unknown"]
    assert prices(by_key(batch)[("РСК Банк", "USD/KGS")]) == ("87.10", "87.60")


def test_only_unknown_types_is_one_error_naming_them() -> None:
    def retype(data: list[dict[str, Any]]) -> None:
        for org in data:
            for entry in org["rates"]:
                entry["type"] = "online"
        data[0]["rates"][0]["type"] = {"nested": ["object"]}

    err = refused(answer(edited(retype)))
    assert isinstance(err, ProviderResponseError)
    assert err.reason.startswith("no rate entry of a known type (")
    assert err.reason.endswith("types seen: 'online', an object")


def test_channels_are_mapped_and_the_newest_entry_of_a_channel_wins() -> None:
    def add(data: list[dict[str, Any]]) -> None:
        first = rate(data, "РСК Банк")
        older = dict(first, updated_at="2025-06-16T01:00:00Z", buy_usd="80.00")
        cashless = dict(first, type="cashless", buy_usd="87.30", sell_usd="87.40")
        stale = dict(first, is_current=0, updated_at="2025-06-16T05:00:00Z", buy_usd="70.00")
        data[0]["rates"] += [older, cashless, stale]

    quotes = board(answer(edited(add))).quotes
    rsk = {(q.channel, q.pair): prices(q) for q in quotes if q.institution == "РСК Банк"}
    assert rsk[(Channel.CASH, "USD/KGS")] == ("87.10", "87.60")  # newer than 01:00 UTC
    assert rsk[(Channel.NONCASH, "USD/KGS")] == ("87.30", "87.40")


def test_names_lose_control_characters_and_fall_back_to_the_official_title() -> None:
    def rename(data: list[dict[str, Any]]) -> None:
        data[0]["title"] = "РСК\x1b[2J Банк\x00"
        data[1]["title"] = None

    names = {q.institution for q in board(answer(edited(rename))).quotes}
    assert "РСК [2J Банк" in names and 'ОАО "Оптима Банк"' in names
    assert not any(ch in name for name in names for ch in "\x1b\x00")


def test_an_institution_without_a_name_is_rejected() -> None:
    batch = board(answer(edited(lambda d: d[0].update(title="", official_title=None))))
    assert [(r.pair, r.value) for r in batch.rejected] == [("KGS board", "#0")]
    assert len(batch.quotes) == len(EXPECTED) - 4


# --------------------------------------------------------------------------- the secret

FAILURES: list[Handler] = [
    answer({"message": "Unauthenticated."}, 401),
    answer({"messages": "Monthly request limit exceeded. Contact support."}, 403),
    answer({"messages": "No API access. Contact support."}, 403),
    answer({"messages": f"No API access for token {TOKEN}."}, 403),  # echoing the token
    answer({"messages": f"Monthly request limit exceeded ({TOKEN})."}, 403),
    answer({"message": f"Unauthenticated: {TOKEN}"}, 401),
    answer(f"Forbidden {TOKEN}".encode(), 403),
    answer({"message": "Server Error"}, 503),
    _timeout,
    answer([]),
    answer({"data": BOARD}),
    answer(edited(lambda d: rate(d, "РСК Банк").update(buy_usd="abc", sell_eur="-1"))),
    answer(edited(lambda d: rate(d, "Оптима Банк").update(updated_at="2099-01-01T00:00:00Z"))),
    answer(edited(lambda d: d[0]["rates"].append(dict(d[0]["rates"][0], type="vip")))),
]


@pytest.mark.parametrize("handler", FAILURES)
def test_the_token_appears_in_no_error_rejection_note_or_log(
    handler: Handler, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    provider = make()
    result, seen = poll(provider, handler)
    assert len(seen) == 1
    said = [repr(provider), repr(provider.options), caplog.text]
    if isinstance(result, ProviderError):
        said += [str(result), repr(result), result.reason, result.url]
    else:
        said += result.notes + [f"{r.pair} {r.value} {r.reason}" for r in result.rejected]
        said += [repr(q) for q in result.quotes]
    assert all(TOKEN not in text for text in said)


def test_decimal_numbers_in_json_are_read_exactly() -> None:
    raw = json.dumps(BOARD, ensure_ascii=False).replace('"87.10"', "87.10").encode()
    q = by_key(board(answer(raw)))[("РСК Банк", "USD/KGS")]
    assert q.buy == Decimal("87.10") and format(q.buy, "f") == "87.10"
