"""Issue 27: the README's hook example run as written (item 7), ``alerts test`` saying
what a hook did, ``alerts add`` warning of a rule no channel of which can deliver here,
the Telegram channel and a webhook preset tested from the command line (item 8), and a
new rule judged at once against the stored rates (item 12)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import tomllib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers.hookserver import HookServer, Step
from ticker import cli
from ticker.config import load_settings
from ticker.config.rules import rule_from_entry
from ticker.core.alerts.deliver import Dispatcher
from ticker.core.alerts.firing import Firing, Reading
from ticker.model.records import StoredRule

TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ZQ"

#: The README's example, as written there.
README_HOOK = '[hooks.notify]\ncommand = ["notify-send", "ticker", "{message}"]\n'


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\nurl = "sqlite:///{tmp_path / "t.db"}"\n{extra}')
    return path


def readme_block(heading: str) -> str:
    text = (Path(__file__).parents[2] / "README.md").read_text()
    return text.split(heading, 1)[1]


@pytest.fixture
def no_notifier(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A PATH with the shell's tools but no notify-send, and no D-Bus session."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sh", "echo", "cat"):
        for where in ("/usr/bin", "/bin"):
            if Path(where, tool).exists():
                (bin_dir / tool).symlink_to(Path(where, tool))
                break
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    return bin_dir


def test_the_readme_hook_example_works_with_notify_send_and_says_so_without(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_notifier: Path
) -> None:
    assert README_HOOK.strip() in readme_block("Hooks are defined in the config")
    cfg = config(tmp_path, README_HOOK)
    # Without notify-send: the config loads (a server may share the file) and each
    # command says what is missing.
    code, out, err = run(capsys, "alerts", "add", "KGS", "stale", "2", "--hook", "notify",
                         "--config", str(cfg))  # fmt: skip
    assert code == 0, err
    assert out == "added alert #1: KGS/USD stale 2 business days (armed)\n"
    assert err == (
        "ticker: note: hook notify: notify-send is not installed here (not on $PATH): "
        "the hook does not run here\n"
    )
    code, out, _ = run(capsys, "alerts", "test", "--config", str(cfg))
    assert code == 1
    assert (
        "hook notify of #1: FAILED: notify-send is not installed here (not on $PATH); "
        "the rule's other channels fire"
    ) in out.splitlines()
    # With one: it runs, and the test says what it did.
    sent = tmp_path / "sent"
    fake = no_notifier / "notify-send"
    fake.write_text(f'#!/bin/sh\necho "$@" > {sent}\necho shown\n')
    fake.chmod(0o755)
    code, out, _ = run(capsys, "alerts", "test", "--config", str(cfg))
    assert code == 0, out
    lines = out.splitlines()
    hook_line = next(i for i, line in enumerate(lines) if line.startswith("hook notify"))
    assert re.fullmatch(
        r"hook notify of #1: works: notify-send ticker 'test: #1 KGS/USD stale 2 business "
        r"days' \(exit 0 in \d+\.\d\ds\)",
        lines[hook_line],
    )
    assert lines[hook_line + 1] == "    shown"
    assert sent.read_text() == "ticker test: #1 KGS/USD stale 2 business days\n"


def test_a_shell_hook_with_rule_does_what_it_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``sh -c 'echo {rule} ...'``: ``{rule}`` starts with ``#``, which commented out the
    rest of the line: nothing was written, and the test said 'works'."""
    log = tmp_path / "alerts.log"
    hook = f'[hooks.log]\ncommand = ["sh", "-c", "echo {{rule}} at {{rate}} >> {log}; cat {log}"]\n'
    cfg = config(tmp_path, hook)
    run(capsys, "alerts", "add", "KZT", "above", "1", "--hook", "log", "--config", str(cfg))
    code, out, _ = run(capsys, "alerts", "test", "--config", str(cfg))
    assert code == 0, out
    assert log.read_text() == "#1 KZT/USD above 1 at n/a\n"
    assert "    #1 KZT/USD above 1 at n/a" in out.splitlines()


def test_add_warns_when_no_channel_of_the_rule_can_deliver_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_notifier: Path
) -> None:
    cfg = config(tmp_path)
    code, out, err = run(capsys, "alerts", "add", "KZT", "above", "1", "--channel", "desktop",
                         "--config", str(cfg))  # fmt: skip
    assert code == 0 and out.startswith("added alert #1")
    assert err == (
        "ticker: warning: no channel of this rule can deliver on this machine (desktop: no "
        "notify-send, and no D-Bus session with gdbus); it fires all the same, and reaches "
        "you only through a machine where one can\n"
    )
    code, _, err = run(capsys, "alerts", "add", "KZT", "above", "2", "--channel", "telegram",
                       "--config", str(cfg))  # fmt: skip
    assert code == 0 and "telegram: no [telegram] token and chat_id here" in err
    # One channel that can (the dashboard's toast) is enough: no warning.
    code, _, err = run(capsys, "alerts", "add", "KZT", "above", "3", "--channel", "desktop",
                       "--channel", "toast", "--config", str(cfg))  # fmt: skip
    assert code == 0 and err == ""


