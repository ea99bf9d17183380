"""A receiver's malformed redirect is a failed delivery, said in words: never an uncaught
error (issue 33, item 9)."""

from __future__ import annotations

import logging

import pytest

from tests.core.test_webhook import deliver, firing
from tests.helpers.hookserver import HookServer, Step


@pytest.mark.parametrize(
    "location", ["http://127.0.0.1:99999/x", "http://127.0.0.1:port/x", "http://[::1/x"]
)
def test_a_malformed_redirect_is_a_failed_delivery(
    location: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ticker.alerts"):
        with HookServer(Step(307, headers={"Location": location})).running() as server:
            waits = deliver(server, firing(server.url))
    assert len(server.posted) == 1 and waits == []
    (said,) = [r.getMessage() for r in caplog.records if "webhook" in r.getMessage()]
    assert said.startswith("alert #7: webhook to http://127.0.0.1:")
    assert said.endswith("failed: a redirect to a malformed address: not followed")
    assert "Traceback" not in caplog.text and "ERROR" not in caplog.text
