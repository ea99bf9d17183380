"""nbt-banks: the National Bank of Tajikistan's table of commercial banks' buy and sell.

The USD page is a real recording (``tests/fixtures/providers/market/nbt-banks/``, see its
README): every expected value below is written by hand from it, naming the row (1 = the
first bank under the header). No EUR or RUB page is recorded anywhere public: those pages
are BUILT here from the USD recording's shape (its page, header and row markup, with other
banks' rows and prices put in), and say so where they are used.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from providers.base import Batch, Channel, MarketQuote, ProviderResponseError, ProviderUnavailable
from providers.calendar import DUSHANBE
from providers.nbt_banks import NBTBanks, read_board, short_name
from tests.helpers.scenarios import BASE, FIXTURES, Recorder, run

D = Decimal
RECORDING = FIXTURES / "market" / "nbt-banks" / "banks-usd.html"
USD_PAGE = RECORDING.read_bytes()
#: When the page was recorded: its ``SERVER_TIME`` (1790866199), 19:49 in Dushanbe.
NOW = datetime(2026, 10, 1, 14, 49, 59, tzinfo=UTC)
#: Every row's update time in the recording: ``24.09.2026 16:09``, Dushanbe (UTC+5).
QUOTED = datetime(2026, 9, 24, 16, 9, tzinfo=DUSHANBE)
PATH = "/tj/kurs/kurs_kommer_bank.php"

Page = bytes | int | Exception


def serve(pages: dict[str, Page]) -> Recorder:
    """Answer ``?currency=X`` with ``pages[X]``: a body (200), a status, or an exception."""

    def reply(request: httpx.Request) -> httpx.Response:
        assert request.url.path == PATH, request.url
        answer = pages[request.url.params["currency"]]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, int):
            return httpx.Response(answer, content=b"Service Unavailable")
        return httpx.Response(200, content=answer)

    return Recorder(reply)


def poll(pages: dict[str, Page], now: datetime = NOW, method: str = "latest") -> Batch:
    return run(NBTBanks(BASE, 5.0, lambda: now), serve(pages), method)


def rebuilt(rows: list[list[str]], template: bytes = USD_PAGE) -> bytes:
    """The recorded page with its bank rows replaced by ``rows`` (name, 12 prices, time),
    written in the recording's own markup (a published zero in its green span)."""
    text = template.decode("utf-8")
    start = text.index("<table>")
    header_end = text.index("</tr>", start) + len("</tr>")
    end = text.index("</table>", header_end)
    out = []
    for row in rows:
        cells = [f'<span class="green">{c}</span>' if c == "0.0000" else c for c in row]
        out.append("\n    <tr>" + "".join(f"\n        <td>{c}</td>" for c in cells) + "\n    </tr>")
    return (text[:header_end] + "".join(out) + "\n" + text[end:]).encode("utf-8")


def row(name: str, *prices: str, at: str = "24.09.2026 16:09") -> list[str]:
    assert len(prices) == 12
    return [name, *prices, at]


#: Built from the USD recording's shape (no EUR page is recorded): two banks.
EUR_PAGE = rebuilt(
    [
        row("ҶСК &quot;Алиф Бонк&quot;", *["10.7000", "10.9500"] * 6),
        row("КВД БА ҶТ &quot;Амонатбонк&quot;", "0.0000", "0.0000", *["10.6800", "10.9800"] * 5),
    ]
)
#: Built from the USD recording's shape (no RUB page is recorded): somoni per one rouble,
#: four decimals, as NBT's own RUB rate is published.
RUB_PAGE = rebuilt(
    [
        row("ҶСК &quot;Алиф Бонк&quot;", *["0.1120", "0.1170"] * 6),
        row("ҶСП &quot;Спитамен Бонк&quot;", *["0.1110", "0.1180"] * 5, "0.0000", "0.0000"),
    ]
)
ALL_PAGES: dict[str, Page] = {"USD": USD_PAGE, "EUR": EUR_PAGE, "RUB": RUB_PAGE}


