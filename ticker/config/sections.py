"""One parser per config.toml section, each turning its table into typed settings with
one-line errors (see :mod:`ticker.config.reader`); ``[[alerts]]``: :mod:`ticker.config.alerts`."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from providers.catalogue import COVERS
from providers.monetary_records import MONETARY, SERIES
from ticker.config.db_url import check_db_url
from ticker.config.market import market_fields, market_keys
from ticker.config.reader import MISSING, Reader
from ticker.config.schema import (
    DEFAULT_KEYS,
    THEMES,
    CollectorSettings,
    DisplaySettings,
    Peg,
    SanitySettings,
    StorageSettings,
    redacted_url,
)
from ticker.config.sources import DEFAULT_ROUTING, PROVIDERS, RATE_PROVIDERS, ProviderSettings
from ticker.i18n.choice import known_language, known_zone
from ticker.i18n.cldr import TABLE
from ticker.i18n.words import _
from ticker.model.pairs import LOCAL_CURRENCIES, Orientation


def parse_display(r: Reader, data: object) -> DisplaySettings:
    d = DisplaySettings()
    t = r.table(
        data,
        "display",
        ("pairs", "orientation", "significant_digits", "theme", "language", "timezone"),
    )
    pairs = d.pairs
    if "pairs" in t:
        pairs = r.unique_list(
            t["pairs"], "display.pairs", lambda v, p: r.choice(v, p, LOCAL_CURRENCIES)
        )
        if not pairs:
            expected = _("at least one of {options}").format(options=", ".join(LOCAL_CURRENCIES))
            r.fail("display.pairs", expected, [])
    orientation = d.orientation
    if "orientation" in t:
        orientation = Orientation(
            r.choice(t["orientation"], "display.orientation", tuple(o.value for o in Orientation))
        )
    digits = d.significant_digits
    if "significant_digits" in t:
        digits = r.integer(t["significant_digits"], "display.significant_digits", 3, 15)
    theme = d.theme
    if "theme" in t:
        theme = r.choice(t["theme"], "display.theme", THEMES)
    language = d.language
    if "language" in t:
        language = r.string(t["language"], "display.language")
        if language and known_language(language) is None:
            r.fail(
                "display.language",
                _("a language ticker knows ({languages}) or a locale of one (ru_KZ)").format(
                    languages=", ".join(TABLE)
                ),
                t["language"],
            )
    timezone = d.timezone
    if "timezone" in t:
        timezone = r.string(t["timezone"], "display.timezone")
        if timezone and not known_zone(timezone):
            expected = _("a time zone such as Asia/Bishkek or UTC")
            r.fail("display.timezone", expected, t["timezone"])
    return DisplaySettings(pairs, orientation, digits, theme, language, timezone)


def parse_storage(r: Reader, data: object) -> StorageSettings:
    d = StorageSettings()
    t = r.table(data, "storage", ("url", "busy_timeout"))
    url = d.url
    if "url" in t:
        url = r.string(t["url"], "storage.url")
        if url:
            url = check_db_url(
                url, lambda exp, got: r.fail("storage.url", exp, redacted_url(str(got)))
            )
    busy = d.busy_timeout
    if "busy_timeout" in t:
        busy = r.duration(t["busy_timeout"], "storage.busy_timeout", timedelta(0), _TEN_MINUTES)
    return StorageSettings(url, busy)


_TEN_MINUTES = timedelta(minutes=10)
_PROVIDER_KEYS = (
    "enabled",
    "interval",
    "timeout",
    "base_url",
    "backfill_concurrency",
    "backfill_delay",
)


#: A third-party source's settings until its section says otherwise (its base_url is
#: required: nothing is known of it).
THIRD_PARTY = ProviderSettings(
    enabled=True, interval=timedelta(minutes=30), timeout=timedelta(seconds=20), base_url=""
)


def parse_providers(r: Reader, data: object) -> dict[str, ProviderSettings]:
    """``[providers.NAME]`` for a built-in source, or for any source a package registers
    (``ticker.providers`` entry points: a third-party rate source is configured the same
    way, and needs its ``base_url``). A market source's keys: :mod:`ticker.config.market`."""
    allowed: tuple[str, ...] = tuple(PROVIDERS)
    if isinstance(data, dict) and any(name not in PROVIDERS for name in data):
        from providers.registry import registered  # only then: entry points cost a read

        allowed += tuple(sorted(n for n in registered() if n not in PROVIDERS))
    t = r.table(data, "providers", allowed)
    result = {name: spec.defaults for name, spec in PROVIDERS.items()}
    for name, section in t.items():
        path = f"providers.{name}"
        spec = PROVIDERS.get(name)
        d = spec.defaults if spec is not None else THIRD_PARTY
        keys: tuple[str, ...] = _PROVIDER_KEYS
        if d.fallback_url:
            keys = (*keys, "fallback_url")
        if spec is not None and spec.kind == "indicators":
            keys = (*keys, "indicators")
        if spec is not None and spec.kind == "market":
            keys = market_keys(spec)
        s = r.table(section, path, keys)
        if spec is None and "base_url" not in s:
            expected = _("a URL (required for a third-party source)")
            r.fail(f"{path}.base_url", expected, MISSING)
        fields: dict[str, Any] = market_fields(r, s, path, spec)
        if "enabled" in s:
            fields["enabled"] = r.boolean(s["enabled"], f"{path}.enabled")
        if "interval" in s:
            fields["interval"] = r.duration(
                s["interval"], f"{path}.interval", timedelta(seconds=10), timedelta(days=30)
            )
        if "timeout" in s:
            fields["timeout"] = r.duration(
                s["timeout"], f"{path}.timeout", timedelta(seconds=1), timedelta(minutes=5)
            )
        if "base_url" in s:
            fields["base_url"] = r.base_url(s["base_url"], f"{path}.base_url")
        if "backfill_concurrency" in s:
            fields["backfill_concurrency"] = r.integer(
                s["backfill_concurrency"], f"{path}.backfill_concurrency", 1, 2
            )
        if "backfill_delay" in s:
            fields["backfill_delay"] = r.duration(
                s["backfill_delay"], f"{path}.backfill_delay", timedelta(0), timedelta(minutes=1)
            )
        if "fallback_url" in s:
            fields["fallback_url"] = r.base_url(
                s["fallback_url"], f"{path}.fallback_url", template=True
            )
        if "indicators" in s:
            code = partial(series_code, r) if name in MONETARY else r.indicator_code
            codes = r.unique_list(s["indicators"], f"{path}.indicators", code)
            if not codes:
                r.fail(f"{path}.indicators", _("at least one indicator code"), [])
            fields["indicators"] = codes
        result[name] = dataclasses.replace(d, **fields)
    return result


