"""A config error in the user's language: the frame and the expectation in Russian, the
file, the key path and the value as written (a key, a value, a path is never translated)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ticker.config import load_settings, parse_config
from ticker.errors import ConfigError
from ticker.i18n.choice import use

FILE = "/etc/ticker/config.toml"


def said(data: dict[str, object]) -> str:
    with pytest.raises(ConfigError) as err:
        parse_config(data, FILE)
    return str(err.value)


def test_an_unknown_key_is_said_in_english_as_before() -> None:
    assert said({"display": {"colour": "red"}}) == (
        f"{FILE}: display.colour: expected one of the keys pairs, orientation, "
        'significant_digits, theme, language, timezone, got unknown key "colour"'
    )


def test_an_unknown_key_is_said_in_russian() -> None:
    use("ru", {})
    assert said({"display": {"colour": "red"}}) == (
        f"{FILE}: display.colour: ожидалось: один из ключей pairs, orientation, "
        'significant_digits, theme, language, timezone; получено: неизвестный ключ "colour"'
    )


def test_a_number_out_of_range_keeps_the_files_digits() -> None:
    use("ru", {})
    assert said({"display": {"significant_digits": 40}}) == (
        f"{FILE}: display.significant_digits: ожидалось: целое число от 3 до 15; получено: 40"
    )


def test_a_duration_and_a_table_said_in_words() -> None:
    use("ru", {})
    assert said({"storage": {"busy_timeout": "soon"}}) == (
        f'{FILE}: storage.busy_timeout: ожидалось: длительность вида "30m"; получено: "soon"'
    )
    assert said({"display": {"theme": {"name": "nord"}}}).endswith("; получено: таблица")


def test_a_missing_value_of_a_rule_names_its_kind_as_written() -> None:
    use("ru", {})
    assert said({"alerts": [{"pair": "KZT", "kind": "above"}]}) == (
        f"{FILE}: alerts[0].value: ожидалось: значение (обязательно для правила 'above'); "
        "получено: ничего"
    )


def test_a_pair_given_twice_turned_round() -> None:
    use("ru", {})
    assert said({"pairs": {"watch": ["RUB/TJS", "TJS/RUB"]}}) == (
        f"{FILE}: pairs.watch[1]: ожидалось: пара, не указанная ранее; "
        'получено: "TJS/RUB" (та же пара, что и pairs.watch[0], только перевёрнутая)'
    )


def test_a_release_rules_unknown_series_says_the_expectation_in_russian() -> None:
    use("ru", {})
    line = said({"alerts": [{"country": "KZ", "kind": "release", "series": "gdp"}]})
    assert line.startswith(f"{FILE}: alerts[0].series: ожидалось: показатель (policy-rate, ")
    assert line.endswith('; получено: "gdp"')


def test_a_missing_file_is_said_in_russian(tmp_path: Path) -> None:
    use("ru", {})
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError) as err:
        load_settings(str(missing), {})
    assert str(err.value) == f"{missing}: файл конфигурации не найден"


def test_a_long_value_is_cut_with_its_length_in_russian() -> None:
    use("ru", {})
    line = said({"display": {"theme": "x" * 150}})
    assert line.endswith(f'; получено: "{"x" * 100}"... (150 символов)')


def test_why_a_source_is_off_is_one_sentence_english_for_json_russian_for_a_person() -> None:
    """``off_reason`` (a JSON value) keeps its English bytes in Russian too; the same
    reason said to a person is in Russian, with the section, key and variable as written."""
    from dataclasses import replace

    from ticker.config import PROVIDERS, off_reason, off_reason_said

    nbkr = replace(PROVIDERS["nbkr"].defaults, enabled=False)
    bank_uz = PROVIDERS["bank-uz"].defaults  # third party: off until enabled
    fx_kg = replace(PROVIDERS["fx-kg"].defaults, enabled=True)  # no token
    use("ru", {})
    assert off_reason("nbkr", nbkr) == "off: set [providers.nbkr] enabled = true"
    assert off_reason("bank-uz", bank_uz) == (
        "off: third party, set [providers.bank-uz] enabled = true"
    )
    assert off_reason("fx-kg", fx_kg) == (
        "off: no token (set [providers.fx-kg] token or TICKER_FXKG_TOKEN)"
    )
    assert off_reason_said("nbkr", nbkr) == "выключен: задайте [providers.nbkr] enabled = true"
    assert off_reason_said("bank-uz", bank_uz) == (
        "выключен: сторонний источник, задайте [providers.bank-uz] enabled = true"
    )
    assert off_reason_said("fx-kg", fx_kg) == (
        "выключен: нет токена (задайте [providers.fx-kg] token или TICKER_FXKG_TOKEN)"
    )
    on = PROVIDERS["nbkr"].defaults
    assert off_reason("nbkr", on) is None and off_reason_said("nbkr", on) is None


def test_a_directory_for_the_config_file_is_said_as_expected_and_got(tmp_path: Path) -> None:
    use("ru", {})
    with pytest.raises(ConfigError) as err:
        load_settings(str(tmp_path), {})
    assert str(err.value) == f"{tmp_path}: ожидалось: файл конфигурации; получено: каталог"
