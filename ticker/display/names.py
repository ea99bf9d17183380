"""Names people read, in their language: the central banks (``NBKR``, in Russian
``НБКР``), the countries, the monetary series, and how a derived rate is made.

The identifiers stay as they are everywhere (a provider id ``nbkr``, a country code
``KGZ``, a series code ``policy-rate``); only the words shown beside them are said here.
JSON never goes through here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticker.i18n.words import N_, _, pgettext

if TYPE_CHECKING:
    from providers.provenance import Derivation
    from ticker.model.periods import ChangePeriod

__all__ = [
    "bank_word",
    "country_name",
    "derived_text",
    "period_tag",
    "provider_word",
    "series_name",
]

#: Each central bank's abbreviation as the English text writes it, for translation.
BANKS: dict[str, str] = {
    "NBKR": N_("NBKR"),
    "NBK": N_("NBK"),
    "NBT": N_("NBT"),
    "CBU": N_("CBU"),
    "CBT": N_("CBT"),
    "CBR": N_("CBR"),
    "IMF": N_("IMF"),
}

#: The five countries, by ISO 3166-1 alpha-3 code.
COUNTRY_NAMES: dict[str, str] = {
    "KGZ": N_("Kyrgyzstan"),
    "KAZ": N_("Kazakhstan"),
    "TJK": N_("Tajikistan"),
    "UZB": N_("Uzbekistan"),
    "TKM": N_("Turkmenistan"),
}

#: Each monetary series' name for people (short: table headers), by series code.
SERIES_WORDS: dict[str, str] = {
    "policy-rate": N_("Policy rate"),
    "policy-corridor-low": N_("Corridor low"),
    "policy-corridor-high": N_("Corridor high"),
    "cpi-yoy": N_("CPI y/y"),
    "cpi-mom": N_("CPI m/m"),
    "cpi-index": N_("CPI index"),
    "reserves": N_("Reserves"),
    "remittances-in": N_("Remittances in"),
    "remittances-out": N_("Remittances out"),
}

#: How a derived rate is made (:class:`providers.provenance.Derivation`'s ``how``).
HOW_WORDS: dict[str, str] = {
    "via RUB": N_("via RUB"),
    "via USD": N_("via USD"),
    "as the 3.50 peg": N_("as the 3.50 peg"),
}


def bank_word(name: str, short: bool = False) -> str:
    """A bank's abbreviation (``NBKR``, ``CBR``) in the user's language; ``short``: the
    short form where there is one (``CBR`` in Russian: ``ЦБ РФ``, not ``Банк России``).
    Anything else (``FRANKFURTER``, a provider id) as given."""
    if short and name == "CBR":
        return pgettext("short", "CBR")
    said = BANKS.get(name)
    return _(said) if said is not None else name


def provider_word(provider: str) -> str:
    """A source as people name it: ``nbkr`` -> ``NBKR`` (``НБКР`` in Russian), any other
    in capitals (``FRANKFURTER``). The lowercase ids are identifiers, never translated."""
    return bank_word(provider.upper())


def period_tag(period: ChangePeriod) -> str:
    """``1M``, ``YTD`` beside a change, in the user's language (``1 мес.``, ``с 1 янв.``);
    nothing for the default ``1d`` (:attr:`ChangePeriod.tag`: the option's words)."""
    words = {
        "1w": pgettext("change period", "1W"),
        "1m": pgettext("change period", "1M"),
        "ytd": pgettext("change period", "YTD"),
        "1y": pgettext("change period", "1Y"),
    }
    return words.get(period.value, period.tag) if period.tag else ""


def country_name(code: str) -> str:
    """``Kyrgyzstan`` (``Кыргызстан``); the code for a country not known."""
    said = COUNTRY_NAMES.get(code)
    return _(said) if said is not None else code


def series_name(code: str) -> str:
    """``Policy rate``, ``CPI y/y`` in the user's language; the code for one not known."""
    said = SERIES_WORDS.get(code)
    if said is not None:
        return _(said)
    from ticker.model.monetary import SERIES_NAMES

    return SERIES_NAMES.get(code, code)


def derived_text(derivation: Derivation) -> str:
    """``derived from NBKR via RUB``."""
    how = HOW_WORDS.get(derivation.how)
    return _("derived from {origin} {how}").format(
        origin=bank_word(derivation.origin.upper()),
        how=_(how) if how is not None else derivation.how,
    )
