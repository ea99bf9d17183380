"""``[providers.NAME]`` of a market source (banks' and exchange offices' boards): its
keys, its access token and its cities.

A market source takes ``enabled``, ``interval``, ``timeout`` and ``base_url`` (it has no
history, so no backfill keys); ``token`` when its record names a token variable
(``Source.token_env``: fx-kg's ``TICKER_FXKG_TOKEN``), and ``places`` when its record
has default cities (``Source.places``: kurs-kz). The token is a secret: the environment
variable wins over the file (as ``$TICKER_TELEGRAM_TOKEN`` does: a secret kept out of a
file that may be shared), and no message, log line or ``repr`` shows it; a source that
needs one and has none is off, and says so (:func:`~ticker.config.sources.off_reason`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from ticker.config.sources import PROVIDERS, ProviderSettings, ProviderSpec
from ticker.errors import ConfigError
from ticker.i18n.words import N_, _, ngettext

if TYPE_CHECKING:
    from ticker.config.reader import Reader

#: The keys every market source takes.
MARKET_KEYS: tuple[str, ...] = ("enabled", "interval", "timeout", "base_url")
#: A token as an API hands it out (RFC 6750's b64token): letters, digits, ``-._~+/``,
#: then any ``=``.
_TOKEN = r"[A-Za-z0-9\-._~+/]{1,1024}=*"
_TOKEN_WORDS = N_("an access token (letters, digits and -._~+/, as the source gives it)")
#: A city as the source's own addresses spell it (kurs.kz/almaty).
_PLACE = r"[a-z][a-z-]{0,38}[a-z]"
#: One request per city per poll: more than this is not polite.
MAX_PLACES = 20


def market_keys(spec: ProviderSpec) -> tuple[str, ...]:
    """The keys ``[providers.NAME]`` of the market source ``spec`` takes."""
    keys = MARKET_KEYS
    if spec.token_env:
        keys = (*keys, "token")
    if spec.takes_places:
        keys = (*keys, "places")
    return keys


def market_fields(
    r: Reader, section: Mapping[str, Any], path: str, spec: ProviderSpec | None = None
) -> dict[str, Any]:
    """The ``token`` and ``places`` of a market source's section, checked: each place one
    its record has a page for (``Source.known_places``), where the record names them."""
    fields: dict[str, Any] = {}
    if "token" in section:
        fields["token"] = check_token(section["token"], f"{r.origin}: {path}.token")
    if "places" in section:
        where = f"{path}.places"
        places = r.unique_list(section["places"], where, lambda v, p: _place(r, v, p))
        if not places:
            r.fail(where, _('at least one city, like "almaty"'), [])
        if len(places) > MAX_PLACES:
            expected = ngettext(
                "at most {n} city (one request each per poll)",
                "at most {n} cities (one request each per poll)",
                MAX_PLACES,
            ).format(n=MAX_PLACES)
            r.fail(where, expected, places)
        known = spec.known_places if spec is not None else ()
        for i, place in enumerate(places):
            if known and place not in known:
                r.fail(
                    f"{where}[{i}]",
                    _("one of the cities it has pages for ({cities})").format(
                        cities=", ".join(known)
                    ),
                    place,
                )
        fields["places"] = places
    return fields


def _place(r: Reader, value: object, path: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(_PLACE, value):
        r.fail(path, _('a city as the source\'s addresses spell it, like "almaty"'), value)
    return value


def check_token(value: object, where: str) -> str:
    """A token (empty: none), or a ConfigError that says what it is, never what it says."""
    if isinstance(value, str) and (not value or re.fullmatch(_TOKEN, value)):
        return value
    if isinstance(value, str):
        _fail(
            where,
            ngettext(
                "a value of {n} character (not shown)",
                "a value of {n} characters (not shown)",
                len(value),
            ).format(n=len(value)),
        )
    _fail(where, _(_KINDS_OF_VALUE.get(type(value), N_("a value that is not a string"))))


#: What a value that is not a string is, in a message (its text may be the secret).
_KINDS_OF_VALUE = {
    bool: N_("a boolean"),
    int: N_("a number"),
    float: N_("a number"),
    list: N_("an array"),
}


def _fail(where: str, got: str) -> NoReturn:
    from ticker.config.reader import expected_got

    raise ConfigError(expected_got(where, _(_TOKEN_WORDS), got))


def tokens_from_env(
    providers: Mapping[str, ProviderSettings], env: Mapping[str, str]
) -> dict[str, ProviderSettings]:
    """``providers`` with each market source's token variable, where set, over its file
    value (the variable wins)."""
    result = dict(providers)
    for name, conf in providers.items():
        spec = PROVIDERS.get(name)
        if spec is None or not spec.token_env or not env.get(spec.token_env):
            continue
        token = check_token(env[spec.token_env], f"${spec.token_env}")
        result[name] = dataclasses.replace(conf, token=token)
    return result
