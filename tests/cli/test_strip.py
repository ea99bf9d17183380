"""``ticker strip`` for status bars: which pairs, compact, a template, colours for rises
and falls, and ``--follow``, which prints a new line only when the strip changes."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Observation
from tests.helpers.cli import ticker
from tests.helpers.dashboard import NOW, TODAY, repo_for
from tests.helpers.paths import REPO
from tests.helpers.seeded import seed, settings_for

ENV_NOW = {"TICKER_NOW": NOW.isoformat()}


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    """The seeded store (five official sources, CBR crosses), as the command's env."""
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    seed(repo)
    repo.close()
    return {"TICKER_DB_URL": settings.database_url, **ENV_NOW}


def test_the_default_strip_names_each_source(store: dict[str, str]) -> None:
    done = ticker("strip", env=store)
    assert done.returncode == 0, done.stderr
    parts = done.stdout.rstrip("\n").split(" • ")
    assert [p.split(" = ")[0] for p in parts] == [
        "KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD",
    ]  # fmt: skip
    # The seed: NBKR's 87.45 today after 87.28 (87.45 x 0.998) yesterday.
    change = (Decimal("87.28") / Decimal("87.45") - 1) * 100
    assert parts[0] == f"KGS/USD = 0.011435 {change:.2f}% NBKR"
    assert parts[1] == "KZT/USD = 0.0020887 0.00% NBK"  # Friday's and Monday's agree
    # CBT failed its last polls but today's fixing is stored: shown, with the state.
    assert parts[4] == "TMT/USD = 0.28571 0.00% CBT (last poll failed)"


def test_a_cross_keeps_its_marker(store: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[routing]\nKZT = ["cbr", "nbk"]\n')
    done = ticker("strip", "--pair", "KZT", "--config", str(config), env=store)
    assert done.returncode == 0, done.stderr
    assert " CBR×" in done.stdout and "NBK" not in done.stdout


def test_compact_pairs_in_the_order_given(store: dict[str, str]) -> None:
    done = ticker("strip", "--compact", "--pair", "UZS", "--pair", "kgs", env=store)
    assert done.returncode == 0, done.stderr
    uzs, kgs = done.stdout.rstrip("\n").split(" • ")
    assert uzs.startswith("UZS 0.000082006 ") and kgs.startswith("KGS 0.011435 ")
    assert "CBU" not in uzs and "NBKR" not in kgs  # no sources


def test_a_template_and_a_separator(store: dict[str, str]) -> None:
    done = ticker(
        "strip", "--pair", "KZT", "--pair", "TMT", "--invert",
        "--format", "{code}:{rate}:{source}:{as_of}:{state}", "--separator", " | ", env=store,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    kzt, tmt = done.stdout.rstrip("\n").split(" | ")
    assert kzt == f"KZT:478.77:NBK:{TODAY.isoformat()}:ok"
    assert tmt.startswith("TMT:3.50")


@pytest.mark.parametrize(
    ("how", "rise", "fall"),
    [
        ("tmux", ("#[fg=green]", "#[fg=default]"), ("#[fg=red]", "#[fg=default]")),
        ("ansi", ("\x1b[32m", "\x1b[39m"), ("\x1b[31m", "\x1b[39m")),
    ],
)
def test_rises_and_falls_are_coloured(
    how: str, rise: tuple[str, str], fall: tuple[str, str], store: dict[str, str]
) -> None:
    template = ["--format", "{code} {arrow}{change}", "--color", how]

    def shown(*args: str) -> dict[str, str]:
        done = ticker("strip", *template, *args, env=store)
        assert done.returncode == 0, done.stderr
        return dict(p.split(" ", 1) for p in done.stdout.rstrip("\n").split(" • "))

    # The seeded som fell against the dollar: KGS/USD down, USD/KGS up.
    (a, b), (c, d) = fall, rise
    assert shown()["KGS"] == f"{a}▼{b}{a}-0.19%{b}"
    assert shown("--invert")["KGS"] == f"{c}▲{d}{c}+0.19%{d}"
    assert shown()["KZT"] == "=0.00%"  # no move: no colour
    plain = ticker("strip", "--format", "{code} {arrow}{change}", env=store)
    assert "\x1b" not in plain.stdout and "#[" not in plain.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "{rate} {nope}"], "--format: unknown field {nope} (fields: pair, code"),
        (["--format", "{rate"], "--format: expected '}' before end of string"),
        (["--compact", "--format", "{rate}"], "--compact and --format: choose one"),
        (["--color", "pink"], "--color: expected one of never, ansi, tmux, got 'pink'"),
        (["--follow", "--every", "0"], "--every: expected seconds from 0.1 to 3600, got '0'"),
        (["--follow", "--every", "５"], "--every: expected seconds from 0.1 to 3600"),
        (["--pair", "XYZ"], "--pair: "),
    ],
)
def test_bad_options_are_one_line_exit_2(
    args: list[str], message: str, store: dict[str, str]
) -> None:
    done = ticker("strip", *args, env=store)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"ticker: {message}") and done.stderr.count("\n") == 1


class Follower:
    """``ticker strip --follow`` in a child process, its lines read as they come."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ticker.cli", "strip", "--follow", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **env},
            cwd=REPO,
            text=True,
        )
        self.selector = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)

    def line(self, timeout: float) -> str | None:
        """The next line within ``timeout`` seconds, or None."""
        if not self.selector.select(timeout):
            return None
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().rstrip("\n")

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGTERM)
        _out, err = self.proc.communicate(timeout=10)
        return self.proc.returncode, err


def test_follow_prints_a_line_only_when_the_strip_changes(
    store: dict[str, str], tmp_path: Path
) -> None:
    follower = Follower(store, "--pair", "KZT", "--compact", "--every", "0.1")
    try:
        first = follower.line(30)
        assert first is not None and first.startswith("KZT 0.0020887 ")
        assert follower.line(1.0) is None  # nothing changed: nothing printed
        repo = repo_for(settings_for(tmp_path / "t.db"))
        try:  # a store of another pair: the strip stays the same
            repo.add_observations(
                [Observation("nbkr", "USD", "KGS", TODAY, Decimal("87.50"), False, NOW)]
            )
            assert follower.line(1.0) is None
            repo.add_observations(  # tomorrow's NBK fixing: the strip changes
                [
                    Observation(
                        "nbk", "USD", "KZT", TODAY + timedelta(days=1), Decimal("480.00"),
                        False, NOW,
                    )
                ]
            )  # fmt: skip
        finally:
            repo.close()
        second = follower.line(10)
        assert second is not None and second.startswith("KZT 0.0020833 ")
    finally:
        code, err = follower.stop()
    assert code == 0 and err == ""


def test_follow_waits_for_a_store_that_is_not_there_yet(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "later.db")
    follower = Follower({"TICKER_DB_URL": settings.database_url, **ENV_NOW}, "--every", "0.1")
    try:
        assert follower.line(1.5) is None
        repo = repo_for(settings)
        seed(repo)
        repo.close()
        line = follower.line(15)
        assert line is not None and line.startswith("KGS/USD = ")
    finally:
        code, err = follower.stop()
    assert code == 0
    assert err == "ticker: no rates stored yet; run 'ticker poll' (or 'ticker collect') first\n"