def test_alerts_test_writes_with_the_telegram_bot_and_never_shows_its_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = b'{"ok":false,"error_code":401,"description":"Unauthorized"}'
    with HookServer(Step(200, b'{"ok":true,"result":{}}'), Step(401, refused)).running() as srv:
        cfg = config(tmp_path, f'[telegram]\nchat_id = "@tickerfeed"\n'
                               f'base_url = "http://127.0.0.1:{srv.port}"\n')  # fmt: skip
        monkeypatch.setenv("TICKER_TELEGRAM_TOKEN", TOKEN)
        run(capsys, "alerts", "add", "KZT", "above", "1", "--channel", "telegram",
            "--config", str(cfg))  # fmt: skip
        code, out, err = run(capsys, "alerts", "test", "--config", str(cfg))
        assert code == 0, out
        assert f"telegram: works (http://127.0.0.1:{srv.port}, HTTP 200)" in out.splitlines()
        code, out2, err2 = run(capsys, "alerts", "test", "--config", str(cfg))
    assert code == 1
    assert f"telegram: FAILED (http://127.0.0.1:{srv.port}: HTTP 401: Unauthorized)" in out2
    assert srv.posted[0].path == f"/bot{TOKEN}/sendMessage"
    assert srv.posted[0].json() == {
        "chat_id": "@tickerfeed", "text": "ticker alerts test: #1 KZT/USD above 1",
    }  # fmt: skip
    for said in (out, err, out2, err2):
        assert TOKEN not in said and TOKEN.split(":")[1] not in said


def test_alerts_test_posts_in_the_webhook_s_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HookServer().running() as server:
        cfg = config(tmp_path, f'[webhook]\nurl = "{server.url}"\nformat = "slack"\n')
        code, out, _ = run(capsys, "alerts", "test", "--config", str(cfg))
    assert code == 0, out
    assert server.posted[0].json() == {"text": "ticker alerts test: the webhook"}


def stored_rate(tmp_path: Path) -> None:
    from tests.helpers.factories import obs
    from ticker.storage.db import open_database
    from ticker.storage.repository import Repository

    database = open_database(f"sqlite:///{tmp_path / 't.db'}")
    Repository(database).store([obs("KZT", "478.77")])
    database.dispose()


def test_a_new_rule_that_already_holds_fires_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stored_rate(tmp_path)
    cfg = config(tmp_path)
    code, out, _ = run(capsys, "alerts", "add", "USD/KZT", "above", "470", "--config", str(cfg))
    assert code == 0
    assert re.fullmatch(
        r"added alert #1: USD/KZT above 470 \(fired now: 478\.77 \(NBK, \d{4}-\d\d-\d\d\)\)\n", out
    )
    _, history, _ = run(capsys, "alerts", "history", "--json", "--config", str(cfg))
    (event,) = json.loads(history)
    assert event["rule_id"] == 1 and event["rate"] == "478.77"
    # Not true now: armed, as before.
    _, out, _ = run(capsys, "alerts", "add", "USD/KZT", "above", "490", "--config", str(cfg))
    assert out == "added alert #2: USD/KZT above 490 (armed)\n"


def test_a_new_rule_whose_channel_cannot_deliver_here_is_left_to_the_collector(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stored_rate(tmp_path)
    cfg = config(tmp_path)
    code, out, err = run(capsys, "alerts", "add", "USD/KZT", "above", "470", "--channel",
                         "webhook", "--channel", "telegram", "--config", str(cfg),
                         "--hook", "x")  # fmt: skip
    assert code == 2  # the webhook channel still needs a [webhook] url where it is added
    code, out, err = run(capsys, "alerts", "add", "USD/KZT", "above", "470", "--channel",
                         "telegram", "--channel", "toast", "--config", str(cfg))  # fmt: skip
    assert code == 0, err
    assert out.startswith("added alert #1: USD/KZT above 470 (armed; would fire now: 478.77")
    assert out.endswith(
        "the collector fires it at its next poll (a channel of it cannot deliver here))\n"
    )
    _, history, _ = run(capsys, "alerts", "history", "--json", "--config", str(cfg))
    assert json.loads(history) == []
    assert os.environ.get("TICKER_TELEGRAM_TOKEN") is None


def test_the_readme_phone_example_delivers_to_telegram_and_ntfy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's ``[telegram]`` and ntfy ``[webhook]`` block, pointed at a local
    receiver, delivers a firing of a rule with both channels."""

    block = readme_block("`retry_after` is waited for").split("```toml\n", 1)[1]
    block = block.split("```", 1)[0]
    assert tomllib.loads(block)["webhook"]["format"] == "ntfy"
    ok = Step(200, b'{"ok":true,"result":{}}')
    with HookServer(ok).running() as server:
        local = f"http://127.0.0.1:{server.port}"
        text = block.replace("https://ntfy.sh", local)
        text = text.replace("[telegram]", f'[telegram]\nbase_url = "{local}"')
        cfg = config(tmp_path, text)
        settings = load_settings(str(cfg), {"TICKER_TELEGRAM_TOKEN": TOKEN})
        entry: dict[str, object] = {"pair": "KZT", "kind": "above", "value": "0.002",
                                    "channels": ["webhook", "telegram"]}  # fmt: skip
        rule = rule_from_entry(entry, settings.display.orientation, settings.webhook.url)
        now = datetime(2026, 11, 23, 9, tzinfo=UTC)
        reading = Reading(True, False, False, "KZT", "nbk", date(2026, 11, 23),
                          Decimal("0.0020887"), "0.0020887 (NBK, 2026-11-23)")  # fmt: skip
        firing = Firing(1, StoredRule(1, rule, "cli", True, now), reading, now)

        async def go() -> None:
            d = Dispatcher(10, settings.webhook, hooks={}, telegram=settings.telegram)
            d.deliver([firing])
            await d.drain(30)

        asyncio.run(go())
    by_path = {p.path: p for p in server.posted}
    message = "#1 KZT/USD above 0.002: 0.0020887 (NBK, 2026-11-23)"
    assert by_path["/my-ticker-alerts"].body.decode() == message
    assert by_path[f"/bot{TOKEN}/sendMessage"].json() == {
        "chat_id": 123456789, "text": f"ticker: {message}",
    }  # fmt: skip
