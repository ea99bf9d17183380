"""Delivery: hooks get the right argv, without a shell, and are killed at their
timeout; desktop notifications go through notify-send or D-Bus where there is one."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ticker.config.rules import rule_from_entry
from ticker.core.alerts.deliver import Dispatcher, desktop_command, expand, run_command
from ticker.core.alerts.firing import Firing, Reading
from ticker.model.pairs import Orientation
from ticker.model.records import StoredRule

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def script(tmp_path: Path, name: str, body: str) -> Path:
    """An executable Python script (the hook programs of these tests)."""
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\n{body}")
    path.chmod(0o755)
    return path


#: The hooks of these tests' machine: each ``firing(command)`` defines one.
HOOKS: dict[str, list[str]] = {}


def firing(command: list[str], channels: list[str] | None = None) -> Firing:
    entry: dict[str, object] = {"pair": "USD/KZT", "kind": "above", "value": "480"}
    if command:
        name = f"h{len(HOOKS)}"
        HOOKS[name] = command
        entry["hook"] = name
    if channels:
        entry["channels"] = channels
    rule = rule_from_entry(entry, Orientation.USD_PER)
    stored = StoredRule(7, rule, "cli", True, NOW)
    reading = Reading(
        True, False, False, "KZT", "nbk", date(2026, 11, 20), Decimal("481.5"),
        "481.500 (NBK, 2026-11-20)",
    )  # fmt: skip
    return Firing(1, stored, reading, NOW)


def test_placeholders_fill_whole_arguments_and_nothing_else() -> None:
    values = {"pair": "USD/KZT", "rate": "481.5", "rule": "#7 r", "message": "a; rm -rf /",
              "as_of": "2026-11-20"}  # fmt: skip
    argv = expand(["prog", "{pair}={rate}", "{message}", "{unknown}", "{{pair}}"], values)
    assert argv == ["prog", "USD/KZT=481.5", "a; rm -rf /", "{unknown}", "{USD/KZT}"]


def test_the_hook_receives_the_right_argv_without_a_shell(tmp_path: Path) -> None:
    out = tmp_path / "argv.json"
    hook = script(
        tmp_path,
        "hook",
        f"import json, sys\nopen({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
    )
    command = [str(hook), "{pair}", "{rate}", "{rule}", "{message}", "{as_of}", "$HOME `id`"]

    async def go() -> None:
        dispatcher = Dispatcher(hook_timeout=10, hooks=HOOKS)
        dispatcher.deliver([firing(command)])
        await dispatcher.drain(10)

    asyncio.run(go())
    assert json.loads(out.read_text()) == [
        "USD/KZT",
        "481.5",
        "#7 USD/KZT above 480",
        "#7 USD/KZT above 480: 481.500 (NBK, 2026-11-20)",
        "2026-11-20",
        "$HOME `id`",  # no shell: passed as written
    ]


def test_a_hook_that_hangs_is_killed_with_its_children_at_the_timeout(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    hook = script(
        tmp_path,
        "hang",
        "import os, subprocess, time\n"
        "child = subprocess.Popen(['sleep', '60'])\n"
        f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{child.pid}}')\n"
        "time.sleep(60)\n",
    )
    started = time.monotonic()
    result = asyncio.run(run_command([str(hook)], 1.0))
    assert not result.ok and "still running after 1s: killed" in result.detail
    assert time.monotonic() - started < 30  # not the hook's own 60 s
    for pid in map(int, pids.read_text().split()):
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(pid), f"process {pid} survived the kill"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (killed, not yet reaped by its parent) counts as gone
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_failing_hook_is_logged_and_never_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad = script(
        tmp_path, "bad", "import sys\nsys.stderr.write('no route to pager')\nsys.exit(3)\n"
    )
    gone = script(tmp_path, "gone", "")

    async def go() -> None:
        dispatcher = Dispatcher(hook_timeout=10, hooks=HOOKS)
        first, second = firing([str(bad)]), firing([str(gone)])
        gone.unlink()  # removed after the rule was checked
        dispatcher.deliver([first, second])
        await dispatcher.drain(10)

    with caplog.at_level(logging.INFO, logger="ticker.alerts"):
        asyncio.run(go())
    text = caplog.text
    assert "alert #7: command failed: " + str(bad) + " exited with 3: no route to pager" in text
    assert f"alert #7: command failed: could not start {gone}" in text
    assert text.count("alert: #7 USD/KZT above 480: 481.500") == 2  # each firing logged


def test_desktop_uses_notify_send_where_there_is_one(tmp_path: Path) -> None:
    notify = script(tmp_path, "notify-send", "")
    env = {"PATH": str(tmp_path)}
    assert desktop_command("t", "b", env) == [str(notify), "--app-name=ticker", "t", "b"]


def test_desktop_falls_back_to_dbus_and_quotes_the_text(tmp_path: Path) -> None:
    gdbus = script(tmp_path, "gdbus", "")
    env = {"PATH": str(tmp_path), "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1/bus"}
    argv = desktop_command("ticker: USD/KZT", "it's \\ here", env)
    assert argv is not None and argv[0] == str(gdbus)
    assert argv[argv.index("org.freedesktop.Notifications.Notify") + 1 :] == [
        "'ticker'", "0", "''", "'ticker: USD/KZT'", "'it\\'s \\\\ here'", "[]", "{}", "-1",
    ]  # fmt: skip


def test_no_desktop_where_there_is_no_way_to_notify(tmp_path: Path) -> None:
    script(tmp_path, "gdbus", "")
    assert desktop_command("t", "b", {"PATH": str(tmp_path)}) is None  # no session bus
    assert desktop_command("t", "b", {"PATH": str(tmp_path / "empty")}) is None


def test_desktop_channel_sends_one_notification(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "notified.json"
    script(
        tmp_path,
        "notify-send",
        f"import json, sys\nopen({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
    )
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")

    async def go() -> None:
        dispatcher = Dispatcher(hook_timeout=10, hooks=HOOKS)
        dispatcher.deliver([firing([], channels=["toast", "desktop"])])
        await dispatcher.drain(10)

    asyncio.run(go())
    assert json.loads(out.read_text()) == [
        "--app-name=ticker",
        "ticker: USD/KZT",
        "#7 USD/KZT above 480: 481.500 (NBK, 2026-11-20)",
    ]


def test_desktop_channel_is_skipped_quietly_where_there_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)

    async def go() -> None:
        dispatcher = Dispatcher(hook_timeout=10, hooks=HOOKS)
        dispatcher.deliver([firing([], channels=["desktop"])] * 3)
        await dispatcher.drain(10)

    with caplog.at_level(logging.INFO, logger="ticker.alerts"):
        asyncio.run(go())
    assert caplog.text.count("no desktop notifications here") == 1
    assert "WARNING" not in caplog.text


def test_a_hook_cut_short_by_shutdown_is_killed_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pid_file = tmp_path / "pid"
    hook = script(
        tmp_path,
        "slow",
        f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(30)\n",
    )

    async def go() -> None:
        dispatcher = Dispatcher(hook_timeout=60, hooks=HOOKS)
        dispatcher.deliver([firing([str(hook)])])
        for _ in range(400):  # the hook has started once it wrote its pid
            if pid_file.exists():
                break
            await asyncio.sleep(0.05)
        await dispatcher.drain(0.2)

    with caplog.at_level(logging.WARNING, logger="ticker.alerts"):
        asyncio.run(go())
    assert "alert #7: command stopped (killed) at shutdown" in caplog.text
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def test_a_hook_that_floods_stderr_costs_only_the_tail(tmp_path: Path) -> None:
    import tracemalloc

    flood = (
        "import sys\n"
        "block = b'x' * (1 << 20)\n"
        "for _ in range(300): sys.stderr.buffer.write(block)\n"
        "sys.stderr.buffer.write(b'the end of it')\n"
        "sys.exit(5)\n"
    )
    tracemalloc.start()
    try:
        result = asyncio.run(run_command([sys.executable, "-c", flood], 60))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not result.ok and "exited with 5" in result.detail
    assert result.detail.endswith("the end of it")
    assert peak < 8 * 1024 * 1024  # 300 MB went through; a few buffers were held
