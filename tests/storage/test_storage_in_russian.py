"""A store's refusals in the user's language: the place and the driver's own words as
they are, the rest in Russian (numbers the Russian way)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from ticker.config import Settings
from ticker.config.schema import StorageSettings
from ticker.errors import StorageError
from ticker.i18n.choice import use
from ticker.storage import migrations
from ticker.storage.check import describe_store
from ticker.storage.db import open_database
from ticker.storage.failures import locked

NB = "\u00a0"


def test_a_lock_given_up_on_says_its_seconds_the_russian_way() -> None:
    assert locked("ticker.db", timedelta(seconds=2.5)) == (
        "ticker.db: the database is locked by another writer; gave up after 2.5s "
        "(nothing was written)"
    )
    use("ru", {})
    assert locked("ticker.db", timedelta(seconds=2.5)) == (
        "ticker.db: база данных заблокирована другим процессом, который в неё пишет; "
        f"ожидание прекращено через 2,5{NB}с (ничего не записано)"
    )


def test_a_file_that_is_no_database_is_refused_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database at all, just notes\n")
    use("ru", {})
    with pytest.raises(StorageError) as err:
        open_database(f"sqlite:///{path}")
    assert str(err.value) == (
        f"{path}: это не база данных SQLite (файл не тронут; переместите его или укажите "
        "другой [storage] url)"
    )


def test_a_newer_schema_is_refused_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "ticker.db"
    open_database(f"sqlite:///{path}").dispose()
    db = open_database(f"sqlite:///{path}")
    with db.engine.begin() as conn:
        conn.execute(migrations.schema_table.update().values(version=migrations.HEAD + 5))
    db.dispose()
    use("ru", {})
    with pytest.raises(StorageError) as err:
        open_database(f"sqlite:///{path}")
    head = migrations.HEAD
    assert str(err.value).endswith(
        f": версия схемы {head + 5} новее той, что понимает эта программа ({head}); обновите ticker"
    )


def test_config_checks_store_line_counts_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "ticker.db"
    settings = replace(Settings(), storage=StorageSettings(url=f"sqlite:///{path}"))
    use("ru", {})
    assert describe_store(settings) == (
        f"{path} (ещё не создано; создаётся при первом использовании)"
    )
    open_database(f"sqlite:///{path}").dispose()
    assert describe_store(settings) == (
        f"{path} (схема v{migrations.HEAD}; 0 курсов, 0 рыночных котировок, "
        "0 введённых вручную курсов)"
    )


def test_the_command_line_says_a_damaged_file_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database at all, just notes\n")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite:///{path}"\n')
    result = ticker("--config", str(cfg), "config", "check", env={"LANG": "ru_RU.UTF-8"})
    assert result.returncode == 2, result
    assert "это не база данных SQLite (файл не тронут" in result.stderr, result.stderr
    assert path.read_text() == "not a database at all, just notes\n"


def test_a_directory_for_the_database_is_said_as_expected_and_got(tmp_path: Path) -> None:
    """The same frame as a config value's: what was expected, then what was found."""
    from ticker.storage.sqlite_file import check_sqlite_file

    use("ru", {})
    with pytest.raises(StorageError) as err:
        check_sqlite_file(tmp_path, create_parent=False)
    assert str(err.value) == f"{tmp_path}: ожидалось: файл базы данных SQLite; получено: каталог"
