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
* ``webhook``: the firing as JSON, POSTed to ``[webhook] url`` with a timeout and
  retries (:mod:`ticker.core.alerts.webhook`). A failure is logged, never fatal. With an
  :class:`~ticker.core.alerts.outbox.Outbox` (a collector's), a delivery is kept in the
  store until it is done: one cut at shutdown is sent at the next start
  (:meth:`Dispatcher.resend_pending`).

Each delivery is a task of its own: a poll never waits for one.

Every firing is also logged, so a headless collector's log is a record of them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import shutil
import signal
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ticker.config import WebhookSettings
from ticker.core.alerts.evaluate import Firing
from ticker.model.rules import HOOK_PLACEHOLDERS

if TYPE_CHECKING:  # httpx loads with the first webhook delivery
    import httpx

    from ticker.core.alerts.outbox import Outbox

log = logging.getLogger("ticker.alerts")

_PLACEHOLDER = re.compile(r"\{(" + "|".join(HOOK_PLACEHOLDERS) + r")\}")
#: Characters of a failed hook's stderr kept for the log.
STDERR_TAIL = 300
#: Bytes of a hook's stderr held while it runs (its tail; the rest is read and dropped).
STDERR_KEPT = 64 * 1024
#: How long a desktop notification command may take.
DESKTOP_TIMEOUT = 5.0


#: The variables a hook (and a desktop notification) gets from ticker's environment;
#: nothing else (``TICKER_DB_URL`` and its password stay with ticker). ``LC_*`` too.
HOOK_ENVIRONMENT = (
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TERM", "TMPDIR",
    "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS",
)  # fmt: skip


def hook_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The clean environment a hook runs with: :data:`HOOK_ENVIRONMENT` and ``LC_*``."""
    env = os.environ if env is None else env
    return {k: v for k, v in env.items() if k in HOOK_ENVIRONMENT or k.startswith("LC_")}


def stored_program_words(rule_id: int) -> str:
    """What is said of a program an older ticker stored with rule ``rule_id``."""
    return (
        "a program stored with the rule by an older ticker no longer runs: define it as "
        f"[hooks.NAME] in this machine's config and run 'ticker alerts edit {rule_id} "
        "--hook NAME'"
    )


def undefined_hook_words(name: str) -> str:
    return f'hook "{name}" is not defined here (no [hooks.{name}] in this machine\'s config)'


@dataclass(frozen=True, slots=True)
class Result:
    ok: bool
    detail: str


def expand(command: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """The hook's argv with each placeholder replaced (one argument stays one argument)."""
    return [_PLACEHOLDER.sub(lambda m: values[m.group(1)], arg) for arg in command]


async def run_command(argv: Sequence[str], limit: float) -> Result:
    """Run ``argv`` without a shell; kill its whole process group after ``limit`` s."""
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
            env=hook_environment(),
        )
    except OSError as err:
        return Result(False, f"could not start {argv[0]}: {err.strerror or err}")
    try:
        stderr = await asyncio.wait_for(_finished(proc), limit)
    except (TimeoutError, asyncio.CancelledError) as stopped:
        _kill_group(proc.pid)
        await proc.wait()
        if isinstance(stopped, asyncio.CancelledError):
            raise
        return Result(False, f"{argv[0]} still running after {limit:g}s: killed")
    if proc.returncode != 0:
        said = stderr.decode(errors="replace").strip()[-STDERR_TAIL:]
        return Result(
            False, f"{argv[0]} exited with {proc.returncode}" + (f": {said}" if said else "")
        )
    return Result(True, f"{argv[0]} ran (exit 0)")


