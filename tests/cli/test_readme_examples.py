"""The README's examples, run as written (issue 27, item 13): "The first five minutes" and
the ``ticker alerts`` block line by line, against the local feed server (every source's
``base_url`` points at it: nothing reaches the internet) at its clock ($TICKER_NOW).

The README's lines are read from the README itself, so an example changed there is run
here as changed. What a line needs from the machine is given the way a user would give it:
a config (the feed server's addresses, and the README's own ``[hooks.notify]``), a
``notify-send`` on $PATH. Two lines are not child processes: ``make run ARGS="--version"``
is the Makefile's ``.venv/bin/ticker --version`` (the suite runs inside that venv, so the
command is run as ``ticker --version``), and the bare ``ticker`` (the dashboard, which needs
a terminal) is opened with Textual's pilot on the same config.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import shlex
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from tests.helpers.dashboard import settle
from tests.helpers.e2e import E2E_ENV, E2E_NOW, route, write_config
from tests.helpers.feedserver import FeedServer
from tests.helpers.paths import REPO
from ticker.config import PROVIDERS, load_settings
from ticker.tui.app import TickerApp
from ticker.tui.widgets.rates import RatesTable

README = (REPO / "README.md").read_text()


def block_after(heading: str, fence: str = "```sh") -> list[str]:
    """The command lines of the first ``fence`` block after ``heading``, comments cut."""
    after = README.split(heading, 1)[1]
    body = after.split(fence + "\n", 1)[1].split("```", 1)[0]
    lines = []
    for raw in body.splitlines():
        line = raw.split("  #", 1)[0].strip() if "  #" in raw else raw.strip()
        if line:
            lines.append(line)
    return lines


def readme_hooks() -> str:
    """The README's ``[hooks.*]`` block, as a user copies it into the config."""
    after = README.split("Hooks are defined in the config", 1)[1]
    return after.split("```toml\n", 1)[1].split("```", 1)[0]


@pytest.fixture
def machine(tmp_path: Path) -> dict[str, str]:
    """A $PATH with a ``notify-send`` that writes what it was asked to show (a desktop that
    has one), and $HOME in the test's directory (the README's log hook writes there)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    notify = bin_dir / "notify-send"
    notify.write_text(f'#!/bin/sh\necho "$@" >> "{tmp_path / "notified"}"\n')
    notify.chmod(0o755)
    return {
        **E2E_ENV,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
    }


def only_nbk(server: FeedServer, tmp_path: Path) -> Path:
    """Every source on the feed server, NBK alone enabled (it answers any day asked, so a
    year of history comes from it quickly), no pause between a backfill's requests, and
    the README's hooks."""
    # The boards and the monetary sources switched on here only to be switched off below,
    # once (no key twice).
    cfg = write_config(
        tmp_path, server, tmp_path / "t.db", readme_hooks(), market=True, monetary=True
    )
    text = cfg.read_text()
    for name in PROVIDERS:
        keys = 'backfill_delay = "0s"\n' if name == "nbk" else "enabled = false\n"
        text = text.replace(f"[providers.{name}]\n", f"[providers.{name}]\n{keys}")
    cfg.write_text(text)
    return cfg


def run_line(line: str, cfg: Path, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    argv = shlex.split(line)
    assert argv[0] == "ticker", line
    done = ticker("--config", str(cfg), *argv[1:], env=env, cwd=cwd)
    return done.returncode, done.stdout, done.stderr


def test_the_first_five_minutes_as_written(tmp_path: Path, machine: dict[str, str]) -> None:
    lines = block_after("## The first five minutes")
    assert lines[0] == 'make run ARGS="--version"'
    assert lines[2] == "ticker"
    with FeedServer(route).running() as server:
        cfg = only_nbk(server, tmp_path)
        code, out, err = run_line("ticker --version", cfg, machine, tmp_path)
        assert code == 0 and re.fullmatch(r"ticker \S+\n", out), (out, err)

        code, out, err = run_line(lines[1], cfg, machine, tmp_path)  # the backfill
        assert code == 0, err
        one_year_back = (E2E_NOW.date() - timedelta(days=365)).isoformat()
        assert f"from {one_year_back} to {E2E_NOW.date().isoformat()}" in err + out
        assert "366/366 requests" in err + out  # a year of NBK's days, every one asked

        settings = load_settings(str(cfg))
        app = TickerApp(settings, collect=False, animate=False)

        async def dashboard() -> list[str]:
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(pilot)  # the store's first read is on the screen
                table = app.dashboard.query_one(RatesTable)
                return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]

        assert "KZT/USD" in asyncio.run(dashboard())

        code, out, err = run_line(lines[3], cfg, machine, tmp_path)  # the alert
        assert code == 0, err
        assert "alert #1: KZT/USD below 0.0019" in out  # armed: the rate is above it

        code, out, err = run_line(lines[4], cfg, machine, tmp_path)  # the export
        assert code == 0, err
        rows = list(csv.DictReader(io.StringIO((tmp_path / "kzt.csv").read_text())))
        assert rows and {r["provider"] for r in rows} == {"nbk"}
        dates = sorted(r["as_of"] for r in rows)
        assert dates[0] >= (E2E_NOW.date() - timedelta(days=32)).isoformat()


