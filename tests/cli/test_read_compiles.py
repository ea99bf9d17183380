"""A one-shot read compiles no source text (not timed: counted, in the process that runs it).

Its code comes compiled from the bytecode cache; the one thing that compiled text on its
path was ``typing.NamedTuple``, a ``compile()`` per field of every record (the annotations
are strings), and the process's first ``compile()`` sets up the AST's types: 2 ms of a
40 ms status-bar run, measured. The read path's records are made by
:mod:`providers.tuples`, which compiles nothing; a record that goes back to ``typing``'s
class, or anything else that compiles on the way, fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from providers.observation import Observation
from tests.helpers.factories import FETCHED, obs
from tests.helpers.paths import REPO
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

#: Runs ``ticker ARGS`` with ``compile`` watched, then writes what it compiled besides a
#: module's own file (the import system compiles a module without fresh bytecode: a
#: checkout that writes none, as this machine's, does it on every run).
_RUN = (
    "import builtins, sys\n"
    "calls = []\n"
    "real = builtins.compile\n"
    "def counted(source, filename, *args, **kwargs):\n"
    "    if not str(filename).endswith('.py'):\n"
    "        calls.append(source)\n"
    "    return real(source, filename, *args, **kwargs)\n"
    "builtins.compile = counted\n"
    "from ticker.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(repr(calls))\n"
    "sys.exit(code)\n"
)
COMMANDS = [
    ["strip"],
    ["strip", "--change", "1m"],
    ["rates", "--json"],
    ["convert", "100", "RUB", "TJS"],
    ["providers"],
    ["health"],
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("compiles") / "ticker.db"
    db = open_database(f"sqlite:///{path}")
    try:
        day = date(2026, 11, 20)
        Repository(db).store(
            [
                obs("KGS", "87.45", provider="nbkr"),
                obs("KZT", "478.77", provider="nbk"),
                obs("TJS", "9.345", provider="nbt"),
                Observation("nbt", "RUB", "TJS", day, Decimal("0.1149"), False, FETCHED),
                Observation("erapi", "USD", "RUB", day, Decimal("81.2"), True, FETCHED),
            ]
        )
    finally:
        db.dispose()
    return path


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_one_shot_read_compiles_nothing(argv: list[str], store: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[pairs]\nwatch = ["KGS/USD", "KZT/USD", "RUB/TJS", "KZT/KGS"]\n')
    out = tmp_path / "compiles.txt"
    env = {
        **os.environ,
        "TICKER_DB_URL": f"sqlite:///{store}",
        "TICKER_CONFIG": str(config),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "LANG": "C.UTF-8",
        "LC_ALL": "",
        "TICKER_NOW": "2026-11-20T12:00:00Z",
    }
    # The second run, as a status bar's: the first parses the config file with tomllib
    # (whose own annotations compile) and keeps its parse (ticker.config.parsed).
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", _RUN, str(out), *argv],
            cwd=REPO, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr  # health: 1, no collector holds the store
    assert done.stdout  # it answered
    if argv[0] in ("strip", "rates"):
        assert "RUB/TJS" in done.stdout  # the watched pairs were read
    assert out.read_text() == "[]"
