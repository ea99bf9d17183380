"""The core stays headless and cheap to start: checked in fresh interpreters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import REPO


def _modules(*packages: str) -> list[str]:
    """Every module of ``packages``, found on disk (a new module is checked too)."""
    found = []
    for package in packages:
        for path in sorted((REPO / package.replace(".", "/")).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


#: Every headless module: below the interface, nothing may load Textual (Rich comes with
#: httpx, whose command line uses it: the import contracts keep our own code off it).
HEADLESS = [
    "ticker.cli",
    "ticker.errors",
    *_modules("providers", "ticker.model", "ticker.display", "ticker.config"),
    *_modules("ticker.storage", "ticker.core"),
]


def _loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_never_import_the_ui(module: str) -> None:
    loaded = _loaded_after_import(module)
    assert not {m for m in loaded if m.split(".")[0] == "textual"}
    assert "ticker.tui" not in loaded


def test_providers_never_import_ticker() -> None:
    loaded = _loaded_after_import("providers.base")
    assert not {m for m in loaded if m == "ticker" or m.startswith("ticker.")}


def test_the_cli_entry_point_does_not_load_storage_or_network_up_front() -> None:
    loaded = _loaded_after_import("ticker.cli")
    heavy = {"sqlalchemy", "sqlmodel", "httpx", "apscheduler", "pydantic", "psycopg"}
    assert not {m for m in loaded if m.split(".")[0] in heavy}


@pytest.mark.parametrize(
    "module", ["ticker.cli.collecting", "ticker.core.daemon", "ticker.tui.app"]
)
def test_the_metrics_library_loads_only_for_metrics(module: str) -> None:
    # prometheus-client is an optional extra: `ticker collect` without --metrics, and
    # everything else, must start without it.
    loaded = _loaded_after_import(module)
    assert not {m for m in loaded if m.split(".")[0] == "prometheus_client"}
    assert "ticker.core.metrics" not in loaded


def test_the_dashboard_defers_network_and_scheduling_imports() -> None:
    loaded = _loaded_after_import("ticker.tui.app")
    deferred = {"httpx", "apscheduler", "psycopg"}
    assert not {m for m in loaded if m.split(".")[0] in deferred}


def test_export_streams_without_the_models() -> None:
    # Export moves text from the database: SQLModel and pydantic would only cost start-up
    # time and memory (about 0.2 s and 13 MB).
    loaded = _loaded_after_import("ticker.core.export")
    assert not {m for m in loaded if m.split(".")[0] in {"sqlmodel", "pydantic", "httpx"}}


def test_the_dashboard_paints_before_loading_storage() -> None:
    # SQLAlchemy, SQLModel and pydantic take about 0.4 s to import: the first frame does
    # not wait for them (the workers load them to read the store).
    loaded = _loaded_after_import("ticker.tui.app")
    assert not {m for m in loaded if m.split(".")[0] in {"sqlalchemy", "sqlmodel", "pydantic"}}


def test_a_sqlite_store_never_loads_the_postgresql_dialect(tmp_path: object) -> None:
    # About 40 ms of every dashboard's wait for its data, for a database it never uses.
    code = (
        "import sys\n"
        "from tests.helpers.factories import obs\n"
        "from ticker.storage.db import open_database\n"
        "from ticker.storage.repository import Repository\n"
        "from ticker.model.health import ProviderHealth\n"
        f"repo = Repository(open_database('sqlite:///{tmp_path}/t.db'))\n"
        "repo.store([obs()])\n"
        "repo.save_health(ProviderHealth('nbk'))\n"
        "print('\\n'.join(sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "sqlalchemy.dialects.sqlite" in out.stdout.split()
    assert not [m for m in out.stdout.split() if m.startswith("sqlalchemy.dialects.postgresql")]


#: The feed clients and their HTTP code: what a one-shot read never needs.
#: providers.base is what the feed clients share (their base class, batches, options): the
#: read side needs only the record of a rate (providers.observation) and the errors
#: (providers.errors).
FEED_CODE = {
    "httpx",
    "providers.base",
    "providers.source",
    "providers.http",
    "providers.indicator_source",
}


def _feed_code(loaded: set[str]) -> set[str]:
    from providers.catalogue import SOURCES

    feeds = {f"providers.{name}" for name in SOURCES}
    return {m for m in loaded if m.split(".")[0] == "httpx" or m in FEED_CODE | feeds}


@pytest.mark.parametrize(
    "module",
    [
        "providers.catalogue",
        "ticker.config",
        "ticker.model.freshness",
        "ticker.cli.context",
        "ticker.cli.strip",
        "ticker.cli.reading",
        "ticker.cli.convert",
    ],
)
def test_what_a_source_is_is_read_without_its_feed_code(module: str) -> None:
    # The records (kind, currencies, calendar, defaults) are data: the read side and the
    # configuration know every source without importing its client.
    assert _feed_code(_loaded_after_import(module)) == set()


def test_one_shot_reads_load_no_feed_code(tmp_path: Path) -> None:
    from tests.helpers.factories import obs
    from ticker.storage.db import open_database
    from ticker.storage.repository import Repository

    repo = Repository(open_database(f"sqlite:///{tmp_path / 't.db'}"))
    repo.store([obs()])
    repo.close()
    code = (
        "import sys\n"
        "from ticker.cli import main\n"
        "codes = [main(a.split()) for a in sys.argv[1:]]\n"
        "print(codes, file=sys.stderr)\n"
        "print('\\n'.join(sys.modules))\n"
    )
    env = {
        **os.environ,
        "TICKER_DB_URL": f"sqlite:///{tmp_path / 't.db'}",
        "TICKER_NOW": "2026-11-20T12:00:00+00:00",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    env.pop("TICKER_CONFIG", None)
    for command in ("strip", "rates --json", "convert 100 KZT USD"):
        done = subprocess.run(
            [sys.executable, "-c", code, command],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            check=True,
        )
        assert done.stderr.strip().splitlines()[-1] == "[0]", (command, done.stderr)
        assert _feed_code(set(done.stdout.split())) == set(), command
