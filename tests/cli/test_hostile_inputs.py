"""Small hostile inputs from the user's side: each one line, exit 2, nothing hangs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from ticker.config import parse_duration


def check(cfg: Path) -> tuple[int, str]:
    result = ticker("--config", str(cfg), "config", "check")
    return result.returncode, result.stderr


def test_a_fifo_as_config_file_or_store_is_refused_instead_of_waiting_for_ever(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, err = check(fifo)  # ticker() times out after 60 s: a hang fails the test
    assert (
        code == 2
        and err
        == f"ticker: {fifo}: not a regular file (a FIFO, a device), expected a config file\n"
    )
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite:///{fifo}"\n')
    result = ticker("--config", str(cfg), "rates")
    assert result.returncode == 2
    assert result.stderr == (
        f"ticker: {fifo}: not a regular file (a FIFO, a device), expected a SQLite database file\n"
    )


def test_a_config_file_with_a_utf8_bom_is_read(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_bytes(b'\xef\xbb\xbf[display]\npairs = ["KGS", "KZT"]\n')
    code, err = check(cfg)
    assert (code, err) == (0, "")


@pytest.mark.parametrize("text", ["３０m", "٣s", "1h３０m"])
def test_durations_take_ascii_digits_only(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_levels_take_ascii_digits_only(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n')
    result = ticker("--config", str(cfg), "alerts", "add", "KZT", "above", "３０")
    assert result.returncode == 2 and 'got "３０"' in result.stderr
    assert not (tmp_path / "t.db").exists()


def test_routing_a_currency_to_a_source_that_does_not_publish_it_is_refused(
    tmp_path: Path,
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[routing]\nTMT = ["cbt", "nbk"]\n')
    code, err = check(cfg)
    assert code == 2
    assert err.startswith(f"ticker: {cfg}: routing.TMT: expected providers that publish TMT (")
    assert err.rstrip().endswith('got "nbk"')
    cfg.write_text('[routing]\nKZT = ["nbk", "cbr"]\n')
    assert check(cfg) == (0, "")


def test_arguments_echoed_in_a_message_cannot_drive_the_terminal() -> None:
    result = ticker("rates", "--bogus", "x\x1b[31mRED\x07")
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "x\\x1b[31mRED\\x07" in result.stderr