async def _finished(proc: asyncio.subprocess.Process) -> bytes:
    """Wait for ``proc``, reading its stderr as it comes and keeping only the tail (a hook
    that writes gigabytes costs us :data:`STDERR_KEPT` bytes)."""
    kept = bytearray()
    assert proc.stderr is not None
    while chunk := await proc.stderr.read(65536):
        kept += chunk
        if len(kept) > STDERR_KEPT:
            del kept[: len(kept) - STDERR_KEPT]
    await proc.wait()
    return bytes(kept)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


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
    """Delivers firings to the desktop, to command hooks and to the webhook, in the
    background. ``sleep``: how the webhook waits between attempts."""

    def __init__(
        self,
        hook_timeout: float,
        webhook: WebhookSettings | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        hooks: Mapping[str, Sequence[str]] | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        """``outbox``: where webhook deliveries are kept until done (None: not kept)."""
        self.hook_timeout = hook_timeout
        self.outbox = outbox
        self._sending: set[int] = set()
        """Events whose webhook delivery runs here now."""
        self.hooks: Mapping[str, Sequence[str]] = hooks if hooks is not None else {}
        self.webhook = webhook or WebhookSettings()
        self._sleep = sleep
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._no_desktop_said = False
        self._said: set[tuple[int, str]] = set()

    def deliver(self, firings: Sequence[Firing]) -> None:
        """Log each firing and start its desktop and command deliveries; call in the loop."""
        for firing in firings:
            log.info("alert: %s", firing.message)
            channels = firing.stored.rule.channels
            if "desktop" in channels:
                self._spawn(self._desktop(firing))
            if "command" in channels:
                argv = self._hook_argv(firing)
                if argv is not None:
                    self._spawn(self._hook(firing, argv))
            if "webhook" in channels:
                self._spawn(self._post(firing))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _desktop(self, firing: Firing) -> None:
        result = await notify_desktop(f"ticker: {firing.stored.rule.pair}", firing.message)
        if result is None:
            if not self._no_desktop_said:
                self._no_desktop_said = True
                log.info("no desktop notifications here (no notify-send, no D-Bus session)")
        elif not result.ok:
            log.warning(
                "alert #%d: desktop notification failed: %s", firing.stored.id, result.detail
            )

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
            said = undefined_hook_words(name) + ": its other channels fire"
        else:
            return None
        if (stored.id, said) not in self._said:
            self._said.add((stored.id, said))
            log.warning("alert #%d: %s", stored.id, said)
        return None

    async def _hook(self, firing: Firing, argv: list[str]) -> None:
        try:
            result = await run_command(argv, self.hook_timeout)
        except asyncio.CancelledError:
            log.warning("alert #%d: command stopped (killed) at shutdown", firing.stored.id)
            raise
        if not result.ok:
            log.warning("alert #%d: command failed: %s", firing.stored.id, result.detail)

    async def _post(self, firing: Firing) -> None:
        from ticker.core.alerts import webhook  # httpx: only once a webhook is used

        body = json.dumps(webhook.event_json(firing), ensure_ascii=False)
        self._sending.add(firing.event_id)
        if self.outbox is not None and self.webhook.url:
            await self.outbox.queue(firing.event_id, body)
        await self._send(firing.event_id, f"alert #{firing.stored.id}", body)

    def resend_pending(self) -> None:
        """Send again, in the background, the webhook deliveries the store keeps as not
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

    async def _send(self, event_id: int, who: str, body: str) -> None:
        """POST ``body`` (event ``event_id``'s JSON; ``who``: the rule, for the log)."""
        from ticker.core.alerts import webhook  # httpx: only once a webhook is used

        url = self.webhook.url
        if not url:  # the rule was checked against another config file's [webhook]
            log.warning("%s: webhook: no [webhook] url is set here", who)
            return
        if self._client is None:
            self._client = webhook.make_webhook_client()
        to = webhook.receiver(url)
        try:
            ok, detail = await webhook.post_event(
                self._client,
                url,
                body.encode(),
                self.webhook.timeout.total_seconds(),
                self.webhook.attempts,
                self._sleep,
            )
        except asyncio.CancelledError:
            kept = "; kept, sent at the next start" if self.outbox is not None else ""
            log.warning("%s: webhook to %s stopped at shutdown%s", who, to, kept)
            raise
        if not ok:
            log.warning("%s: webhook to %s failed: %s", who, to, detail)
        if self.outbox is not None:
            await self.outbox.settle(event_id, ok, detail)

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


def _whose(body: str) -> str:
    """``alert #7``: the rule a kept delivery's JSON names, for the log."""
    try:
        rule_id = json.loads(body).get("rule_id")
    except (ValueError, AttributeError):
        rule_id = None
    return f"alert #{rule_id}" if isinstance(rule_id, int) else "alert"
