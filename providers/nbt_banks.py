"""National Bank of Tajikistan: every commercial bank's buy and sell (USD, EUR, RUB).

``/tj/kurs/kurs_kommer_bank.php?currency=USD`` (and ``EUR``, ``RUB``): an HTML page with
one bare ``<table>``, one page per currency, so a poll is three requests. The header row
(``<th>``) and then one ``<tr>`` per bank of 14 cells: the bank's name; a buy and a sell
for each of six channels, in this order: interbank (байнибонкӣ), cash (нақдӣ), non-cash
(ғайринақдӣ), e-wallet (ҳамёни электронӣ), cards (кортҳо) and money transfers (ММПИМ);
and the update time, ``24.09.2026 16:09``, Dushanbe time. Prices are somoni for one unit
of the foreign currency, four decimals. A published ``0.0000`` is an operation the bank
does not offer (a side of None; a channel with both at zero is left out).

Buy and sell are settled from the recording (``tests/fixtures/providers/market/
nbt-banks/``): the header names the first of each pair харид (purchase: what the bank
pays) and the second фурӯш (sale: what it asks), and on every row the first is at or
below the second, as a bank's buy is. The header's words are checked on every page, so a
page whose columns moved is refused, never read into the wrong side or channel.

The Tajik page (``/tj/``) is read, not ``/ru/`` or ``/en/``: it is the page recorded in
public code, so its layout, header words and names are known; its names are the banks'
registered names in the state language, which is how the banks sign themselves (the
other pages' names are not recorded). A bank is shown by the name inside its legal
form's quotes (``ҶСК "Алиф Бонк"`` -> ``Алиф Бонк``), the name people know it by.

A page that fails: when the site is down or refuses us (a timeout, HTTP 5xx, 429, 403),
no further page is asked for; the currencies already read are kept and the others are
rejected with the reason. A page that answers but is not the table (a changed layout, an
empty table) rejects that currency with the reason and the others are read and kept.
When no currency could be read, the first page's error is raised.

Standard library parsing only (:mod:`html.parser`); the body is size-capped by
:mod:`providers.http`, and the table read here is capped in rows, cells and characters.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from html.parser import HTMLParser

import httpx

from providers.base import (
    Batch,
    Channel,
    ProviderAuthError,
    ProviderError,
    ProviderResponseError,
    ProviderUnavailable,
    Rejected,
)
from providers.calendar import DUSHANBE
from providers.market_records import MARKET
from providers.market_source import MarketProvider
from providers.parsing import bad_response, parse_decimal

__all__ = ["COLUMNS", "NBTBanks", "read_board", "short_name"]

_RECORD = MARKET["nbt-banks"]

#: The page of one currency's table (``?currency=USD``).
PATH = "/tj/kurs/kurs_kommer_bank.php"

#: The currencies asked for, one page each, and the pair each page quotes (``USD/TJS``).
BOARD: tuple[str, ...] = tuple(sorted(_RECORD.others))
PAIRS: dict[str, tuple[str, str]] = {}
for _code in BOARD:
    _pair = _RECORD.pair_of(_code)
    assert _pair is not None, _code
    PAIRS[_code] = _pair

#: The six buy/sell pairs, in the table's order, each with the stem of its header words.
CHANNELS: tuple[tuple[Channel, str], ...] = (
    (Channel.INTERBANK, "байнибонк"),
    (Channel.CASH, "нақд"),
    (Channel.NONCASH, "ғайринақд"),
    (Channel.EWALLET, "ҳамён"),
    (Channel.CARD, "корт"),
    (Channel.TRANSFER, "ммпим"),
)
#: The header's word for the first of each pair (purchase) and for the second (sale).
BUY_WORD, SELL_WORD = "харид", "фурӯш"
#: Cells a row has: the name, a buy and a sell per channel, the update time.
COLUMNS = 2 + 2 * len(CHANNELS)
#: The update time's form, in Dushanbe time.
TIME_FORMAT = "%d.%m.%Y %H:%M"

#: Rows read at most (NBT lists a few dozen credit institutions).
MAX_ROWS = 200
#: Cells kept of a row, and characters of a cell (a name, a price, a time).
MAX_CELLS = 40
MAX_CELL_CHARS = 300

_EXPECTED = (
    f"NBT's table of {COLUMNS} columns: the bank, a buy (харид) and a sell (фурӯш) for "
    "interbank, cash, non-cash, e-wallet, cards and transfers, and the update time"
)
_QUOTED = re.compile(r"[\"“«„]([^\"“”«»„]+)")


class NBTBanks(MarketProvider, source=_RECORD):
    DECIMALS = 4

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        batch = Batch()
        failed: list[ProviderError] = []
        read = 0
        for index, code in enumerate(BOARD):
            try:
                batch.extend(await self.fetch_board(client, code))
                read += 1
            except (ProviderUnavailable, ProviderAuthError) as err:
                failed.append(err)
                batch.rejected.append(Rejected(_label(code), err.url, err.reason))
                for skipped in BOARD[index + 1 :]:  # the site is down or refuses: ask no more
                    why = f"not asked: the {code} page failed ({err.reason})"
                    batch.rejected.append(Rejected(_label(skipped), self.page_url(skipped), why))
                break
            except ProviderResponseError as err:
                failed.append(err)
                batch.rejected.append(Rejected(_label(code), err.url, err.reason))
        if not read:
            raise failed[0]
        for failure in failed:
            batch.notes.append(
                f"{self.NAME}: {failure.reason} ({failure.url}); the other currencies' rows "
                "are kept"
            )
        return batch

    def page_url(self, code: str) -> str:
        """The page of one currency's table."""
        return str(httpx.URL(self.url(PATH), params={"currency": code}))

    async def fetch_board(self, client: httpx.AsyncClient, code: str) -> Batch:
        """One currency's page: a quote per bank and channel it offers."""
        fetched = await self.get(client, PATH, {"currency": code})
        with bad_response(self.NAME, fetched.url):
            rows = await self.parsed(fetched, read_board, fetched.body)
        batch = Batch()
        for cells in rows:
            self._row(batch, PAIRS[code], cells)
        return batch

    def _row(self, batch: Batch, pair: tuple[str, str], cells: list[str]) -> None:
        institution = short_name(cells[0])
        label = f"{pair[0]}/{pair[1]}"
        try:
            quoted_at = parse_time(cells[-1])
        except ValueError as err:
            batch.rejected.append(Rejected(label, institution or "?", str(err)))
            return
        for index, (channel, _stem) in enumerate(CHANNELS):
            try:
                buy = _price(cells[1 + 2 * index], "buy")
                sell = _price(cells[2 + 2 * index], "sell")
            except ValueError as err:
                batch.rejected.append(Rejected(f"{label} {channel}", institution or "?", str(err)))
                continue
            if buy == 0 and sell == 0:  # 0.0000 on both sides: not offered on this channel
                continue
            self.quote(batch, institution, pair, channel, buy, sell, quoted_at)


