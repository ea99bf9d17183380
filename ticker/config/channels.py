"""``[webhook]`` and ``[telegram]``: where the ``webhook`` and ``telegram`` alert channels
send a firing, and what the webhook's body says.

A webhook body is ticker's own JSON (``format = "json"``), a preset that a service takes
as it is (``slack``, ``discord``, ``matrix``: a Matrix hookshot generic webhook,
``ntfy``: plain text), or a ``template`` of the user's own with placeholders
(:data:`TEMPLATE_FIELDS`). In a JSON body each value is JSON-escaped where it lands (a
``"`` or a line break in a label never breaks the JSON); in a text one it is as it is.

The Telegram bot's token is a secret: it is never shown, in a message or anywhere else
(a wrong one is described by its length), and :class:`TelegramSettings` never prints it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, NoReturn

from ticker.config.reader import Reader, expected_got, shown
from ticker.config.schema import (
    ENV_TELEGRAM_CHAT,
    ENV_TELEGRAM_TOKEN,
    TelegramSettings,
    WebhookSettings,
    redacted_url,
)
from ticker.errors import ConfigError
from ticker.i18n.words import N_, _, ngettext
from ticker.model.rules import MARKET_FIELDS, RELEASE_FIELDS

#: What a webhook template may say about a firing: ticker's own JSON's fields (a market
#: or release rule's, empty for another rule's firing), and the hooks' ``{rate}`` and
#: ``{rule}``.
TEMPLATE_FIELDS: tuple[str, ...] = tuple(dict.fromkeys((
    "message", "rule", "pair", "rate", "value", "threshold", "kind", "direction", "label",
    "as_of", "source", "fired_at", "event_id", "rule_id", *MARKET_FIELDS, *RELEASE_FIELDS,
)))  # fmt: skip
#: Fields that are numbers in a JSON body (``null`` in a test's): they may stand unquoted.
NUMBERS = ("event_id", "rule_id")
#: Each preset's body and content type (``json``: ticker's own JSON, no template).
WEBHOOK_FORMATS: Mapping[str, tuple[str, str]] = {
    "json": ("", "application/json"),
    "slack": ('{"text": "{message}"}', "application/json"),
    "discord": ('{"content": "{message}"}', "application/json"),
    "matrix": ('{"text": "{message}"}', "application/json"),
    "ntfy": ("{message}", "text/plain; charset=utf-8"),
}
#: The patterns below are compiled (and cached by :mod:`re`) when first used, not at
#: import: loading the settings compiles none unless a channel is configured.
_FIELD = r"\{(" + "|".join(TEMPLATE_FIELDS) + r")\}"
_LOOKS_LIKE_A_FIELD = r"\{([A-Za-z_][A-Za-z0-9_]*)\}"
_TOKEN = r"\d{1,20}:[A-Za-z0-9_-]{20,100}"
_TOKEN_WORDS = N_("a bot token like 123456789:AAE... (from @BotFather)")
_CHAT = r"-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31}"
_CHAT_WORDS = N_("a chat id like 123456789, -1001234567890 or @channelname")


def is_json(content_type: str) -> bool:
    """Whether a body of ``content_type`` is JSON (``application/json``, ``...+json``)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media.endswith("/json") or media.endswith("+json")


def body_template(conf: WebhookSettings) -> str:
    """The template a firing's body is made from ("" for ticker's own JSON)."""
    return conf.template or WEBHOOK_FORMATS[conf.format][0]


def content_type(conf: WebhookSettings) -> str:
    """The body's content type: the configured one, or the format's."""
    if conf.content_type:
        return conf.content_type
    if conf.template and conf.format == "json":
        return "application/json"
    return WEBHOOK_FORMATS[conf.format][1]


def render(template: str, values: Mapping[str, object], escape_json: bool) -> str:
    """``template`` with each field filled in (JSON-escaped with ``escape_json``; a
    field without a value is empty)."""

    def value(m: re.Match[str]) -> str:
        v = values.get(m.group(1))
        if m.group(1) in NUMBERS and escape_json:
            return "null" if v is None else str(v)  # may stand unquoted
        text = "" if v is None else str(v)
        if not escape_json:
            return text
        import json  # only for a webhook's JSON body: not on a read's path

        return json.dumps(text, ensure_ascii=False)[1:-1]

    return re.sub(_FIELD, value, template)


def parse_webhook(r: Reader, data: object) -> WebhookSettings:
    keys = ("url", "timeout", "attempts", "format", "template", "content_type")
    t = r.table(data, "webhook", keys)
    fields: dict[str, Any] = {}
    if "url" in t:
        url = r.string(t["url"], "webhook.url")
        if url:
            fields["url"] = check_webhook_url(
                url, lambda exp, got: r.fail("webhook.url", exp, redacted_url(str(got), True))
            )
    if "timeout" in t:
        fields["timeout"] = r.duration(
            t["timeout"], "webhook.timeout", timedelta(seconds=1), timedelta(minutes=1)
        )
    if "attempts" in t:
        fields["attempts"] = r.integer(t["attempts"], "webhook.attempts", 1, 10)
    if "format" in t:
        fields["format"] = r.choice(t["format"], "webhook.format", tuple(WEBHOOK_FORMATS))
    if "content_type" in t:
        value = r.string(t["content_type"], "webhook.content_type")
        if value and not re.fullmatch(r"[\w.+-]+/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+\"-]+)*", value):
            expected = _('a media type like "text/plain; charset=utf-8"')
            r.fail("webhook.content_type", expected, value)
        fields["content_type"] = value
    conf = dataclasses.replace(WebhookSettings(), **fields)
    if "template" in t:
        template = r.string(t["template"], "webhook.template")
        if template and conf.format != "json":
            expected = _('no template with format = "{format}"').format(format=conf.format)
            r.fail("webhook.template", expected, template)
        conf = dataclasses.replace(conf, template=check_template(r, template, content_type(conf)))
    return conf


