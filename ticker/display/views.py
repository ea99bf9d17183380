"""Text and JSON renderings of rates and provider health, for the command line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ticker.display.format import format_percent, format_rate, format_rate_change, json_decimal
from ticker.display.names import bank_word, derived_text, period_tag
from ticker.display.states import health_word, state_json, state_text
from ticker.i18n.choice import machine_words
from ticker.i18n.dates import day_month
from ticker.i18n.words import _
from ticker.model.health import OK, UNKNOWN, ProviderHealth

if TYPE_CHECKING:
    from providers.provenance import Derivation
    from ticker.model.records import IndicatorRefusal
    from ticker.model.routing import PairView


def utc_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def rates_json(views: Sequence[PairView]) -> str:
    """An array of objects; rates and changes as exact decimal strings (see
    :func:`exact_json`). The change is over ``change_period`` (``1d``: against the previous
    fixing), from the same source's fixing dated ``change_from``, whose rate is
    ``change_from_rate``."""
    records = [
        {
            "pair": str(v.pair),
            "base": v.pair.base,
            "quote": v.pair.quote,
            "rate": v.rate,
            "change": v.change,
            "change_pct": v.change_pct,
            "change_period": v.change_period.value,
            "change_from": v.change_from.isoformat() if v.change_from else None,
            "change_from_rate": v.change_from_rate,
            "as_of": v.as_of.isoformat(),
            "provider": v.provider,
            "derived": v.derived,
            "fetched_at": utc_text(v.fetched_at),
            "stale": v.freshness.stale,
            "state": state_json(v),
            "divergent": v.divergent,
            "divergence_pct": v.divergence_pct,
            "precision_pct": v.precision_pct,
            "fallback_for": v.fallback_for,
            "independent": v.derived_from is None,
            "derived_from": v.derived_from.origin if v.derived_from else None,
            "provenance": via_text(v, english=True)
            if v.is_cross
            else provenance_text(v.derived, v.derived_from, english=True),
            "cross": v.is_cross,
            "via": [
                {
                    "provider": leg.provider,
                    "pair": str(leg.pair),
                    "as_of": leg.as_of.isoformat(),
                    "rate": leg.rate,
                }
                for leg in v.cross_of
            ]
            if v.is_cross
            else None,
        }  # fmt: skip
        for v in views
    ]
    return exact_json(records)


def via_text(view: PairView, english: bool = False) -> str:
    """What a cross was made from: ``via USD: NBK 04 Dec, NBKR 05 Dec`` (the stored rates,
    oldest first); ``english``: the English words and months whatever the language (JSON)."""
    if english:
        with machine_words():
            return via_text(view)
    legs = ", ".join(
        f"{bank_word(leg.provider.upper())} {day_month(leg.as_of)}" for leg in view.cross_of
    )
    return _("via USD: {legs}").format(legs=legs)


def provenance_text(cross: bool, derived_from: Derivation | None, english: bool = False) -> str:
    """Where a value comes from, for people: ``derived from NBKR via RUB`` (another
    source's number), ``cross`` (the source's own quotes of two currencies against its
    own), ``direct`` (its own quote of the pair); ``english``: as JSON carries it."""
    if derived_from is not None:
        return derived_from.describe() if english else derived_text(derived_from)
    if english:
        return "cross" if cross else "direct"
    return _("cross") if cross else _("direct")


def json_ready(value: Any) -> Any:
    """``value`` with every Decimal turned into its exact, normalised text
    (:func:`~ticker.display.format.json_decimal`); a float is refused (it would lose
    digits, and JSON readers would turn a long decimal into one)."""
    if isinstance(value, Decimal):
        return json_decimal(value)
    if isinstance(value, float):
        raise TypeError(f"a float has no place in ticker's JSON: {value!r}")
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def exact_json(value: Any) -> str:
    """The one JSON form of every ``--json`` output: each number that is a Decimal (a
    rate, a change, a percentage, an amount, a threshold, an indicator value) is a JSON
    string holding its exact value, normalised (``"0.000055142857142857"``, ``"14.24"``,
    ``"0"``: no trailing zeros); counts and ids are JSON integers; there is never a float
    and never an exponent."""
    import json  # here: the text forms (a status bar's) never load it

    return json.dumps(json_ready(value), ensure_ascii=False, indent=2)


def rates_table(views: Sequence[PairView], significant: int) -> str:
    """The rates as a text table; the change columns say their period when it is not
    the default (``Change 1M``, ``Chg% 1M``)."""
    tag = period_tag(views[0].change_period) if views else ""
    change, percent = (
        (_("Change {period}").format(period=tag), _("Chg% {period}").format(period=tag))
        if tag
        else (_("Change"), _("Chg%"))
    )
    rows = [(_("Pair"), _("Rate"), change, percent, _("As of"), _("Source"), _("State"))]
    for v in views:
        source = v.provider + (_(" (cross)") if v.derived else "")
        if v.is_cross:
            source = via_text(v)
        elif v.derived_from is not None:
            source = f"{v.provider} ({derived_text(v.derived_from)})"
        rows.append(
            (
                str(v.pair),
                format_rate(v.rate, significant),
                format_rate_change(v.change, v.rate, significant, v.change_from_rate)
                if v.change is not None
                else _("n/a"),
                format_percent(v.change_pct) if v.change_pct is not None else _("n/a"),
                v.as_of.isoformat(),
                source,
                state_text(v),
            )
        )
    return text_table(rows, right={1, 2, 3})


def age_words(seconds: int) -> str:
    """An age without its direction: ``40s``, ``3m``, ``2h05m``, ``2d`` (Russian ``40 с``,
    ``3 мин``, ``2 ч 05 мин``, ``2 д``). Under a minute, in steps of ten seconds."""
    if seconds < 60:
        return _("{n}s").format(n=seconds // 10 * 10)
    if seconds < 3600:
        return _("{n}m").format(n=seconds // 60)
    if seconds < 86400:
        return _("{hours}h{minutes}m").format(
            hours=seconds // 3600, minutes=f"{(seconds % 3600) // 60:02d}"
        )
    return _("{n}d").format(n=seconds // 86400)


def relative(when: datetime | None, now: datetime, suffix: bool = True) -> str:
    """``3m ago``, ``in 27m``, ``2d ago`` (``3m`` without the suffix); ``never`` for None.
    Under a minute, ages go in steps of ten seconds (``0s``, ``10s``, ... ``50s``). A time
    within a second after ``now`` is ``0s ago`` (a poll stored microseconds after a frozen
    clock's instant), never ``in 0s``."""
    if when is None:
        return _("never")
    delta = now - when
    future = delta < -timedelta(seconds=1)
    text = age_words(abs(int(delta.total_seconds())))
    if not suffix:
        return text
    return _("in {age}").format(age=text) if future else _("{age} ago").format(age=text)


def _refused_by(refusals: Sequence[IndicatorRefusal], name: str) -> list[IndicatorRefusal]:
    return [r for r in refusals if r.source == name]


def providers_table(
    names: Sequence[str],
    health: Mapping[str, ProviderHealth],
    enabled: set[str],
    now: datetime,
    refusals: Sequence[IndicatorRefusal] = (),
    width: int | None = None,
    verbose: bool = False,
) -> str:
    """One row per provider; the last error when its last poll failed, and the indicators
    it refused when last asked: summed up by reason, shortened so that each row fits
    ``width`` columns where it can (:mod:`ticker.display.refusals`), or with ``verbose``
    each one with the source's words (``refused FI.RES.GOLD.CD: archived or deleted ...``)."""
    from ticker.display.refusals import fitted, refusal_texts

    rows = [
        (
            _("Provider"),
            _("State"),
            _("Last success"),
            _("Last attempt"),
            _("Failures"),
            _("Next run"),
            _("Last error"),
        )
    ]
    said: list[list[str]] = []  # per provider: what its last column may say, longest first
    for name in names:
        h = health.get(name, ProviderHealth(name))
        # A source turned off says so in the state, briefly (an opt-in board is off by
        # default: the table keeps its width for the errors).
        standing = health_word(h.state)
        state = (
            standing
            if name in enabled
            else _("off")
            if h.state == UNKNOWN
            else _("{state}, off").format(state=standing)
        )
        error = f"{h.last_error}; " if h.state != OK and h.last_error else ""
        texts = refusal_texts(_refused_by(refusals, name), verbose)
        said.append([error + text for text in texts] or [error.removesuffix("; ") or "-"])
        rows.append(
            (
                name,
                state,
                relative(h.last_success, now),
                relative(h.last_attempt, now),
                str(h.consecutive_failures),
                relative(h.next_run, now) if h.next_run else "-",  # a dash, no word
                "",
            )
        )
    before = sum(max(len(r[i]) for r in rows) + 2 for i in range(len(rows[0]) - 1))
    room = None if width is None else width - before
    rows[1:] = [(*row[:-1], fitted(texts, room)) for row, texts in zip(rows[1:], said, strict=True)]
    return text_table(rows, right={4})


def providers_json(
    names: Sequence[str],
    health: Mapping[str, ProviderHealth],
    enabled: set[str],
    refusals: Sequence[IndicatorRefusal] = (),
) -> str:
    def when(value: datetime | None) -> str | None:
        return utc_text(value) if value is not None else None

    records = []
    for name in names:
        h = health.get(name, ProviderHealth(name))
        records.append(
            {
                "provider": name,
                "enabled": name in enabled,
                "state": h.state,
                "last_attempt": when(h.last_attempt),
                "last_success": when(h.last_success),
                "last_error": h.last_error,
                "consecutive_failures": h.consecutive_failures,
                "next_run": when(h.next_run),
                "refused": [
                    {"indicator": r.indicator, "reason": r.reason, "refused_at": when(r.refused_at)}
                    for r in _refused_by(refusals, name)
                ],
            }
        )
    return exact_json(records)


def text_table(rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
