"""The ``webhook`` channel: each firing POSTed as JSON to ``[webhook] url``.

One attempt is bounded by ``[webhook] timeout`` as a whole (connecting, sending, the
answer's head and its first bytes); a timeout, no connection, HTTP 408, 429 or 5xx is
tried again, up to ``[webhook] attempts`` in all, after 1s, 2s, 4s ... Any other answer
is final. A 307 or 308 to the same host (http may become https, never the reverse) is
followed, at most :data:`MAX_REDIRECTS` times; any other redirect is not, and a failure
says so. Of an answer, at most :data:`BODY_KEPT` bytes are read (a failure's log line
quotes their start). The receiver is named in messages by scheme, host and port only:
the path or the query may carry its secret token.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

import httpx

from ticker.core.alerts.firing import Firing, Release, market_values
from ticker.core.net import make_client
from ticker.display.views import utc_text
from ticker.i18n.numbers import localised
from ticker.i18n.words import _
from ticker.model.records import StoredRule
from ticker.model.rules import threshold_text

#: Bytes of an answer read, at most.
BODY_KEPT = 4096
#: Characters of a failed answer's body quoted in the log.
BODY_QUOTED = 200
#: Same-host 307/308 redirects followed, at most.
MAX_REDIRECTS = 3
#: The longest wait between two attempts.
MAX_BACKOFF = 30.0
#: The longest wait a receiver may ask for (429 ``Retry-After``): longer is given up.
MAX_RETRY_AFTER = 60.0

Sleep = Callable[[float], Awaitable[None]]


def event_json(firing: Firing) -> dict[str, Any]:
    """What a receiver gets: the rule, the rate that made it fire (``value``, exact
    digits, in the rule's orientation), the fixing behind it and when it fired; a market
    rule's, also its ``market_channel`` and the ``institution`` whose price (``value``)
    made it fire (``source``: the board that quoted it); a release rule's, the new value's
    ``country``, ``series``, ``period``, ``value``, ``previous`` and ``released`` (``pair``:
    the country; ``as_of``: the release or effective date, else the period's first day;
    ``previous`` and ``released`` null when unknown)."""
    stored, reading = firing.stored, firing.reading
    rule = stored.rule
    return {
        "event_id": firing.event_id,
        "rule_id": stored.id,
        "label": rule.label,
        "pair": rule.subject,
        "kind": rule.kind.value,
        "value": format(reading.rate, "f"),
        "threshold": threshold_text(rule),
        "direction": rule.direction.value,
        "as_of": reading.as_of.isoformat(),
        "source": reading.provider,
        "fired_at": utc_text(firing.fired_at),
        "message": firing.machine_message,
        **market_values(rule, reading.institution),
        **(release_json(reading.release) if reading.release is not None else {}),
    }


def release_json(release: Release) -> dict[str, Any]:
    """A release firing's own fields in the JSON: as a hook gets them, unknown ones null."""
    return {key: value or None for key, value in release.values().items()}


def test_event(stored: StoredRule | None, now: datetime) -> dict[str, Any]:
    """What ``ticker alerts test`` posts: ``"test": true``, and the rule it stands for
    (the first with the ``webhook`` channel, if any) as a firing would name it."""
    event: dict[str, Any] = {"test": True, "event_id": None, "rule_id": None}
    if stored is not None:
        rule = stored.rule
        event.update(rule_id=stored.id, label=rule.label, pair=rule.subject, kind=rule.kind.value)
        event.update(market_values(rule))  # a market rule: its channel (no institution: none fired)
    what = f"#{stored.id}" if stored is not None else "the webhook"
    event.update(fired_at=utc_text(now), message=f"ticker alerts test: {what}")
    return event


def receiver(url: str) -> str:
    """``https://hooks.example``: the URL without its path and query (secrets)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt ``attempt`` (1, 2, 4 ... at most 30)."""
    return min(2.0 ** (attempt - 1), MAX_BACKOFF)


def make_webhook_client() -> httpx.AsyncClient:
    """A client of the webhook's own: a slow receiver never holds a connection a
    provider's poll waits for."""
    return make_client()


class Outcome(NamedTuple):
    """One attempt's result: taken or not, what happened in words, whether to try again."""

    ok: bool
    detail: str
    again: bool = False
    retry_after: float | None = None
    """Seconds the receiver asked to wait before trying again."""


async def post_event(
    client: httpx.AsyncClient,
    url: str,
    event: dict[str, Any] | bytes,
    limit: float,
    attempts: int,
    sleep: Sleep = asyncio.sleep,
    content_type: str = "application/json",
) -> tuple[bool, str]:
    """POST ``event`` (or its body, as bytes, of ``content_type``) until it is taken or
    ``attempts`` are spent (each within ``limit`` seconds); (ok, words). A 429 or 503
    that says how long to wait (``Retry-After``, or Telegram's ``retry_after``) is
    waited for, up to :data:`MAX_RETRY_AFTER`."""
    body = event if isinstance(event, bytes) else json.dumps(event, ensure_ascii=False).encode()
    outcome = Outcome(False, _("not attempted"))
    for attempt in range(1, attempts + 1):
        outcome = await _attempt(client, url, body, limit, content_type)
        if outcome.ok or not outcome.again or attempt == attempts:
            if attempt > 1:
                return outcome.ok, _("{detail} (attempt {attempt} of {attempts})").format(
                    detail=outcome.detail, attempt=attempt, attempts=attempts
                )
            return outcome.ok, outcome.detail
        wait = backoff(attempt)
        if outcome.retry_after is not None:
            if outcome.retry_after > MAX_RETRY_AFTER:
                asked = localised(f"{outcome.retry_after:g}")
                return False, _("{detail}; asked to wait {seconds}s: given up").format(
                    detail=outcome.detail, seconds=asked
                )
            wait = max(wait, outcome.retry_after)
        await sleep(wait)
    return outcome.ok, outcome.detail


async def _attempt(
    client: httpx.AsyncClient, url: str, body: bytes, limit: float, content_type: str
) -> Outcome:
    try:
        async with asyncio.timeout(limit):
            return await _post(client, url, body, limit, content_type)
    except TimeoutError:
        said = _("no answer within {seconds}s").format(seconds=localised(f"{limit:g}"))
        return Outcome(False, said, again=True)
    except httpx.TransportError as err:
        if isinstance(err, httpx.RemoteProtocolError) and "location header" in str(err).lower():
            return Outcome(False, _("a redirect to a malformed address: not followed"))
        said = str(err) or type(err).__name__
        return Outcome(False, _("could not connect: {error}").format(error=said), again=True)


async def _post(
    client: httpx.AsyncClient, url: str, body: bytes, limit: float, content_type: str
) -> Outcome:
    target = url
    # Identity: the few bytes read of an answer are its bytes, never a decompression.
    headers = {"Content-Type": content_type, "Accept-Encoding": "identity"}
    for _hop in range(MAX_REDIRECTS + 1):
        request = client.build_request("POST", target, content=body, headers=headers)
        request.extensions["timeout"] = httpx.Timeout(limit).as_dict()
        response = await client.send(request, stream=True)
        try:
            head = await _start_of(response)
        finally:
            await response.aclose()
        status = response.status_code
        if 200 <= status < 300:
            return Outcome(True, f"HTTP {status}")
        if status in (307, 308):
            location = response.headers.get("location", "")
            try:
                following = urljoin(target, location)
                same = _same_host(target, following)
            except ValueError:  # a port out of range or not a number, a broken host
                return Outcome(False, _("a redirect to a malformed address: not followed"))
            if not location or not same:
                where = receiver(following) if location else _("nowhere")
                said = _("HTTP {status} redirect to {where}: not followed")
                return Outcome(False, said.format(status=status, where=where))
            target = following
            continue
        if 300 <= status < 400:
            said = _("HTTP {status} redirect: not followed (a POST stays a POST)")
            return Outcome(False, said.format(status=status))
        said, wait = _refusal(head)
        if status in (429, 503):
            wait = _seconds(response.headers.get("retry-after")) if wait is None else wait
        words = f"HTTP {status}" + (f": {said[:BODY_QUOTED]}" if said else "")
        again = status in (408, 429) or status >= 500
        return Outcome(False, words, again=again, retry_after=wait if again else None)
    said = _("more than {n} redirects: not followed").format(n=MAX_REDIRECTS)
    return Outcome(False, said)


def _refusal(head: bytes) -> tuple[str, float | None]:
    """A refusal's words (Telegram's, Slack's... ``description`` when the answer is JSON
    that has one, else its start) and the wait it asks for (``parameters.retry_after``)."""
    said = head.decode("utf-8", "replace")
    wait = None
    try:
        answer = json.loads(said)
    except ValueError:
        answer = None
    if isinstance(answer, dict):
        if isinstance(answer.get("description"), str):
            said = answer["description"]
        parameters = answer.get("parameters")
        if isinstance(parameters, dict):
            wait = _seconds(parameters.get("retry_after"))
    return " ".join("".join(c if c.isprintable() else " " for c in said).split()), wait


def _seconds(value: object) -> float | None:
    """A wait in seconds (``Retry-After: 34``, ``"retry_after": 34``); None if not one."""
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value) if isinstance(value, (int, float, str)) else -1.0
    except ValueError:
        return None
    return seconds if 0 <= seconds < 10**7 else None


async def _start_of(response: httpx.Response) -> bytes:
    """At most :data:`BODY_KEPT` bytes of the answer; the rest is never read."""
    kept = bytearray()
    async for chunk in response.aiter_raw():
        kept += chunk
        if len(kept) >= BODY_KEPT:
            break
    return bytes(kept[:BODY_KEPT])


def _same_host(before: str, after: str) -> bool:
    """Whether a redirect stays with the receiver: the same host and port (http may go
    to https on the same host; https never goes to http)."""
    old, new = urlsplit(before), urlsplit(after)
    if new.scheme not in ("http", "https") or (old.scheme, new.scheme) == ("https", "http"):
        return False
    if old.hostname != new.hostname:
        return False
    default = {"http": 80, "https": 443}
    old_port = old.port or default[old.scheme]
    new_port = new.port or default[new.scheme]
    return old_port == new_port or (old.scheme, new.scheme) == ("http", "https")
