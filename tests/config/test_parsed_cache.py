"""The last config file's parse, kept between runs (:mod:`ticker.config.parsed`): used only
for exactly the same text, and never in the way of reading the file."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from ticker.config import parsed
from ticker.config.load import load_settings, read_toml
from ticker.errors import ConfigError

TEXT = '[pairs]\nwatch = ["KGS/USD", "RUB/KGS"]\n\n[display]\nsignificant_digits = 6\n'
PARSE = {"pairs": {"watch": ["KGS/USD", "RUB/KGS"]}, "display": {"significant_digits": 6}}


class NoParser:
    """Stands for tomllib where a test holds that the file is not parsed again."""

    class TOMLDecodeError(ValueError):
        pass

    @staticmethod
    def loads(text: str) -> Any:
        raise AssertionError("parsed again")


def _config(tmp_path: Path, text: str = TEXT) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_same_text_is_not_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _config(tmp_path)
    assert read_toml(path) == PARSE
    assert parsed.cache_file().is_file()
    monkeypatch.setitem(sys.modules, "tomllib", NoParser)
    assert read_toml(path) == PARSE
    # ... and what it gives is validated as ever: the settings are the file's.
    settings = load_settings(str(path), {})
    assert settings.display.significant_digits == 6
    assert [str(p) for p in settings.pairs.watch] == ["KGS/USD", "RUB/KGS"]


def test_an_edited_file_is_parsed_again_whatever_its_date_and_size(tmp_path: Path) -> None:
    path = _config(tmp_path)
    read_toml(path)
    stamp = path.stat()
    edited = TEXT.replace("significant_digits = 6", "significant_digits = 8")
    assert len(edited) == len(TEXT)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # the same size and date
    assert read_toml(path)["display"] == {"significant_digits": 8}


def test_bad_toml_is_said_on_every_run_and_never_kept(tmp_path: Path) -> None:
    path = _config(tmp_path, "[display\nsignificant_digits = 6\n")
    for _ in range(2):
        with pytest.raises(ConfigError, match="invalid TOML"):
            read_toml(path)
    assert not parsed.cache_file().exists()


def test_a_mistake_in_a_kept_parse_is_said_on_every_run(tmp_path: Path) -> None:
    path = _config(tmp_path, "[display]\nsignificant_digits = 99\n")
    for _ in range(2):
        with pytest.raises(ConfigError, match="significant_digits"):
            load_settings(str(path), {})
    assert parsed.cache_file().is_file()  # the parse was kept; the file is still wrong


def test_toml_dates_are_not_kept(tmp_path: Path) -> None:
    path = _config(tmp_path, "when = 2026-10-10\n")
    assert str(read_toml(path)["when"]) == "2026-10-10"
    assert not parsed.cache_file().exists()


@pytest.mark.parametrize(
    "damage",
    [b"", b"\x00garbage", b"\xe3\x03\x00\x00\x00", b"x" * (parsed.MAX_BYTES + 10)],
    ids=["empty", "garbage", "truncated", "huge"],
)
def test_a_damaged_cache_is_ignored_and_replaced(tmp_path: Path, damage: bytes) -> None:
    path = _config(tmp_path)
    cache = parsed.cache_file()
    cache.parent.mkdir(parents=True)
    cache.write_bytes(damage)
    assert read_toml(path) == PARSE
    assert parsed.recall(TEXT) == PARSE  # written again, whole


def test_another_text_s_parse_is_not_used(tmp_path: Path) -> None:
    parsed.keep("[display]\ntheme = 'nord'\n", {"display": {"theme": "nord"}})
    assert parsed.recall(TEXT) is None
    assert read_toml(_config(tmp_path)) == PARSE


def test_a_fifo_or_a_symlink_in_the_cache_s_place_is_not_read(tmp_path: Path) -> None:
    cache = parsed.cache_file()
    cache.parent.mkdir(parents=True)
    os.mkfifo(cache)  # opened without blocking, and refused
    assert parsed.recall(TEXT) is None
    assert read_toml(_config(tmp_path)) == PARSE
    cache.unlink(missing_ok=True)
    elsewhere = tmp_path / "elsewhere.parsed"
    parsed.keep(TEXT, PARSE, elsewhere)
    cache.symlink_to(elsewhere)
    assert parsed.recall(TEXT) is None  # a symlink is not followed


def test_an_unwritable_cache_leaves_reading_as_it_was(tmp_path: Path) -> None:
    blocker = parsed.cache_file().parent
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the cache directory would be")
    assert read_toml(_config(tmp_path)) == PARSE
    assert [p.name for p in blocker.parent.iterdir()] == [blocker.name]  # nothing left over


def test_the_cache_lives_under_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.platform != "linux":
        pytest.skip("XDG directories are Linux's")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert parsed.cache_file() == tmp_path / "cache" / "ticker" / "config.parsed"
