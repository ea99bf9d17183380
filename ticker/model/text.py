"""Text from elsewhere (an argument, a file name, a host a store names) as it may be
echoed to a person: control characters shown as escapes."""

from __future__ import annotations


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes: an argument, a file name or a
    host echoed in a message cannot move the cursor, recolour the user's terminal or
    start a line of its own."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )
