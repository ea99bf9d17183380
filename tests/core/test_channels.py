"""Alerts on a phone (issue 27, item 8): the ``telegram`` channel and the webhook's body
formats and templates, delivered to a receiver on 127.0.0.1 through the webhook's own
delivery and outbox; and hooks whose placeholders are safe in a shell line (item 7)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers.hookserver import HookServer, Step
from ticker.config import Settings, TelegramSettings, WebhookSettings, load_settings, parse_config
from ticker.config.rules import rule_from_entry
from ticker.core.alerts import bodies
from ticker.core.alerts.deliver import Dispatcher, expand, run_command
from ticker.core.alerts.firing import Firing, Reading
from ticker.errors import ConfigError
from ticker.model.pairs import Orientation
from ticker.model.records import StoredRule

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ZQ"
CHAT = "-1001234567890"
LABEL = 'tenge "up"\\ again'


def firing(channels: list[str]) -> Firing:
    entry: dict[str, object] = {"pair": "USD/KZT", "kind": "above", "value": "480",
                                "channels": channels, "label": LABEL}  # fmt: skip
    rule = rule_from_entry(entry, Orientation.USD_PER, "http://127.0.0.1:1/x")
    stored = StoredRule(7, rule, "cli", True, NOW)
    reading = Reading(
        True, False, False, "KZT", "nbk", date(2026, 11, 20), Decimal("481.50"),
        "481.500 (NBK, 2026-11-20)",
    )  # fmt: skip
    return Firing(12, stored, reading, NOW)


def telegram(server: HookServer, attempts: int = 3) -> TelegramSettings:
    return TelegramSettings(
        TOKEN, CHAT, f"http://127.0.0.1:{server.port}", timedelta(seconds=5), attempts
    )


def deliver(
    firings: list[Firing], webhook: WebhookSettings | None = None,
    tg: TelegramSettings | None = None,
) -> list[float]:  # fmt: skip
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> None:
        dispatcher = Dispatcher(10, webhook, sleep, telegram=tg)
        dispatcher.deliver(firings)
        await dispatcher.drain(30)

    asyncio.run(go())
    return waits


# ---------------------------------------------------------------------- telegram


def test_telegram_gets_send_message_with_the_chat_and_the_text() -> None:
    answer = Step(200, b'{"ok":true,"result":{"message_id":5}}')
    with HookServer(answer).running() as server:
        deliver([firing(["telegram"])], tg=telegram(server))
    (posted,) = server.posted
    assert posted.path == f"/bot{TOKEN}/sendMessage"
    assert posted.headers["Content-Type"] == "application/json"
    message = '#7 USD/KZT above 480 "' + LABEL + '": 481.500 (NBK, 2026-11-20)'
    assert posted.json() == {"chat_id": -1001234567890, "text": "ticker: " + message}


def test_telegram_s_429_retry_after_is_waited_for_and_its_refusal_said_without_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    flood = b'{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7",'
    flood += b'"parameters":{"retry_after":7}}'
    refused = b'{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}'
    with HookServer(Step(429, flood), Step(400, refused)).running() as server:
        with caplog.at_level(logging.INFO, logger="ticker.alerts"):
            waits = deliver([firing(["telegram"])], tg=telegram(server))
    assert len(server.posted) == 2
    assert waits == [7.0]  # the wait Telegram asked for, not the 1s backoff
    assert "telegram to http://127.0.0.1" in caplog.text
    assert "failed: HTTP 400: Bad Request: chat not found (attempt 2 of 3)" in caplog.text
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text


def test_a_telegram_rule_where_telegram_is_not_set_up_is_said(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="ticker.alerts"):
        deliver([firing(["telegram"])])
    assert "alert #7: telegram: no [telegram] token and chat_id is set here" in caplog.text


def test_the_telegram_token_and_chat_are_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = TelegramSettings(TOKEN, CHAT)
    assert TOKEN not in repr(conf) and CHAT not in repr(conf) and TOKEN not in repr(Settings())
    bad = "123:short"
    with pytest.raises(ConfigError) as err:
        parse_config({"telegram": {"token": bad}}, "c.toml")
    assert str(err.value) == (
        "c.toml: telegram.token: expected a bot token like 123456789:AAE... (from "
        "@BotFather), got a value of 9 characters (not shown)"
    )
    cfg = tmp_path / "config.toml"
    cfg.write_text("[telegram]\nchat_id = 42\n")
    settings = load_settings(str(cfg), {"TICKER_TELEGRAM_TOKEN": TOKEN})
    assert settings.telegram.ready and settings.telegram.token == TOKEN
    assert settings.telegram.chat_id == "42"
    with pytest.raises(ConfigError) as err:
        load_settings(str(cfg), {"TICKER_TELEGRAM_TOKEN": "secret-but-wrong"})
    assert "secret-but-wrong" not in str(err.value)
    assert str(err.value).startswith("$TICKER_TELEGRAM_TOKEN: expected a bot token")


# ---------------------------------------------------------------------- webhook bodies


@pytest.mark.parametrize(
    ("fmt", "key"), [("slack", "text"), ("discord", "content"), ("matrix", "text")]
)
def test_a_preset_posts_the_body_its_service_takes(fmt: str, key: str) -> None:
    with HookServer().running() as server:
        conf = WebhookSettings(server.url, format=fmt)
        deliver([firing(["webhook"])], conf)
    (posted,) = server.posted
    assert posted.headers["Content-Type"] == "application/json"
    assert posted.json() == {key: firing(["webhook"]).message}  # a quoted label is still JSON


def test_ntfy_gets_plain_text() -> None:
    with HookServer().running() as server:
        deliver([firing(["webhook"])], WebhookSettings(server.url, format="ntfy"))
    (posted,) = server.posted
    assert posted.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert posted.body.decode() == firing(["webhook"]).message


def test_a_template_fills_json_escaped_fields() -> None:
    template = '{"text": "{rule} is {rate}", "src": "{source}", "id": {event_id}}'
    settings = parse_config({"webhook": {"url": "http://x.example/h", "template": template}}, "c")
    with HookServer().running() as server:
        conf = dataclasses.replace(settings.webhook, url=server.url)
        deliver([firing(["webhook"])], conf)
    (posted,) = server.posted
    rule = firing(["webhook"]).placeholders()["rule"]
    assert rule == '#7 USD/KZT above 480 "' + LABEL + '"'
    assert posted.json() == {"text": f"{rule} is 481.50", "src": "nbk", "id": 12}


@pytest.mark.parametrize(
    ("webhook", "expected"),
    [
        ({"template": '{"text": {message}}'}, "expected a JSON body once filled in"),
        ({"template": '{"text": "{price}"}'}, "expected fields among {message} {rule}"),
        ({"format": "slack", "template": "{message}"}, "expected no template with format"),
        ({"format": "teams"}, "expected one of json, slack, discord, matrix, ntfy"),
    ],
)
def test_a_bad_template_is_one_line(webhook: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"webhook": {"url": "http://x.example/h", **webhook}}, "c")
    assert expected in str(err.value)


def test_a_text_template_with_its_content_type() -> None:
    settings = parse_config(
        {"webhook": {"url": "http://x.example/h", "template": "{pair}: {message}",
                     "content_type": "text/plain"}},
        "c",
    )  # fmt: skip
    with HookServer().running() as server:
        deliver([firing(["webhook"])], dataclasses.replace(settings.webhook, url=server.url))
    (posted,) = server.posted
    assert posted.headers["Content-Type"] == "text/plain"
    assert posted.body.decode() == f"USD/KZT: {firing(['webhook']).message}"


# ---------------------------------------------------------------------- the outbox


def test_the_outbox_keeps_both_deliveries_and_no_secret() -> None:
    """A firing with the webhook and Telegram is one outbox entry (the store's key is the
    event) listing both; neither the URL nor the token nor the chat is kept."""
    f = firing(["webhook", "telegram"])
    conf = WebhookSettings("https://hooks.example/s3cret", format="ntfy")
    entry = bodies.encode(7, [bodies.webhook_delivery({"message": f.message}, "r", conf),
                              bodies.telegram_delivery(f.message)])  # fmt: skip
    assert "s3cret" not in entry and TOKEN not in entry and CHAT not in entry
    rule_id, deliveries = bodies.decode(entry)
    assert rule_id == 7 and [d.channel for d in deliveries] == ["webhook", "telegram"]
    assert deliveries[0].content_type == "text/plain; charset=utf-8"
    legacy = json.dumps({"event_id": 3, "rule_id": 5, "message": "m"})
    assert bodies.decode(legacy) == (5, [bodies.Delivery("webhook", "application/json", legacy)])
    assert bodies.encode(5, bodies.decode(legacy)[1]) == legacy  # kept as an older ticker did


def test_a_cut_telegram_delivery_is_sent_again_from_the_outbox() -> None:
    """The kept entry is sent again through the same code: the webhook and Telegram."""
    from ticker.core.alerts.outbox import Outbox

    kept: dict[int, str] = {}
    settled: list[tuple[int, bool, str]] = []

    class Repo:
        def queue_webhook(self, event_id: int, body: str, now: datetime) -> None:
            kept.setdefault(event_id, body)

        def settle_webhook(self, event_id: int, ok: bool, detail: str, now: datetime) -> None:
            settled.append((event_id, ok, detail))

        def give_up_webhooks(self, before: datetime, detail: str, now: datetime) -> int:
            return 0

        def pending_webhooks(self) -> list[object]:
            from ticker.storage.alert_store import PendingWebhook

            return [PendingWebhook(e, b, NOW) for e, b in kept.items()]

    async def run(func: object, *args: object) -> object:
        assert callable(func)
        return func(*args)

    ok = Step(200, b'{"ok":true,"result":{}}')
    with HookServer(ok).running() as server:
        outbox = Outbox(Repo(), lambda: NOW, run)  # type: ignore[arg-type]

        async def first() -> None:
            dispatcher = Dispatcher(10, WebhookSettings(server.url), outbox=outbox,
                                    telegram=telegram(server))  # fmt: skip
            dispatcher.deliver([firing(["webhook", "telegram"])])
            await dispatcher.drain(30)

        asyncio.run(first())
        assert settled == [(12, True, "webhook: HTTP 200; telegram: HTTP 200")]
        settled.clear()

        async def again() -> None:  # as if the first run had been killed before settling
            dispatcher = Dispatcher(10, WebhookSettings(server.url), outbox=outbox,
                                    telegram=telegram(server))  # fmt: skip
            dispatcher.resend_pending()
            await dispatcher.drain(30)

        asyncio.run(again())
    paths = sorted(p.path for p in server.posted)
    assert paths == sorted(["/hooks/t0ken", f"/bot{TOKEN}/sendMessage"] * 2)
    assert settled == [(12, True, "webhook: HTTP 200; telegram: HTTP 200")]


# ---------------------------------------------------------------------- hooks in a shell


VALUES = {
    "pair": "KZT/USD",
    "rate": "0.0021034",
    "rule": '#3 KZT/USD above 0.0021 "it\'s $(touch PWNED)"',
    "message": "#3 ...; `touch PWNED`",
    "as_of": "2026-11-20",
}


@pytest.mark.parametrize(
    "line",
    [
        "echo {rule} at {rate} > out",
        "echo \"{rule}\" at '{rate}' > out",
        "echo '{rule} at {rate}' > out",
    ],
)
def test_placeholders_in_a_shell_line_are_values_never_code(tmp_path: Path, line: str) -> None:
    """``{rule}`` starts with ``#``: pasted in as text, it made the rest of the line a
    comment (the hook did nothing, and 'alerts test' said it worked); a label is anyone's
    text. In a shell's line each placeholder is a quoted variable."""
    argv = expand(["sh", "-c", f"cd {tmp_path} && {line}"], VALUES)
    result = asyncio.run(run_command(argv, 10, VALUES, keep_output=True))
    assert result.ok and result.code == 0, result
    assert (tmp_path / "out").read_text() == f"{VALUES['rule']} at 0.0021034\n"
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


def test_every_hook_gets_the_values_as_variables(tmp_path: Path) -> None:
    argv = expand(["bash", "-ec", 'printf %s "$TICKER_PAIR|$TICKER_AS_OF"'], VALUES)
    result = asyncio.run(run_command(argv, 10, VALUES, keep_output=True))
    assert result.output == "KZT/USD|2026-11-20"
    # Not a shell's line: each placeholder fills its argument as it always did.
    assert expand(["printf", "%s", "{rule}"], VALUES) == ["printf", "%s", VALUES["rule"]]
    assert expand(["sh", "script.sh", "{pair}"], VALUES) == ["sh", "script.sh", "KZT/USD"]