def series_code(r: Reader, value: object, path: str) -> str:
    """A monetary source's series code (:data:`providers.monetary_records.SERIES`)."""
    code = r.string(value, path)
    if code not in SERIES:
        r.fail(path, _("one of {options}").format(options=", ".join(SERIES)), code)
    return code


def parse_routing(r: Reader, data: object, extra: Sequence[str] = ()) -> dict[str, tuple[str, ...]]:
    """``[routing]``: per currency, the sources in order of preference (built-in rate
    sources, and the configured third-party ones in ``extra``)."""
    choices = (*RATE_PROVIDERS, *extra)
    t = r.table(data, "routing", LOCAL_CURRENCIES)
    result = dict(DEFAULT_ROUTING)
    for code, value in t.items():
        path = f"routing.{code}"
        order = r.unique_list(value, path, lambda v, p: r.choice(v, p, choices))
        if not order:
            r.fail(path, _("at least one provider"), [])
        for name in order:
            if code not in COVERS.get(name, frozenset({code})):
                covering = [n for n in RATE_PROVIDERS if code in COVERS.get(n, frozenset())]
                expected = _("providers that publish {code} ({providers})").format(
                    code=code, providers=", ".join(covering)
                )
                r.fail(path, expected, name)
        result[code] = order
    return result


