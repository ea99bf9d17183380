"""Text from elsewhere (an argument, a file name, a host a store names) as it may be
echoed to a person: control characters shown as escapes."""

from __future__ import annotations

from ticker.i18n.words import _

#: Spaces a number written for a person holds (``100 000``, ``+0,03 %`` in Russian):
#: printable, though ``str.isprintable`` says otherwise.
SPACES = frozenset(" \u00a0\u202f")


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes: an argument, a file name or a
    host echoed in a message cannot move the cursor, recolour the user's terminal or
    start a line of its own. The spaces of a number written the locale's way stay."""
    return "".join(
        ch if ch.isprintable() or ch in SPACES else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class Unexpected(ValueError):
    """Text that is not what was expected: ``expected`` says what was (in the user's
    language), ``got`` the text as it was given; ``str()`` is the one line of both."""

    def __init__(self, expected: str, got: str) -> None:
        super().__init__(_("expected {expected}, got {got}").format(expected=expected, got=got))
        self.expected = expected
        self.got = got