def _label(code: str) -> str:
    base, quote = PAIRS[code]
    return f"{base}/{quote}"


def _price(text: str, side: str) -> Decimal:
    try:
        return parse_decimal(text)
    except ValueError as err:
        raise ValueError(f"{side}: {err}") from None


def parse_time(text: str) -> datetime:
    """``"24.09.2026 16:09"`` -> that minute in Dushanbe (aware)."""
    try:
        return datetime.strptime(" ".join(text.split()), TIME_FORMAT).replace(tzinfo=DUSHANBE)
    except ValueError:
        raise ValueError(f"update time {text[:40]!r} is not dd.mm.yyyy HH:MM") from None


def short_name(full: str) -> str:
    """The name inside the legal form's quotes, or the whole name when it has none:
    ``ҶСК "Алиф Бонк"`` -> ``Алиф Бонк``; an unclosed quote (``ҶСП ТАҚХ "Шукр Молия``)
    runs to the end."""
    full = " ".join(full.split())
    match = _QUOTED.search(full)
    name = match.group(1).strip() if match else ""
    return name or full


def read_board(body: bytes) -> list[list[str]]:
    """The bank rows of a page (each of :data:`COLUMNS` cell texts), its layout checked.

    Raises ``ValueError`` saying what was expected: no table, a header that is not NBT's,
    a row of another width, more than :data:`MAX_ROWS` rows, or no bank at all.
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("the page is not UTF-8 text") from None
    reader = _TableReader()
    reader.feed(text)
    reader.close()
    if not reader.found:
        raise ValueError(f"no <table> in the page; expected {_EXPECTED}")
    if reader.too_many:
        raise ValueError(f"the table has more than {MAX_ROWS} rows; expected {_EXPECTED}")
    rows = [(cells, header) for cells, header in reader.rows if cells]
    if not rows or not rows[0][1]:
        raise ValueError(f"the table has no header row; expected {_EXPECTED}")
    _check_header(rows[0][0])
    banks = [cells for cells, _header in rows[1:]]
    if not banks:
        raise ValueError("the table lists no bank (its header only): nothing to read")
    for cells in banks:
        if len(cells) != COLUMNS:
            first = cells[0][:60] if cells else ""
            raise ValueError(f"a row of {len(cells)} cells ({first!r}); expected {_EXPECTED}")
    return banks


def _check_header(cells: list[str]) -> None:
    words = [cell.casefold() for cell in cells]
    ok = len(words) == COLUMNS
    for index, (_channel, stem) in enumerate(CHANNELS):
        if not ok:
            break
        buy, sell = words[1 + 2 * index], words[2 + 2 * index]
        ok = (
            buy.startswith(stem)
            and sell.startswith(stem)
            and buy.endswith(BUY_WORD)
            and sell.endswith(SELL_WORD)
        )
    if not ok:
        shown = ", ".join(cell[:40] for cell in cells[: COLUMNS + 2])
        raise ValueError(f"the table's header is [{shown}]; expected {_EXPECTED}")


class _TableReader(HTMLParser):
    """The first ``<table>``'s rows as cell texts (whitespace collapsed, entities decoded),
    each with whether it holds a ``<th>``; tables nested inside it are skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = False
        self.too_many = False
        self.rows: list[tuple[list[str], bool]] = []
        self._depth = 0
        self._done = False
        self._cell: list[str] | None = None
        self._size = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        if tag == "table":
            self.found = True
            self._depth += 1
            return
        if self._depth != 1:
            return
        if tag == "tr":
            self._end_cell()
            if len(self.rows) > MAX_ROWS:  # the header and MAX_ROWS banks are read
                self.too_many = True
                self._done = True
                return
            self.rows.append(([], False))
        elif tag in ("td", "th"):
            self._end_cell()
            if not self.rows:
                self.rows.append(([], False))
            cells, header = self.rows[-1]
            self.rows[-1] = (cells, header or tag == "th")
            self._cell = []
            self._size = 0

    def handle_endtag(self, tag: str) -> None:
        if self._done or not self.found:
            return
        if tag == "table":
            self._depth -= 1
            if self._depth == 0:
                self._end_cell()
                self._done = True
        elif self._depth == 1 and tag in ("td", "th", "tr"):
            self._end_cell()

    def handle_data(self, data: str) -> None:
        if self._cell is None or self._depth != 1 or self._size >= MAX_CELL_CHARS:
            return
        piece = data[: MAX_CELL_CHARS - self._size]
        self._cell.append(piece)
        self._size += len(piece)

    def _end_cell(self) -> None:
        if self._cell is None:
            return
        cells = self.rows[-1][0]
        if len(cells) < MAX_CELLS:
            cells.append(" ".join("".join(self._cell).split()))
        self._cell = None
