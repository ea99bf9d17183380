"""``[hooks.NAME]``: the programs this machine runs when a rule fires. A rule names a hook
(``hook = "NAME"``), never a program: the store is shared, and whoever can write to it
must not be able to make a collector run anything (a rule naming a hook this machine does
not define fires its other channels)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ticker.config.reader import MISSING, Reader
from ticker.i18n.words import N_, _
from ticker.model.rules import HOOK_PLACEHOLDERS

#: What a hook's name may be.
HOOK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
HOOK_NAME_WORDS = N_("a hook name of letters, digits, - and _ (at most 40)")
#: The one line for the old form of a rule's program (``command`` with the rule).
NO_PROGRAM_WITH_A_RULE = N_(
    "a rule no longer carries a program (any writer of the store could make every "
    "collector run it): define it in this machine's config as [hooks.NAME] command = [...]"
)


def parse_hooks(r: Reader, data: object) -> dict[str, tuple[str, ...]]:
    """``[hooks]``: each ``[hooks.NAME]`` table's ``command`` (an argv)."""
    if not isinstance(data, dict):
        r.fail("hooks", _("a table of hooks ([hooks.NAME])"), data)
    hooks: dict[str, tuple[str, ...]] = {}
    for name, table in data.items():
        if not HOOK_NAME.fullmatch(name):
            r.fail(f"hooks.{name}", _(HOOK_NAME_WORDS), name)
        t = r.table(table, f"hooks.{name}", ("command",))
        if "command" not in t:
            r.fail(f"hooks.{name}.command", _("a value (this key is required)"), MISSING)
        hooks[name] = check_argv(r, t["command"], f"hooks.{name}.command")
    return hooks


def check_argv(r: Reader, value: object, path: str) -> tuple[str, ...]:
    """A hook's argv: placeholders known, its program named on $PATH or by an absolute
    path (whether this machine has it is said where it matters, not here)."""
    command = r.unique_list(value, path, r.string, unique=False)
    if not command or not command[0]:
        expected = _('a program and its arguments, like ["notify-send", "{message}"]')
        r.fail(path, expected, value)
    for arg in command:
        for name in re.findall(r"\{([^{}]*)\}", arg):
            if name not in HOOK_PLACEHOLDERS:
                expected = _("placeholders among {placeholders}").format(
                    placeholders=" ".join(f"{{{p}}}" for p in HOOK_PLACEHOLDERS)
                )
                r.fail(path, expected, arg)
    if "/" in command[0] and not command[0].startswith("/"):
        expected = _("a program on $PATH or an absolute path (a relative one breaks elsewhere)")
        r.fail(path, expected, command[0])
    # A program this machine lacks (notify-send on a server sharing the file) is no error
    # of the file: 'alerts add --hook', 'alerts test' and the collector say so.
    return command


def rule_hook(r: Reader, t: dict[str, Any], path: str, hooks: Mapping[str, object] | None) -> str:
    """A rule's ``hook``: a name (empty: none); with ``hooks``, one of them (a config
    file's rule names a hook of its own file)."""
    if "hook" not in t:
        return ""
    name = r.string(t["hook"], f"{path}.hook")
    if not HOOK_NAME.fullmatch(name):
        r.fail(f"{path}.hook", _(HOOK_NAME_WORDS), name)
    if hooks is not None and name not in hooks:
        defined = ", ".join(hooks) or _("none")
        expected = _("a hook defined as [hooks.NAME] (defined: {defined})").format(defined=defined)
        r.fail(f"{path}.hook", expected, name)
    return name
