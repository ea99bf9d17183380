"""Network failures in words: ``cannot resolve nbkr.kg (no network?)``, not
``[Errno -2] Name or service not known``.

httpx raises one ``ConnectError`` for a name that does not resolve, a refused port and a
failed TLS handshake alike, with the operating system's text (``All connection attempts
failed`` for a refused port); the cause is further down the exception chain
(``socket.gaierror``, ``ConnectionRefusedError``, ``ssl.SSLCertVerificationError``). This
module reads the chain, and the text when there is no chain (a test transport, another
backend), and says what happened, naming the host.
"""

from __future__ import annotations

import errno
import re
import socket
import ssl

#: How deep the exception chain is read (httpx -> httpcore -> anyio -> the OS error).
CHAIN_DEPTH = 8

_RESOLVE = re.compile(
    r"name or service not known|nodename nor servname|temporary failure in name resolution|"
    r"no address associated with hostname|getaddrinfo failed|name resolution|errno -[235]\b|"
    r"errno 1100[14]\b",
    re.IGNORECASE,
)
_REFUSED = re.compile(r"connection refused|errno 111\b|errno 61\b|errno 10061\b", re.I)
_UNREACHABLE = re.compile(r"network (is )?unreachable|errno 101\b|errno 51\b", re.I)
_NO_ROUTE = re.compile(r"no route to host|host is unreachable|errno 113\b|errno 65\b", re.I)
_RESET = re.compile(r"connection reset|errno 104\b|errno 54\b", re.I)
_CERTIFICATE = re.compile(r"certificate_verify_failed|certificate verify failed", re.I)
_TLS = re.compile(r"\bssl\b|\btls\b|wrong_version_number|handshake", re.I)
_DISCONNECTED = re.compile(r"server disconnected|connection closed|peer closed", re.I)


def _chain(err: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and len(found) < CHAIN_DEPTH and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _text(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def _errno_is(err: BaseException, *codes: int) -> bool:
    return isinstance(err, OSError) and err.errno in codes


def network_words(err: BaseException, host: str) -> str:
    """What a transport failure reaching ``host`` was, in words."""
    chain = _chain(err)
    texts = " | ".join(_text(e) for e in chain)
    for e in chain:
        if isinstance(e, ssl.SSLCertVerificationError):
            why = e.verify_message or "not trusted"
            return f"the TLS certificate of {host} was refused ({why})"
    if any(isinstance(e, socket.gaierror) for e in chain) or _RESOLVE.search(texts):
        return f"cannot resolve {host} (no network?)"
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or _REFUSED.search(texts):
        return f"connection refused by {host}"
    if any(_errno_is(e, errno.ENETUNREACH) for e in chain) or _UNREACHABLE.search(texts):
        return f"network unreachable reaching {host} (no network?)"
    if any(_errno_is(e, errno.EHOSTUNREACH) for e in chain) or _NO_ROUTE.search(texts):
        return f"no route to {host}"
    if _CERTIFICATE.search(texts):
        return f"the TLS certificate of {host} was refused"
    for e in chain:
        if isinstance(e, ssl.SSLError):
            return f"TLS handshake with {host} failed ({e.reason or _text(e)})"
    if any(isinstance(e, ConnectionResetError) for e in chain) or _RESET.search(texts):
        return f"connection reset by {host}"
    if _TLS.search(texts):
        return f"TLS handshake with {host} failed ({_text(err)})"
    if _DISCONNECTED.search(texts):
        return f"{host} closed the connection without an answer"
    return f"cannot reach {host}: {_text(err)}"


def timeout_words(seconds: float, host: str) -> str:
    """``timed out after 10 s reaching nbkr.kg``."""
    return f"timed out after {seconds:g} s reaching {host}"
