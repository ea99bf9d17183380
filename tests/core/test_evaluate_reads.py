"""A round of alert evaluation reads one bundle in one read block: a few statements on
one connection, however many rules and pairs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.core.test_snapshot_reads import checkouts, statements
from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.seeded import seed, settings_for
from ticker.config import Settings
from ticker.core.alerts.bundle import read_round
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.model.pairs import parse_pair
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.storage.reader import StoreReader, open_reads

#: Three rules on three pairs: a level, a move over a window, a source that stops.
THREE = [
    AlertRuleConfig(parse_pair("USD/KZT"), AlertKind.ABOVE, value=Decimal("400")),
    AlertRuleConfig(
        parse_pair("USD/KGS"), AlertKind.MOVE, percent=Decimal("0.1"), window=timedelta(days=7)
    ),
    AlertRuleConfig(parse_pair("USD/UZS"), AlertKind.STALE, days=1),
]
#: Six more, on the other two pairs too, a second window, and the other orientation.
SIX_MORE = [
    AlertRuleConfig(parse_pair("USD/TJS"), AlertKind.BELOW, value=Decimal("1")),
    AlertRuleConfig(parse_pair("USD/TMT"), AlertKind.CHANGE, percent=Decimal("5")),
    AlertRuleConfig(
        parse_pair("USD/KZT"), AlertKind.MOVE, percent=Decimal("9"), window=timedelta(days=30)
    ),
    AlertRuleConfig(parse_pair("USD/KGS"), AlertKind.DIVERGENCE, percent=Decimal("50")),
    AlertRuleConfig(parse_pair("KZT/USD"), AlertKind.ABOVE, value=Decimal("1")),
    AlertRuleConfig(parse_pair("UZS/USD"), AlertKind.STALE, days=30),
]


@pytest.fixture
def seeded(tmp_path: Path) -> Settings:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    seed(repo)
    for rule in THREE:
        repo.add_alert_rule(rule, "cli", NOW)
    repo.close()
    return settings


def test_three_rules_on_three_pairs_are_read_in_five_statements(seeded: Settings) -> None:
    """The rules, the health, every routed source's last fixings of the three pairs, the
    fixings a window ago, and the ids of the fixings read about."""
    reader = open_reads(seeded)
    assert isinstance(reader, StoreReader)
    try:
        with statements(reader) as seen:
            found = read_round(reader, seeded, NOW)
    finally:
        reader.close()
    assert [[s.rule for s in rules] for rules, _ in found] == [[r] for r in THREE]
    assert len(seen) == 5
    kgs = found[1][1]
    before = kgs.before[timedelta(days=7)]
    assert before is not None and before.as_of == NOW.date() - timedelta(days=7)
    uzs = found[2][1]
    assert uzs.preferred_last is not None and uzs.preferred_last.provider == "cbu"
    assert all(r.observation_ids[(r.view.provider, r.view.as_of)] for _, r in found)


def test_the_statements_do_not_grow_with_the_rules(seeded: Settings) -> None:
    """Nine rules on five pairs, with two windows: the same five statements; the other
    orientation's rates, one more."""
    repo = repo_for(seeded)
    for rule in SIX_MORE[:-2]:
        repo.add_alert_rule(rule, "cli", NOW)
    repo.close()
    reader = open_reads(seeded)
    assert isinstance(reader, StoreReader)
    try:
        with statements(reader) as seen:
            found = read_round(reader, seeded, NOW)
        assert sum(len(rules) for rules, _ in found) == 7 and len(seen) == 5
        repo = repo_for(seeded)
        for rule in SIX_MORE[-2:]:
            repo.add_alert_rule(rule, "cli", NOW)
        repo.close()
        with statements(reader) as seen:
            found = read_round(reader, seeded, NOW)
        assert sum(len(rules) for rules, _ in found) == 9 and len(seen) == 6
    finally:
        reader.close()


def test_a_round_that_changes_nothing_reads_on_one_connection(seeded: Settings) -> None:
    """Once the rules have fired, the next round only reads: one connection, five
    statements (a rule whose state moves is written after the reads, on its own)."""
    repo = repo_for(seeded)
    try:
        fired = evaluate_rules(repo, seeded, NOW)
        assert [f.stored.rule for f in fired] == THREE[:2]  # UZS's CBU published today
        with checkouts(repo) as again:
            assert evaluate_rules(repo, seeded, NOW) == []
        assert again == [1, 6]  # BEGIN, and the five reads
    finally:
        repo.close()