def board(batch: Batch, base: str = "USD") -> dict[tuple[str, Channel], MarketQuote]:
    got = {(q.institution, q.channel): q for q in batch.quotes if q.base == base}
    assert len(got) == len([q for q in batch.quotes if q.base == base])  # one per bank, channel
    return got


def prices(q: MarketQuote) -> tuple[Decimal | None, Decimal | None]:
    return q.buy, q.sell


# -- the recording ------------------------------------------------------------------------


def test_the_usd_recording_reads_to_22_banks_and_their_channels() -> None:
    batch = poll(ALL_PAGES)
    usd = board(batch)
    assert len({name for name, _ in usd}) == 22
    # 22 banks x 6 channels, less the 12 channels published 0.0000/0.0000 (rows 8, 12, 13,
    # 14, 15, 19, 20 and 21: see the tests below).
    assert len(usd) == 22 * 6 - 12
    assert batch.rejected == [] and batch.notes == []
    for q in batch.quotes:
        assert q.source == "nbt-banks" and q.quote == "TJS" and q.fetched_at == NOW
        assert q.city == ""


def test_every_channel_maps_to_its_columns_on_real_rows() -> None:
    usd = board(poll(ALL_PAGES))
    # Row 18, ҶСП "Спитамен Бонк": 9.2200 9.2700 | 9.2100 9.2800 | 9.2200 9.2700 x 4.
    assert prices(usd["Спитамен Бонк", Channel.INTERBANK]) == (D("9.2200"), D("9.2700"))
    assert prices(usd["Спитамен Бонк", Channel.CASH]) == (D("9.2100"), D("9.2800"))
    assert prices(usd["Спитамен Бонк", Channel.NONCASH]) == (D("9.2200"), D("9.2700"))
    # Row 13, ҶСК "Ориёнбонк": interbank 9.2000 9.2500, cash 9.2000 9.2800.
    assert prices(usd["Ориёнбонк", Channel.INTERBANK]) == (D("9.2000"), D("9.2500"))
    assert prices(usd["Ориёнбонк", Channel.CASH]) == (D("9.2000"), D("9.2800"))
    # Row 22, ҶСП "Васл Бонк": e-wallet 9.2000 9.2800, cards 9.1500 9.2800,
    # transfers (ММПИМ) 9.1500 9.2800.
    assert prices(usd["Васл Бонк", Channel.EWALLET]) == (D("9.2000"), D("9.2800"))
    assert prices(usd["Васл Бонк", Channel.CARD]) == (D("9.1500"), D("9.2800"))
    assert prices(usd["Васл Бонк", Channel.TRANSFER]) == (D("9.1500"), D("9.2800"))
    # Row 7, ҶСП "Бонки сармоягузорӣ ва қарзии Тоҷикистон": cash 9.2000 9.2600, noncash
    # 9.1800 9.2600 (the published digits, trailing zeros kept).
    bank = "Бонки сармоягузорӣ ва қарзии Тоҷикистон"
    assert str(usd[bank, Channel.CASH].buy) == "9.2000"
    assert prices(usd[bank, Channel.NONCASH]) == (D("9.1800"), D("9.2600"))


def test_every_column_lands_on_its_channel_and_side() -> None:
    # Built from the recording's shape: one row whose twelve prices all differ.
    twelve = [f"9.{n:02d}00" for n in range(1, 13)]
    batch = poll({**ALL_PAGES, "USD": rebuilt([row("ҶСК &quot;Тест&quot;", *twelve)])})
    got = board(batch)
    order = [
        Channel.INTERBANK,
        Channel.CASH,
        Channel.NONCASH,
        Channel.EWALLET,
        Channel.CARD,
        Channel.TRANSFER,
    ]
    for index, channel in enumerate(order):
        q = got["Тест", channel]
        assert prices(q) == (D(twelve[2 * index]), D(twelve[2 * index + 1])), channel


