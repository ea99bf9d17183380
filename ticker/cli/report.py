"""Words for people: one line per provider poll."""

from __future__ import annotations

from typing import NamedTuple

from providers.base import StaleSource
from ticker.config import DisplaySettings
from ticker.core.collector import PollOutcome
from ticker.core.ingest import IngestResult
from ticker.display.quarantine import held_line

NAME_WIDTH = 12


def poll_line(outcome: PollOutcome, display: DisplaySettings | None = None) -> str:
    """``nbk          ok      4 rates as of 2026-04-01 (4 new)`` or the failure reason;
    a quarantined value is said in ``display``'s orientation and digits."""
    display = display or DisplaySettings()
    name = f"{outcome.provider:<{NAME_WIDTH}}"
    if outcome.error is not None:
        # A source that answers with nothing recent enough is stale, not broken.
        word = "stale " if isinstance(outcome.error, StaleSource) else "failed"
        reason = outcome.error.reason.removeprefix("stale: ")
        return f"{name} {word}  {reason} ({outcome.error.url})"
    result = outcome.result
    assert result is not None
    if result.indicator_values:
        return f"{name} ok      " + "; ".join(indicator_parts(result))
    parts = []
    if outcome.quotes:  # a market source's board
        parts.append(f"{outcome.quotes} quote{'s' if outcome.quotes != 1 else ''}")
    if result.received or not outcome.quotes:
        parts.append(f"{result.received} rates")
        if result.latest is not None:
            parts[-1] += f" as of {result.latest}"
        parts[-1] += f" ({result.stored} new)"
    for held in result.quarantined:
        o = held.observation
        line = held_line(held, display.pair(o.quote), display.significant_digits)
        parts.append(f"quarantined {line} (fixing of {o.as_of})")
    for rejected in result.rejected:
        parts.append(f"rejected {rejected.pair}: {rejected.reason}")
    return f"{name} ok      " + "; ".join(parts)


def indicator_parts(result: IngestResult) -> list[str]:
    """``390 indicator values (12 new, 2 revised)``, then each indicator refused."""
    parts = [
        f"{result.indicator_values} indicator values ({result.indicators_added} new, "
        f"{result.indicators_revised} revised)"
    ]
    if result.rejected:
        from ticker.display.refusals import refusal_texts

        # Refused for one reason, said once: ``refused 7 indicators (error 175, ...): A, B``.
        refused = [_Refused(r.pair, r.reason) for r in result.rejected]
        parts.append(refusal_texts(refused)[0])
    return parts


class _Refused(NamedTuple):
    indicator: str
    reason: str
