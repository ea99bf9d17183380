"""config.toml -> typed, validated settings.

Lookup order (first that applies wins):

1. ``--config PATH`` on the command line,
2. ``$TICKER_CONFIG``,
3. the platform config dir's ``ticker/config.toml`` (if it exists),
4. the built-in defaults, which equal the repository's ``config.toml`` (a test proves it).

A file only needs the keys it changes; everything else keeps its default.
``$TICKER_DB_URL`` overrides ``[storage] url``; a market source's token variable
(``$TICKER_FXKG_TOKEN``) its ``[providers.NAME] token``.

Every problem is one :class:`~ticker.errors.ConfigError` whose message is one line
naming the file, the key path, the bad value and what was expected::

    config.toml: providers.nbk.interval: expected a duration like "30m", got "soon"

This module must stay cheap to import: it runs before the first frame of the dashboard.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from providers.decision_calendar import DEFAULT_DECISIONS
from ticker.config import locations
from ticker.config.db_url import check_db_url, fail_env
from ticker.config.pairs import PairsSettings
from ticker.config.schema import (
    ENV_CONFIG,
    ENV_DB_URL,
    ENV_TELEGRAM_CHAT,
    ENV_TELEGRAM_TOKEN,
    Settings,
    StorageSettings,
    TelegramSettings,
    WebhookSettings,
    redacted_url,
)
from ticker.errors import ConfigError
from ticker.i18n.words import N_, _

if TYPE_CHECKING:
    from ticker.model.rules import AlertRuleConfig


def find_config(cli_path: str | None, env: Mapping[str, str]) -> tuple[Path | None, str]:
    """The config file to read and why: ``(path, "--config" | "$TICKER_CONFIG" | ...)``
    (the words are marked for the catalogue: a person reads ``_(why)``).

    ``(None, "defaults")`` when no file applies.
    """
    if cli_path is not None:
        return Path(cli_path), "--config"
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG]), "$" + ENV_CONFIG
    platform_file = locations.config_file()
    if platform_file.is_file() or platform_file.is_symlink() or platform_file.exists():
        return platform_file, N_("platform config dir")  # reading it reports what is wrong
    return None, N_("built-in defaults")


def load_settings(cli_path: str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Find, read and validate the configuration; apply environment overrides."""
    env = os.environ if env is None else env
    path, why = find_config(cli_path, env)
    if path is None:
        settings = Settings()
    else:
        try:
            data = read_toml(path)
        except ConfigError as err:
            if why.startswith("$"):
                raise ConfigError(
                    _("{error} (named by {variable})").format(error=err, variable=why)
                ) from None
            raise
        settings = parse_config(data, str(path), path)
    db_url = env.get(ENV_DB_URL)
    if db_url:
        storage = StorageSettings(
            url=check_db_url(
                db_url, lambda exp, got: fail_env(ENV_DB_URL, exp, redacted_url(str(got)))
            ),
            busy_timeout=settings.storage.busy_timeout,
        )
        settings = dataclasses.replace(settings, storage=storage, db_url_from_env=True)
    from ticker.config.market import tokens_from_env

    providers = tokens_from_env(settings.providers, env)
    if providers != settings.providers:
        settings = dataclasses.replace(settings, providers=providers)
    if env.get(ENV_TELEGRAM_TOKEN) or env.get(ENV_TELEGRAM_CHAT):  # else nothing to check
        from ticker.config.channels import telegram_from_env

        settings = dataclasses.replace(settings, telegram=telegram_from_env(settings.telegram, env))
    return settings


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; every failure is a one-line :class:`ConfigError`."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a FIFO would block for ever
            raise ConfigError(
                _("{path}: not a regular file (a FIFO, a device), expected a config file").format(
                    path=path
                )
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(_("{path}: config file not found").format(path=path)) from None
    except IsADirectoryError:
        raise ConfigError(
            _("{path}: is a directory, expected a config file").format(path=path)
        ) from None
    except OSError as err:
        raise ConfigError(
            _("{path}: cannot read config file: {reason}").format(path=path, reason=err.strerror)
        ) from None
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")  # editors that add a BOM
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ConfigError(
            _("{path}: invalid TOML: not UTF-8 text (at line {line})").format(path=path, line=line)
        ) from None
    from ticker.config import parsed

    kept = parsed.recall(text)  # the same text as the last run's: its parse
    if kept is not None:
        return kept
    import tomllib  # only when there is a file: not on the start-up path of the defaults

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(
            _("{path}: invalid TOML: {reason}").format(path=path, reason=err)
        ) from None
    parsed.keep(text, data)
    return data


def parse_config(
    data: Mapping[str, Any], origin: str, path: Path | None = None, any_hook: bool = False
) -> Settings:
    """Validate parsed TOML against the schema; ``origin`` names the file in messages.
    ``any_hook``: a rule may name a hook this file does not define (one written on the
    command line, for the machine that fires it).

    The parsers are imported here, when there is a file to parse (the built-in defaults
    need none of them); a section the file does not have is its default, as its parser
    would make it of nothing, without loading that parser (the alerts' and channels' are
    the heaviest, and a status bar's config rarely has them)."""
    from ticker.config.reader import Reader
    from ticker.config.sections import (
        parse_collector,
        parse_display,
        parse_keys,
        parse_providers,
        parse_routing,
        parse_sanity,
        parse_storage,
    )
    from ticker.config.sources import PROVIDERS, polled

    r = Reader(origin)
    top = r.table(
        data,
        "",
        (
            "display", "storage", "providers", "routing", "pairs", "sanity", "collector",
            "webhook", "telegram", "keys", "hooks", "alerts", "decisions",
        ),
    )  # fmt: skip
    display = parse_display(r, top.get("display", {}))
    providers = parse_providers(r, top.get("providers", {}))
    extra = [name for name in providers if name not in PROVIDERS]
    webhook = WebhookSettings()
    if "webhook" in top:
        from ticker.config.channels import parse_webhook

        webhook = parse_webhook(r, top["webhook"])
    hooks: Mapping[str, tuple[str, ...]] = {}
    if "hooks" in top:
        from ticker.config.hooks import parse_hooks

        hooks = parse_hooks(r, top["hooks"])
    routing = parse_routing(r, top.get("routing", {}), extra)
    enabled = polled(providers, "rates")
    pairs = PairsSettings()
    if "pairs" in top:
        from ticker.config.pairs import parse_pairs

        pairs = parse_pairs(r, top["pairs"], routing, enabled)
    alerts: Sequence[AlertRuleConfig] = ()
    if "alerts" in top:
        from ticker.config.alerts import parse_alerts

        # A rule written elsewhere (any_hook) is checked against its own machine's watch.
        alerts = parse_alerts(
            r, top["alerts"], display.orientation, webhook.url,
            None if any_hook else hooks, None if any_hook else pairs.watch,
        )  # fmt: skip
    storage = parse_storage(r, top.get("storage", {}))
    sanity = parse_sanity(r, top.get("sanity", {}))
    collector = parse_collector(r, top.get("collector", {}))
    telegram = TelegramSettings()
    if "telegram" in top:
        from ticker.config.channels import parse_telegram

        telegram = parse_telegram(r, top["telegram"])
    keys = parse_keys(r, top.get("keys", {}))
    decisions: Mapping[str, tuple[date, ...]] = dict(DEFAULT_DECISIONS)
    if "decisions" in top:
        from ticker.config.decisions import parse_decisions

        decisions = parse_decisions(r, top["decisions"])
    return Settings(
        display=display,
        storage=storage,
        providers=providers,
        routing=routing,
        pairs=pairs,
        alerts=tuple(alerts),
        sanity=sanity,
        collector=collector,
        webhook=webhook,
        telegram=telegram,
        hooks=hooks,
        keys=keys,
        decisions=decisions,
        path=path,
    )
