"""Words for people: one line per provider poll."""

from __future__ import annotations

from ticker.collector import PollOutcome

NAME_WIDTH = 12


def poll_line(outcome: PollOutcome) -> str:
    """``nbk          ok      4 rates as of 2026-04-01 (4 new)`` or the failure reason."""
    name = f"{outcome.provider:<{NAME_WIDTH}}"
    if outcome.error is not None:
        return f"{name} failed  {outcome.error.reason} ({outcome.error.url})"
    result = outcome.result
    assert result is not None
    parts = [f"{result.received} rates"]
    if result.latest is not None:
        parts[0] += f" as of {result.latest}"
    parts[0] += f" ({result.stored} new)"
    for held in result.quarantined:
        o = held.observation
        parts.append(f"quarantined {o.base}/{o.quote} {o.rate} of {o.as_of}: {held.reason}")
    for rejected in result.rejected:
        parts.append(f"rejected {rejected.pair}: {rejected.reason}")
    return f"{name} ok      " + "; ".join(parts)