def parse_sanity(r: Reader, data: object) -> SanitySettings:
    d = SanitySettings()
    t = r.table(data, "sanity", ("max_move", "pegs", "peg_tolerance", "market_band"))
    fields: dict[str, Any] = {}
    if "max_move" in t:
        fields["max_move"] = r.positive_decimal(t["max_move"], "sanity.max_move", Decimal(1000))
    if "peg_tolerance" in t:
        fields["peg_tolerance"] = r.positive_decimal(
            t["peg_tolerance"], "sanity.peg_tolerance", Decimal(100)
        )
    if "market_band" in t:
        band = r.positive_decimal(t["market_band"], "sanity.market_band", Decimal(100))
        fields["market_band"] = band
    if "pegs" in t:
        pegs = r.table(t["pegs"], "sanity.pegs", LOCAL_CURRENCIES)
        result = {}
        for code, entry in pegs.items():
            path = f"sanity.pegs.{code}"
            peg = r.table(entry, path, ("rate", "since"))
            for key in ("rate", "since"):
                if key not in peg:
                    r.fail(f"{path}.{key}", _("a value (this key is required)"), MISSING)
            since = peg["since"]
            if not isinstance(since, date) or isinstance(since, datetime):
                r.fail(f"{path}.since", _("a date like 2015-01-01 (unquoted)"), since)
            result[code] = Peg(r.positive_decimal(peg["rate"], f"{path}.rate"), since)
        fields["pegs"] = result
    return dataclasses.replace(d, **fields)


def parse_keys(r: Reader, data: object) -> dict[str, str]:
    t = r.table(data, "keys", tuple(DEFAULT_KEYS))
    keys = dict(DEFAULT_KEYS)
    for action, value in t.items():
        path = f"keys.{action}"
        key = r.string(value, path)
        if not re.fullmatch(r"[A-Za-z0-9_+\-]+(,[A-Za-z0-9_+\-]+)*", key):
            expected = _('a Textual key name like "x", "ctrl+e" or "question_mark"')
            r.fail(path, expected, value)
        keys[action] = key
    # The keys left as they are first, then those set in the file, in its order: a clash
    # is blamed on the key set, naming the action that already has it.
    taken: dict[str, str] = {}
    for action in [*(a for a in keys if a not in t), *t]:
        for one in keys[action].split(","):
            if one in taken:
                expected = _("a key not already used by {action}").format(action=repr(taken[one]))
                r.fail(f"keys.{action}", expected, keys[action])
            taken[one] = action
    return keys


def parse_collector(r: Reader, data: object) -> CollectorSettings:
    t = r.table(
        data,
        "collector",
        ("divergence", "retries", "failing_after", "failing_slowdown", "hook_timeout"),
    )
    fields: dict[str, Any] = {}
    if "divergence" in t:
        fields["divergence"] = r.positive_decimal(
            t["divergence"], "collector.divergence", Decimal(100)
        )
    if "retries" in t:
        fields["retries"] = r.integer(t["retries"], "collector.retries", 1, 10)
    if "failing_after" in t:
        fields["failing_after"] = r.integer(t["failing_after"], "collector.failing_after", 1, 100)
    if "failing_slowdown" in t:
        fields["failing_slowdown"] = r.integer(
            t["failing_slowdown"], "collector.failing_slowdown", 1, 100
        )
    if "hook_timeout" in t:
        fields["hook_timeout"] = r.duration(
            t["hook_timeout"], "collector.hook_timeout", timedelta(seconds=1), timedelta(minutes=10)
        )
    return dataclasses.replace(CollectorSettings(), **fields)
