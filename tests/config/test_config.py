from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers.market import join_market
from tests.helpers.paths import BAD_CONFIGS as BAD_DIR
from tests.helpers.paths import REPO
from ticker import cli
from ticker.config import (
    DEFAULT_ROUTING,
    PROVIDERS,
    Settings,
    format_duration,
    load_settings,
    parse_config,
    parse_duration,
    read_toml,
)
from ticker.errors import ConfigError
from ticker.model.pairs import Orientation, Pair
from ticker.model.rules import AlertRuleConfig

BAD = BAD_DIR
CURRENCIES = "KGS, KZT, TJS, UZS, TMT"
RATE_PROVIDERS = "nbkr, nbk, nbt, cbu, cbt, cbr, frankfurter, erapi, currencyapi"
ALERT_KEYS = (
    "pair, kind, cooldown, channels, hook, label, days, direction, hysteresis, "
    "percent, value, window"
)

# Each bad-config fixture file and the one line it must produce after "<file>: ".
BAD_CONFIGS = {
    "unknown_top_key": "dispaly: expected one of the keys display, storage, providers, "
    "routing, pairs, sanity, collector, webhook, telegram, keys, hooks, alerts, decisions, "
    'got unknown key "dispaly"',
    "unknown_display_key": "display.colour: expected one of the keys pairs, orientation, "
    'significant_digits, theme, language, timezone, got unknown key "colour"',
    "section_not_table": "display: expected a table, got 5",
    "digits_wrong_type": "display.significant_digits: expected a whole number from 3 to 15, "
    'got "five"',
    "digits_out_of_range": "display.significant_digits: expected a whole number from 3 to 15, "
    "got 40",
    "digits_bool": "display.significant_digits: expected a whole number from 3 to 15, got true",
    "unknown_pair": f'display.pairs[1]: expected one of {CURRENCIES}, got "RUB"',
    "duplicate_pair": 'display.pairs[2]: expected each entry once, got "KGS"',
    "empty_pairs": f"display.pairs: expected at least one of {CURRENCIES}, got an empty array",
    "pairs_not_array": 'display.pairs: expected an array, got "KGS"',
    "bad_orientation": 'display.orientation: expected one of usd-per, per-usd, got "sideways"',
    "unknown_theme": "display.theme: expected one of ansi-dark, ansi-light, atom-one-dark, "
    "atom-one-light, catppuccin-frappe, catppuccin-latte, catppuccin-macchiato, "
    "catppuccin-mocha, dracula, flexoki, gruvbox, monokai, nord, rose-pine, rose-pine-dawn, "
    "rose-pine-moon, solarized-dark, solarized-light, textual-dark, textual-light, "
    'tokyo-night, got "matrix"',
    "unknown_provider": f"providers.ecb: expected one of the keys {RATE_PROVIDERS}, "
    "nbt-banks, fx-kg, kurs-kz, bank-uz, nbk-data, imf-sdmx, cbu-stavka, cbu-policy, siat, "
    "worldbank, imf, "
    'got unknown key "ecb"',
    "bad_duration": 'providers.nbk.interval: expected a duration like "30m", got "soon"',
    "duration_not_string": 'providers.nbk.interval: expected a duration like "30m", got 30',
    "zero_interval": 'providers.cbr.interval: expected a duration from 10s to 30d, got "0s"',
    "timeout_too_long": 'providers.cbr.timeout: expected a duration from 1s to 5m, got "1h"',
    "fallback_url_elsewhere": "providers.nbkr.fallback_url: expected one of the keys enabled, "
    "interval, timeout, base_url, backfill_concurrency, backfill_delay, "
    'got unknown key "fallback_url"',
    "sanity_zero": "sanity.max_move: expected a number greater than 0, got 0",
    "sanity_market_band_too_wide": "sanity.market_band: expected a number from 0 to 100, got 500",
    "backfill_concurrency_too_high": "providers.cbr.backfill_concurrency: expected a whole "
    "number from 1 to 2, got 10",
    "key_taken_twice": "keys.export: expected a key not already used by 'flip', got \"f\"",
    # The key set is blamed, naming the action that has it by default (not "keys.refresh").
    "key_onto_another_default": "keys.quit: expected a key not already used by 'refresh', "
    'got "r"',
    "key_bad_name": 'keys.quit: expected a Textual key name like "x", "ctrl+e" or '
    '"question_mark", got "Ctrl E"',
    "bad_enabled": 'providers.nbkr.enabled: expected true or false, got "yes"',
    "unknown_provider_key": "providers.nbkr.url: expected one of the keys enabled, interval, "
    'timeout, base_url, backfill_concurrency, backfill_delay, got unknown key "url"',
    "bad_base_url_scheme": "providers.nbt.base_url: expected an http(s) URL of scheme, host "
    'and optional path prefix, like "https://www.nbkr.kg", got "ftp://mirror.example"',
    "base_url_with_query": "providers.nbt.base_url: expected an http(s) URL of scheme, host "
    'and optional path prefix, like "https://www.nbkr.kg", got "https://mirror.example/?x=1"',
    "routing_unknown_provider": f'routing.KGS[1]: expected one of {RATE_PROVIDERS}, got "ecb"',
    "routing_indicator_provider": f"routing.KGS[0]: expected one of {RATE_PROVIDERS}, "
    'got "worldbank"',
    "routing_unknown_currency": f"routing.RUB: expected one of the keys {CURRENCIES}, "
    'got unknown key "RUB"',
    "routing_empty": "routing.KGS: expected at least one provider, got an empty array",
    "routing_duplicate": 'routing.KZT[2]: expected each entry once, got "nbk"',
    "storage_url_not_url": "storage.url: expected a SQLAlchemy URL like "
    '"sqlite:////var/lib/ticker/ticker.db" or "postgresql://user@host/ticker", '
    'got "/var/lib/ticker/ticker.db"',
    "storage_url_wrong_type": "storage.url: expected a string, got 5",
    "busy_timeout_bad": 'storage.busy_timeout: expected a duration like "30m", got "forever"',
    "alerts_not_array": 'alerts: expected an array of tables ([[alerts]]), got "KZT above 0.0021"',
    "alert_unknown_pair": f"alerts[0].pair: expected one of {CURRENCIES} or a pair like "
    'KZT/USD or RUB/TJS, got "RUB/USD"',
    "alert_unknown_kind": "alerts[0].kind: expected one of above, below, change, move, stale, "
    'divergence, market-sell, market-buy, release, got "sideways"',
    "alert_missing_kind": "alerts[0].kind: expected a value (this key is required), got nothing",
    "alert_missing_value": "alerts[0].value: expected a value (required for an 'above' rule), "
    "got nothing",
    "alert_negative_value": "alerts[0].value: expected a number from 0 to 1000000000, got -476",
    "alert_text_value": 'alerts[0].value: expected a number from 0 to 1000000000, got "lots"',
    "alert_value_huge": "alerts[0].value: expected a number from 0 to 1000000000, "
    'got "1e999999999999"',
    "storage_url_in_memory": "storage.url: expected a SQLite URL naming a file (an in-memory "
    'database keeps no history), got "sqlite://"',
    "storage_url_relative": "storage.url: expected a SQLite URL with an absolute path, like "
    '"sqlite:////var/lib/ticker/ticker.db" (a relative one changes with the working '
    'directory), got "sqlite:///ticker.db"',
    "duration_overflow": 'providers.nbk.interval: expected a duration like "30m", '
    'got "99999999999999999999d"',
    "base_url_bad_port": "providers.nbt.base_url: expected an http(s) URL of scheme, host "
    'and optional path prefix, like "https://www.nbkr.kg", got "http://127.0.0.1:99999"',
    "alert_key_of_other_kind": "alerts[0].window: expected one of the keys of an 'above' rule "
    "(pair, kind, cooldown, channels, hook, label, value, hysteresis), "
    'got unknown key "window"',
    "alert_bad_channel": "alerts[0].channels[1]: expected one of toast, bell, desktop, "
    'command, webhook, telegram, got "pager"',
    "alert_webhook_without_url": "alerts[0].channels: expected a [webhook] url to post to "
    '(the "webhook" channel needs one), got "toast, webhook"',
    "webhook_url_bad_scheme": "webhook.url: expected an http:// or https:// URL like "
    '"https://hooks.example/ticker", got "ftp://hooks.example/ticker"',
    "webhook_attempts_zero": "webhook.attempts: expected a whole number from 1 to 10, got 0",
    "alert_command_channel_without_command": "alerts[0].hook: expected a hook (the "
    '"command" channel needs one), got nothing',
    "alert_with_a_program": "alerts[0].command: a rule no longer carries a program (any "
    "writer of the store could make every collector run it): define it in this machine's "
    'config as [hooks.NAME] command = [...] and give the rule hook = "NAME"',
    "alert_hook_undefined": "alerts[0].hook: expected a hook defined as [hooks.NAME] "
    '(defined: none), got "pager"',
    "alert_hook_unknown_placeholder": "hooks.pager.command: expected placeholders among {pair} "
    "{rate} {rule} {message} {as_of} {market_channel} {institution} {country} {series} "
    '{period} {value} {previous} {released}, got "{price}"',
    "collector_hook_timeout_zero": "collector.hook_timeout: expected a duration from 1s to 10m, "
    'got "0s"',
    "indicators_bad_code": "providers.worldbank.indicators[1]: expected an indicator code like "
    '"FP.CPI.TOTL.ZG" or "NGDP_RPCH", got "bad code!"',
    "indicators_on_rate_provider": "providers.nbk.indicators: expected one of the keys enabled, "
    "interval, timeout, base_url, backfill_concurrency, backfill_delay, got unknown key "
    '"indicators"',
    "indicators_empty": "providers.imf.indicators: expected at least one indicator code, got an "
    "empty array",
    "alert_zero_window": 'alerts[0].window: expected a duration from 1d to 3660d, got "0d"',
    "alert_second_entry_bad": "alerts[1].days: expected a whole number from 1 to 366, got 0",
    "decisions_unknown_country": "decisions.KZ: expected one of the keys KGZ, KAZ, TJK, UZB, "
    'TKM, got unknown key "KZ"',
    "decisions_not_array": 'decisions.KAZ: expected an array, got "2027-01-12"',
    "decisions_bad_date": 'decisions.KAZ[1]: expected a date like "2027-01-12" from 2000-01-01 '
    'to 2099-12-31, got "12 Jan 2027"',
    "decisions_impossible_date": 'decisions.UZB[0]: expected a date like "2027-01-12" from '
    '2000-01-01 to 2099-12-31, got "2027-02-30"',
    "decisions_date_time": 'decisions.KGZ[0]: expected a date like "2027-01-12" from '
    "2000-01-01 to 2099-12-31, got 2027-01-12T12:00:00",
    "decisions_twice": "decisions.KAZ[2]: expected each entry once, got 2027-01-12",
    "syntax_error": "invalid TOML: Unclosed array (at line 3, column 1)",
    "duplicate_key": "invalid TOML: Cannot overwrite a value (at line 3, column 18)",
    "not_utf8": "invalid TOML: not UTF-8 text (at line 2)",
}


