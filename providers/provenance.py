"""Provenance: whether a source's rate of a currency is its own publication or is
computed from another source's.

Two copies of one number confirm nothing. A rate *derived* from another source (the
other source's number, passed through a third currency or a peg) is kept and shown, but
it never confirms that source (divergence counts independent sources only) and never
stands in for it as a fallback (it would re-serve the number already held).

The rules, with their evidence (``docs/dates-and-provenance.md`` gives the long form):

* **CBR's KGS, KZT, TJS and UZS, from 27 Dec 2024.** The Bank of Russia sets these
  rates from each local central bank's US dollar rate and its own USD/RUB (Bank of
  Russia order OD-1012 of December 2024 and its annex); the identity
  ``USD/X = USD/RUB ÷ X/RUB`` reproduces the local bank's rate from CBR's published ones.
  Its manat rate is not in that list and stays independent here. Its own quotes of
  those four in roubles (``KGS/RUB``, asked as other currencies) are the same computed
  numbers, from the local bank's dollar rate and CBR's USD/RUB: derived too, "via USD".
* **Frankfurter's TMT.** Frankfurter v2 has no manat feed of its own: it synthesises
  USD/TMT from the official 3.50 peg (its ``db/seeds/pegs/tmt.json``, source Bloomberg
  2015-01-02; it dropped its CBT adapter in PR #490), so its value is the Central Bank
  of Turkmenistan's peg.

Everything else a built-in source publishes is taken as its own publication: the other
central banks quote the five against their own currency (NBT's KZT, NBKR's weekly TJS,
CBU's KGS, ...), and Frankfurter's other rates are a blend of many banks with outlier
filtering, not one bank's number. Data only, standard library only (the read side uses
it without loading the providers' HTTP code).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

__all__ = [
    "DERIVATIONS",
    "Derivation",
    "derivation",
    "is_independent",
    "pair_derivation",
    "pair_is_independent",
]


class Derivation(NamedTuple):
    """``provider``'s rate of ``currency`` is computed from ``origin``'s, from ``since``."""

    provider: str
    currency: str
    origin: str
    """The source whose publication the value is computed from."""
    how: str
    """How, for people: ``via RUB``, ``as the 3.50 peg``."""
    since: date
    """The first effective date the rule holds for."""
    own_how: str = ""
    """How its quote of the currency in its own currency is made, when it has one
    (CBR's ``KGS/RUB``: ``via USD``); empty: only the dollar pair is derived."""

    def describe(self) -> str:
        """``derived from NBKR via RUB``."""
        return f"derived from {self.origin.upper()} {self.how}"


#: CBR sets these four from the local central banks' USD rates (order OD-1012).
CBR_DERIVED_SINCE = date(2024, 12, 27)
#: The manat's official peg to the dollar (3.50 since 1 Jan 2015).
TMT_PEG_SINCE = date(2015, 1, 1)

DERIVATIONS: tuple[Derivation, ...] = (
    Derivation("cbr", "KGS", "nbkr", "via RUB", CBR_DERIVED_SINCE, "via USD"),
    Derivation("cbr", "KZT", "nbk", "via RUB", CBR_DERIVED_SINCE, "via USD"),
    Derivation("cbr", "TJS", "nbt", "via RUB", CBR_DERIVED_SINCE, "via USD"),
    Derivation("cbr", "UZS", "cbu", "via RUB", CBR_DERIVED_SINCE, "via USD"),
    Derivation("frankfurter", "TMT", "cbt", "as the 3.50 peg", TMT_PEG_SINCE),
)

_BY_KEY: dict[tuple[str, str], Derivation] = {(d.provider, d.currency): d for d in DERIVATIONS}


def derivation(provider: str, currency: str, as_of: date) -> Derivation | None:
    """How ``provider``'s rate of ``currency`` effective on ``as_of`` was made from another
    source's; None when it is the provider's own publication."""
    found = _BY_KEY.get((provider, currency))
    if found is None or as_of < found.since:
        return None
    return found


def is_independent(provider: str, currency: str, as_of: date) -> bool:
    """Whether the value is ``provider``'s own publication (not computed from another's)."""
    return derivation(provider, currency, as_of) is None


def pair_derivation(provider: str, base: str, quote: str, as_of: date) -> Derivation | None:
    """How ``provider``'s rate of the pair ``base/quote`` effective on ``as_of`` was made
    from another source's; None when it is the provider's own publication.

    ``USD/X`` is :func:`derivation` of ``X``; another pair (CBR's ``KGS/RUB``) is derived
    when its currency's rule says how its own-currency quote is made (``own_how``):
    ``derived from NBKR via USD``.
    """
    if base == "USD":
        return derivation(provider, quote, as_of)
    for currency in (base, quote):
        found = derivation(provider, currency, as_of)
        if found is not None and found.own_how:
            return found._replace(how=found.own_how)
    return None


def pair_is_independent(provider: str, base: str, quote: str, as_of: date) -> bool:
    """Whether ``provider``'s rate of ``base/quote`` is its own publication."""
    return pair_derivation(provider, base, quote, as_of) is None
