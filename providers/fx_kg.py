"""fx.kg: Kyrgyz banks' and exchange offices' buy and sell, from its documented API.

fx.kg (https://fx.kg/en/docs) answers under ``https://data.fx.kg/api/v1/``: ``/average`` and
``/best`` (one summary object each), ``/current`` (every institution's board) and
``/central`` (NBKR's rates). A free registration gives a token, sent as
``Authorization: Bearer ...`` with every request; each account has a monthly request cap.
One poll is one request, to ``/current``: a JSON list, one object per bank or exchange
office::

    [{"id": 1, "title": "РСК Банк", "official_title": "ОАО \\"РСК Банк\\"", "slug": ...,
      "website_url": ..., "rates": [{"organization_id": 1, "type": "regular",
      "created_at": ..., "updated_at": ..., "is_current": 1,
      "buy_usd": "87.10", "sell_usd": "87.60", "buy_eur": ..., "sell_kzt": ..., ...}]}]

Prices are soms for one unit of the foreign currency, as decimal strings; ``"0.00"`` or
null: that side is not offered. A rate entry's ``type`` is its channel (``regular``: the
board's cash price); an unknown type is not read (a note says so). ``updated_at`` (else
``created_at``) is the quoted time: with its zone as given, without one in Bishkek time;
:meth:`MarketProvider.latest` screens it against the clock. fx.kg names no city.

The answers (fx.kg's documented codes)::

    no token set                 -> ProviderAuthError, no request made: how to set one
    401 {"message": "Unauthenticated."}
                                 -> ProviderAuthError "token refused"
    403 {"messages": "Monthly request limit exceeded. ..."}
                                 -> ProviderUnavailable "monthly request cap reached", with
                                    retry_after = until the month turns in Bishkek: the
                                    collector ends the round without a retry and plans the
                                    next poll then (believing a wait of a day at most)
    403 {"messages": "No API access. ..."}
                                 -> ProviderAuthError "the token has no API access (fx.kg
                                    plan)" (not retried: the account must change)
    403 naming neither (or both) -> the cap's error, saying it could not tell
    5xx, timeouts                -> ProviderUnavailable (providers.http)

A 403's body is read (its first 2 kB, by the shared HTTP layer's ``refusal`` hook) only to
tell the two apart; it is never quoted or logged. The token never leaves the request
header: no URL, message, note or log holds it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from decimal import Decimal
from typing import Any

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
from providers.calendar import BISHKEK
from providers.market_records import MARKET
from providers.market_source import MarketProvider
from providers.parsing import parse_decimal

PATH = "/api/v1/current"
LOCAL = "KGS"
SOURCE = MARKET["fx-kg"]
#: Where the program takes the token from, for the words of a refusal.
TOKEN_FROM = f"[providers.fx-kg] token or the environment variable {SOURCE.token_env}"

#: A rate entry's ``type`` -> its channel. ``regular`` is what fx.kg's clients read as
#: a bank's board (the cash price); the others are the plain words for a channel.
CHANNELS: dict[str, Channel] = {
    "regular": Channel.CASH,
    "cash": Channel.CASH,
    "noncash": Channel.NONCASH,
    "non_cash": Channel.NONCASH,
    "non-cash": Channel.NONCASH,
    "cashless": Channel.NONCASH,
    "card": Channel.CARD,
    "cards": Channel.CARD,
    "transfer": Channel.TRANSFER,
    "transfers": Channel.TRANSFER,
    "interbank": Channel.INTERBANK,
}

#: A token as fx.kg issues it: visible ASCII (letters and digits); anything else (a line
#: break, a space, a non-ASCII letter) would break the header, and the HTTP layer's
#: complaint would quote it, so such a token is never sent.
_TOKEN = re.compile(r"[\x21-\x7e]{1,512}")
#: A time as fx.kg writes it is ~27 characters (``2025-06-16T03:05:12.000000Z``).
_LONGEST_TIME = 40
#: fx.kg's two 403s, told apart by their words ("Monthly request limit exceeded. ...",
#: "No API access. ...").
_CAPPED = re.compile(r"request limit|limit exceeded", re.IGNORECASE)
_NO_ACCESS = re.compile(r"no\s+api\s+access", re.IGNORECASE)
_EXPECTED = (
    "expected a JSON list of institutions, each an object with a 'title' and a 'rates' "
    "list of objects with 'type', 'updated_at' and buy_usd/sell_usd ... prices"
)


class FXKG(MarketProvider, source=SOURCE):
    """fx.kg's ``/current``: every listed bank's and exchange office's board, in soms."""

    def token(self) -> str:
        """The token to send, or ProviderAuthError saying why the source is off."""
        token = self.options.token.strip()
        if token[:7].lower() == "bearer ":  # pasted with its scheme
            token = token[7:].strip()
        if not token:
            raise ProviderAuthError(
                self.NAME,
                self.url(PATH),
                "off: fx.kg's API needs a token and none is set; register for free at "
                f"https://fx.kg and set it in {TOKEN_FROM}",
            )
        if not _TOKEN.fullmatch(token):
            raise ProviderAuthError(
                self.NAME,
                self.url(PATH),
                f"off: the token set in {TOKEN_FROM} is malformed (it holds spaces, line "
                "breaks or characters other than ASCII letters and digits): not sent",
            )
        return token

    def request_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}", "Accept": "application/json"}

    async def fetch(self, client: httpx.AsyncClient) -> Batch:
        self.token()  # no request without a usable token
        data, url = await self.get_json(client, PATH)
        return self.board(data, url)

    def refusal(self, status: int, said: str, url: str) -> ProviderError | None:
        """fx.kg's 401 and 403, in words, its 403 told apart by its body (see the module
        docstring); the body is matched, never quoted."""
        if status == 401:
            return ProviderAuthError(
                self.NAME,
                url,
                f"token refused (HTTP 401): fx.kg does not accept the token set in "
                f"{TOKEN_FROM}; check it in your fx.kg account",
            )
        if status != 403:
            return None
        capped, no_access = bool(_CAPPED.search(said)), bool(_NO_ACCESS.search(said))
        if no_access and not capped:
            return ProviderAuthError(
                self.NAME,
                url,
                "the token has no API access (fx.kg plan): fx.kg accepts the token set in "
                f"{TOKEN_FROM} but its account's plan does not include the API (HTTP 403)",
            )
        now = self.now()
        turn = month_turn(now)
        said_so = (
            "HTTP 403"
            if capped and not no_access
            else "HTTP 403, an answer naming neither the cap nor API access, read as the cap"
        )
        return ProviderUnavailable(
            self.NAME,
            url,
            f"monthly request cap reached ({said_so}): the cap resets when the month turns, "
            f"{turn:%Y-%m-%d %H:%M} Bishkek time",
            retry_after=max((turn - now).total_seconds(), 0.0),
        )

    def board(self, data: Any, url: str) -> Batch:
        """The quotes of a ``/current`` answer; a bad row rejected, a changed shape refused."""
        institutions = self._institutions(data, url)
        batch = Batch()
        latest: dict[tuple[str, Channel], tuple[dict[str, Any], datetime | None]] = {}
        unknown: dict[str, int] = {}
        entries = 0
        for index, org in enumerate(institutions):
            if not isinstance(org, dict) or not isinstance(org.get("rates"), list):
                why = "not an institution: an object with a 'rates' list was expected"
                batch.rejected.append(Rejected(f"{LOCAL} board", f"#{index}", why))
                continue
            name = institution_name(org)
            if not name:
                why = "an institution without a name ('title')"
                batch.rejected.append(Rejected(f"{LOCAL} board", f"#{index}", why))
                continue
            for entry in org["rates"]:
                entries += 1
                if not isinstance(entry, dict):
                    why = "a rate entry that is not an object"
                    batch.rejected.append(Rejected(f"{LOCAL} board", name, why))
                    continue
                if entry.get("is_current", 1) in (0, False, "0"):
                    continue  # superseded: not the board now
                kind = entry.get("type")
                channel = CHANNELS.get(kind.strip().lower()) if isinstance(kind, str) else None
                if channel is None:
                    label = repr(kind[:40]) if isinstance(kind, str) else _kind(kind)
                    unknown[label] = unknown.get(label, 0) + 1
                    continue
                quoted_at, problem = quoted_time(entry)
                if problem is not None:
                    batch.rejected.append(Rejected(f"{LOCAL} {channel}", name, problem))
                    continue
                held = latest.get((name, channel))
                if held is None or _newer(quoted_at, held[1]):
                    latest[(name, channel)] = (entry, quoted_at)
        if entries == 0:
            raise ProviderResponseError(
                self.NAME, url, "no institution has a rate: every 'rates' list is empty"
            )
        if not latest and not batch.rejected:
            known = ", ".join(sorted(CHANNELS))
            said = (
                f"no rate entry of a known type ({known}); types seen: "
                + ", ".join(sorted(unknown)[:10])
                if unknown
                else "no current rate entry: every entry says is_current 0"
            )
            raise ProviderResponseError(self.NAME, url, said)
        priced = 0
        for (name, channel), (entry, quoted_at) in latest.items():
            priced += self._add_prices(batch, name, channel, entry, quoted_at)
        if latest and priced == 0:
            raise ProviderResponseError(self.NAME, url, f"no prices in any rate entry: {_EXPECTED}")
        for label, count in sorted(unknown.items()):
            entries_of = "1 rate entry" if count == 1 else f"{count} rate entries"
            batch.notes.append(
                f"{self.NAME}: {entries_of} of type {label} not read: its channel is unknown"
            )
        return batch

    def _institutions(self, data: Any, url: str) -> list[Any]:
        if not isinstance(data, list):
            raise ProviderResponseError(self.NAME, url, f"{_EXPECTED}; got {_kind(data)}")
        if not data:
            raise ProviderResponseError(
                self.NAME, url, "the board is empty: fx.kg lists no institution"
            )
        if not any(isinstance(o, dict) and isinstance(o.get("rates"), list) for o in data):
            first = data[0]
            got = (
                f"objects with keys {', '.join(sorted(map(str, first))[:8])}"
                if isinstance(first, dict)
                else f"a list whose first item is {_kind(first)}"
            )
            raise ProviderResponseError(self.NAME, url, f"{_EXPECTED}; got {got}"[:400])
        return data

    def _add_prices(
        self,
        batch: Batch,
        name: str,
        channel: Channel,
        entry: dict[str, Any],
        quoted_at: datetime | None,
    ) -> int:
        """Add the entry's quote of each currency of the board; the count of currencies
        whose price keys it carries (priced or not)."""
        carried = 0
        for code in sorted(SOURCE.others):
            keys = (f"buy_{code.lower()}", f"sell_{code.lower()}")
            if not any(key in entry for key in keys):
                continue
            carried += 1
            prices: list[Decimal | None] = []
            for key in keys:
                price, why = side_price(entry.get(key))
                if why is not None:
                    label = f"{code}/{LOCAL} {channel}"
                    batch.rejected.append(Rejected(label, name, f"{key} {why}"))
                    break
                prices.append(price)
            else:
                buy, sell = prices
                if not buy and not sell:  # neither side offered: no quote of it
                    continue
                self.quote(batch, name, (code, LOCAL), channel, buy, sell, quoted_at)
        return carried


