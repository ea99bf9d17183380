"""Rules in the store: config rules found again by their condition and scoped to their
file; ids never reused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.factories import obs
from ticker.config import Settings
from ticker.config.rules import rule_from_entry
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.model.pairs import Orientation
from ticker.model.rules import AlertRuleConfig
from ticker.storage.db import Database
from ticker.storage.repository import Repository

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def repo(database: Database) -> Repository:
    return Repository(database)


def rule(**entry: object) -> AlertRuleConfig:
    return rule_from_entry(entry, Orientation.USD_PER)


ABOVE = rule(pair="USD/KZT", kind="above", value="470")
STALE = rule(pair="KGS", kind="stale", days=2)


def test_a_config_rule_keeps_its_id_and_state_when_only_its_label_changes(
    repo: Repository,
) -> None:
    repo.store([obs("KZT", "478.77")])
    repo.sync_config_rules([ABOVE], "/etc/ticker.toml", NOW)
    assert len(evaluate_rules(repo, Settings(), NOW)) == 1
    relabelled = rule(
        pair="USD/KZT", kind="above", value="470.0", label="weak tenge", cooldown="2h",
        channels=["toast"],
    )  # fmt: skip
    repo.sync_config_rules([relabelled], "/etc/ticker.toml", NOW + timedelta(hours=1))
    (stored,) = repo.alert_rules()
    assert stored.id == 1 and stored.rule == relabelled
    assert not stored.state.armed  # still fired: no second firing for the same condition
    assert evaluate_rules(repo, Settings(), NOW + timedelta(hours=3)) == []


def test_each_config_file_manages_only_its_own_rules(repo: Repository) -> None:
    repo.sync_config_rules([ABOVE], "/etc/ticker.toml", NOW)
    repo.sync_config_rules([STALE], "/home/a/.config/ticker/config.toml", NOW)
    repo.sync_config_rules([], "/tmp/empty.toml", NOW)
    assert [r.id for r in repo.alert_rules()] == [1, 2]
    repo.sync_config_rules([], "/etc/ticker.toml", NOW)  # removed from that file
    assert [(r.id, r.rule) for r in repo.alert_rules()] == [(2, STALE)]


def test_ids_are_never_reused(repo: Repository) -> None:
    first = repo.add_alert_rule(ABOVE, "cli", NOW)
    assert repo.delete_alert_rule(first, NOW)
    assert not repo.delete_alert_rule(first, NOW)  # already removed
    second = repo.add_alert_rule(ABOVE, "cli", NOW)
    assert second > first
    assert [r.id for r in repo.alert_rules()] == [second]
