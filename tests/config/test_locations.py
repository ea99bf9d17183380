"""Where ticker keeps its files: on Linux the XDG base directories, read exactly as
platformdirs reads them (the program no longer loads platformdirs there)."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from ticker.config import locations


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG rules are Linux's")
@pytest.mark.parametrize("value", [None, "", "   ", "/srv/xdg", "/srv/xdg/", "relative/dir"])
@pytest.mark.parametrize(
    ("kind", "variable"),
    [("config", "XDG_CONFIG_HOME"), ("data", "XDG_DATA_HOME"), ("state", "XDG_STATE_HOME")],
)
def test_the_directories_are_platformdirs_own(
    kind: str, variable: str, value: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if value is None:
        monkeypatch.delenv(variable, raising=False)
    else:
        monkeypatch.setenv(variable, value)
    theirs = getattr(platformdirs, f"user_{kind}_dir")("ticker", appauthor=False)
    ours = {"config": locations.config_dir, "data": locations.data_dir,
            "state": locations.state_dir}[kind]()  # fmt: skip
    assert str(ours) == str(type(ours)(theirs))


def test_the_files_are_in_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "/c")
    monkeypatch.setenv("XDG_DATA_HOME", "/d")
    if sys.platform == "linux":
        assert str(locations.config_file()) == "/c/ticker/config.toml"
        assert str(locations.db_path()) == "/d/ticker/ticker.db"
