"""The one HTTP client the program shares: keep-alive, TLS verification, our User-Agent.

Imported only by commands that go to the network (httpx is not on the start-up path).
"""

from __future__ import annotations

import httpx

from ticker import __version__

USER_AGENT = f"ticker/{__version__} (terminal currency ticker for Central Asia; httpx)"


def make_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """A client for every provider; each request sets its own timeout."""
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,  # providers.http follows them, never https -> http
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        transport=transport,
        verify=True,
    )
