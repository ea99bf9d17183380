"""The systemd unit in contrib/ (and shown in the README) runs the collector as the README
says: it parses, restarts on failure, and waits longer than a stop can take."""

from __future__ import annotations

import re
import shlex
from datetime import timedelta

from tests.helpers.paths import REPO
from ticker.config import Settings
from ticker.core.runtime import STOP_GRACE

UNIT = REPO / "contrib" / "systemd" / "ticker-collect.service"

#: After the grace, Collector.stop waits 1 s for the cancelled rounds and the alert
#: dispatcher 2 s for the cancelled hooks.
CANCEL_WAITS = 1.0 + 2.0

_UNITS = {"": 1, "s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "ms": 0.001}


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections and their keys (a key may be given more than once)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, equals, value = line.partition("=")
        assert equals and current is not None, f"line {number} is not KEY=VALUE: {raw!r}"
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key.strip()), f"line {number}: {key!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def seconds(value: str) -> float:
    """A systemd time span like ``30s``, ``1min 30s`` or ``45``."""
    total = 0.0
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]*)", value):
        total += float(amount) * _UNITS[unit]
    return total


def test_the_unit_file_runs_ticker_collect_restarts_on_failure_and_outwaits_a_stop() -> None:
    unit = parse_unit(UNIT.read_text())
    assert set(unit) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    assert service["Type"] == ["simple"]
    (exec_start,) = service["ExecStart"]
    argv = shlex.split(exec_start)
    assert argv[0].endswith("/ticker") and argv[1] == "collect"
    assert argv[argv.index("--metrics") + 1] == "127.0.0.1:9464"  # loopback: no auth
    assert service["Restart"] == ["on-failure"]
    assert seconds(service["RestartSec"][0]) > 0
    assert service["KillMode"] == ["mixed"]  # the hooks are not signalled with ticker
    hook_limit = Settings().collector.hook_timeout
    assert hook_limit == timedelta(seconds=10)  # the limit the unit's comment words
    longest_stop = STOP_GRACE + hook_limit.total_seconds() + CANCEL_WAITS
    assert seconds(service["TimeoutStopSec"][0]) > longest_stop
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_the_readme_shows_the_unit_file_as_it_is() -> None:
    readme = (REPO / "README.md").read_text()
    shown = re.search(r"```ini\n(# The ticker collector as a system service.*?)```", readme, re.S)
    assert shown is not None
    assert shown.group(1) == UNIT.read_text()


def test_time_spans_are_read_as_systemd_reads_them() -> None:
    assert seconds("30s") == 30
    assert seconds("45") == 45
    assert seconds("1min 30s") == 90
    assert seconds("2m") == 120
    assert seconds("500ms") == 0.5
