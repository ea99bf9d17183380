"""The backfill's progress lines: shortened to any terminal width, one line per provider
whatever the redraws and resizes, plain lines off a terminal, and stored counts that climb
as rows are stored."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from tests.helpers.e2e import E2E_ENV, cbt_route, write_config
from tests.helpers.factories import obs
from tests.helpers.feedserver import FeedServer
from tests.helpers.nbk import nbk_for, repository, settings_for
from tests.helpers.paths import REPO
from tests.helpers.terminal import Terminal
from ticker.cli.progress import ProgressDisplay, render
from ticker.core import backfill as backfill_module
from ticker.core.backfill import Backfill
from ticker.core.backfill_progress import ProviderProgress
from ticker.core.ingest import IngestResult
from ticker.core.net import make_client
from ticker.core.registry import build_provider
from ticker.model.records import Quarantined

WIDTHS = (40, 80, 124, 200)
#: The monotonic moment the lines are rendered at: ten seconds after each start.
STARTED, NOW = 100.0, 110.0


def states() -> list[ProviderProgress]:
    """A provider at each stage, with small and large counts and every kind of trouble."""
    held = IngestResult(quarantined=[Quarantined(obs("TMT", "3.02"), "off the peg", None)] * 2)
    return [
        ProviderProgress("nbk", total=77, done=37, fetched=148, stored=132, started=STARTED),
        ProviderProgress(
            "currencyapi",
            total=1200,
            done=600,
            fetched=123456,
            stored=120000,
            no_fixing=3,
            failures=[f"2026-01-{d:02d}: HTTP 500" for d in range(1, 13)],
            result=held,
            started=STARTED,
        ),
        ProviderProgress(
            "cbt", total=92, done=92, fetched=460, stored=455, started=STARTED, finished=True
        ),
        ProviderProgress(
            "frankfurter",
            total=8,
            done=3,
            fetched=1500,
            stored=0,
            started=STARTED,
            interrupted=True,
        ),
        ProviderProgress("erapi", note="no history at this source", finished=True),
        ProviderProgress("nbt"),
    ]


def _number_before(words: str, line: str) -> int | None:
    found = re.search(rf"(\d+) {words}", line)
    return int(found.group(1)) if found else None


@pytest.mark.parametrize("width", WIDTHS)
def test_every_line_fits_the_width_and_keeps_the_counts(width: int) -> None:
    percents = {"nbk": "48%", "currencyapi": "50%", "cbt": "100%", "frankfurter": "38%"}
    for p in states():
        line = render(p, width, name_width=11, now=NOW)
        assert len(line) <= width and "\n" not in line, line
        assert line.startswith(p.provider)
        if p.total == 0:
            assert line == (p.provider.ljust(11) + " " + (p.note or "waiting"))[:width]
            continue
        assert percents[p.provider] in line
        assert _number_before("(?:new rows )?stored", line) == p.stored
        if width >= 80:
            assert _number_before("(?:rates )?fetched", line) == p.fetched
        if p.failures and width >= 80:
            assert f"{len(p.failures)} failed" in line


def test_a_wide_terminal_gets_the_whole_line_and_a_narrow_one_the_essentials() -> None:
    nbk = states()[0]
    # 37 of 77 requests in 10 s: 3.7/s, 40 left: 10.8 s.
    whole = (
        "nbk         [#########...........]  48% 37/77 requests   3.7/s ETA 00:10  "
        "148 rates fetched, 132 new rows stored"
    )
    assert render(nbk, None, name_width=11, now=NOW) == whole
    assert render(nbk, 200, name_width=11, now=NOW) == whole
    assert render(nbk, 124, name_width=11, now=NOW) == whole
    assert render(nbk, 80, name_width=11, now=NOW) == (
        "nbk         [#########...........]  48% 37/77 ETA 00:10  148 fetched, 132 stored"
    )
    assert render(nbk, 40, name_width=11, now=NOW) == "nbk          48% ETA 00:10 132 stored"
    troubled = states()[1]
    assert render(troubled, None, name_width=11, now=NOW).endswith(
        "123456 rates fetched, 120000 new rows stored "
        "(3 days without a fixing, 12 failed, 2 quarantined)"
    )
    assert (
        render(troubled, 40, name_width=11, now=NOW)
        == "currencyapi  50% 120000 stored, 12 fail\u2026"
    )
    one = ProviderProgress("cbr", total=10, done=5, no_fixing=1, started=STARTED)
    assert render(one, None, name_width=3, now=NOW).endswith("(1 day without a fixing)")


def _progress(names: list[str]) -> dict[str, ProviderProgress]:
    return {n: ProviderProgress(n, total=50, started=time.monotonic()) for n in names}


def _advance(progress: dict[str, ProviderProgress], step: int) -> None:
    for i, p in enumerate(progress.values()):
        p.done = min(p.done + step * (i + 1), p.total)
        p.fetched = p.done * 4
        p.stored = p.fetched - 4  # the last response is still waiting to be stored
        p.finished = p.done == p.total


def test_redraws_leave_one_line_per_provider_at_any_width_and_after_resizes() -> None:
    names = ["nbk", "cbt", "nbt", "currencyapi"]
    progress = _progress(names)
    stream = io.StringIO()
    columns = {"now": 124}
    display = ProgressDisplay(progress, stream, size=lambda: (columns["now"], 30), live=True)
    term = Terminal(124)
    header = "$ ticker backfill --since 2y"
    term.feed(header + "\n")
    written = 0
    for width in (124, 124, 80, 40, 40, 200, 80):
        if width != term.columns:
            term.resize(width)  # the window is resized: the terminal wraps its lines again
            columns["now"] = width
        _advance(progress, 3)
        display.draw()
        term.feed(stream.getvalue()[written:])
        written = len(stream.getvalue())
        rows = term.rows()
        assert rows[0] == header  # what was above the display is left alone
        assert len(rows) == 1 + len(names), rows  # no copy of an earlier line is left
        for row, p in zip(rows[1:], progress.values(), strict=True):
            assert len(row) < width and row.startswith(p.provider)
            assert _number_before("(?:new rows )?stored", row) == p.stored
    assert "\r" not in stream.getvalue()


def test_the_terminal_model_shows_the_copies_that_wrapped_lines_left() -> None:
    # What users saw below 125 columns: a line longer than the terminal wraps, and going
    # back one row per line does not reach the first one.
    term = Terminal(60)
    long_line = "cbt          [####................]  20% 18/92 requests " + "x" * 40
    for _ in range(3):
        term.feed("\x1b[1F" if term.lines != [""] else "")
        term.feed("\x1b[2K" + long_line + "\n")
    assert len(term.rows()) > 2


def test_a_short_terminal_shows_the_running_providers_and_how_many_more() -> None:
    progress = _progress(["nbkr", "nbk", "nbt", "cbu", "cbt", "cbr"])
    _advance(progress, 10)  # nbt and the later ones are done
    display = ProgressDisplay(progress, io.StringIO(), size=lambda: (80, 5), live=True)
    lines = display.lines(80, 5)
    assert [line.split()[0] for line in lines[:3]] == ["nbkr", "nbk", "nbt"]
    assert lines[3] == "... and 3 providers more"


def test_off_a_terminal_each_provider_is_one_plain_line_when_it_is_done() -> None:
    progress = _progress(["nbk", "cbt"])
    stream = io.StringIO()
    display = ProgressDisplay(progress, stream, live=False)
    progress["cbt"].done = progress["cbt"].total = 50
    progress["cbt"].finished = True
    display.draw()
    display.draw()
    assert stream.getvalue().splitlines()[0].startswith("cbt ")
    assert len(stream.getvalue().splitlines()) == 1  # said once
    display.final()
    lines = stream.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == ["cbt", "nbk"]
    assert "\x1b" not in stream.getvalue() and "\r" not in stream.getvalue()


def test_rows_are_counted_as_they_are_stored_even_while_a_request_is_slow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NBK answers two days, then takes its time with the third: the two days' rows are
    stored (and counted) meanwhile, not when the slow answer comes."""
    monkeypatch.setattr(backfill_module, "FLUSH_SECONDS", 0.5)
    reached, release = threading.Event(), threading.Event()
    asked: list[str] = []

    def route(provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        asked.append(query["fdate"])
        if len(asked) == 3:
            reached.set()
            release.wait(30)
        return 200, nbk_for(query["fdate"])

    server = FeedServer(route)
    seen: list[tuple[int, int]] = []  # (stored by the progress, rows in the store)
    with server.running():
        settings = settings_for(server, tmp_path, backfill_delay=timedelta(0))
        repo = repository(tmp_path)

        async def go() -> Backfill:
            async with make_client() as client:
                nbk = build_provider("nbk", settings)
                job = Backfill(repo, client, settings, [nbk], date(2026, 3, 2), date(2026, 3, 6))
                task = asyncio.create_task(job.run())
                await asyncio.to_thread(reached.wait, 30)
                progress = job.progress["nbk"]
                for _ in range(600):  # at most 30 s: a hang fails, it does not stall
                    if progress.stored >= 8:
                        break
                    await asyncio.sleep(0.05)
                seen.append((progress.stored, repo.count_observations()))
                release.set()
                await task
                return job

        job = asyncio.run(go())
    assert seen == [(8, 8)]  # two days of KZT, KGS, TJS, UZS, stored while the third waited
    assert job.progress["nbk"].stored == repo.count_observations() == 5 * 4
    repo.db.dispose()


def test_the_quarantined_count_is_shown() -> None:
    p = ProviderProgress("cbu", total=4, done=4, fetched=20, stored=15, finished=True)
    p.result.quarantined.append(
        Quarantined(obs("TMT", "3.02", provider="cbu"), "off the peg", Decimal("3.5"))
    )
    assert render(p, 80, name_width=3, now=NOW).endswith("15 stored (1 quarantined)")


def _route(provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
    if provider == "nbk":
        return 200, nbk_for(query["fdate"])
    return cbt_route(provider, path, query)


def _run_on_a_terminal(argv: list[str], columns: int, rows: int) -> str:
    """Run ``ticker ARGV`` with stderr on a pseudo-terminal of that size; what it wrote."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    child = subprocess.Popen(
        [sys.executable, "-m", "ticker.cli", *argv],
        cwd=REPO, env={**env, **E2E_ENV}, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=slave,
    )  # fmt: skip
    os.close(slave)
    chunks = []
    try:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed its end
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
        child.wait(timeout=60)
    assert child.returncode == 0
    return b"".join(chunks).decode()


def _stored_by_provider(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT provider, count(*) FROM observation GROUP BY provider")
        return {name: int(n) for name, n in rows}


def test_the_command_on_an_80_column_terminal_redraws_in_place_with_climbing_counts(
    tmp_path: Path,
) -> None:
    names = ["nbk", "nbt", "cbt", "erapi"]
    with FeedServer(_route, latency=0.05).running() as server:
        db = tmp_path / "t.db"
        cfg = write_config(tmp_path, server, db)
        for name in ("nbk", "nbt", "cbt"):  # about 4 s of requests each (NBT: 5 requests)
            cfg.write_text(
                cfg.read_text().replace(
                    f"[providers.{name}]\n", f'[providers.{name}]\nbackfill_delay = "50ms"\n'
                )
            )
        provider_args = [w for name in names for w in ("--provider", name)]
        argv = ["--config", str(cfg), "backfill", "--since", "2026-04-01", "--until"]
        out = _run_on_a_terminal([*argv, "2026-05-08", *provider_args], 80, 30)
    term = Terminal(80)
    term.feed(out)
    screen = term.rows()
    # On a terminal the plan comes first: the requests and an estimate, in all and for each
    # source with something to fetch.
    plan = screen[:4]
    assert plan[0].startswith("ticker: backfill from 2026-04-01 to 2026-05-08: about ")
    assert [row.split()[1] for row in plan[1:]] == names[:3]
    screen = screen[4:]
    # One line per provider (no copies), then the summary; none reaches the last column.
    assert [row.split()[0] for row in screen[:4]] == names
    assert all(len(row) < 80 for row in screen[:4])
    stored = _stored_by_provider(db)
    total = sum(stored.values())
    assert screen[4:] == [f"{total} new rows stored from 2026-04-01 to 2026-05-08."]
    assert "no history" in screen[3]
    # Every frame: four lines, each within the width; the stored counts only climb, are
    # seen between nothing and everything on the way, and end at what the store holds.
    drawn = out[: out.index(f"{total} new rows stored")]
    frames = [frame for frame in re.split(r"\x1b\[\d+F\x1b\[J", drawn) if frame]
    assert len(frames) > 4
    first = frames[0].split("\r\n")  # after the plan, printed once
    frames[0] = "\r\n".join(line for line in first if not line.startswith("ticker:"))
    counts: dict[str, list[int]] = {name: [] for name in names[:3]}
    for frame in frames:
        lines = frame.split("\r\n")[:-1]
        assert len(lines) == 4 and all(len(line) < 80 for line in lines), lines
        for line in lines[:3]:
            found = 0 if line.endswith(" waiting") else _number_before("stored", line)
            assert found is not None, line
            counts[line.split()[0]].append(found)
    for name, seen in counts.items():
        assert seen == sorted(seen), name
        assert seen[-1] == stored[name], name
    # Climbing while it ran (NBK, a request a day; NBT reads the span in one range a
    # currency, so its count goes from nothing to everything).
    assert any(0 < n < stored["nbk"] for n in counts["nbk"])


def test_the_command_off_a_terminal_prints_plain_lines(tmp_path: Path) -> None:
    with FeedServer(_route).running() as server:
        db = tmp_path / "t.db"
        cfg = write_config(tmp_path, server, db)
        argv = ["--config", str(cfg), "backfill", "--since", "2026-05-04", "--until"]
        result = ticker(*argv, "2026-05-08", "--provider", "nbk", "--provider", "cbt", env=E2E_ENV)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and "\x1b" not in result.stderr
    lines = result.stderr.splitlines()
    assert sorted(line.split()[0] for line in lines[:2]) == ["cbt", "nbk"]
    # nbk: KZT, KGS, TJS, UZS on each of the five days (NBK dates every day, 7 May's
    # holiday too: it carries the rate set on the 6th); cbt: five pairs on each day.
    assert lines[2] == "45 new rows stored from 2026-05-04 to 2026-05-08."
    assert "20 rates fetched, 20 new rows stored" in result.stderr
    assert "25 rates fetched, 25 new rows stored" in result.stderr
