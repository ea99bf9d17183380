"""``[decisions]``: a country's list replaces its built-in one, an empty list switches it
off, a country not named keeps its own; TOML dates or strings, any order. (Each bad value
is a file in tests/data/config/ with its message in test_config.py.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from providers.decision_calendar import DEFAULT_DECISIONS
from ticker.config import Settings, load_settings


def settings_of(tmp_path: Path, toml: str) -> Settings:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    return load_settings(str(path))


def test_the_defaults_are_the_built_in_lists() -> None:
    assert Settings().decisions == DEFAULT_DECISIONS
    assert len(Settings().decisions["KAZ"]) == 8


def test_a_country_s_list_replaces_its_own_and_leaves_the_others(tmp_path: Path) -> None:
    s = settings_of(
        tmp_path, '[decisions]\nKAZ = ["2027-02-27", 2027-01-12]\nKGZ = ["2027-01-26"]\n'
    )
    assert s.decisions["KAZ"] == (date(2027, 1, 12), date(2027, 2, 27))  # in order
    assert s.decisions["KGZ"] == (date(2027, 1, 26),)
    assert s.decisions["UZB"] == DEFAULT_DECISIONS["UZB"]


def test_an_empty_list_switches_a_country_off(tmp_path: Path) -> None:
    s = settings_of(tmp_path, "[decisions]\nKAZ = []\n")
    assert s.decisions["KAZ"] == ()
    assert s.decisions["UZB"] == DEFAULT_DECISIONS["UZB"]
