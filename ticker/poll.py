"""Poll every chosen provider once, concurrently, on one client, and store the results."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from providers.base import Provider, ProviderError
from ticker.config import SanitySettings
from ticker.ingest import IngestResult, ingest
from ticker.storage.repository import Repository


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """One provider's poll: what was stored, or why it failed."""

    provider: str
    result: IngestResult | None
    error: ProviderError | None

    @property
    def ok(self) -> bool:
        return self.error is None


async def poll_provider(
    provider: Provider, client: httpx.AsyncClient, repo: Repository, sanity: SanitySettings
) -> PollOutcome:
    try:
        batch = await provider.fetch(client)
    except ProviderError as err:
        return PollOutcome(provider.NAME, None, err)
    except Exception as err:  # a provider bug must not take the other providers down
        reason = f"internal error: {type(err).__name__}: {err}"
        return PollOutcome(
            provider.NAME, None, ProviderError(provider.NAME, provider.base_url, reason)
        )
    result = await asyncio.to_thread(ingest, repo, batch, sanity)
    return PollOutcome(provider.NAME, result, None)


async def poll_all(
    providers: Sequence[Provider],
    client: httpx.AsyncClient,
    repo: Repository,
    sanity: SanitySettings,
) -> list[PollOutcome]:
    """Every provider at once; one failing never stops the others."""
    return list(await asyncio.gather(*(poll_provider(p, client, repo, sanity) for p in providers)))
