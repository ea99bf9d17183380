"""Words for people: one line per provider poll."""

from __future__ import annotations

from typing import NamedTuple

from providers.base import StaleSource
from ticker.config import DisplaySettings
from ticker.core.collector import PollOutcome
from ticker.core.ingest import IngestResult, refused_whole
from ticker.display.quarantine import held_line
from ticker.i18n.words import _, ngettext

NAME_WIDTH = 12


def poll_line(outcome: PollOutcome, display: DisplaySettings | None = None) -> str:
    """``nbk          ok      4 rates as of 2026-04-01 (4 new)`` or the failure reason;
    a quarantined value is said in ``display``'s orientation and digits."""
    display = display or DisplaySettings()
    name = f"{outcome.provider:<{NAME_WIDTH}}"
    if outcome.error is not None:
        # A source that answers with nothing recent enough is stale, not broken.
        said = (
            _("{name} stale   {reason} ({url})")
            if isinstance(outcome.error, StaleSource)
            else _("{name} failed  {reason} ({url})")
        )
        reason = outcome.error.reason.removeprefix("stale: ")
        return said.format(name=name, reason=reason, url=outcome.error.url)
    result = outcome.result
    assert result is not None
    if result.indicator_values:
        return _("{name} ok      {parts}").format(
            name=name, parts="; ".join(indicator_parts(result))
        )
    parts = []
    if outcome.quotes:  # a market source's board
        parts.append(ngettext("{n} quote", "{n} quotes", outcome.quotes).format(n=outcome.quotes))
    if result.received or not outcome.quotes:
        if result.latest is not None:
            said = ngettext(
                "{n} rate as of {day} ({stored} new)",
                "{n} rates as of {day} ({stored} new)",
                result.received,
            )
        else:
            said = ngettext("{n} rate ({stored} new)", "{n} rates ({stored} new)", result.received)
        parts.append(said.format(n=result.received, day=result.latest, stored=result.stored))
    for held in result.quarantined:
        o = held.observation
        line = held_line(held, display.pair(o.quote), display.significant_digits)
        parts.append(_("quarantined {line} (fixing of {day})").format(line=line, day=o.as_of))
    if result.quotes_quarantined:  # a board's prices far from the official rate: held
        parts.append(held_quotes_text(result))
    for rejected in result.rejected:
        parts.append(
            _("rejected {pair}: {reason}").format(pair=rejected.pair, reason=rejected.reason)
        )
    return _("{name} ok      {parts}").format(name=name, parts="; ".join(parts))


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
    return ngettext(
        "held {n} quote as implausible ({reasons})", "held {n} quotes as implausible ({reasons})", n
    ).format(n=n, reasons=words)


#: The rejected rows of an indicators source said in full on its poll line (then counted).
ROWS_SAID = 3


def indicator_parts(result: IngestResult) -> list[str]:
    """``390 indicator values (12 new, 2 revised)``, then each indicator refused, then the
    rows rejected with their reasons (``rejected policy-rate 2026-10-19 15.75: decision
    dated 2026-10-19, more than 7 days after today ...``; the first few, then counted)."""
    parts = [
        ngettext(
            "{n} indicator value ({added} new, {revised} revised)",
            "{n} indicator values ({added} new, {revised} revised)",
            result.indicator_values,
        ).format(
            n=result.indicator_values,
            added=result.indicators_added,
            revised=result.indicators_revised,
        )
    ]
    refused = [_Refused(r.pair, r.reason) for r in result.rejected if refused_whole(r)]
    if refused:
        from ticker.display.refusals import refusal_texts

        # Refused for one reason, said once: ``refused 7 indicators (error 175, ...): A, B``.
        parts.append(refusal_texts(refused)[0])
    rows = [r for r in result.rejected if not refused_whole(r)]
    for row in rows[:ROWS_SAID]:
        value = f" {row.value}" if row.value not in ("", "None") else ""
        parts.append(
            _("rejected {pair}{value}: {reason}").format(
                pair=row.pair, value=value, reason=row.reason
            )
        )
    if len(rows) > ROWS_SAID:
        more = len(rows) - ROWS_SAID
        parts.append(
            ngettext("{n} more row rejected", "{n} more rows rejected", more).format(n=more)
        )
    return parts


class _Refused(NamedTuple):
    indicator: str
    reason: str
