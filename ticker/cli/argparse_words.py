"""argparse's own words (``usage:``, ``error:``, ``the following arguments are required``,
``positional arguments``, ``options`` ...), said through ticker's catalogue.

argparse translates with its module's ``_`` and ``ngettext`` (``from gettext import
gettext as _``) at the moment it words a message; :func:`speak` points them at ticker's,
so a usage error or a ``--help`` heading is in the user's language. The messages are
listed here, marked, so that they are extracted into ticker's catalogue and translated
with the rest (argparse's own ``%s`` and ``%(name)s`` fields are kept as they are)."""

from __future__ import annotations

import argparse

from ticker.i18n.words import N_, _, ngettext

__all__ = ["speak"]


def _said(message: str | None) -> str | None:
    """argparse's ``_``: it also passes None (a subparsers group without description)."""
    return _(message) if message else message


def speak() -> None:
    """argparse words its messages through ticker's catalogue from now on."""
    argparse._ = _said  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


# The messages argparse words with ``_``/``ngettext`` that can reach a user (Python
# 3.11's, and the ones later versions added or reworded), for the catalogue only.
MESSAGES = (
    N_("usage: "),
    N_("argument %(argument_name)s: %(message)s"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)


def _plurals() -> None:  # pragma: no cover - never called: the plurals, for the catalogue
    ngettext("expected %s argument", "expected %s arguments", 2)
