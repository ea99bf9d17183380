"""The strip: every shown pair on one line, as the news sites' tickers show it, and the
forms a status bar wants (compact, a template of its own, colours for rises and falls).

Each pair is written by a template whose fields are :data:`FIELDS`; the pairs are joined
by a separator. A field left empty leaves no double space behind. Colours mark the change
only: green when the shown rate rose, red when it fell, none when it did not move or
nothing came before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from ticker.display.format import format_percent, format_rate
from ticker.display.names import bank_word, period_tag
from ticker.display.states import is_ok, state_text
from ticker.i18n.words import N_, _
from ticker.model.routing import PairView

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

#: The news sites' shape, with what theirs never says: the source (``×`` when it is a
#: cross of two quotes), the state when it is not ok, and the change's period when it is
#: not the default (``+1.20% 1M``).
DEFAULT_TEMPLATE = "{pair} = {rate} {change} {period} {source}{state_note}"
#: No source, no words: the local currency, its rate, its change, ``*`` when not ok.
COMPACT_TEMPLATE = "{code} {rate} {change}{mark}"
SEPARATOR = " • "

#: What a template may use, with what each gives (marked: said through ``_()``).
FIELDS = {
    "pair": N_("the pair as shown: KGS/USD (USD/KGS with --invert)"),
    "code": N_("the local currency: KGS"),
    "rate": N_("the rate by significant digits: 0.011435"),
    "change": N_(
        "the change since the fixing before (or over --change), signed: +0.03%, "
        "0.00% (empty if none; n/a when the history is shorter than --change)"
    ),
    "period": N_("what the change is over, when not the fixing before: 1W, 1M, YTD, 1Y"),
    "arrow": N_("▲ for a rise, ▼ for a fall, = for none (empty if there is no change)"),
    "source": N_("the source, with × for a cross of two quotes: NBKR, CBR×"),
    "as_of": N_("the fixing's date: 2026-12-02"),
    "state": N_("the state: ok, stale 2d, fallback, nbk stale, divergent, ..."),
    "state_note": N_("' (stale 2d)' when the state is not ok, else nothing"),
    "mark": N_("'*' when the state is not ok, else nothing"),
}


def field_help(name: str) -> str:
    """What the template field ``name`` gives, in the user's language."""
    return _(FIELDS[name])


class Color(StrEnum):
    """How rises and falls are coloured."""

    NEVER = "never"
    ANSI = "ansi"
    """Terminal escapes (a shell prompt, a terminal)."""
    TMUX = "tmux"
    """tmux's own style codes (``#[fg=green]``), for ``status-right``."""


_PAINT = {
    Color.ANSI: {"rise": ("\x1b[32m", "\x1b[39m"), "fall": ("\x1b[31m", "\x1b[39m")},
    Color.TMUX: {"rise": ("#[fg=green]", "#[fg=default]"), "fall": ("#[fg=red]", "#[fg=default]")},
}


class StripStyle(NamedTuple):
    """How the strip is written."""

    template: str = DEFAULT_TEMPLATE
    separator: str = SEPARATOR
    color: Color = Color.NEVER


#: The strip as ``ticker strip`` writes it without options.
DEFAULT_STYLE = StripStyle()
#: The widest field (and the longest precision) a --format may ask for.
WIDTH_MAX = 200


def check_template(template: str) -> str | None:
    """Why ``template`` cannot be used (a field not in :data:`FIELDS`, a stray brace),
    or None when it can."""
    import re
    import string  # only to check a --format

    try:
        for _text, field, spec, _conversion in string.Formatter().parse(template):
            widths = [int(n) for n in re.findall(r"\d+", spec or "")]
            if field is not None and any(n > WIDTH_MAX for n in widths):
                return _("{field}: a width or precision of at most {most}").format(
                    field=f"{{{field}:{spec}}}", most=WIDTH_MAX
                )
        template.format_map(dict.fromkeys(FIELDS, ""))
    except KeyError as err:
        return _("unknown field {field} (fields: {fields})").format(
            field=f"{{{err.args[0]}}}", fields=", ".join(FIELDS)
        )
    except (ValueError, IndexError, AttributeError) as err:
        return _("{error} (write a literal brace as {{{{ or }}}})").format(error=err)
    return None


def strip_line(
    views: Sequence[PairView], significant: int, style: StripStyle = DEFAULT_STYLE
) -> str:
    """``KGS/USD = 0.011448 +0.03% NBKR • KZT/USD = 0.0019518 -0.12% NBK • ...``"""
    return style.separator.join(
        _single_spaced(style.template.format_map(pair_fields(v, significant, style.color)))
        for v in views
    )


def pair_fields(v: PairView, significant: int, color: Color = Color.NEVER) -> dict[str, str]:
    """The template's fields for one pair."""
    change = arrow = ""
    if v.change_pct is None and v.change_period.tag:
        change = _("n/a")  # the stored history is shorter than the period
    if v.change_pct is not None:
        change = format_percent(v.change_pct)
        direction = "rise" if v.change_pct > 0 else "fall" if v.change_pct < 0 else ""
        arrow = {"rise": "▲", "fall": "▼"}.get(direction, "=")
        if direction and color is not Color.NEVER:
            start, end = _PAINT[color][direction]
            change, arrow = f"{start}{change}{end}", f"{start}{arrow}{end}"
    state = state_text(v)
    ok = is_ok(v)
    return {
        "pair": str(v.pair),
        "code": v.local,
        "rate": format_rate(v.rate, significant),
        "change": change,
        "period": period_tag(v.change_period),
        "arrow": arrow,
        "source": bank_word(v.provider.upper()) + ("×" if v.derived else ""),
        "as_of": v.as_of.isoformat(),
        "state": state,
        "state_note": "" if ok else f" ({state})",
        "mark": "" if ok else "*",
    }


def _single_spaced(text: str) -> str:
    """A field left empty (no change yet) leaves no double space behind."""
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")
