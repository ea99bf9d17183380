"""One GET, safely: size-capped, on the source's host, every failure mapped to the
provider error tree.

timeout, connection error, HTTP 500-599, 429    -> ProviderUnavailable (429 and 503 keep
                                                   Retry-After; network failures in words,
                                                   see providers.network)
HTTP 401, 403                                   -> ProviderAuthError
any other status (999 too), a body over the     -> ProviderResponseError (not retried)
size cap decoded or not, a protocol error, a
refused content coding, a redirect off the host
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from providers.base import (
    ProviderAuthError,
    ProviderError,
    ProviderResponseError,
    ProviderUnavailable,
)
from providers.decoding import ACCEPT_ENCODING, CodingError, Decoder, TooLarge
from providers.network import network_words, timeout_words

#: Responses larger than this are refused (the largest real feed is under 100 kB).
MAX_BYTES = 5 * 1024 * 1024

#: A Retry-After longer than this is read as this (a server cannot park us for a day).
RETRY_AFTER_CAP = 3600.0

#: The most of a refusal's body (a 4xx answer) a source's ``refusal`` is shown: its words,
#: not a page (decoded; the rest of the body is not decoded).
REFUSAL_BYTES = 2048

#: ``refusal(status, said, url)``: a source's own error for a 4xx answer, or None.
Refusal = Callable[[int, str, str], ProviderError | None]

#: For the sources that refuse non-browser clients (cbt.tm answers 403 otherwise).
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36"
)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response: its body and where it came from."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes


async def get(
    client: httpx.AsyncClient,
    provider: str,
    url: str,
    *,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    request_timeout: float = 20.0,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = 3,
    refusal: Refusal | None = None,
) -> Fetched:
    """GET ``url``; return the whole decoded body, or raise a named provider error.

    ``request_timeout`` bounds the whole exchange, body included (a server trickling one
    byte at a time cannot hold it open). ``max_bytes`` bounds the body as decoded, while
    it is decoded. Redirects are followed (at most ``max_redirects``) only on the same
    host, and never from https down to http (see :func:`redirect_refused`). ``refusal``
    words a 4xx answer from its body (see the module docstring).
    """
    sent = {"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
    request = client.build_request(
        "GET", url, params=params, headers=sent, timeout=httpx.Timeout(request_timeout)
    )
    origin = request.url
    shown = str(request.url)
    try:
        async with asyncio.timeout(request_timeout):
            for _hop in range(max_redirects + 1):
                fetched = await _exchange(client, provider, request, shown, max_bytes, refusal)
                if isinstance(fetched, Fetched):
                    return fetched
                target = fetched
                refused = redirect_refused(origin, request.url, target)
                if refused:
                    raise ProviderResponseError(provider, shown, refused)
                request = client.build_request(
                    "GET", target, headers=sent, timeout=httpx.Timeout(request_timeout)
                )
            raise ProviderResponseError(provider, shown, f"more than {max_redirects} redirects")
    except TimeoutError:
        raise ProviderUnavailable(
            provider, shown, timeout_words(request_timeout, origin.host)
        ) from None


def redirect_refused(origin: httpx.URL, current: httpx.URL, target: httpx.URL) -> str | None:
    """Why a redirect from ``current`` to ``target`` is not followed, or None.

    A source's answers come from the source's host: a redirect elsewhere would store
    another host's numbers as the source's, or reach an address on our side (a cloud
    metadata address, a service on loopback). So: http(s) only, never https -> http,
    the same host as the first request's, and no loopback, link-local or private
    address unless the first request went to one.
    """
    shown = _short(str(target))
    if target.scheme not in ("http", "https"):
        return f"refused a redirect to an unsupported scheme ({shown})"
    if current.scheme == "https" and target.scheme != "https":
        return f"refused a redirect from https to {shown}"
    if target.host != origin.host:
        return f"refused a redirect to another host ({shown}); only {origin.host} is the source"
    if _is_internal(target.host) and not _is_internal(origin.host):
        return f"refused a redirect to an internal address ({shown})"
    return None


def _is_internal(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_reserved
        or address.is_unspecified
        or address.is_multicast
    )


async def _exchange(
    client: httpx.AsyncClient,
    provider: str,
    request: httpx.Request,
    shown: str,
    max_bytes: int,
    refusal: Refusal | None = None,
) -> Fetched | httpx.URL:
    """One request: the response body, or where a redirect points."""
    try:
        response = await client.send(request, stream=True, follow_redirects=False)
    except httpx.TimeoutException:
        raise TimeoutError from None
    except httpx.TransportError as err:
        raise _transport_error(provider, shown, request.url.host, err) from err
    try:
        if response.is_redirect and "location" in response.headers:
            try:
                return request.url.join(response.headers["location"])
            except httpx.InvalidURL as err:
                reason = f"redirect to an unreadable location: {_describe(err)}"
                raise ProviderResponseError(provider, shown, reason) from None
        if response.status_code == 304:  # not modified: the caller has the body already
            return Fetched(shown, 304, response.headers, b"")
        if refusal is not None and 400 <= response.status_code < 500:
            own = refusal(response.status_code, await _refusal_words(response), shown)
            if own is not None:
                raise own
        _check_status(provider, shown, response)
        declared = response.headers.get("content-length", "").strip()
        if declared and not re.fullmatch(r"[0-9]{1,20}", declared):
            reason = f"malformed Content-Length {declared[:40]!r}"
            raise ProviderResponseError(provider, shown, reason)
        if declared and int(declared) > max_bytes:
            raise _too_large(provider, shown, max_bytes)
        try:
            decoder = Decoder(response.headers.get("content-encoding", ""), max_bytes)
        except CodingError as err:
            raise ProviderResponseError(provider, shown, str(err)) from None
        chunks: list[bytes] = []
        try:
            if response.is_stream_consumed:  # built in memory (a mock transport): decoded
                chunks.extend(Decoder("", max_bytes).feed(response.content))
            else:
                async for raw in response.aiter_raw():
                    chunks.extend(decoder.feed(raw))
                chunks.extend(decoder.finish())
        except TooLarge:
            raise _too_large(provider, shown, max_bytes) from None
        except CodingError as err:
            raise ProviderResponseError(provider, shown, str(err)) from None
        except httpx.TimeoutException:
            raise TimeoutError from None
        except httpx.TransportError as err:
            error = _transport_error(provider, shown, request.url.host, err, midway=True)
            raise error from err
    finally:
        await response.aclose()
    return Fetched(shown, response.status_code, response.headers, b"".join(chunks))


def _transport_error(
    provider: str, url: str, host: str, err: httpx.TransportError, midway: bool = False
) -> ProviderUnavailable | ProviderResponseError:
    """A transport failure: transient (worth a retry) unless the server broke the protocol
    (an oversized header, a malformed length, a scheme we cannot speak), which a retry
    would only repeat. A server that closes a kept-alive connection is transient. The
    reason says what happened in words (:mod:`providers.network`)."""
    text = _describe(err)
    if isinstance(err, httpx.UnsupportedProtocol):
        return ProviderResponseError(provider, url, f"unsupported protocol: {text}")
    if isinstance(err, httpx.ProtocolError) and "disconnected" not in text.lower():
        return ProviderResponseError(provider, url, f"the server broke HTTP: {text}")
    words = network_words(err, host)
    return ProviderUnavailable(provider, url, f"{words} mid-response" if midway else words)


async def _refusal_words(response: httpx.Response) -> str:
    """The start of a refusal's body as text (at most :data:`REFUSAL_BYTES`), decoded as
    UTF-8 with errors replaced and control characters blanked; what could be read of it
    when it does not decode or the connection drops (best effort: the status still
    speaks). Never logged."""
    got = bytearray()
    try:
        if response.is_stream_consumed:  # built in memory (a mock transport): decoded
            got += response.content[:REFUSAL_BYTES]
        else:
            coding = response.headers.get("content-encoding", "")
            decoder = Decoder(coding, REFUSAL_BYTES, head=True)
            async for raw in response.aiter_raw():
                for part in decoder.feed(raw):
                    got += part
                if decoder.size >= REFUSAL_BYTES:
                    break
    except (CodingError, httpx.TransportError):
        pass
    text = bytes(got[:REFUSAL_BYTES]).decode("utf-8", errors="replace")
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def _check_status(provider: str, url: str, response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    reason = f"HTTP {status} {response.reason_phrase}".rstrip()
    if status in (429, 503):
        retry_after = retry_after_seconds(response.headers.get("retry-after"))
        if retry_after is not None:
            reason += f" (retry after {retry_after:g}s)"
        raise ProviderUnavailable(provider, url, reason, retry_after)
    if 500 <= status < 600:
        raise ProviderUnavailable(provider, url, reason)
    if status in (401, 403):
        raise ProviderAuthError(provider, url, reason)
    if not 100 <= status < 600:
        reason = f"HTTP {status} (not a standard status)"
    raise ProviderResponseError(provider, url, reason)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from now, at most
    :data:`RETRY_AFTER_CAP`; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,12}", value):
        return min(float(value), RETRY_AFTER_CAP)
    if len(value) > 64:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _too_large(provider: str, url: str, max_bytes: int) -> ProviderResponseError:
    return ProviderResponseError(
        provider, url, f"response larger than {max_bytes // (1024 * 1024)} MB; refused"
    )


def _describe(err: Exception) -> str:
    text = " ".join(str(err).split())
    return text or type(err).__name__