def test_every_bad_config_fixture_has_an_expected_message() -> None:
    assert sorted(p.stem for p in BAD.glob("*.toml")) == sorted(BAD_CONFIGS)


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_bad_config_is_one_line_naming_file_key_value_and_expectation(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD / f"{name}.toml"
    with pytest.raises(ConfigError) as info:
        load_settings(str(path))
    assert str(info.value) == f"{path}: {BAD_CONFIGS[name]}"

    code = cli.main(["--config", str(path), "config", "check"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err == f"ticker: {path}: {BAD_CONFIGS[name]}\n"


def test_repository_config_toml_equals_the_built_in_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    join_market(monkeypatch)  # its market sections: a no-op once SOURCES has them
    settings = parse_config(read_toml(REPO / "config.toml"), "config.toml")
    assert dataclasses.replace(settings, path=None) == Settings()


def test_defaults_follow_the_design() -> None:
    s = Settings()
    assert s.display.orientation is Orientation.USD_PER
    assert s.display.significant_digits == 5
    assert s.display.pairs == ("KGS", "KZT", "TJS", "UZS", "TMT")
    assert s.routing["TMT"][0] == "cbt" and s.routing["KZT"][0] == "nbk"
    assert s.providers["erapi"].interval == timedelta(hours=6)
    assert s.providers["nbk"].interval == timedelta(minutes=30)
    assert set(s.providers) == set(PROVIDERS)
    assert s.alerts == ()


def test_a_partial_file_changes_only_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[display]\norientation = "per-usd"\n'
        '[providers.nbk]\ninterval = "1h30m"\nbase_url = "http://127.0.0.1:8080/mirror/"\n'
        '[routing]\nKZT = ["cbr", "nbk"]\n'
    )
    s = load_settings(str(path))
    d = Settings()
    assert s.path == path
    assert s.display.orientation is Orientation.PER_USD
    assert s.display.pairs == d.display.pairs
    assert s.providers["nbk"].interval == timedelta(hours=1, minutes=30)
    assert s.providers["nbk"].base_url == "http://127.0.0.1:8080/mirror"  # trailing / dropped
    assert s.providers["nbk"].timeout == d.providers["nbk"].timeout
    assert s.providers["cbr"] == d.providers["cbr"]
    assert s.routing["KZT"] == ("cbr", "nbk")
    assert s.routing["KGS"] == DEFAULT_ROUTING["KGS"]


def test_a_key_moved_onto_another_is_fine_when_that_one_moves_too(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text('[keys]\nquit = "r"\nrefresh = "f5"\n')
    keys = load_settings(str(path)).keys
    assert (keys["quit"], keys["refresh"]) == ("r", "f5")
    # Set in the file in either order, two keys on one are blamed on the later one.
    path.write_text('[keys]\nrefresh = "v"\nflip = "v"\n')
    with pytest.raises(
        ConfigError, match="keys.flip: expected a key not already used by 'refresh'"
    ):
        load_settings(str(path))


def test_alert_rules_are_read_in_the_orientation_written(tmp_path: Path) -> None:
    path = tmp_path / "alerts.toml"
    path.write_text(
        '[display]\norientation = "per-usd"\n'
        '[[alerts]]\npair = "KZT/USD"\nkind = "above"\nvalue = 0.0021\n'
        '[[alerts]]\npair = "kzt"\nkind = "below"\nvalue = "476.5"\ncooldown = "2h"\n'
        '[[alerts]]\npair = "UZS"\nkind = "move"\npercent = 2\nwindow = "7d"\n'
        'hook = "echo"\n[hooks.echo]\ncommand = ["echo", "ticker", "{message}"]\n'
    )
    above, below, move = load_settings(str(path)).alerts
    assert above.pair == Pair("KZT", "USD") and above.value == Decimal("0.0021")
    assert above.channels == ("toast", "bell") and above.cooldown == timedelta(hours=1)
    assert below.pair == Pair("USD", "KZT")  # bare code: the display orientation
    assert below.value == Decimal("476.5") and below.cooldown == timedelta(hours=2)
    assert move.window == timedelta(days=7) and move.percent == Decimal(2)
    assert move.hook == "echo"
    assert move.channels == ("toast", "bell", "command")


def test_lookup_order(tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def config(name: str, theme: str) -> Path:
        path = tmp_path / name
        path.write_text(f'[display]\ntheme = "{theme}"\n')
        return path

    assert load_settings().path is None  # nothing anywhere: built-in defaults
    platform_file = isolated_env / "config" / "ticker" / "config.toml"
    platform_file.parent.mkdir(parents=True)
    platform_file.write_text('[display]\ntheme = "nord"\n')
    assert load_settings().display.theme == "nord"
    monkeypatch.setenv("TICKER_CONFIG", str(config("env.toml", "dracula")))
    assert load_settings().display.theme == "dracula"
    assert load_settings(str(config("cli.toml", "monokai"))).display.theme == "monokai"


def test_missing_file_named_by_config_or_env_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match=rf"^{missing}: config file not found$"):
        load_settings(str(missing))
    monkeypatch.setenv("TICKER_CONFIG", str(missing))
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings()


def test_unreadable_or_directory_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match=rf"^{tmp_path}: is a directory"):
        load_settings(str(tmp_path))
    locked = tmp_path / "locked.toml"
    locked.write_text("")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(
        ConfigError, match=rf"^{locked}: cannot read config file: Permission denied$"
    ):
        load_settings(str(locked))


def test_db_url_environment_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[storage]\nurl = "sqlite:////from/config.db"\nbusy_timeout = "9s"\n')
    assert load_settings(str(path)).database_url == "sqlite:////from/config.db"
    monkeypatch.setenv("TICKER_DB_URL", "postgresql://u:pw@db.example/ticker")
    s = load_settings(str(path))
    assert s.database_url == "postgresql://u:pw@db.example/ticker"
    assert s.db_url_from_env and s.storage.busy_timeout == timedelta(seconds=9)
    monkeypatch.setenv("TICKER_DB_URL", "ticker.db")
    with pytest.raises(
        ConfigError, match=r'^\$TICKER_DB_URL: expected a SQLAlchemy URL .* got "ticker.db"$'
    ):
        load_settings(str(path))


def test_default_database_is_in_the_platform_data_dir(isolated_env: Path) -> None:
    s = load_settings()
    assert s.database_url == f"sqlite:///{isolated_env / 'data' / 'ticker' / 'ticker.db'}"
    assert s.uses_default_database


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30m", 1800),
        ("6h", 21600),
        ("1d", 86400),
        ("45s", 45),
        ("500ms", 0.5),
        ("1h30m", 5400),
        ("1.5h", 5400),
        (" 2m ", 120),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "soon", "30", "m30", "30 minutes", "-5m", "1h-30m", "5x"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("seconds", [1, 59, 60, 3600, 5400, 86400, 90061])
def test_format_duration_round_trips(seconds: int) -> None:
    value = timedelta(seconds=seconds)
    assert parse_duration(format_duration(value)) == value


def test_repository_config_toml_documents_every_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every setting appears in config.toml (its values alone could hide a missing key)."""
    import tomllib

    join_market(monkeypatch)  # a no-op once SOURCES has the market records

    data = tomllib.loads((REPO / "config.toml").read_text())
    display = {f.name for f in dataclasses.fields(Settings().display)}
    assert set(data["display"]) == display
    assert set(data["storage"]) == {f.name for f in dataclasses.fields(Settings().storage)}
    assert set(data["sanity"]) == {f.name for f in dataclasses.fields(Settings().sanity)}
    assert set(data["collector"]) == {f.name for f in dataclasses.fields(Settings().collector)}
    assert set(data["webhook"]) == {f.name for f in dataclasses.fields(Settings().webhook)}
    assert set(data["keys"]) == set(Settings().keys)
    assert set(data["providers"]) == set(PROVIDERS)
    every = {f.name for f in dataclasses.fields(Settings().providers["nbk"])}
    market_only = {"token", "places"}
    for name, spec in PROVIDERS.items():
        expected = every if spec.defaults.fallback_url else every - {"fallback_url"}
        expected -= market_only
        if spec.kind != "indicators":
            expected = expected - {"indicators"}
        if spec.kind == "market":  # no history: no backfill keys; a token, cities if taken
            expected -= {"backfill_concurrency", "backfill_delay"}
            expected |= {"token"} if spec.token_env else set()
            expected |= {"places"} if spec.defaults.places else set()
        assert set(data["providers"][name]) == expected, name
    assert set(data["routing"]) == set(DEFAULT_ROUTING)
    comments = "\n".join(
        line for line in (REPO / "config.toml").read_text().splitlines() if line.startswith("#")
    )
    alert_keys = {f.name for f in dataclasses.fields(AlertRuleConfig)}
    for key in alert_keys:
        assert re.search(rf"\b{key}\b", comments), f"[[alerts]] key {key} is not documented"
    assert "# [hooks.notify]\n# command = [" in comments  # [hooks.NAME], by example
