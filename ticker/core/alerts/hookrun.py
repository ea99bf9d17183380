"""Running a hook: its argv with the firing's values filled in, without a shell, in a
process group of its own, with a clean environment, killed (with its children) after a
time limit.

**Placeholders are safe wherever they land.** ``{pair}`` ``{rate}`` ``{rule}``
``{message}`` ``{as_of}`` (and a market rule's ``{market_channel}`` ``{institution}``, empty
in another rule's firing) fill an argument each, as text, and no shell reads them. A hook
that runs a shell line (``["sh", "-c", "echo {rule} >> ~/alerts.log"]``: ``sh``, ``bash``,
``dash``, ``zsh``, ``ksh``, ``mksh``, ``ash``, ``yash`` or ``busybox sh`` with ``-c``)
gets, in that line, a quoted reference to an environment variable in place of each
placeholder (``"${TICKER_RULE}"``): the shell reads the value as one word, never as
code, whatever it holds (``#3 ...`` would otherwise comment out the rest of the line, and
a rule's label is anyone's text). Every hook also gets the values as ``TICKER_PAIR``,
``TICKER_RATE``, ``TICKER_RULE``, ``TICKER_MESSAGE`` and ``TICKER_AS_OF``; a market rule's
firing also ``TICKER_MARKET_CHANNEL`` and ``TICKER_INSTITUTION`` (unset for another rule's).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from ticker.i18n.numbers import localised
from ticker.i18n.words import _
from ticker.model.rules import HOOK_PLACEHOLDERS

_PLACEHOLDER = re.compile(r"\{(" + "|".join(HOOK_PLACEHOLDERS) + r")\}")
#: Characters of a failed hook's output kept for the log.
STDERR_TAIL = 300
#: Bytes of a hook's output held while it runs (the rest is read and dropped).
STDERR_KEPT = 64 * 1024

#: The variables a hook (and a desktop notification) gets from ticker's environment;
#: nothing else (``TICKER_DB_URL`` and its password stay with ticker). ``LC_*`` too.
HOOK_ENVIRONMENT = (
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TERM", "TMPDIR",
    "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS",
)  # fmt: skip

#: Shells whose ``-c`` line gets variable references instead of values.
SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash"})


def hook_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The clean environment a hook runs with: :data:`HOOK_ENVIRONMENT` and ``LC_*``."""
    env = os.environ if env is None else env
    return {k: v for k, v in env.items() if k in HOOK_ENVIRONMENT or k.startswith("LC_")}


def variable(name: str) -> str:
    """``rule`` -> ``TICKER_RULE``: the variable a placeholder's value is in."""
    return "TICKER_" + name.upper()


def value_environment(values: Mapping[str, str]) -> dict[str, str]:
    """The firing's values as the hook's ``TICKER_*`` variables (a value the firing does
    not have, a market field of another rule's, is no variable)."""
    return {variable(name): values[name] for name in HOOK_PLACEHOLDERS if name in values}


def shell_script_index(command: Sequence[str]) -> int | None:
    """The index of the line a shell runs (``sh -c LINE``, ``bash -ec LINE``, ``busybox
    sh -c LINE``); None when ``command`` is not a shell running a line."""
    if not command:
        return None
    start = 1
    program = PurePath(command[0]).name
    if program == "busybox" and len(command) > 1 and command[1] in SHELLS:
        start = 2
    elif program not in SHELLS:
        return None
    for i in range(start, len(command)):
        arg = command[i]
        if arg == "--" or not arg.startswith(("-", "+")):
            return None  # a script file, or the line came before any -c
        if arg.startswith("-") and not arg.startswith("--") and "c" in arg[1:]:
            return i + 1 if i + 1 < len(command) else None
    return None


def _in_shell_line(line: str) -> str:
    """Each placeholder of a shell line made a quoted reference to its variable, as the
    quoting around it needs: ``"${TICKER_RULE}"`` outside quotes, ``${TICKER_RULE}``
    inside double quotes, ``'"${TICKER_RULE}"'`` inside single quotes. Were a quote
    misread (a ``$(...)`` inside double quotes), the value is still only ever expanded,
    never run."""
    out: list[str] = []
    quote = ""  # "", "'" or '"'
    i = 0
    while i < len(line):
        match = _PLACEHOLDER.match(line, i)
        if match is not None:
            ref = "${" + variable(match.group(1)) + "}"
            out.append({"": f'"{ref}"', '"': ref, "'": f"'\"{ref}\"'"}[quote])
            i = match.end()
            continue
        char = line[i]
        out.append(char)
        if char == "\\" and quote != "'" and i + 1 < len(line):
            out.append(line[i + 1])  # escaped: not a quote, not a placeholder
            i += 2
            continue
        if char in "'\"" and quote in ("", char):
            quote = "" if quote == char else char
        i += 1
    return "".join(out)


