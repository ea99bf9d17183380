"""How a firing reaches the user, besides the dashboard's toast and bell.

* ``desktop``: a notification through ``notify-send``, or the freedesktop
  notifications service over D-Bus (``gdbus``). Where neither exists it is skipped
  quietly (``ticker alerts test`` says so).
* ``command``: the rule's hook, ``[hooks.NAME] command`` of this machine's own config,
  with ``{pair}`` ``{rate}`` ``{rule}`` ``{message}`` ``{as_of}`` filled in, run without
  a shell, in its own process group, with a clean environment (:data:`HOOK_ENVIRONMENT`),
  killed (with its children) after ``[collector] hook_timeout``. A failure is logged,
  never fatal. A rule names a hook, never a program: one this machine does not define is
  said once, and the rule's other channels fire; a program an older ticker stored with a
  rule never runs.
  Placeholders are safe in a shell line too, and every hook gets the values as
  ``TICKER_*`` variables (:mod:`ticker.core.alerts.hookrun`).
* ``webhook``: the firing POSTed to ``[webhook] url`` (ticker's JSON, a preset's body
  or a template's: :mod:`ticker.config.channels`) with a timeout and retries
  (:mod:`ticker.core.alerts.webhook`). ``telegram``: the message, sent by the bot of
  ``[telegram]`` through the same code (its token is never shown). A failure is logged,
  never fatal. With an :class:`~ticker.core.alerts.outbox.Outbox` (a collector's), a
  firing's deliveries are kept in the store until they are done: one cut at shutdown is
  sent at the next start (:meth:`Dispatcher.resend_pending`).

Each delivery is a task of its own: a poll never waits for one.

Every firing is also logged, so a headless collector's log is a record of them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ticker.config import TelegramSettings, WebhookSettings
from ticker.core.alerts.firing import Firing
from ticker.core.alerts.hookrun import (
    HOOK_ENVIRONMENT,
    STDERR_KEPT,
    STDERR_TAIL,
    Result,
    expand,
    hook_environment,
    run_command,
)
from ticker.i18n.words import _

if TYPE_CHECKING:  # httpx loads with the first webhook delivery
    import httpx

    from ticker.core.alerts.bodies import Delivery
    from ticker.core.alerts.outbox import Outbox

__all__ = [
    "HOOK_ENVIRONMENT", "STDERR_KEPT", "STDERR_TAIL", "Dispatcher", "Result", "desktop_command",
    "expand", "hook_environment", "notify_desktop", "run_command", "stored_program_words",
    "undefined_hook_words",
]  # fmt: skip

log = logging.getLogger("ticker.alerts")

#: How long a desktop notification command may take.
DESKTOP_TIMEOUT = 5.0
#: The channels that send over the network (kept in the outbox until sent).
REMOTE = ("webhook", "telegram")


def stored_program_words(rule_id: int) -> str:
    """What is said of a program an older ticker stored with rule ``rule_id``."""
    return _(
        "a program stored with the rule by an older ticker no longer runs: define it as "
        "[hooks.NAME] in this machine's config and run 'ticker alerts edit {rule_id} "
        "--hook NAME'"
    ).format(rule_id=rule_id)


def undefined_hook_words(name: str) -> str:
    return _(
        'hook "{name}" is not defined here (no [hooks.{name}] in this machine\'s config)'
    ).format(name=name)


def _gvariant_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def desktop_command(
    title: str, body: str, env: Mapping[str, str] | None = None
) -> list[str] | None:
    """The argv that shows a desktop notification here, or None where none can."""
    env = os.environ if env is None else env
    path = env.get("PATH", os.defpath)
    notify_send = shutil.which("notify-send", path=path)
    if notify_send:
        return [notify_send, "--app-name=ticker", title, body]
    gdbus = shutil.which("gdbus", path=path)
    if gdbus and env.get("DBUS_SESSION_BUS_ADDRESS"):
        return [
            gdbus, "call", "--session",
            "--dest", "org.freedesktop.Notifications",
            "--object-path", "/org/freedesktop/Notifications",
            "--method", "org.freedesktop.Notifications.Notify",
            "'ticker'", "0", "''", _gvariant_string(title), _gvariant_string(body),
            "[]", "{}", "-1",
        ]  # fmt: skip
    return None


async def notify_desktop(title: str, body: str) -> Result | None:
    """Show a desktop notification; None where this machine has no way to."""
    argv = desktop_command(title, body)
    if argv is None:
        return None
    return await run_command(argv, DESKTOP_TIMEOUT)


class Dispatcher:
    """Delivers firings to the desktop, to command hooks, to the webhook and to Telegram,
    in the background. ``sleep``: how the webhook waits between attempts."""

    def __init__(
        self,
        hook_timeout: float,
        webhook: WebhookSettings | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        hooks: Mapping[str, Sequence[str]] | None = None,
        outbox: Outbox | None = None,
        telegram: TelegramSettings | None = None,
    ) -> None:
        """``outbox``: where remote deliveries are kept until done (None: not kept)."""
        self.hook_timeout = hook_timeout
        self.outbox = outbox
        self._sending: set[int] = set()
        """Events whose remote delivery runs here now."""
        self.hooks: Mapping[str, Sequence[str]] = hooks if hooks is not None else {}
        self.webhook = webhook or WebhookSettings()
        self.telegram = telegram or TelegramSettings()
        self._sleep = sleep
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._no_desktop_said = False
        self._said: set[tuple[int, str]] = set()

    def deliver(self, firings: Sequence[Firing]) -> None:
        """Log each firing and start its deliveries; call in the loop."""
        for firing in firings:
            log.info("alert: %s", firing.message)
            channels = firing.stored.rule.channels
            if "desktop" in channels:
                self._spawn(self._desktop(firing))
            if "command" in channels:
                argv = self._hook_argv(firing)
                if argv is not None:
                    self._spawn(self._hook(firing, argv))
            remote = [c for c in REMOTE if c in channels]
            if remote:
                self._spawn(self._post(firing, remote))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _desktop(self, firing: Firing) -> None:
        result = await notify_desktop(f"ticker: {firing.stored.rule.subject}", firing.message)
        if result is None:
            if not self._no_desktop_said:
                self._no_desktop_said = True
                log.info(
                    "%s", _("no desktop notifications here (no notify-send, no D-Bus session)")
                )
        elif not result.ok:
            said = _("alert #{id}: desktop notification failed: {detail}")
            log.warning("%s", said.format(id=firing.stored.id, detail=result.detail))

    def _hook_argv(self, firing: Firing) -> list[str] | None:
        """The argv of the rule's hook here; None (said once per rule) where there is none
        to run: a hook this machine does not define, a program stored with the rule."""
        stored = firing.stored
        name = stored.rule.hook
        if stored.stored_argv:
            said = stored_program_words(stored.id)
        elif name in self.hooks:
            return expand(self.hooks[name], firing.placeholders())
        elif name:
            said = _("{why}: its other channels fire").format(why=undefined_hook_words(name))
        else:
            return None
        if (stored.id, said) not in self._said:
            self._said.add((stored.id, said))
            log.warning("alert #%d: %s", stored.id, said)
        return None

    async def _hook(self, firing: Firing, argv: list[str]) -> None:
        try:
            result = await run_command(argv, self.hook_timeout, firing.placeholders())
        except asyncio.CancelledError:
            said = _("alert #{id}: command stopped (killed) at shutdown")
            log.warning("%s", said.format(id=firing.stored.id))
            raise
        if not result.ok:
            said = _("alert #{id}: command failed: {detail}")
            log.warning("%s", said.format(id=firing.stored.id, detail=result.detail))

    async def _post(self, firing: Firing, channels: Sequence[str]) -> None:
        from ticker.core.alerts import bodies, webhook  # httpx: only once one is used

        deliveries = []
        if "webhook" in channels:
            event = webhook.event_json(firing)
            rule = firing.placeholders()["rule"]
            deliveries.append(bodies.webhook_delivery(event, rule, self.webhook))
        if "telegram" in channels:
            deliveries.append(bodies.telegram_delivery(firing.message))
        entry = bodies.encode(firing.stored.id, deliveries)
        self._sending.add(firing.event_id)
        if self.outbox is not None and any(self._target(d) for d in deliveries):
            await self.outbox.queue(firing.event_id, entry)
        await self._send(firing.event_id, f"alert #{firing.stored.id}", entry)

    def resend_pending(self) -> None:
        """Send again, in the background, the remote deliveries the store keeps as not
        done (cut at a shutdown, a process killed); call in the loop, once the store's
        lease is held."""
        if self.outbox is not None:
            self._spawn(self._resend(self.outbox))

    async def _resend(self, outbox: Outbox) -> None:
        due = [p for p in await outbox.due() if p.event_id not in self._sending]
        if due:
            what = "firing" if len(due) == 1 else "firings"
            log.info("webhook: sending %d undelivered %s again", len(due), what)
        self._sending.update(p.event_id for p in due)
        # Awaited here, not spawned: a drain that waits for (or cuts) this task waits
        # for (or cuts) every one of them.
        await asyncio.gather(*(self._send(p.event_id, _whose(p.body), p.body) for p in due))

    def _target(self, delivery: Delivery) -> tuple[str, bytes, float, int] | None:
        """Where and what to POST for ``delivery`` here (URL, body, timeout, attempts);
        None when this machine's config does not say where."""
        if delivery.channel == "telegram":
            from ticker.core.alerts.bodies import telegram_request

            tg = self.telegram
            if not tg.ready:
                return None
            url, body = telegram_request(tg, delivery.body)
            return url, body, tg.timeout.total_seconds(), tg.attempts
        if not self.webhook.url:
            return None
        conf = self.webhook
        return conf.url, delivery.body.encode(), conf.timeout.total_seconds(), conf.attempts

    async def _send(self, event_id: int, who: str, entry: str) -> None:
        """Send each delivery of the outbox entry ``entry`` (event ``event_id``'s; ``who``:
        the rule, for the log), then settle it."""
        from ticker.core.alerts.bodies import decode

        _rule_id, deliveries = decode(entry)
        results = await asyncio.gather(*(self._send_one(who, d) for d in deliveries))
        done = [r for r in results if r is not None]
        if self.outbox is not None and done:
            ok = all(r[0] for r in done)
            said = zip(deliveries, results, strict=True)
            detail = "; ".join(f"{d.channel}: {r[1]}" for d, r in said if r)
            if len(deliveries) == 1:
                detail = done[0][1]
            await self.outbox.settle(event_id, ok, detail)

    async def _send_one(self, who: str, delivery: Delivery) -> tuple[bool, str] | None:
        """POST one delivery; (ok, words), or None when this machine cannot send it."""
        from ticker.core.alerts import webhook  # httpx: only once one is used

        channel = delivery.channel
        target = self._target(delivery)
        if target is None:  # the rule was checked against another machine's config
            missing = "[telegram] token and chat_id" if channel == "telegram" else "[webhook] url"
            log.warning("%s: %s: no %s is set here", who, channel, missing)
            return None
        url, body, limit, attempts = target
        if self._client is None:
            self._client = webhook.make_webhook_client()
        to = webhook.receiver(url)
        try:
            ok, detail = await webhook.post_event(
                self._client, url, body, limit, attempts, self._sleep, delivery.content_type
            )
        except asyncio.CancelledError:
            kept = "; kept, sent at the next start" if self.outbox is not None else ""
            log.warning("%s: %s to %s stopped at shutdown%s", who, channel, to, kept)
            raise
        detail = self._masked(detail)
        if not ok:
            log.warning("%s: %s to %s failed: %s", who, channel, to, detail)
        return ok, detail

    def _masked(self, text: str) -> str:
        """``text`` without the Telegram bot's token or chat (an error may quote a URL)."""
        for secret in (self.telegram.token, self.telegram.chat_id):
            if secret and len(secret) > 3:
                text = text.replace(secret, "***")
        return text

    async def drain(self, grace: float) -> None:
        """Let deliveries in flight finish for ``grace`` s; then cancel (killing hooks)."""
        pending = [t for t in self._tasks if not t.done()]
        if pending:
            _done, still = await asyncio.wait(pending, timeout=grace)
            for task in still:
                task.cancel()
            if still:
                await asyncio.wait(still, timeout=2.0)
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()


def _whose(entry: str) -> str:
    """``alert #7``: the rule a kept delivery names, for the log."""
    from ticker.core.alerts.bodies import decode

    rule_id = decode(entry)[0]
    return f"alert #{rule_id}" if rule_id is not None else "alert"
