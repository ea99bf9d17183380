"""Words for people: one line per provider poll."""

from __future__ import annotations

from typing import NamedTuple

from providers.base import StaleSource
from ticker.config import DisplaySettings
from ticker.core.collector import PollOutcome
from ticker.core.ingest import IngestResult, refused_whole
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
    if result.quotes_quarantined:  # a board's prices far from the official rate: held
        parts.append(held_quotes_text(result))
    for rejected in result.rejected:
        parts.append(f"rejected {rejected.pair}: {rejected.reason}")
    return f"{name} ok      " + "; ".join(parts)


def held_quotes_text(result: IngestResult) -> str:
    """``held 120 quotes as implausible (more than 10% from NBT's official rate): USD/TJS``:
    the held prices of a board counted by reason, with their pairs."""
    from providers.catalogue import CENTRAL_BANKS
    from ticker.display.market import held_quote_reason

    by_reason: dict[str, set[str]] = {}
    for q, reason in result.quotes_quarantined:
        why = held_quote_reason(reason, None, CENTRAL_BANKS.get(q.quote, ""))
        by_reason.setdefault(why, set()).add(q.pair)
    n = len(result.quotes_quarantined)
    words = "; ".join(f"{why}: {', '.join(sorted(pairs))}" for why, pairs in by_reason.items())
    return f"held {n} quote{'s' if n != 1 else ''} as implausible ({words})"


#: The rejected rows of an indicators source said in full on its poll line (then counted).
ROWS_SAID = 3


def indicator_parts(result: IngestResult) -> list[str]:
    """``390 indicator values (12 new, 2 revised)``, then each indicator refused, then the
    rows rejected with their reasons (``rejected policy-rate 2026-10-19 15.75: decision
    dated 2026-10-19, more than 7 days after today ...``; the first few, then counted)."""
    parts = [
        f"{result.indicator_values} indicator values ({result.indicators_added} new, "
        f"{result.indicators_revised} revised)"
    ]
    refused = [_Refused(r.pair, r.reason) for r in result.rejected if refused_whole(r)]
    if refused:
        from ticker.display.refusals import refusal_texts

        # Refused for one reason, said once: ``refused 7 indicators (error 175, ...): A, B``.
        parts.append(refusal_texts(refused)[0])
    rows = [r for r in result.rejected if not refused_whole(r)]
    for row in rows[:ROWS_SAID]:
        value = f" {row.value}" if row.value not in ("", "None") else ""
        parts.append(f"rejected {row.pair}{value}: {row.reason}")
    if len(rows) > ROWS_SAID:
        parts.append(f"{len(rows) - ROWS_SAID} more rows rejected")
    return parts


class _Refused(NamedTuple):
    indicator: str
    reason: str
