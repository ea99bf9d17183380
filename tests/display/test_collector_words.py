"""A collector's host comes from the store (a lock file, a row anyone with write access
can write): it is shown escaped, never as terminal escapes or a forged line."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from ticker.display.collectors import collectors_lines, fed_by, health_text, standing_by
from ticker.model.collectors import CollectorRecord, Role

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
HOSTILE = "desk\x1b]0;owned\x07\x1b[2J\nticker: forged line\u202e"


def holder(host: str = HOSTILE) -> CollectorRecord:
    return CollectorRecord(host, 42, Role.ACTIVE, NOW, NOW, NOW)


def _clean(text: str) -> bool:
    return all(ch.isprintable() or ch == " " for ch in text)


def test_a_hostile_host_is_shown_escaped_everywhere_a_collector_is_named() -> None:
    said = [
        standing_by(["nbk"], holder(), NOW),
        fed_by(holder()),
        *collectors_lines([holder()], NOW),
        health_text(SimpleNamespace(ok=True, collectors=[holder()], sources=[]), NOW),
        holder().who,
    ]
    for text in said:
        assert _clean(text), repr(text)
        assert "\\x1b]0;owned\\x07" in text and "\\nticker: forged line" in text, text


def test_an_ordinary_host_is_shown_as_it_is() -> None:
    assert holder("desk-1.example").who == "desk-1.example pid 42"
