"""The indicators a source refused, said in a table cell (``ticker providers``): each one
with the source's words, or summed up by reason, shorter and shorter until the row fits
the terminal: ``refused 5 indicators (error 175, archived or deleted at the source):
NY.GDP.MKTP.KD.ZG, FP.CPI.TOTL.ZG, …``, then fewer codes, then no codes, then the count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from ticker.i18n.words import _, ngettext

_ERROR_NUMBER = re.compile(r"\berror \d+")


def brief(reason: str) -> str:
    """A reason without the source's own sentence: what comes before its parenthesis,
    with the source's error number (``error 175, archived or deleted at the source``)."""
    head = reason.partition(" (")[0].strip() or reason
    number = _ERROR_NUMBER.search(reason)
    if number is not None and number.group(0) not in head:
        return f"{number.group(0)}, {head}"
    return head


class Refused(Protocol):
    """An indicator refused and why (a stored :class:`~ticker.model.records.IndicatorRefusal`,
    or one poll's refusal)."""

    @property
    def indicator(self) -> str: ...

    @property
    def reason(self) -> str: ...


def refusal_texts(refusals: Sequence[Refused], verbose: bool = False) -> list[str]:
    """What to say of ``refusals`` (one source's), the fullest first: with ``verbose`` one
    text, every indicator with the source's words; otherwise the indicators grouped by
    reason (a group of one keeps the source's words), then shorter forms down to
    ``refused 5``. Empty for no refusal."""
    if not refusals:
        return []
    if verbose:
        return [
            "; ".join(
                _("refused {code}: {why}").format(code=r.indicator, why=r.reason) for r in refusals
            )
        ]
    groups: dict[str, list[str]] = {}
    for r in refusals:
        groups.setdefault(r.reason, []).append(r.indicator)
    whole = "; ".join(
        _("refused {code}: {why}").format(code=codes[0], why=reason)
        if len(codes) == 1
        else _group(codes, reason, len(codes))
        for reason, codes in groups.items()
    )
    texts = [whole]
    for shown in range(max(len(codes) for codes in groups.values()), -1, -1):
        texts.append("; ".join(_group(codes, why, shown) for why, codes in groups.items()))
    texts.append("; ".join(_group(codes, why, 0, short=True) for why, codes in groups.items()))
    count = len(refusals)
    texts.append(
        _("refused {code}").format(code=refusals[0].indicator) if count == 1 else _indicators(count)
    )
    texts.append(_("refused {n}").format(n=count))
    return list(dict.fromkeys(texts))  # once each, the fullest first


def _group(codes: Sequence[str], reason: str, shown: int, short: bool = False) -> str:
    """``refused 5 indicators (error 175, ...): A, B, …`` with ``shown`` of the codes;
    ``short``: the reason's first clause alone (``error 175``)."""
    why = brief(reason).split(", ")[0] if short else brief(reason)
    if len(codes) == 1:
        if shown:
            return _("refused {code} ({why})").format(code=codes[0], why=why)
        return _("{indicators} ({why})").format(indicators=_indicators(1), why=why)
    head = _("{indicators} ({why})").format(indicators=_indicators(len(codes)), why=why)
    if shown <= 0:
        return head
    listed = ", ".join(codes[:shown])
    return f"{head}: {listed}{', …' if shown < len(codes) else ''}"


def _indicators(n: int) -> str:
    """``refused 5 indicators`` (``отклонено 5 показателей``)."""
    return ngettext("refused {n} indicator", "refused {n} indicators", n).format(n=n)


def fitted(texts: Sequence[str], room: int | None) -> str:
    """The first of ``texts`` (the fullest first) within ``room`` characters (None: no
    limit); the last, the shortest, when none fits."""
    if room is not None:
        for text in texts:
            if len(text) <= room:
                return text
    return texts[0] if room is None else texts[-1]
