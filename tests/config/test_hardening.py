"""Config and command-line input that must be refused, and messages that must not echo a
secret or a flood (issue 33, items 10 and 18)."""

from __future__ import annotations

import pytest

from ticker import cli
from ticker.config import parse_config
from ticker.config.rules import rule_from_entry
from ticker.display.strip import check_template
from ticker.errors import ConfigError, UsageError
from ticker.model.pairs import Orientation


def refused(data: dict[str, object]) -> str:
    with pytest.raises(ConfigError) as err:
        parse_config(data, "t.toml")
    message = str(err.value)
    assert "\n" not in message
    return message


def test_a_rejected_webhook_url_never_shows_its_password_or_token() -> None:
    message = refused({"webhook": {"url": "ftp://bot:s3cret@hooks.example/t?token=abc&x=1"}})
    assert "s3cret" not in message and "abc" not in message
    assert message.endswith('got "ftp://***@hooks.example/t?token=***&x=***"')
    message = refused({"webhook": {"url": "https://TOKEN123@hooks.example:99999/t"}})
    assert "TOKEN123" not in message and "***@hooks.example:99999" in message


def test_the_same_rule_twice_in_the_config_is_refused() -> None:
    rule = {"pair": "KZT", "kind": "above", "value": 1}
    message = refused({"alerts": [rule, {**rule, "label": "again"}]})
    assert message == (
        "t.toml: alerts[1]: expected a rule not given before, got the same condition (pair, "
        "kind, thresholds) as alerts[0]"
    )


@pytest.mark.parametrize("bidi", ["\u202e", "\u2066", "\u200f", "\u061c"])
def test_a_label_with_bidi_controls_is_refused(bidi: str) -> None:
    message = refused({"alerts": [{"pair": "KZT", "kind": "above", "value": 1,
                                   "label": f"ok{bidi}txt.exe"}]})  # fmt: skip
    assert message.startswith("t.toml: alerts[0].label: expected one line of at most 80")


@pytest.mark.parametrize("text", ["1_000", "1_0.5"])
def test_a_number_with_underscores_is_not_read(text: str) -> None:
    with pytest.raises(UsageError, match="value: expected a number"):
        rule_from_entry({"pair": "USD/KZT", "kind": "above", "value": text}, Orientation.USD_PER)


def test_the_command_line_does_not_read_1_000_as_1000(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["alerts", "history", "--limit", "1_000"]) == 2
    assert "--limit" in capsys.readouterr().err


def test_a_rejected_value_is_echoed_cut_short() -> None:
    message = refused({"display": {"theme": "x" * 100_000}})
    assert len(message) < 600 and message.count("x") < 200
    assert "(100000 characters)" in message


def test_strip_format_widths_are_bounded() -> None:
    problem = check_template("{rate:>999999999}")
    assert problem is not None and "at most" in problem
    assert check_template("{rate:>12}") is None
    assert check_template("{rate:.3}") is None


def test_a_rejected_database_url_never_shows_its_password() -> None:
    message = refused({"storage": {"url": "postgresql//ticker:s3cret@db/ticker?password=pw"}})
    assert "s3cret" not in message and "pw" not in message
    assert message.endswith('got "postgresql//ticker:***@db/ticker?password=***"')