def test_a_published_zero_is_not_offered() -> None:
    usd = board(poll(ALL_PAGES))
    # Row 8, ҶСП "Актив Бонк": e-wallet and transfers 0.0000/0.0000 -> no quote there;
    # cards 9.2000 9.2800 are offered.
    assert ("Актив Бонк", Channel.EWALLET) not in usd
    assert ("Актив Бонк", Channel.TRANSFER) not in usd
    assert prices(usd["Актив Бонк", Channel.CARD]) == (D("9.2000"), D("9.2800"))
    # Row 14, КВД БССТ "Саноатсодиротбонк": no interbank; row 15, "Молия": no cards;
    # row 19, "Сандуқ": neither e-wallet nor cards, transfers 9.2200 9.2800.
    assert ("Саноатсодиротбонк", Channel.INTERBANK) not in usd
    assert prices(usd["Саноатсодиротбонк", Channel.CASH]) == (D("9.1700"), D("9.2700"))
    assert ("Молия", Channel.CARD) not in usd
    assert ("Сандуқ", Channel.EWALLET) not in usd and ("Сандуқ", Channel.CARD) not in usd
    assert prices(usd["Сандуқ", Channel.TRANSFER]) == (D("9.2200"), D("9.2800"))


def test_one_side_published_as_zero_is_none() -> None:
    # Built from the recording's shape: a bank that buys cash dollars but sells none.
    page = rebuilt(
        [row("ҶСК &quot;Тест&quot;", "9.1800", "9.2700", "9.1800", "0.0000", *["0"] * 8)]
    )
    got = board(poll({**ALL_PAGES, "USD": page}))
    assert prices(got["Тест", Channel.CASH]) == (D("9.1800"), None)
    assert set(got) == {("Тест", Channel.INTERBANK), ("Тест", Channel.CASH)}


def test_the_update_time_is_read_in_dushanbe() -> None:
    batch = poll(ALL_PAGES)
    times = {q.quoted_at for q in batch.quotes if q.base == "USD"}
    assert times == {QUOTED}  # every row says 24.09.2026 16:09
    (quoted,) = times
    assert quoted is not None and quoted.utcoffset() == timedelta(hours=5)
    assert quoted.astimezone(UTC) == datetime(2026, 9, 24, 11, 9, tzinfo=UTC)


def test_names_are_the_quoted_part_of_the_legal_name() -> None:
    usd = board(poll(ALL_PAGES))
    names = {name for name, _ in usd}
    assert "Алиф Бонк" in names  # row 1, ҶСК &quot;Алиф Бонк&quot;
    assert "Шукр Молия" in names  # row 16, ҶСП ТАҚХ &quot;Шукр Молия (quote never closed)
    assert "Фридом Бонк Тоҷикистон" in names  # row 21, curly quotes “…”
    assert "Актив Бонк" in names  # row 8, a space after the closing quote
    assert short_name("Бонк") == "Бонк" and short_name('  ҶСК  "  "  ') == 'ҶСК " "'


def test_one_request_per_currency_on_the_tajik_page() -> None:
    recorder = serve(ALL_PAGES)
    run(NBTBanks(BASE, 5.0, lambda: NOW), recorder, "latest")
    assert sorted(r.url.params["currency"] for r in recorder.requests) == ["EUR", "RUB", "USD"]
    assert all(str(r.url).startswith(BASE + PATH + "?") for r in recorder.requests)


def test_the_eur_and_rub_pages_built_from_the_usd_shape() -> None:
    batch = poll(ALL_PAGES)
    eur, rub = board(batch, "EUR"), board(batch, "RUB")
    assert {q.pair for q in batch.quotes} == {"USD/TJS", "EUR/TJS", "RUB/TJS"}
    assert prices(eur["Алиф Бонк", Channel.CASH]) == (D("10.7000"), D("10.9500"))
    assert ("Амонатбонк", Channel.INTERBANK) not in eur
    assert prices(eur["Амонатбонк", Channel.TRANSFER]) == (D("10.6800"), D("10.9800"))
    assert prices(rub["Алиф Бонк", Channel.CARD]) == (D("0.1120"), D("0.1170"))
    assert ("Спитамен Бонк", Channel.TRANSFER) not in rub
    assert len(eur) == 6 + 5 and len(rub) == 6 + 5


# -- failures -----------------------------------------------------------------------------


