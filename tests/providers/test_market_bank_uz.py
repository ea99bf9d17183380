"""bank.uz's board: every Uzbek bank's cash buy and sell, read from its rates page.

The recorded page (``tests/fixtures/providers/market/bank-uz/``, see its README) is a real
answer of https://bank.uz/uz/currency, copied byte-for-byte; the expected values below are
written by hand from its text. The hostile and failure cases use small pages built here
by hand in the recorded page's shape (``page()``), with made-up banks and prices: they are
not recordings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from providers.bank_uz import MAX_ROWS, PATH, BankUZ, price
from providers.base import (
    Batch,
    Channel,
    MarketQuote,
    ProviderResponseError,
    ProviderUnavailable,
)
from providers.calendar import TASHKENT
from tests.helpers.paths import FIXTURES

D = Decimal
BASE = "https://bank.uz.example"
RECORDED = (FIXTURES / "providers/market/bank-uz/uz_currency_2026-06-17.html").read_bytes()
#: The page's own time: 'SERVER_TIME':'1781686289' = 2026-06-17 08:51:29 UTC.
PAGE_TIME = datetime(2026, 6, 17, 13, 51, 29, tzinfo=TASHKENT)
#: A clock a little after the page was made.
NOW = datetime(2026, 6, 17, 9, 0, tzinfo=UTC)

Handler = Callable[[httpx.Request], httpx.Response]


def provider(now: datetime = NOW) -> BankUZ:
    return BankUZ(BASE, 5.0, lambda: now)


def serving(body: bytes, status: int = 200) -> tuple[Handler, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=body)

    return reply, seen


def run(handler: Handler, method: str = "fetch", now: datetime = NOW) -> Batch:
    async def go() -> Batch:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            result: Batch = await getattr(provider(now), method)(client)
            return result

    return asyncio.run(go())


def board(body: bytes, method: str = "fetch", now: datetime = NOW) -> Batch:
    return run(serving(body)[0], method, now)


def by_bank(batch: Batch, code: str) -> dict[str, MarketQuote]:
    return {q.institution: q for q in batch.quotes if q.base == code}


# ------------------------------------------------------------------ the recorded page


def test_recorded_page_every_bank_of_the_three_currencies() -> None:
    handler, seen = serving(RECORDED)
    batch = run(handler, "latest")
    assert [r.url.path for r in seen] == [PATH] == ["/uz/currency"]
    assert "Mozilla" not in seen[0].headers.get("user-agent", "")  # no browser disguise
    assert batch.rejected == [] and batch.notes == [] and batch.observations == []
    # Counted by hand in the page: 25 banks list USD, 24 EUR, 19 RUB (GBP, KZT not read).
    assert {c: len(by_bank(batch, c)) for c in ("USD", "EUR", "RUB")} == {
        "USD": 25,
        "EUR": 24,
        "RUB": 19,
    }
    assert {q.base for q in batch.quotes} == {"USD", "EUR", "RUB"}
    for q in batch.quotes:
        assert (q.source, q.quote, q.channel, q.city) == ("bank-uz", "UZS", Channel.CASH, "")
        assert q.quoted_at == PAGE_TIME and q.quoted_at.utcoffset() == timedelta(hours=5)
        assert q.fetched_at == NOW
        assert q.buy is not None and q.sell is not None and q.buy <= q.sell


@pytest.mark.parametrize(
    ("code", "bank", "buy", "sell"),
    [
        # The first of each list, and a bank whose two rows sit far apart: joined by link.
        ("USD", "Asia Alliance Bank", "12015", "12080"),  # best buy
        ("USD", "Openbank", "11975", "12055"),  # best sell; its link is /bank/smartbank
        ("USD", "O‘zbekiston Milliy banki", "12000", "12090"),
        ("USD", "KDB Bank Uzbekiston", "11955", "12110"),  # last of the buy list
        ("EUR", "O‘zbekiston Milliy banki", "13780", "13980"),
        ("EUR", "Garant bank", "13000", "15500"),
        ("EUR", "Xalq Banki", "13000", "14050"),  # not on the USD board at all
        ("RUB", "Asia Alliance Bank", "158", "172"),
        ("RUB", "Anorbank", "80", "171"),
    ],
)
def test_recorded_page_values(code: str, bank: str, buy: str, sell: str) -> None:
    q = by_bank(board(RECORDED), code)[bank]
    assert (q.buy, q.sell) == (D(buy), D(sell))


def test_recorded_page_zero_means_not_offered() -> None:
    # The recording's GBP list has "Anorbank 0 so'm" as a sell; put one in the USD list.
    body = RECORDED.replace(b"12 055 so'm", b"0 so'm", 1)
    q = by_bank(board(body), "USD")["Openbank"]
    assert (q.buy, q.sell) == (D("11975"), None)


def test_recorded_page_buy_above_sell_is_rejected_and_the_rest_kept() -> None:
    body = RECORDED.replace(b"12 055 so'm", b"11 900 so'm", 1)  # Openbank sells below its buy
    batch = board(body)
    assert "Openbank" not in by_bank(batch, "USD")
    assert len(by_bank(batch, "USD")) == 24 and len(by_bank(batch, "EUR")) == 24
    [rejected] = batch.rejected
    assert (rejected.pair, rejected.value) == ("USD/UZS cash", "Openbank")
    assert "buy 11975 is above sell 11900" in rejected.reason


def test_recorded_page_in_the_future_is_rejected_by_latest() -> None:
    an_hour_before = PAGE_TIME - timedelta(hours=1)
    assert len(board(RECORDED, "fetch", an_hour_before).quotes) == 68  # fetch keeps them
    with pytest.raises(ProviderResponseError, match="no quotes: quoted at 2026-06-17T13:51:29"):
        board(RECORDED, "latest", an_hour_before)


def test_recorded_page_older_than_a_month_is_rejected_by_latest() -> None:
    with pytest.raises(ProviderResponseError, match="more than 31 days ago"):
        board(RECORDED, "latest", NOW + timedelta(days=40))


def test_page_without_its_time_gives_quotes_without_one() -> None:
    batch = board(RECORDED.replace(b"'SERVER_TIME'", b"'SERVER_CLOCK'"))
    assert len(batch.quotes) == 68 and all(q.quoted_at is None for q in batch.quotes)
    assert batch.notes == ["bank-uz: the page gives no time; its quotes carry none"]


# ------------------------------------------------------------------ the site down


def test_site_down_503() -> None:
    with pytest.raises(ProviderUnavailable, match="HTTP 503"):
        run(serving(b"<html>busy</html>", 503)[0], "latest")


def test_site_timeout() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    with pytest.raises(ProviderUnavailable, match="timed out after 5 s reaching bank.uz.example"):
        run(reply, "latest")


# ------------------------------------------------------------------ hand-made pages


def row(bank: str, amount: str, slug: str | None = None) -> str:
    slug = bank.lower().replace(" ", "-") if slug is None else slug
    return (
        '<div class="bc-inner-block-left-texts zhidden "><div class="bc-inner-block-left-text">'
        f'<a href="/uz/currency/bank/{slug}"><span class="medium-text"> {bank} </span></a>'
        f'</div><span class="medium-text green-date"> {amount} </span></div>'
    )


def panel(
    code: str, buys: list[str], sells: list[str], heads: tuple[str, str] = ("Sotib olish", "Sotish")
) -> str:
    buy_head, sell_head = heads
    return (
        f'<div role="tabpanel" class="tab-pane fade" id="best_{code}"><div class="bank-contacts">'
        '<div class="feed-back"><div class="organization-contacts">'
        '<div class="bc-inner-blocks-left"><div class="bc-inner-block-left">'
        f'<span class="semibold-text">{buy_head}</span>{"".join(buys)}</div>'
        '<a href="javascript:void(0)" class="all-courses"><span>Barcha kurslar</span></a></div>'
        f'<div class="bc-inner-blocks-right"><span class="semibold-text">{sell_head}'
        f"</span>{''.join(sells)}</div></div></div></div></div>"
    )


def page(*panels: str, time: str = "1781686289") -> bytes:
    head = f"<script>BX.message({{'SERVER_TZ_OFFSET':'18000','SERVER_TIME':'{time}'}});</script>"
    html = f"<!DOCTYPE html><html><head><title>Valyuta kurslari</title>{head}</head><body>"
    return (html + '<div class="tab-content">' + "".join(panels) + "</div></body></html>").encode()


#: Six made-up banks, clearly hand-made values.
SIX = [("Bank One", "12 100", "12 200"), ("Bank Two", "12 110", "12 190")] + [
    (f"Bank {n}", "12 000", "12 300") for n in ("Three", "Four", "Five", "Six")
]


def six(**changed: tuple[str, str]) -> bytes:
    rows = [(b, *changed.get(b.split()[1], (buy, sell))) for b, buy, sell in SIX]
    return page(
        panel("USD", [row(b, f"{buy} so'm") for b, buy, _ in rows], [row(b, s) for b, _, s in rows])
    )


def test_hand_made_board_reads_and_joins_by_link() -> None:
    body = page(
        panel(
            "USD",
            [row("Bank One", "12 100 so'm"), row("Bank Two", "12 110 so'm")],
            [row("Bank Two", "12 190 so'm"), row("Bank One", "12 200 so'm")],
        ),
        panel("EUR", [row("Bank One", "13 000 so'm")], []),  # buy only: no sell offered
        panel("GBP", [row("Bank One", "15 000 so'm")], [row("Bank One", "16 000 so'm")]),
    )
    batch = board(body)
    usd = by_bank(batch, "USD")
    assert (usd["Bank One"].buy, usd["Bank One"].sell) == (D("12100"), D("12200"))
    assert (usd["Bank Two"].buy, usd["Bank Two"].sell) == (D("12110"), D("12190"))
    eur = by_bank(batch, "EUR")["Bank One"]
    assert (eur.buy, eur.sell) == (D("13000"), None)
    assert {q.base for q in batch.quotes} == {"USD", "EUR"}  # GBP is not read
    assert batch.notes == ["bank-uz: the page has no RUB panel"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12 850", "12850"),
        ("12 850 so'm", "12850"),
        ("12\u00a0850\u00a0сум", "12850"),
        ("12\u202f850.50 so‘m", "12850.50"),
        ("12 850,50", "12850.50"),
        ("12,850.00", "12850.00"),
        ("12.850,00", "12850.00"),
        ("1,012,850", "1012850"),
        ("158", "158"),
        ("158,50 сум", "158.50"),
        ("0 so'm", "0"),
        ("12850 UZS", "12850"),
    ],
)
def test_price_formats(text: str, value: str) -> None:
    assert price(text) == D(value)
    assert str(price(text)) == value


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("12,850", "ambiguous"),  # 12.85 thousand or 12 and 850 thousandths?
        ("12.850", "ambiguous"),
        ("12 85", "grouped by three"),
        ("1 2 3", "grouped by three"),
        ("12,850.00.1", "ambiguous separators"),
        ("-12 000", "not a price"),
        ("1e9", "not a price"),
        ("NaN", "not a price"),
        ("Infinity", "not a price"),
        ("12 000 $", "not a price in sum"),
        ("12 000 so'm 5", "not a price"),
        ("", "not a price"),
        ("9" * 300, "characters"),
        ("9" * 90, "a number of 90 characters"),
    ],
)
def test_hostile_prices_refused(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        price(text)


def test_hostile_rows_rejected_with_their_reason_the_rest_kept() -> None:
    batch = board(six(Three=("1e9", "12 300"), Four=("12 000", "12,300"), Five=("NaN", "-5")))
    assert sorted(by_bank(batch, "USD")) == ["Bank One", "Bank Six", "Bank Two"]
    reasons = {r.value: r.reason for r in batch.rejected}
    assert reasons["Bank Three"] == 'buy price: not a price: "1e9 so\'m"'
    assert reasons["Bank Four"] == "sell price: ambiguous: '12,300' (thousands or decimals?)"
    assert reasons["Bank Five"].startswith("buy price: not a price")
    assert {r.pair for r in batch.rejected} == {"USD/UZS cash"}


def test_buy_above_sell_rejected() -> None:
    batch = board(six(Two=("12 250", "12 190")))
    [rejected] = batch.rejected
    assert rejected.value == "Bank Two" and rejected.reason == "buy 12250 is above sell 12190"
    assert len(batch.quotes) == 5


def test_a_bank_listed_twice_with_two_prices_is_rejected() -> None:
    body = page(
        panel(
            "USD",
            [row("Bank One", "12 100"), row("Bank One", "12 150"), row("Bank Two", "12 110")],
            [row("Bank One", "12 200"), row("Bank Two", "12 190")],
        )
    )
    batch = board(body)
    assert list(by_bank(batch, "USD")) == ["Bank Two"]
    assert batch.rejected[0].reason == "listed twice in the buy list (12100 and 12150)"


def test_a_row_without_a_price_is_rejected() -> None:
    body = page(panel("USD", [row("Bank One", "12 100")], [row("Bank One", "")]))
    body = body.replace(b'<span class="medium-text green-date">  </span>', b"")
    with pytest.raises(ProviderResponseError, match="no quotes: no sell price in its row"):
        board(body, "latest")


def test_future_time_rejected_via_latest() -> None:
    tomorrow = str(int(NOW.timestamp()) + 86_400)
    assert len(board(six()).quotes) == 6
    with pytest.raises(
        ProviderResponseError, match=r"no quotes: quoted at 2026-06-18T14:00:00\+05:00, after now"
    ):
        board(page(panel("USD", [row("Bank One", "12 100")], []), time=tomorrow), "latest")


# ------------------------------------------------------------------ a changed page


def test_changed_layout_no_panels() -> None:
    body = RECORDED.replace(b'id="best_', b'id="top_')
    with pytest.raises(ProviderResponseError) as err:
        board(body)
    assert "the layout has changed: no currency panel" in err.value.reason
    assert 'div id="best_USD"' in err.value.reason
    assert "Valyuta kurslarini O'zbekiston banklarida solishtiring" in err.value.reason
    assert err.value.url == f"{BASE}/uz/currency"


def test_changed_layout_a_maintenance_page() -> None:
    body = b"<html><head><title>Texnik ishlar olib borilmoqda</title></head><body>..."
    with pytest.raises(ProviderResponseError, match="Texnik ishlar olib borilmoqda"):
        board(body)


def test_changed_layout_a_panel_without_its_sell_list() -> None:
    body = RECORDED.replace(b"bc-inner-blocks-right", b"bc-inner-blocks-other")
    with pytest.raises(ProviderResponseError, match="panel has no div.bc-inner-blocks-right"):
        board(body)


def test_changed_layout_sides_swapped() -> None:
    body = page(
        panel(
            "USD",
            [row("Bank One", "12 200")],
            [row("Bank One", "12 100")],
            ("Sotish", "Sotib olish"),
        )
    )
    with pytest.raises(ProviderResponseError, match="the USD buy list is headed 'Sotish'"):
        board(body)


def test_empty_board_refused() -> None:
    with pytest.raises(ProviderResponseError, match="the board is empty"):
        board(page(panel("USD", [], []), panel("EUR", [], [])), "latest")


def test_more_rows_than_believed_refused() -> None:
    rows = [row(f"Bank {n}", "12 000") for n in range(MAX_ROWS + 1)]
    with pytest.raises(ProviderResponseError, match=f"more than {MAX_ROWS} banks in one list"):
        board(page(panel("USD", rows, [])))


def test_not_utf8_nor_html_at_all() -> None:
    with pytest.raises(ProviderResponseError, match="no currency panel"):
        board(b"\xff\xfe\x00garbage\x00" * 1000)