def check_template(r: Reader, template: str, media: str) -> str:
    """A template whose fields are known and, for a JSON body, that makes JSON whatever
    the values hold."""
    for name in re.findall(_LOOKS_LIKE_A_FIELD, template):
        if name not in TEMPLATE_FIELDS:
            expected = _("fields among {fields}").format(
                fields=" ".join(f"{{{f}}}" for f in TEMPLATE_FIELDS)
            )
            r.fail("webhook.template", expected, template)
    if template and is_json(media):
        tricky: dict[str, object] = dict.fromkeys(TEMPLATE_FIELDS, 'a "quoted" \\ line\nand more')
        tricky.update(dict.fromkeys(NUMBERS, 12))
        import json  # only for a webhook's JSON body: not on a read's path

        try:
            json.loads(render(template, tricky, escape_json=True))
        except ValueError:
            expected = _(
                "a JSON body once filled in, each field inside a string, like "
                "{example} (or a content_type that is not JSON)"
            ).format(example='\'{"text": "{message}"}\'')
            r.fail("webhook.template", expected, template)
    return template


def check_webhook_url(url: str, fail: Callable[[str, object], NoReturn]) -> str:
    """An http(s) URL with a host (a path and a query may carry the receiver's token)."""
    from urllib.parse import urlsplit  # only when a webhook is set

    expected = _('an http:// or https:// URL like "https://hooks.example/ticker"')
    if not url.isascii() or any(c.isspace() or ord(c) < 32 or c == "\x7f" for c in url):
        fail(expected, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range
        fail(expected, url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
        fail(expected, url)
    if port == 0:
        fail(expected, url)
    return url


def secret_shown(value: object) -> str:
    """A secret as a message may name it: its kind and length, never its text."""
    if isinstance(value, str):
        return ngettext(
            "a value of {n} character (not shown)",
            "a value of {n} characters (not shown)",
            len(value),
        ).format(n=len(value))
    return shown(value)


def check_token(value: object, fail: Callable[[str, str], NoReturn]) -> str:
    if not isinstance(value, str) or (value and not re.fullmatch(_TOKEN, value)):
        fail(_(_TOKEN_WORDS), secret_shown(value))
    return value


def check_chat(value: object, fail: Callable[[str, str], NoReturn]) -> str:
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or (text and not re.fullmatch(_CHAT, text)):
        fail(_(_CHAT_WORDS), secret_shown(value))
    return text


def parse_telegram(r: Reader, data: object) -> TelegramSettings:
    """``[telegram]``: the bot's token, the chat it writes to, its API's base URL."""
    t = r.table(data, "telegram", ("token", "chat_id", "base_url", "timeout", "attempts"))

    def failing(key: str) -> Callable[[str, str], NoReturn]:
        def fail(expected: str, got: str) -> NoReturn:
            raise ConfigError(expected_got(f"{r.origin}: telegram.{key}", expected, got))

        return fail

    fields: dict[str, Any] = {}
    if "token" in t:
        fields["token"] = check_token(t["token"], failing("token"))
    if "chat_id" in t:
        fields["chat_id"] = check_chat(t["chat_id"], failing("chat_id"))
    if "base_url" in t:
        fields["base_url"] = r.base_url(t["base_url"], "telegram.base_url")
    if "timeout" in t:
        fields["timeout"] = r.duration(
            t["timeout"], "telegram.timeout", timedelta(seconds=1), timedelta(minutes=1)
        )
    if "attempts" in t:
        fields["attempts"] = r.integer(t["attempts"], "telegram.attempts", 1, 10)
    return dataclasses.replace(TelegramSettings(), **fields)


def telegram_from_env(conf: TelegramSettings, env: Mapping[str, str]) -> TelegramSettings:
    """``$TICKER_TELEGRAM_TOKEN`` and ``$TICKER_TELEGRAM_CHAT_ID`` over ``[telegram]``."""

    def failing(name: str) -> Callable[[str, str], NoReturn]:
        def fail(expected: str, got: str) -> NoReturn:
            raise ConfigError(expected_got(f"${name}", expected, got))

        return fail

    fields: dict[str, Any] = {}
    if env.get(ENV_TELEGRAM_TOKEN):
        fields["token"] = check_token(env[ENV_TELEGRAM_TOKEN], failing(ENV_TELEGRAM_TOKEN))
    if env.get(ENV_TELEGRAM_CHAT):
        fields["chat_id"] = check_chat(env[ENV_TELEGRAM_CHAT], failing(ENV_TELEGRAM_CHAT))
    return dataclasses.replace(conf, **fields) if fields else conf
