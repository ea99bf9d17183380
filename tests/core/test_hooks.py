"""Programs run only where they are defined: named hooks in the running machine's own
config (``[hooks.NAME] command = [...]``); a stored rule names a hook, never a program
(issue 33, item 1), and a hook gets a clean environment (item 10)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import sqlite3
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ticker import cli
from ticker.config import parse_config
from ticker.config.rules import rule_from_entry
from ticker.core.alerts.deliver import Dispatcher
from ticker.core.alerts.firing import Firing, Reading
from ticker.errors import ConfigError
from ticker.model.pairs import Orientation
from ticker.model.records import StoredRule
from ticker.model.rules import Channel

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\n{body}")
    path.chmod(0o755)
    return path


def recorder(tmp_path: Path, name: str = "hook") -> tuple[Path, Path]:
    out = tmp_path / f"{name}.out"
    hook = script(
        tmp_path,
        name,
        "import json, os, sys\n"
        f"open({str(out)!r}, 'a').write(json.dumps([sys.argv[1:], dict(os.environ)]) + '\\n')\n",
    )
    return hook, out


def firing(entry_extra: dict[str, object], stored_argv: tuple[str, ...] = ()) -> Firing:
    entry: dict[str, object] = {"pair": "USD/KZT", "kind": "above", "value": "480"}
    entry.update(entry_extra)
    rule = rule_from_entry(entry, Orientation.USD_PER)
    if stored_argv:  # as an older ticker stored it: the channel, a program, no hook
        rule = dataclasses.replace(rule, channels=(Channel.TOAST, Channel.COMMAND))
    stored = StoredRule(7, rule, "cli", True, NOW, stored_argv=stored_argv)
    reading = Reading(
        True, False, False, "KZT", "nbk", date(2026, 11, 20), Decimal("481.5"),
        "481.500 (NBK, 2026-11-20)",
    )  # fmt: skip
    return Firing(1, stored, reading, NOW)


def test_hooks_are_defined_by_name_in_the_config(tmp_path: Path) -> None:
    hook, _ = recorder(tmp_path)
    settings = parse_config(
        {
            "hooks": {"pager": {"command": [str(hook), "{message}"]}},
            "alerts": [{"pair": "KZT", "kind": "above", "value": 1, "hook": "pager"}],
        },
        "t.toml",
    )
    assert settings.hooks == {"pager": (str(hook), "{message}")}
    (rule,) = settings.alerts
    assert rule.hook == "pager" and rule.channels == ("toast", "bell", "command")


def test_a_rule_with_a_program_of_its_own_is_refused_in_one_line() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(
            {"alerts": [{"pair": "KZT", "kind": "above", "value": 1, "command": ["id"]}]},
            "t.toml",
        )
    assert str(err.value) == (
        "t.toml: alerts[0].command: a rule no longer carries a program (any writer of the "
        "store could make every collector run it): define it in this machine's config as "
        '[hooks.NAME] command = [...] and give the rule hook = "NAME"'
    )
    with pytest.raises(ConfigError, match=r"alerts\[0\].hook: expected a hook defined"):
        parse_config(
            {"alerts": [{"pair": "KZT", "kind": "above", "value": 1, "hook": "nope"}]},
            "t.toml",
        )


def test_a_defined_hook_runs_with_a_clean_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook, out = recorder(tmp_path)
    monkeypatch.setenv("TICKER_DB_URL", "postgresql://ticker:s3cret@db/ticker")
    monkeypatch.setenv("SOME_TOKEN", "abc")

    async def go() -> None:
        dispatcher = Dispatcher(10, hooks={"pager": (str(hook), "{pair}")})
        dispatcher.deliver([firing({"hook": "pager"})])
        await dispatcher.drain(10)

    asyncio.run(go())
    argv, env = json.loads(out.read_text())
    assert argv == ["USD/KZT"]
    assert "TICKER_DB_URL" not in env and "SOME_TOKEN" not in env
    assert "s3cret" not in json.dumps(env)
    assert env["PATH"]


def test_an_undefined_hook_or_a_stored_program_never_runs_and_is_said_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "ticker.alerts")
    pwned = tmp_path / "pwned"
    argv = ("/bin/sh", "-c", f"id > {pwned}")

    async def go() -> None:
        dispatcher = Dispatcher(10)
        for _ in range(3):
            dispatcher.deliver([firing({"hook": "elsewhere"})])
            dispatcher.deliver([firing({}, argv)])
        await dispatcher.drain(10)

    asyncio.run(go())
    assert not pwned.exists()
    undefined = [r for r in caplog.messages if "not defined here" in r]
    assert undefined == [
        'alert #7: hook "elsewhere" is not defined here (no [hooks.elsewhere] in this '
        "machine's config): its other channels fire"
    ]
    stored = [r for r in caplog.messages if "no longer runs" in r]
    assert stored == [
        "alert #7: a program stored with the rule by an older ticker no longer runs: define "
        "it as [hooks.NAME] in this machine's config and run 'ticker alerts edit 7 --hook NAME'"
    ]


def test_a_program_written_into_the_store_is_not_run_by_alerts_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "t.db"
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite:///{db}"\n')
    assert cli.main(["--config", str(cfg), "alerts", "add", "KZT", "above", "1"]) == 0
    pwned = tmp_path / "pwned"
    with sqlite3.connect(db) as conn:  # what any writer of the store can do
        conn.execute(
            "UPDATE alert_rule SET channels = ?, command = ?",
            ('["command"]', json.dumps(["/bin/sh", "-c", f"id > {pwned}"])),
        )
    capsys.readouterr()
    (code,) = (cli.main(["--config", str(cfg), "alerts", "test"]),)
    out = capsys.readouterr().out
    assert not pwned.exists()
    assert "command of #1: not run: a program stored with the rule by an older ticker" in out
    assert code == 1


def test_alerts_add_takes_a_hook_by_name_and_refuses_a_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hook, out = recorder(tmp_path)
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
        f'[hooks.pager]\ncommand = ["{hook}", "{{message}}"]\n'
    )
    base = ["--config", str(cfg), "alerts"]
    assert cli.main([*base, "add", "KZT", "above", "1", "--command", "id"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "ticker: --command: a rule no longer carries a program (any writer of the store "
        "could make every collector run it): define it in this machine's config as "
        "[hooks.NAME] command = [...] and give --hook NAME"
    ]
    assert cli.main([*base, "add", "KZT", "above", "1", "--hook", "pager"]) == 0
    assert cli.main([*base, "add", "KZT", "above", "2", "--hook", "desk"]) == 0
    err = capsys.readouterr().err
    assert 'hook "desk" is not defined here' in err
    assert cli.main([*base, "list", "--json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert [(r["hook"], r["channels"]) for r in rules] == [
        ("pager", ["toast", "bell", "command"]),
        ("desk", ["toast", "bell", "command"]),
    ]
    assert cli.main([*base, "test"]) == 0
    said = capsys.readouterr().out
    assert f"hook pager of #1: works: {hook} 'test: #1 KZT/USD above 1'" in said
    assert "hook desk of #2: not defined here (no [hooks.desk] in this machine's config)" in said
    (call,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert call[0] == ["test: #1 KZT/USD above 1"]