def month_turn(now: datetime) -> datetime:
    """The first moment of the next month in Bishkek (when fx.kg's monthly cap resets)."""
    local = now.astimezone(BISHKEK)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=BISHKEK)


def institution_name(org: dict[str, Any]) -> str:
    """The institution's short name (``title``, else ``official_title``), without control
    characters (a name is shown in a terminal)."""
    for key in ("title", "official_title"):
        value = org.get(key)
        if isinstance(value, str):
            text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in value[:400])
            if text.strip():
                return " ".join(text.split())
    return ""


def quoted_time(entry: dict[str, Any]) -> tuple[datetime | None, str | None]:
    """The entry's time (``updated_at``, else ``created_at``) in Bishkek time, or why it is
    not one. None, None: the entry gives no time."""
    key = "updated_at" if entry.get("updated_at") is not None else "created_at"
    value = entry.get(key)
    if value is None:
        return None, None
    if not isinstance(value, str) or len(value) > _LONGEST_TIME:
        return None, f"{key}: not a time ({_kind(value)})"
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None, f"{key} {value!r}: not a time"
    if moment.tzinfo is None:  # fx.kg's own clock: Bishkek
        moment = moment.replace(tzinfo=BISHKEK)
    try:
        return moment.astimezone(BISHKEK), None
    except (OverflowError, ValueError):
        return None, f"{key} {value!r}: out of range"


def side_price(raw: object) -> tuple[Decimal | None, str | None]:
    """One side's price: None when not offered (null, empty, zero), or why it is no price."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, bool) or not isinstance(raw, str | Decimal):
        return None, f"not a number ({_kind(raw)})"
    try:
        value = parse_decimal(raw)
    except ValueError as err:
        return None, str(err)[:200]
    return (value or None), None


def _newer(moment: datetime | None, than: datetime | None) -> bool:
    return moment is not None and (than is None or moment > than)


def _kind(value: object) -> str:
    """What a JSON value is, in words (never its content: it may be huge)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"
