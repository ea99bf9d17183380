"""What a one-shot read loads, checked in the process that runs it (not timed: a status bar
runs ``ticker strip`` every few seconds, and every module it loads is paid each time).

Each fast command runs to its end over a SQLite store that holds rates, with no config
file, and the modules loaded by then are listed. None of these may be among them: the
ORM (the read side opens the store with ``sqlite3``), the network and the dashboard, the
whole grammar (argparse: the plain command lines are read by :mod:`ticker.cli.fast`), the
section parsers of a config file that is not there, the alert rules' vocabulary, and
PostgreSQL's lease on a SQLite store. Nor the real ``inspect`` (with ``ast`` and ``dis``):
``dataclasses`` names it, but uses it only to write the docstring of a dataclass that has
none (:mod:`ticker.cli.deferred`). Nor ``gettext`` in English (the words as written need
no catalogue), nor ``json`` for a text form.

Run as the program, a one-shot read runs without the cyclic garbage collector (it ends as
soon as it has answered); ``strip --follow``, which runs until stopped, keeps it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.factories import obs
from tests.helpers.paths import REPO
from ticker.model.health import ProviderHealth
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

#: Never loaded by a fast command's run: (top-level packages, modules).
NOT_LOADED_PACKAGES = {
    "sqlalchemy", "sqlmodel", "pydantic", "psycopg", "httpx", "textual", "apscheduler",
    "argparse", "tomllib", "socket", "ast", "dis", "tokenize", "gettext",
}  # fmt: skip
NOT_LOADED_MODULES = {
    "ticker.cli.parser",
    "ticker.cli.grammar",
    "ticker.cli.alerts_grammar",
    "ticker.cli.argparse_words",
    "ticker.config.alerts",
    "ticker.config.channels",
    "ticker.config.hooks",
    "ticker.config.decisions",
    "ticker.config.sections",
    "ticker.config.reader",
    "ticker.model.rules",
    "ticker.storage.repository",
    "ticker.storage.db",
    "ticker.storage.lease.postgres",
    "providers.market_quote",
    "ticker.display.plot",  # the charts' plotter: no fast command draws one
}
COMMANDS = [
    ["strip"],
    ["strip", "--change", "1m", "--invert"],
    ["rates", "--json"],
    ["rates"],
    ["providers"],
    ["providers", "--json"],
    ["health"],
    ["health", "--json"],
    ["convert", "100", "USD", "KGS"],
]
#: Runs ``ticker ARGS``, then writes the modules loaded.
_RUN = (
    "import sys\n"
    "from ticker.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write('\\n'.join(sys.modules))\n"
    "sys.exit(code)\n"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fast") / "ticker.db"
    db = open_database(f"sqlite:///{path}")
    try:
        repo = Repository(db)
        repo.store(
            [
                obs("KGS", "87.45", provider="nbkr"),
                obs("KZT", "478.77", provider="nbk"),
                obs("TJS", "9.345", provider="nbt"),
                obs("UZS", "12194.21", provider="cbu"),
                obs("TMT", "3.5", provider="cbt"),
            ]
        )
        repo.save_health(ProviderHealth("nbk"))
    finally:
        db.dispose()
    return path


def _loaded(argv: list[str], store: Path, tmp_path: Path) -> set[str]:
    """The modules ``ticker ARGV`` loaded by the time it answered."""
    out = tmp_path / "modules.txt"
    env = {
        **os.environ,
        "TICKER_DB_URL": f"sqlite:///{store}",
        "TICKER_CONFIG": "",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no config file: the defaults
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "LANG": "C.UTF-8",
        "LC_ALL": "",
        "TICKER_NOW": "2026-11-20T12:00:00Z",
    }
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(out), *argv],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr  # health: 1, no collector holds the store
    assert done.stdout  # it answered
    loaded = set(out.read_text().split())
    assert "ticker.storage.reader" in loaded  # it did read the store
    return loaded


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_fast_read_loads_only_what_its_answer_needs(
    argv: list[str], store: Path, tmp_path: Path
) -> None:
    loaded = _loaded(argv, store, tmp_path)
    found = {m for m in loaded if m.split(".")[0] in NOT_LOADED_PACKAGES}
    assert not found, "a dataclass without a docstring loads inspect" if "ast" in found else ""
    assert not loaded & NOT_LOADED_MODULES
    if "--json" not in argv:
        assert "json" not in loaded  # a text form writes no JSON, and reads none


#: Runs ``ticker ARGS`` as the program (``main()`` reads ``sys.argv``) and says, when it
#: ends, whether the cyclic collector was on.
_RUN_AS_PROGRAM = (
    "import gc, sys\n"
    "import ticker.cli\n"
    "sys.argv = ['ticker', *sys.argv[1:]]\n"
    "ticker.cli.end = lambda code: print('collector', gc.isenabled(), file=sys.stderr)\n"
    "ticker.cli.main()\n"
)


def test_a_one_shot_read_run_as_the_program_spares_the_collector(
    store: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "TICKER_DB_URL": f"sqlite:///{store}",
        "TICKER_CONFIG": "",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "LANG": "C.UTF-8",
        "LC_ALL": "",
        "TICKER_NOW": "2026-11-20T12:00:00Z",
    }
    for argv in (["strip"], ["rates", "--json"], ["convert", "100", "USD", "KGS"]):
        done = subprocess.run(
            [sys.executable, "-c", _RUN_AS_PROGRAM, *argv],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.stdout, done.stderr  # it answered
        assert done.stderr.splitlines()[-1] == "collector False"
    in_process = subprocess.run(
        [sys.executable, "-c", _RUN.replace("main(sys.argv[2:])", "main(sys.argv[2:])\n"
         "import gc; print('collector', gc.isenabled())"), str(tmp_path / "m.txt"), "strip"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert "collector True" in in_process.stdout  # main(argv), as tests call it: untouched


def test_a_config_file_loads_the_parsers_of_its_own_sections(store: Path, tmp_path: Path) -> None:
    """A status bar's config (its language, its pairs) is checked whole, by the parsers of
    the sections it has; the alerts' and the channels' are not loaded for it."""
    config = tmp_path / "config.toml"
    config.write_text('[display]\nlanguage = "ru"\n\n[pairs]\nwatch = ["KGS/USD", "RUB/TJS"]\n')
    loaded = _loaded(["--config", str(config), "strip"], store, tmp_path)
    assert {"tomllib", "ticker.config.sections", "ticker.config.pairs"} <= loaded
    assert not loaded & {
        "ticker.config.alerts",
        "ticker.config.channels",
        "ticker.config.hooks",
        "ticker.config.decisions",
        "ticker.model.rules",
    }
    # The next run finds the same text: its parse is kept (ticker.config.parsed), checked
    # by the same section parsers, without the TOML parser.
    again = _loaded(["--config", str(config), "strip"], store, tmp_path)
    assert {"ticker.config.sections", "ticker.config.pairs"} <= again
    assert "tomllib" not in again
