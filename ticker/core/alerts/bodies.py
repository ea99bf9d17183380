"""What the ``webhook`` and ``telegram`` channels send for a firing, and how the outbox
keeps it until it is sent.

A firing's remote deliveries are kept in the store as one entry per firing
(:mod:`ticker.core.alerts.outbox`): ticker's own JSON (or a JSON template's body) as it
is, when that is all there is to send, as an older ticker kept it; otherwise a small
JSON envelope listing each delivery's channel, content type and body. Neither names
where it goes: the webhook's URL and the Telegram bot's token and chat are this
machine's config's, read when it is sent, never written to the store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ticker.config import TelegramSettings, WebhookSettings
from ticker.config.channels import body_template, content_type, is_json, render

#: The envelope's marker key.
ENVELOPE = "ticker_deliveries"
#: Telegram's longest message, in characters.
TELEGRAM_MAX = 4096
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One remote delivery: ``channel`` (webhook, telegram), the body's content type,
    the body (for Telegram, the message's text: the chat is joined when it is sent)."""

    channel: str
    content_type: str
    body: str


def template_values(event: Mapping[str, Any], rule: str) -> dict[str, object]:
    """What a webhook template's fields stand for: ticker's JSON's fields, ``{rate}``
    (its ``value``) and ``{rule}`` (the rule in words)."""
    return {**event, "rate": event.get("value"), "rule": rule}


def webhook_delivery(event: Mapping[str, Any], rule: str, conf: WebhookSettings) -> Delivery:
    """The webhook's body for ``event`` (ticker's JSON, or its format's or template's)."""
    media = content_type(conf)
    template = body_template(conf)
    if not template:
        return Delivery("webhook", media, json.dumps(event, ensure_ascii=False))
    body = render(template, template_values(event, rule), is_json(media))
    return Delivery("webhook", media, body)


def telegram_delivery(message: str) -> Delivery:
    text = f"ticker: {message}"
    if len(text) > TELEGRAM_MAX:
        text = text[: TELEGRAM_MAX - 1] + "…"
    return Delivery("telegram", JSON, text)


def telegram_request(conf: TelegramSettings, text: str) -> tuple[str, bytes]:
    """The Bot API's ``sendMessage`` URL (holding the token: never shown) and its JSON."""
    chat: int | str = int(conf.chat_id) if conf.chat_id.lstrip("-").isdigit() else conf.chat_id
    body = json.dumps({"chat_id": chat, "text": text}, ensure_ascii=False).encode()
    return f"{conf.base_url}/bot{conf.token}/sendMessage", body


def encode(rule_id: int | None, deliveries: Sequence[Delivery]) -> str:
    """The outbox's entry for a firing's deliveries (see the module)."""
    if len(deliveries) == 1 and deliveries[0].channel == "webhook":
        only = deliveries[0]
        if only.content_type == JSON:
            return only.body
    listed = [{"channel": d.channel, "type": d.content_type, "body": d.body} for d in deliveries]
    return json.dumps({ENVELOPE: listed, "rule_id": rule_id}, ensure_ascii=False)


def decode(entry: str) -> tuple[int | None, list[Delivery]]:
    """The rule and the deliveries of an outbox entry (one an older ticker kept is its
    webhook's JSON)."""
    try:
        data = json.loads(entry)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get(ENVELOPE), list):
        deliveries = [
            Delivery(str(d["channel"]), str(d["type"]), str(d["body"]))
            for d in data[ENVELOPE]
            if isinstance(d, dict) and {"channel", "type", "body"} <= d.keys()
        ]
        return _rule_id(data), deliveries
    rule_id = _rule_id(data) if isinstance(data, dict) else None
    return rule_id, [Delivery("webhook", JSON, entry)]


def _rule_id(data: Mapping[str, Any]) -> int | None:
    value = data.get("rule_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None