def test_the_alerts_block_line_by_line(tmp_path: Path, machine: dict[str, str]) -> None:
    lines = block_after("### `ticker alerts`")
    assert lines[0].startswith("ticker alerts add KZT/USD above")
    with FeedServer(route).running() as server:
        cfg = only_nbk(server, tmp_path)
        code, _, err = run_line("ticker poll", cfg, machine, tmp_path)
        assert code == 0, err
        said: dict[str, tuple[int, str, str]] = {}
        for line in lines:
            said[line] = run_line(line, cfg, machine, tmp_path)
            code, out, err = said[line]
            assert code == 0, (line, out, err)
    listing = said[next(line for line in lines if line.startswith("ticker alerts list"))][1]
    assert re.search(r"^\s*1\s+KZT/USD\s+above 0\.0021", listing, re.M)
    assert re.search(r"^\s*3\s+KGS/USD\s+stale", listing, re.M)
    history = json.loads(said["ticker alerts history --json"][1])
    assert isinstance(history, list)
    tested = said["ticker alerts test"][1]
    assert "desktop: works (notify-send)" in tested  # the notify-send on this $PATH
    # The block removed rule #3, the one with the README's hook, before testing:
    assert "command: no rule has a command hook" in tested


#: A path the README or CONTRIBUTING names, in backquotes: a folder of the repository first.
NAMED_PATH = re.compile(
    r"`((?:\.\./|tests/|ticker/|providers/|benchmarks/|contrib/|docs/)[^`\s]*)`"
)
#: A test named by its function.
NAMED_TEST = re.compile(r"`(test_[a-z0-9_]+)`")


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md"])
def test_the_documents_name_only_files_and_tests_that_exist(document: str) -> None:
    text = (REPO / document).read_text()
    paths = NAMED_PATH.findall(text)
    assert paths  # the pattern finds what these documents name
    outside = [p for p in paths if p.startswith("../")]
    assert not outside, f"{document} names files outside the repository: {outside}"
    missing = [p for p in paths if not (REPO / p.split("::")[0].rstrip(",.")).exists()]
    assert not missing, f"{document} names files the repository lacks: {missing}"
    sources = "\n".join(p.read_text() for p in (REPO / "tests").rglob("test_*.py"))
    tests = NAMED_TEST.findall(text)
    absent = [t for t in tests if f"def {t}(" not in sources]
    assert not absent, f"{document} names tests that do not exist: {absent}"


def test_the_pairs_example_config_and_its_conversions(tmp_path: Path) -> None:
    """ "Pairs beyond the dollar": the README's ``[pairs]`` block is a config that loads, and
    its two ``convert`` examples print as written against the stored tables they name
    (the observations of tests/core/test_pairs_beyond_usd.py, Wednesday 25 Nov 2026)."""
    from tests.core.test_pairs_beyond_usd import BANKS, NOW
    from ticker.storage.db import open_database
    from ticker.storage.repository import Repository

    section = README.split("## Pairs beyond the dollar", 1)[1]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    Repository(database).add_observations(BANKS)
    database.dispose()
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite:///{db}"\n{block}')
    assert len(load_settings(str(cfg)).pairs.watch) == 12
    said = re.findall(r"`(100 RUB = [^`]+)`", section.replace("\n  ", " "))
    assert len(said) == 2
    env = {"TICKER_NOW": NOW.isoformat()}
    for line in said:
        target = line.split(" = ", 1)[1].split()[1].rstrip(":")
        done = ticker("--config", str(cfg), "convert", "100", "RUB", target, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == line
