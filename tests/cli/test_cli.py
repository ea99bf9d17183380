"""The command line as a user meets it: real subprocesses, real exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from tests.helpers.factories import obs
from tests.helpers.paths import REPO
from ticker import __version__
from ticker.storage import migrations
from ticker.storage.db import open_database
from ticker.storage.repository import Repository


def test_help_lists_the_commands_that_exist() -> None:
    result = ticker("--help")
    assert result.returncode == 0
    assert "config" in result.stdout
    assert result.stderr == ""


def test_no_command_opens_the_dashboard_which_needs_a_terminal() -> None:
    result = ticker()  # stdin/stdout are pipes here, not a terminal
    assert result.returncode == 2
    assert result.stderr == (
        "ticker: the dashboard needs a terminal; see 'ticker --help' for commands\n"
    )


def test_version() -> None:
    result = ticker("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"ticker {__version__}")


def test_unknown_command_is_one_line_exit_2() -> None:
    result = ticker("frobnicate")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "invalid choice: 'frobnicate'" in result.stderr


#: What `config check` says of the market sources on the built-in defaults: NBT's own
#: table on, the third parties off and how to turn them on.
MARKET_BLOCK = (
    "Market sources (banks' and offices' buy and sell, never an official rate):\n"
    "  nbt-banks  on\n"
    "  fx-kg      off: third party, set [providers.fx-kg] enabled = true\n"
    "  kurs-kz    off: third party, set [providers.kurs-kz] enabled = true\n"
    "  bank-uz    off: third party, set [providers.bank-uz] enabled = true\n"
)


def test_config_check_on_defaults_says_ok_and_creates_nothing(isolated_env: Path) -> None:
    result = ticker("config", "check")
    assert result.returncode == 0, result.stderr
    db = isolated_env / "data" / "ticker" / "ticker.db"
    assert result.stdout == (
        f"OK: built-in defaults; database {db} (not created yet; made on first use)\n"
        + MARKET_BLOCK
    )
    assert not db.exists()


def test_config_check_reports_an_existing_store(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    database = open_database(f"sqlite:///{path}")
    Repository(database).add_observations([obs(), obs(quote="KGS", rate="87.45")])
    database.dispose()
    result = ticker("config", "check", env={"TICKER_DB_URL": f"sqlite:///{path}"})
    assert result.returncode == 0, result.stderr
    expected = f"(schema v{migrations.HEAD}; 2 observations, 0 market quotes, 0 reported rates)"
    assert result.stdout == f"OK: built-in defaults; database {path} {expected}\n" + MARKET_BLOCK


def test_config_check_with_repository_config() -> None:
    result = ticker("--config", "config.toml", "config", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: config.toml; database ")


def test_config_flag_after_the_subcommand(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[display]\ntheme = "purple"\n')
    result = ticker("config", "check", "--config", str(cfg))
    assert result.returncode == 2
    assert result.stderr.startswith(f"ticker: {cfg}: display.theme: expected one of ")


def test_bad_config_never_shows_a_traceback() -> None:
    bad = REPO / "tests" / "data" / "config" / "bad_duration.toml"
    result = ticker("--config", str(bad), "config", "check")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f'ticker: {bad}: providers.nbk.interval: expected a duration like "30m", got "soon"\n'
    )


def test_config_path_prints_config_and_database(tmp_path: Path, isolated_env: Path) -> None:
    result = ticker("config", "path")
    assert result.returncode == 0
    platform_file = isolated_env / "config" / "ticker" / "config.toml"
    assert result.stdout.splitlines() == [
        f"config: built-in defaults (no file at {platform_file})",
        f"database: {isolated_env / 'data' / 'ticker' / 'ticker.db'}",
    ]
    cfg = tmp_path / "c.toml"
    cfg.write_text("")
    result = ticker(
        "config",
        "path",
        env={"TICKER_CONFIG": str(cfg), "TICKER_DB_URL": "postgresql://me:secret@db.example/t"},
    )
    assert result.stdout.splitlines() == [
        f"config: {cfg} (from $TICKER_CONFIG)",
        "database: postgresql://me:***@db.example/t (from $TICKER_DB_URL)",
    ]


@pytest.mark.parametrize("content", [b"not a database at all\n" * 20, b"\x00" * 5000])
def test_a_corrupt_database_file_is_exit_2_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "ticker.db"
    path.write_bytes(content)
    result = ticker("config", "check", env={"TICKER_DB_URL": f"sqlite:///{path}"})
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert path.read_bytes() == content


def test_an_unsupported_database_url_is_exit_2() -> None:
    result = ticker("config", "check", env={"TICKER_DB_URL": "oracle://scott@db/orcl"})
    assert result.returncode == 2
    assert result.stderr == (
        "ticker: $TICKER_DB_URL: expected a sqlite:// or postgresql:// URL "
        "(drivers: pysqlite, psycopg), got 'oracle://scott@db/orcl'\n"
    )


def test_an_uninstalled_driver_is_exit_2(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[storage]\nurl = "postgresql+psycopg2://u:pw@db.example/t?password=x"\n')
    result = ticker("--config", str(cfg), "config", "check")
    assert result.returncode == 2
    assert result.stderr == (
        f"ticker: {cfg}: storage.url: expected a sqlite:// or postgresql:// URL (drivers: "
        "pysqlite, psycopg), got 'postgresql+psycopg2://u:***@db.example/t?password=***'\n"
    )


def test_config_check_refuses_what_opening_would_refuse(tmp_path: Path) -> None:
    import sqlite3

    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (x)")
    before = foreign.read_bytes()
    result = ticker("config", "check", env={"TICKER_DB_URL": f"sqlite:///{foreign}"})
    assert result.returncode == 2
    assert "not a ticker database" in result.stderr
    assert foreign.read_bytes() == before

    newer = tmp_path / "newer.db"
    database = open_database(f"sqlite:///{newer}")
    with database.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE ticker_schema SET version = 99")
    database.dispose()
    result = ticker("config", "check", env={"TICKER_DB_URL": f"sqlite:///{newer}"})
    assert result.returncode == 2
    assert "schema version 99 is newer than this program" in result.stderr

    missing = tmp_path / "no" / "such" / "t.db"
    result = ticker("config", "check", env={"TICKER_DB_URL": f"sqlite:///{missing}"})
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_an_unreachable_postgresql_is_exit_2_with_one_line() -> None:
    # Port 9 on loopback (discard): nothing listens, the connection is refused at once.
    result = ticker("config", "check", env={"TICKER_DB_URL": "postgresql://u@127.0.0.1:9/t"})
    assert result.returncode == 2
    assert result.stderr.startswith("ticker: postgresql://u@127.0.0.1:9/t: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