def test_site_down_is_unavailable_and_asks_no_more_pages() -> None:
    recorder = serve({"EUR": 503, "RUB": 503, "USD": 503})
    with pytest.raises(ProviderUnavailable) as caught:
        run(NBTBanks(BASE, 5.0, lambda: NOW), recorder, "latest")
    assert "503" in caught.value.reason
    assert len(recorder.requests) == 1  # down on the first page: the others are not asked


def test_a_timeout_is_unavailable_in_words() -> None:
    with pytest.raises(ProviderUnavailable) as caught:
        poll({"EUR": httpx.ReadTimeout("slow"), "RUB": USD_PAGE, "USD": USD_PAGE})
    assert "timed out" in caught.value.reason


def test_down_after_one_page_keeps_that_page_and_says_why_for_the_rest() -> None:
    batch = poll({"EUR": EUR_PAGE, "RUB": 503, "USD": USD_PAGE})  # asked EUR, RUB, USD
    assert {q.base for q in batch.quotes} == {"EUR"}
    rejected = {r.pair: r.reason for r in batch.rejected}
    assert "503" in rejected["RUB/TJS"]
    assert rejected["USD/TJS"].startswith("not asked: the RUB page failed")
    assert [r.value for r in batch.rejected][-1] == BASE + PATH + "?currency=USD"
    assert any("other currencies' rows are kept" in note for note in batch.notes)


Mangle = Callable[[str], str]
LAYOUTS: dict[str, tuple[Mangle, str]] = {
    "a cell fewer": (lambda t: t.replace("<td>9.1800</td>", "", 1), "a row of 13 cells"),
    "no table": (
        lambda t: t.replace("<table>", "<div>").replace("</table>", "</div>"),
        "no <table>",
    ),
    "buy and sell swapped": (
        lambda t: (
            t.replace("Нақдӣ харид", "\0")
            .replace("Нақдӣ фурӯш", "Нақдӣ харид")
            .replace("\0", "Нақдӣ фурӯш")
        ),
        "the table's header is",
    ),
    "a channel removed": (
        lambda t: t.replace("<th>Кортҳо харид</th>", "").replace("<th>Кортҳо фурӯш</th>", ""),
        "the table's header is",
    ),
    "no header": (lambda t: t.replace("<th>", "<td>").replace("</th>", "</td>"), "no header"),
}


@pytest.mark.parametrize("case", sorted(LAYOUTS))
def test_a_changed_layout_is_one_error_saying_what_was_expected(case: str) -> None:
    mangle, said = LAYOUTS[case]
    page = mangle(USD_PAGE.decode("utf-8")).encode("utf-8")
    with pytest.raises(ProviderResponseError) as caught:
        poll({"EUR": page, "RUB": page, "USD": page})
    assert said in caught.value.reason
    if case != "no header":
        assert "14 columns" in caught.value.reason and "харид" in caught.value.reason
    assert caught.value.url.startswith(BASE + PATH)


def test_a_changed_layout_on_one_page_rejects_that_currency_only() -> None:
    broken = USD_PAGE.replace(b"<table>", b"<div>")
    batch = poll({"EUR": EUR_PAGE, "RUB": RUB_PAGE, "USD": broken})
    assert {q.base for q in batch.quotes} == {"EUR", "RUB"}
    (rejected,) = batch.rejected
    assert rejected.pair == "USD/TJS" and "no <table>" in rejected.reason


def test_an_empty_table_is_refused_in_words() -> None:
    empty = rebuilt([])
    with pytest.raises(ProviderResponseError, match="lists no bank"):
        poll({"EUR": empty, "RUB": empty, "USD": empty})
    batch = poll({"EUR": EUR_PAGE, "RUB": RUB_PAGE, "USD": empty})
    assert [r.pair for r in batch.rejected] == ["USD/TJS"] and batch.quotes


