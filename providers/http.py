"""One GET, safely: size-capped, and every failure mapped to the provider error tree.

timeout, connection error, HTTP 5xx, HTTP 429   -> ProviderUnavailable (429 keeps Retry-After)
HTTP 401, 403                                   -> ProviderAuthError
any other non-2xx, a body over the size cap     -> ProviderResponseError
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from providers.base import (
    ProviderAuthError,
    ProviderResponseError,
    ProviderUnavailable,
)

#: Responses larger than this are refused (the largest real feed is under 100 kB).
MAX_BYTES = 5 * 1024 * 1024

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
) -> Fetched:
    """GET ``url``; return the whole body, or raise a named provider error.

    ``request_timeout`` bounds the whole exchange, body included (a server trickling one
    byte at a time cannot hold it open). Redirects are followed (at most
    ``max_redirects``), but never from https down to http.
    """
    request = client.build_request(
        "GET", url, params=params, headers=headers, timeout=httpx.Timeout(request_timeout)
    )
    shown = str(request.url)
    try:
        async with asyncio.timeout(request_timeout):
            for _hop in range(max_redirects + 1):
                fetched = await _exchange(client, provider, request, shown, max_bytes)
                if isinstance(fetched, Fetched):
                    return fetched
                target = fetched
                if request.url.scheme == "https" and target.scheme != "https":
                    reason = f"refused a redirect from https to {target}"
                    raise ProviderResponseError(provider, shown, reason)
                request = client.build_request(
                    "GET", target, headers=headers, timeout=httpx.Timeout(request_timeout)
                )
            raise ProviderResponseError(provider, shown, f"more than {max_redirects} redirects")
    except TimeoutError:
        raise ProviderUnavailable(
            provider, shown, f"timed out after {request_timeout:g}s"
        ) from None


async def _exchange(
    client: httpx.AsyncClient,
    provider: str,
    request: httpx.Request,
    shown: str,
    max_bytes: int,
) -> Fetched | httpx.URL:
    """One request: the response body, or where a redirect points."""
    try:
        response = await client.send(request, stream=True, follow_redirects=False)
    except httpx.TimeoutException:
        raise TimeoutError from None
    except httpx.TransportError as err:
        raise ProviderUnavailable(provider, shown, f"connection failed: {_describe(err)}") from err
    try:
        if response.is_redirect and "location" in response.headers:
            return request.url.join(response.headers["location"])
        if response.status_code == 304:  # not modified: the caller has the body already
            return Fetched(shown, 304, response.headers, b"")
        _check_status(provider, shown, response)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise _too_large(provider, shown, max_bytes)
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(provider, shown, max_bytes)
                chunks.append(chunk)
        except httpx.TimeoutException:
            raise TimeoutError from None
        except httpx.TransportError as err:
            reason = f"connection broke mid-response: {_describe(err)}"
            raise ProviderUnavailable(provider, shown, reason) from err
    finally:
        await response.aclose()
    return Fetched(shown, response.status_code, response.headers, b"".join(chunks))


def _check_status(provider: str, url: str, response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    reason = f"HTTP {status} {response.reason_phrase}".rstrip()
    if status == 429:
        retry_after = retry_after_seconds(response.headers.get("retry-after"))
        if retry_after is not None:
            reason += f" (retry after {retry_after:g}s)"
        raise ProviderUnavailable(provider, url, reason, retry_after)
    if status >= 500:
        raise ProviderUnavailable(provider, url, reason)
    if status in (401, 403):
        raise ProviderAuthError(provider, url, reason)
    raise ProviderResponseError(provider, url, reason)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def _too_large(provider: str, url: str, max_bytes: int) -> ProviderResponseError:
    return ProviderResponseError(
        provider, url, f"response larger than {max_bytes // (1024 * 1024)} MB; refused"
    )


def _describe(err: Exception) -> str:
    text = " ".join(str(err).split())
    return text or type(err).__name__
