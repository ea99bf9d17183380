"""The collector against a real local server that misbehaves in every way, per provider."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from pathlib import Path

from tests.helpers.e2e import cbt_route, e2e_clock
from tests.helpers.feedserver import HANG, RESET, SLOW_BODY, FeedServer, Reply
from ticker.config import RATE_PROVIDERS, Settings
from ticker.core.collector import Collector
from ticker.core.net import make_client
from ticker.core.registry import build_providers
from ticker.model.health import OK, UNSTABLE
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

# Round by round, what each misbehaving provider does (the others always answer well).
SCRIPT: dict[str, list[int]] = {
    "nbkr": [HANG, 200, 200],  # a timeout, then fine
    "nbk": [500, 500, 200],  # server errors, then fine
    "nbt": [429, 200, 200],  # rate limited (Retry-After: 1) on its first request only
    "cbu": [SLOW_BODY, SLOW_BODY, SLOW_BODY],  # a slow body is still a body
    "cbt": [RESET, 200, RESET],  # connection resets
    "cbr": [999, 200, 200],  # garbage with status 200
}


def test_the_collector_keeps_going_and_its_health_tells_the_truth(tmp_path: Path) -> None:
    rounds = {"n": 0}
    nbt_requests = {"n": 0}

    def route(provider: str, path: str, query: dict[str, str]) -> Reply:
        plan = SCRIPT.get(provider)
        action = plan[rounds["n"]] if plan else 200
        if provider == "nbt":
            nbt_requests["n"] += 1
            action = 429 if nbt_requests["n"] == 1 else 200
        if action == 429:
            return 429, b"slow down", {"Retry-After": "1"}
        if action == 999:
            return 200, b"<html><body>Please enable JavaScript</body></html>"
        if action in (500, HANG, RESET):
            return action, b"oops"
        status, body = cbt_route(provider, path, query)
        return (SLOW_BODY if action == SLOW_BODY else status), body

    server = FeedServer(route)
    with server.running():
        base = Settings()
        providers_conf = {
            name: dataclasses.replace(
                base.providers[name], base_url=server.base_url(name), timeout=timedelta(seconds=1)
            )
            for name in RATE_PROVIDERS
        }
        settings = dataclasses.replace(
            base,
            providers={**base.providers, **providers_conf},
            collector=dataclasses.replace(base.collector, retries=2, failing_after=3),
        )
        database = open_database(f"sqlite:///{tmp_path / 't.db'}")
        repo = Repository(database)

        async def run_round(collector: Collector) -> dict[str, str]:
            await collector.poll_all()
            return {name: h.state for name, h in repo.load_health().items()}

        async def main() -> list[dict[str, str]]:
            async with make_client() as client:
                providers = build_providers(settings, now=e2e_clock)
                collector = Collector(settings, repo, providers, client, now=e2e_clock)
                states = []
                for n in range(3):
                    rounds["n"] = n
                    states.append(await run_round(collector))
                    # The stored health is exactly the collector's own view.
                    assert repo.load_health() == collector.health
                return states

        states = asyncio.run(main())
        counts = repo.count_observations()
        health = repo.load_health()
        database.dispose()

    first, second, third = states
    # nbt was told to come back in 1 s, was asked again within the same round, and is ok.
    nbt_seen = server.requests_of("nbt")
    assert len(nbt_seen) >= 2 and nbt_seen[1].started - nbt_seen[0].finished >= 0.9
    bad_first = {"nbkr", "nbk", "cbt", "cbr"}
    assert {n for n, s in first.items() if s == UNSTABLE} == bad_first
    assert {n for n, s in first.items() if s == OK} == set(RATE_PROVIDERS) - bad_first
    assert {n for n, s in second.items() if s == UNSTABLE} == {"nbk"}
    assert {n for n, s in third.items() if s == UNSTABLE} == {"cbt"}
    assert health["cbt"].consecutive_failures == 1
    assert "connection" in (health["cbt"].last_error or "")
    assert health["nbk"].consecutive_failures == 0 and health["nbk"].state == OK
    assert "timed out after 1 s reaching 127.0.0.1" in (first and repo_errors(tmp_path)["nbkr"])
    assert counts > 0


def repo_errors(tmp_path: Path) -> dict[str, str]:
    database = open_database(f"sqlite:///{tmp_path / 't.db'}")
    try:
        return {n: h.last_error or "" for n, h in Repository(database).load_health().items()}
    finally:
        database.dispose()