def test_hostile_numbers_reject_their_channel_and_keep_the_rest() -> None:
    seventy = "9" * 70
    page = rebuilt(
        [
            row("ҶСК &quot;А&quot;", seventy, "9.2700", *["9.1800", "9.2700"] * 5),
            row(
                "ҶСК &quot;Б&quot;", "9.18", "NaN", "-9.18", "9.27", "1e999", "9.27", *["9.18"] * 6
            ),
        ]
    )
    batch = poll({**ALL_PAGES, "USD": page})
    got = board(batch)
    reasons = {(r.value, r.pair): r.reason for r in batch.rejected}
    assert "a number of 70 characters" in reasons["А", "USD/TJS interbank"]
    assert "not a number" in reasons["Б", "USD/TJS interbank"]
    assert "positive" in reasons["Б", "USD/TJS cash"]
    assert "not a plausible rate" in reasons["Б", "USD/TJS noncash"]
    assert ("А", Channel.INTERBANK) not in got and ("А", Channel.CASH) in got
    assert prices(got["Б", Channel.CARD]) == (D("9.18"), D("9.18"))


def test_a_row_with_buy_above_sell_is_rejected_with_its_reason() -> None:
    # Built from the recording: row 1 (Алиф Бонк) with its cash pair turned round.
    page = rebuilt(
        [
            row("ҶСК &quot;Алиф Бонк&quot;", "9.1800", "9.2700", "9.2800", "9.1800", *["9.18"] * 8),
            row("ҶСП &quot;Васл Бонк&quot;", *["9.2000", "9.2800"] * 6),
        ]
    )
    batch = poll({**ALL_PAGES, "USD": page})
    (rejected,) = batch.rejected
    assert rejected.pair == "USD/TJS cash" and rejected.value == "Алиф Бонк"
    assert rejected.reason == "buy 9.2800 is above sell 9.1800"
    got = board(batch)
    assert ("Алиф Бонк", Channel.CASH) not in got and ("Алиф Бонк", Channel.INTERBANK) in got
    assert len([k for k in got if k[0] == "Васл Бонк"]) == 6


def test_a_time_in_the_future_is_rejected_by_latest() -> None:
    before = datetime(2026, 9, 24, 10, 0, tzinfo=UTC)  # 15:00 in Dushanbe, before 16:09
    fetched = poll(ALL_PAGES, now=before, method="fetch")
    assert fetched.quotes  # fetch reads; latest judges the times
    with pytest.raises(ProviderResponseError, match="after now"):
        poll({"EUR": USD_PAGE, "RUB": USD_PAGE, "USD": USD_PAGE}, now=before)
    # One bank's time ahead of the clock: that bank's quotes go, the others stay.
    page = rebuilt(
        [
            row("ҶСК &quot;А&quot;", *["9.18", "9.27"] * 6, at="01.10.2026 20:30"),
            row("ҶСК &quot;Б&quot;", *["9.18", "9.27"] * 6),
        ]
    )
    batch = poll({**ALL_PAGES, "USD": page})
    assert {q.institution for q in batch.quotes if q.base == "USD"} == {"Б"}
    assert {r.value for r in batch.rejected} == {"А"}
    assert all("after now" in r.reason for r in batch.rejected)


def test_a_time_not_in_nbt_form_rejects_the_row() -> None:
    page = rebuilt(
        [
            row("ҶСК &quot;А&quot;", *["9.18", "9.27"] * 6, at="24/09/2026"),
            row("ҶСК &quot;Б&quot;", *["9.18", "9.27"] * 6),
        ]
    )
    batch = poll({**ALL_PAGES, "USD": page})
    (rejected,) = batch.rejected
    assert rejected.pair == "USD/TJS" and "is not dd.mm.yyyy HH:MM" in rejected.reason


def test_the_table_is_read_within_caps() -> None:
    many = rebuilt([row(f"ҶСК &quot;{n}&quot;", *["9.18", "9.27"] * 6) for n in range(201)])
    with pytest.raises(ValueError, match="more than 200 rows"):
        read_board(many)
    assert len(read_board(rebuilt([row("Б", *["9.18", "9.27"] * 6)] * 200))) == 200
    huge_name = "Б" * 100_000
    (cells,) = read_board(rebuilt([row(huge_name, *["9.18", "9.27"] * 6)]))
    assert len(cells[0]) == 300
    with pytest.raises(ValueError, match="not UTF-8"):
        read_board(b"\xff\xfe<table>")
