"""Quarantine reasons as facts: what is stored, and the sentences older versions stored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ticker.model.quarantine import HeldKind, HeldReason, decode, encode
from ticker.storage.migrations import IMPOSSIBLE_DATE

D = Decimal


@pytest.mark.parametrize(
    "reason",
    [
        HeldReason(HeldKind.PEG, D("2")),
        HeldReason(HeldKind.MOVE, D("20.5")),
        HeldReason(HeldKind.FIRST_SIGHT, D("20"), "nbk"),
        HeldReason(HeldKind.IMPLAUSIBLE, band=(D("0.28"), D("150000"))),
    ],
)
def test_facts_survive_the_store(reason: HeldReason) -> None:
    text = encode(reason)
    assert text.startswith("{") and "\n" not in text
    assert decode(text) == reason


def test_the_stored_text_is_small_and_plain() -> None:
    assert encode(HeldReason(HeldKind.PEG, D("2"))) == '{"kind":"peg","allowed":"2"}'


@pytest.mark.parametrize(
    ("sentence", "facts"),
    [
        (
            "-13.71% off the official peg of 3.50 (more than the 2% allowed)",
            HeldReason(HeldKind.PEG, D("2"), reference=D("3.50")),
        ),
        (  # schema 1's wording (tests/fixtures/db/schema_v1.*.sql)
            "moved -13.71% from 3.50",
            HeldReason(HeldKind.MOVE, reference=D("3.50")),
        ),
        (
            "moved +27.66% from 470.00 (more than the 20% allowed)",
            HeldReason(HeldKind.MOVE, D("20"), reference=D("470.00")),
        ),
        (
            "+30.00% from nbk's 470.00 at first sight (more than the 20% allowed)",
            HeldReason(HeldKind.FIRST_SIGHT, D("20"), "nbk", reference=D("470.00")),
        ),
        (
            "1e+30 KZT per USD is outside the plausible 0.4-5500 for KZT",
            HeldReason(HeldKind.IMPLAUSIBLE, band=(D("0.4"), D("5500"))),
        ),
    ],
)
def test_sentences_of_older_versions_are_read_back_into_facts(
    sentence: str, facts: HeldReason
) -> None:
    assert decode(sentence) == facts


@pytest.mark.parametrize(
    "text", [IMPOSSIBLE_DATE, "", "something else", "{not json", '{"kind": "nonsense"}', "[1]"]
)
def test_words_without_facts_are_none(text: str) -> None:
    assert decode(text) is None
