"""Content codings, decoded with a bounded output.

A compressed body is decoded as it arrives, and never to more than the size cap: a
1.8 kB answer that would inflate to a gigabyte is refused after the cap's worth of
output, with at most the cap in memory. Only one coding is accepted (``gzip, gzip`` is
refused), and only the ones we ask for.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

#: What we tell servers we accept (httpx would add br/zstd when their modules exist).
ACCEPT_ENCODING = "gzip, deflate"

_GZIP = 16 + zlib.MAX_WBITS
_ZLIB = zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS


class CodingError(ValueError):
    """A content coding we refuse, or a body that does not decode; the message says which."""


class TooLarge(ValueError):
    """The decoded body passed the cap."""


class Decoder:
    """Decodes one response body incrementally, at most ``limit`` bytes of output; with
    ``head``, the body's first ``limit`` bytes, the rest quietly left undecoded (the start
    of a refusal, see ``providers.http``)."""

    def __init__(self, content_encoding: str, limit: int, head: bool = False) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise CodingError(f"more than one content coding ({', '.join(codings)}); refused")
        self.coding = codings[0] if codings else ""
        if self.coding not in ("", "gzip", "x-gzip", "deflate"):
            raise CodingError(f"unsupported content coding {self.coding[:40]!r}; refused")
        self.limit = limit
        self.head = head
        self.size = 0
        self._zlib: zlib._Decompress | None = None
        if self.coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(_GZIP)
        elif self.coding == "deflate":
            self._zlib = zlib.decompressobj(_ZLIB)
        self._first = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes of one raw chunk; raises :class:`TooLarge` past the cap."""
        if self._zlib is None:
            yield self._count(data)
            return
        pending = data
        while pending:
            if self.head and self.size >= self.limit:
                return
            room = self.limit - self.size + 1  # one byte past the cap proves it is too large
            try:
                out = self._zlib.decompress(pending, room)
            except zlib.error as err:
                if self._first and self.coding == "deflate":  # servers that send raw deflate
                    self._zlib = zlib.decompressobj(_RAW_DEFLATE)
                    self._first = False
                    continue
                raise CodingError(f"body does not decode as {self.coding}: {err}") from None
            self._first = False
            if out:
                yield self._count(out)
            pending = self._zlib.unconsumed_tail
            if self._zlib.eof:
                return  # anything after the end of the stream is ignored, as zlib does

    def finish(self) -> Iterator[bytes]:
        if self._zlib is not None:
            out = self._zlib.flush()
            if out:
                yield self._count(out)

    def _count(self, out: bytes) -> bytes:
        if self.head:
            out = out[: self.limit - self.size]
        self.size += len(out)
        if self.size > self.limit:
            raise TooLarge(self.size)
        return out
