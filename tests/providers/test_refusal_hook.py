"""The shared HTTP layer's ``refusal`` hook (``providers.http.get``): a source words its
own 4xx answers from the start of their body; the others keep the shared errors."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator

import httpx
import pytest

from providers.base import ProviderAuthError, ProviderError, ProviderOptions, ProviderResponseError
from providers.http import REFUSAL_BYTES, get
from providers.nbt_banks import NBTBanks

URL = "https://example.test/rates"


class Trickle(httpx.AsyncByteStream):
    """A body sent in pieces, as a network would (not read in memory beforehand)."""

    def __init__(self, *pieces: bytes) -> None:
        self.pieces = pieces

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            yield piece


Shown = list[tuple[int, str, str]]


def fetch(response: httpx.Response) -> tuple[ProviderError, Shown]:
    """``get`` against one answer; its error and what the hook was shown."""
    shown: Shown = []

    def hook(status: int, said: str, url: str) -> ProviderError | None:
        shown.append((status, said, url))
        return ProviderAuthError("src", url, f"own words for {status}") if "mine" in said else None

    async def go() -> None:
        transport = httpx.MockTransport(lambda request: response)
        async with httpx.AsyncClient(transport=transport) as client:
            await get(client, "src", URL, refusal=hook)

    with pytest.raises(ProviderError) as caught:
        asyncio.run(go())
    return caught.value, shown


@pytest.mark.parametrize("status", [400, 401, 403, 404, 451])
def test_a_4xx_body_is_shown_to_the_hook_and_its_error_raised(status: int) -> None:
    err, shown = fetch(httpx.Response(status, stream=Trickle(b'{"m": "mi', b'ne"}')))
    assert str(err) == f"src: own words for {status} ({URL})"
    assert shown == [(status, '{"m": "mine"}', URL)]


def test_the_hook_declining_keeps_the_shared_error() -> None:
    err, shown = fetch(httpx.Response(403, content=b"no"))
    assert type(err) is ProviderAuthError and err.reason == "HTTP 403 Forbidden"
    assert shown == [(403, "no", URL)]
    err, _ = fetch(httpx.Response(404, content=b"no"))
    assert type(err) is ProviderResponseError and err.reason == "HTTP 404 Not Found"


@pytest.mark.parametrize("status", [500, 503, 302, 999])
def test_other_statuses_never_reach_the_hook(status: int) -> None:
    _err, shown = fetch(httpx.Response(status, content=b"mine"))
    assert shown == []


def test_only_the_start_is_read_decoded_and_control_characters_blanked() -> None:
    said = b"\x1b[2Jmine\x00 \xff" + b"x" * 100_000
    _err, shown = fetch(
        httpx.Response(
            403,
            stream=Trickle(gzip.compress(said)),
            headers={"content-encoding": "gzip"},
        )
    )
    [(_status, text, _url)] = shown
    assert len(text.encode()) <= REFUSAL_BYTES + 3
    assert text.startswith(" [2Jmine  \ufffdxxx")


def test_a_body_that_does_not_decode_is_shown_as_empty() -> None:
    bad = httpx.Response(403, stream=Trickle(b"not gzip"), headers={"content-encoding": "gzip"})
    err, shown = fetch(bad)
    assert shown == [(403, "", URL)] and err.reason == "HTTP 403 Forbidden"


def test_a_provider_that_does_not_word_refusals_keeps_the_shared_error() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(403, content=b"Monthly request limit exceeded")

    async def go() -> None:
        provider = NBTBanks("https://www.nbt.tj", options=ProviderOptions())
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            await provider.get(client, "/x")

    with pytest.raises(ProviderAuthError) as caught:
        asyncio.run(go())
    assert caught.value.reason == "HTTP 403 Forbidden" and len(seen) == 1
