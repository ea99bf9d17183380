"""bank.uz: every Uzbek bank's cash buy and sell, from the aggregator's rates page.

``GET https://bank.uz/uz/currency`` (HTML, ~400 kB) carries, under "Valyuta almashtirish
shahobchalaridagi eng yahshi kurslar" (the best rates at the exchange offices), one panel
per currency, ``<div id="best_USD">`` ... ``best_RUB``, ``best_EUR`` (and GBP, KZT, not
read here). Each panel has two lists of banks: ``div.bc-inner-blocks-left`` headed
"Sotib olish" (what the bank pays for the currency: buy) and ``div.bc-inner-blocks-right``
headed "Sotish" (what it asks: sell), each sorted best first, so a bank's two prices are
joined by its link (``/uz/currency/bank/SLUG``), never by position. A row::

    <div class="bc-inner-block-left-texts">
      <div class="bc-inner-block-left-text"><a href="/uz/currency/bank/kapitalbank">
        <span class="medium-text">Kapitalbank</span></a></div>
      <span class="medium-text green-date">12 005 so'm</span>
    </div>

Prices are UZS for one unit, with spaces between thousands (``12 005 so'm``); ``0 so'm``
is a side not offered. The page gives no time per bank: the board's time is the page's
own, the moment bank.uz rendered it (``'SERVER_TIME':'1781686289'``, Unix seconds, in
the Bitrix script every page carries), shown in Tashkent's zone. The evidence (a recorded
page and the public clients this was settled from) is in ``docs/market-sources.md``.

Parsed with the standard library's :class:`html.parser.HTMLParser`: a page without the
panels is a changed layout (one error saying what was expected); a row that cannot be
read is rejected with its reason and the rest of the board kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from html.parser import HTMLParser

import httpx

from providers.base import Batch, Channel, ProviderResponseError, Rejected
from providers.calendar import TASHKENT
from providers.market_records import MARKET
from providers.market_source import MarketProvider
from providers.parsing import bad_response, parse_decimal

SOURCE = MARKET["bank-uz"]
#: The currency of the prices.
LOCAL = SOURCE.quoted_in or "UZS"

#: The rates page (the Uzbek one: the recording's; ``/currency`` is the Russian twin).
PATH = "/uz/currency"
#: A list with more banks than this is not believed (the recorded ones have 6 to 25).
MAX_ROWS = 200
#: At most this many currency panels are remembered (for the changed-layout message).
MAX_PANELS = 32
#: The page's own time is looked for in this much of its beginning (it is in <head>).
HEAD_BYTES = 256 * 1024

BUY, SELL = "buy", "sell"
_SIDE_CLASS = {"bc-inner-blocks-left": BUY, "bc-inner-blocks-right": SELL}
_ROW_CLASS = "bc-inner-block-left-texts"
_PRICE_CLASS = "green-date"
#: The lists' headings, to refuse a page whose sides were swapped.
_HEADINGS = {BUY: ("sotib olish", "покупка"), SELL: ("sotish", "продажа")}
_PANEL_ID = re.compile(r"best_([A-Z]{3})")
_BANK_HREF = re.compile(r"/currency/bank/([A-Za-z0-9_.-]{1,80})/?$")
_SERVER_TIME = re.compile(r"""['"]SERVER_TIME['"]\s*:\s*['"]?(\d{9,11})['"]?""")

#: ``12 005 so'm``: digits with spaces, points or commas, then the unit (or none).
_PRICE = re.compile(r"(?P<number>\d[\d.,\s]*?)\s*(?P<unit>[^\d\s.,][^\d]*)?")
_UNITS = frozenset({"so'm", "so‘m", "so’m", "so`m", "som", "сум", "сўм", "uzs"})
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def price(text: str) -> Decimal:
    """``12 005 so'm``, ``12,850.00``, ``158,50 сум`` -> an exact Decimal.

    Thousands may be grouped with spaces, points or commas (groups of three); a single
    point or comma followed by exactly three digits (``12,850``) could be either a
    thousands mark or a decimal one, and is refused. ValueError with the reason.
    """
    if len(text) > 100:
        raise ValueError(f"a price of {len(text)} characters")
    spaced = _SPACES.sub(" ", text).strip()
    match = _PRICE.fullmatch(spaced)
    if match is None:
        raise ValueError(f"not a price: {text[:40]!r}")
    unit = (match.group("unit") or "").strip().lower()
    if unit and unit not in _UNITS:
        raise ValueError(f"not a price in sum: {text[:40]!r}")
    number = match.group("number")
    spaces = " " in number
    marks = [c for c in number if c in ".,"]
    decimal_mark = ""
    if len(set(marks)) == 2:  # 12,850.00 / 12.850,00: the last mark is the decimal one
        decimal_mark = marks[-1]
        if marks.count(decimal_mark) != 1:
            raise ValueError(f"ambiguous separators in {text[:40]!r}")
    elif len(marks) == 1:
        tail = number.rsplit(marks[0], 1)[1]
        if len(tail) == 3 and not spaces:
            raise ValueError(f"ambiguous: {text[:40]!r} (thousands or decimals?)")
        decimal_mark = marks[0]
    whole, _, fraction = number.partition(decimal_mark) if decimal_mark else (number, "", "")
    if fraction and not fraction.isdigit():
        raise ValueError(f"not a price: {text[:40]!r}")
    groups = re.split(r"[ .,]", whole)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        raise ValueError(f"thousands not grouped by three in {text[:40]!r}")
    return parse_decimal("".join(groups) + (f".{fraction}" if fraction else ""))


@dataclass
class Row:
    """One entry of a buy or sell list, as the page wrote it."""

    slug: str = ""
    name: str = ""
    price: str | None = None

    @property
    def key(self) -> str:
        return self.slug.lower() or " ".join(self.name.split()).casefold()


@dataclass
class Panel:
    """One currency's two lists, and their headings."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {BUY: [], SELL: []})
    headings: dict[str, str] = field(default_factory=lambda: {BUY: "", SELL: ""})
    sides: set[str] = field(default_factory=set)


@dataclass
class Board:
    """What the page holds: the panels of the currencies asked for, and the page's time."""

    panels: dict[str, Panel]
    seen: list[str]
    """Every currency panel found (at most :data:`MAX_PANELS`)."""
    title: str
    server_time: int | None


class _BoardParser(HTMLParser):
    """Walks the page once, keeping the rows of the wanted currencies' lists."""

    def __init__(self, wanted: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.panels: dict[str, Panel] = {}
        self.seen: list[str] = []
        self.title: list[str] = []
        self._divs: list[str] = []  # what each open <div> is: a panel, a side, a row, ""
        self._panel: Panel | None = None
        self._side = ""
        self._row: Row | None = None
        self._in_a = False
        self._price: list[str] | None = None
        self._heading: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = set(a.get("class", "").split())
        if tag == "title":
            self._in_title = True
        elif tag == "div":
            self._divs.append(self._open_div(a.get("id", ""), classes))
        elif tag == "a" and self._row is not None:
            self._in_a = True
            found = _BANK_HREF.search(a.get("href", ""))
            if found and not self._row.slug:
                self._row.slug = found.group(1)
        elif tag == "span" and self._row is not None and _PRICE_CLASS in classes:
            self._price = []
        elif tag == "span" and self._side and self._row is None and "semibold-text" in classes:
            self._heading = []

    def _open_div(self, ident: str, classes: set[str]) -> str:
        panel = _PANEL_ID.fullmatch(ident)
        if panel is not None and self._panel is None:
            code = panel.group(1)
            if code not in self.seen and len(self.seen) < MAX_PANELS:
                self.seen.append(code)
            if code in self.wanted:
                if code in self.panels:
                    raise ValueError(f"two {code} panels (div id={ident!r}) on the page")
                self._panel = self.panels[code] = Panel()
                return "panel"
            return ""
        if self._panel is None:
            return ""
        side = next((s for c, s in _SIDE_CLASS.items() if c in classes), "")
        if side and not self._side:
            self._side = side
            self._panel.sides.add(side)
            return "side"
        if self._side and self._row is None and _ROW_CLASS in classes:
            rows = self._panel.rows[self._side]
            if len(rows) >= MAX_ROWS:
                raise ValueError(f"more than {MAX_ROWS} banks in one list: not believed")
            self._row = Row()
            rows.append(self._row)
            return "row"
        return ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "a":
            self._in_a = False
        elif tag == "span":
            if self._price is not None and self._row is not None:
                self._row.price = " ".join("".join(self._price).split())
            elif self._heading is not None and self._panel is not None:
                self._panel.headings[self._side] = " ".join("".join(self._heading).split())
            self._price = self._heading = None
        elif tag == "div" and self._divs:
            what = self._divs.pop()
            if what == "row":
                self._row, self._in_a, self._price = None, False, None
            elif what == "side":
                self._side = ""
            elif what == "panel":
                self._panel = None

    def handle_data(self, data: str) -> None:
        if self._in_title and len(self.title) < 20:
            self.title.append(data)
        if self._price is not None:
            if len(self._price) < 20:
                self._price.append(data[:200])
        elif self._heading is not None:
            if len(self._heading) < 20:
                self._heading.append(data[:200])
        elif self._in_a and self._row is not None and len(self._row.name) < 400:
            self._row.name += data[:400]


def read_board(body: bytes, wanted: frozenset[str]) -> Board:
    """The board on the page: the wanted currencies' panels, or ValueError saying what
    the page lacks (a changed layout)."""
    text = body.decode("utf-8", errors="replace")
    parser = _BoardParser(wanted)
    parser.feed(text)
    parser.close()
    title = " ".join("".join(parser.title).split())[:120]
    if not parser.panels:
        said = f" (the page's title: {title!r})" if title else ""
        found = f"; found panels for {', '.join(parser.seen)}" if parser.seen else ""
        raise ValueError(
            "the layout has changed: no currency panel "
            f'(div id="best_USD", best_EUR, best_RUB){found}{said}'
        )
    for code, panel in parser.panels.items():
        missing = [f"div.{c}" for c, side in _SIDE_CLASS.items() if side not in panel.sides]
        if missing:
            raise ValueError(
                f"the layout has changed: the {code} panel has no {' or '.join(missing)}"
            )
        for side, words in _HEADINGS.items():
            other = SELL if side == BUY else BUY
            if panel.headings[side].lower() in _HEADINGS[other]:
                raise ValueError(
                    f"the layout has changed: the {code} {side} list is headed "
                    f"{panel.headings[side]!r} (expected {' or '.join(words)})"
                )
    stamp = _SERVER_TIME.search(body[:HEAD_BYTES].decode("utf-8", errors="replace"))
    return Board(parser.panels, parser.seen, title, int(stamp.group(1)) if stamp else None)


class BankUZ(MarketProvider, source=SOURCE):
    """bank.uz: the cash buy and sell of every Uzbek bank listed, USD, EUR and RUB in UZS."""

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        fetched = await self.get(client, PATH)
        wanted = SOURCE.others
        with bad_response(self.NAME, fetched.url):
            board = await self.parsed(fetched, read_board, fetched.body, wanted)
        batch = Batch()
        quoted_at = None
        if board.server_time is None:
            batch.notes.append(f"{self.NAME}: the page gives no time; its quotes carry none")
        else:
            quoted_at = datetime.fromtimestamp(board.server_time, TASHKENT)
        for code in sorted(wanted):
            panel = board.panels.get(code)
            if panel is None:
                batch.notes.append(f"{self.NAME}: the page has no {code} panel")
                continue
            self._panel(batch, code, panel, quoted_at)
        if not batch.quotes and not batch.rejected:
            raise ProviderResponseError(
                self.NAME, fetched.url, "the board is empty: no bank is listed in any panel"
            )
        return batch

    def _panel(self, batch: Batch, code: str, panel: Panel, quoted_at: datetime | None) -> None:
        """One currency's quotes: each bank's buy and sell joined by its link; a bank
        with a row that cannot be read is rejected (both sides: half a quote would say
        "not offered" where the page offers a price we could not read)."""
        label = f"{code}/{LOCAL} {Channel.CASH}"
        names: dict[str, str] = {}
        prices: dict[str, dict[str, Decimal]] = {}
        bad: dict[str, str] = {}
        for side in (BUY, SELL):
            for row in panel.rows[side]:
                key = row.key
                if not key:
                    batch.rejected.append(Rejected(label, row.price or "?", "a row names no bank"))
                    continue
                names.setdefault(key, " ".join(row.name.split()) or row.slug)
                held = prices.setdefault(key, {})
                got = _read(row, side, held)
                if isinstance(got, str):
                    bad.setdefault(key, got)
                else:
                    held[side] = got
        for key, name in names.items():
            if key in bad:
                batch.rejected.append(Rejected(label, name, bad[key]))
                continue
            buy, sell = prices[key].get(BUY), prices[key].get(SELL)
            self.quote(batch, name, (code, LOCAL), Channel.CASH, buy, sell, quoted_at)


def _read(row: Row, side: str, held: dict[str, Decimal]) -> Decimal | str:
    """The row's price, or why it cannot be used."""
    if row.price is None:
        return f"no {side} price in its row"
    try:
        value = price(row.price)
    except ValueError as err:
        return f"{side} price: {err}"
    if side in held and held[side] != value:
        return f"listed twice in the {side} list ({held[side]} and {value})"
    return value