def expand(command: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """The hook's argv with each placeholder replaced (one argument stays one argument);
    in a shell's ``-c`` line, by a reference to its ``TICKER_*`` variable (the module
    says why): run it with :func:`value_environment`. A placeholder the firing has no
    value for (a market field of another rule's) is empty."""
    script = shell_script_index(command)
    return [
        _in_shell_line(arg) if i == script else _PLACEHOLDER.sub(lambda m: _value(values, m), arg)
        for i, arg in enumerate(command)
    ]


def _value(values: Mapping[str, str], match: re.Match[str]) -> str:
    return values.get(match.group(1), "")


@dataclass(frozen=True, slots=True)
class Result:
    """What a run came to: ``detail`` in words; for ``alerts test``, the exit code (None:
    not started, or killed), the start of its output, and how long it took."""

    ok: bool
    detail: str
    code: int | None = None
    output: str = ""
    seconds: float = 0.0


async def run_command(
    argv: Sequence[str],
    limit: float,
    values: Mapping[str, str] | None = None,
    keep_output: bool = False,
    timer: Callable[[], float] = time.monotonic,
) -> Result:
    """Run ``argv`` without a shell; kill its whole process group after ``limit`` s.
    ``values``: the firing's, as ``TICKER_*`` variables. ``keep_output``: its output
    (stdout and stderr together) is kept, its start in :attr:`Result.output` (otherwise
    stdout is dropped and stderr's tail goes in a failure's words)."""
    env = hook_environment() | value_environment(values or {})
    started = timer()
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE if keep_output else asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.STDOUT if keep_output else asyncio.subprocess.PIPE,
            start_new_session=True,
            env=env,
        )
    except OSError as err:
        why = _("could not start {program}: {error}").format(
            program=argv[0], error=err.strerror or err
        )
        return Result(False, why)
    try:
        said = await asyncio.wait_for(_finished(proc, keep_output), limit)
    except (TimeoutError, asyncio.CancelledError) as stopped:
        _kill_group(proc.pid)
        await proc.wait()
        if isinstance(stopped, asyncio.CancelledError):
            raise
        why = _("{program} still running after {seconds}s: killed").format(
            program=argv[0], seconds=localised(f"{limit:g}")
        )
        return Result(False, why, seconds=timer() - started)
    seconds = timer() - started
    text = said.decode(errors="replace")
    output = text if keep_output else ""
    if proc.returncode != 0:
        tail = text.strip()[-STDERR_TAIL:]
        why = _("{program} exited with {code}").format(program=argv[0], code=proc.returncode)
        return Result(
            False,
            why + (f": {tail}" if tail else ""),
            proc.returncode,
            output,
            seconds,
        )
    return Result(True, _("{program} ran (exit 0)").format(program=argv[0]), 0, output, seconds)


async def _finished(proc: asyncio.subprocess.Process, head: bool) -> bytes:
    """Wait for ``proc``, reading its output as it comes and keeping :data:`STDERR_KEPT`
    bytes of it: the start with ``head``, else the tail (a hook that writes gigabytes
    costs us no more)."""
    kept = bytearray()
    stream = proc.stdout if head else proc.stderr
    assert stream is not None
    while chunk := await stream.read(65536):
        if head:
            kept += chunk[: max(0, STDERR_KEPT - len(kept))]
            continue
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


def missing_program(command: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    """Why ``command``'s program cannot run here (``notify-send is not installed here
    (not on $PATH)``), or "" when it can."""
    import shutil

    env = os.environ if env is None else env
    program = command[0] if command else ""
    if not program:
        return _("no program")
    if shutil.which(program, path=env.get("PATH", os.defpath)) is not None:
        return ""
    if "/" in program:
        return _("{program} is not an executable file here").format(program=program)
    return _("{program} is not installed here (not on $PATH)").format(program=program)
