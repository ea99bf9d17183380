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


def test_editing_a_rule_changes_only_it_and_refuses_a_condition_watched_already(
    repo: Repository,
) -> None:
    first = repo.add_alert_rule(ABOVE, "cli", NOW)
    second = repo.add_alert_rule(STALE, "dashboard", NOW)
    relabelled = rule(pair="USD/KZT", kind="above", value="470", label="weak", cooldown="2h")
    edit = repo.edit_alert_rule(first, relabelled)
    assert edit is not None and edit.before.rule == ABOVE and edit.same is None
    assert [(r.id, r.rule) for r in repo.alert_rules()] == [(first, relabelled), (second, STALE)]
    # The stale rule made to say what the first says: refused, nothing written.
    edit = repo.edit_alert_rule(second, rule(pair="USD/KZT", kind="above", value="470.00"))
    assert edit is not None and edit.same is not None and edit.same.id == first
    assert repo.alert_rules()[1].rule == STALE
    # Its own condition again (another label) is no clash.
    edit = repo.edit_alert_rule(second, rule(pair="KGS", kind="stale", days=2, label="x"))
    assert edit is not None and edit.same is None
    assert repo.edit_alert_rule(99, ABOVE) is None
    repo.delete_alert_rule(first, NOW)
    assert repo.edit_alert_rule(first, ABOVE) is None  # removed


def test_an_edited_condition_starts_armed_and_an_edited_label_keeps_the_state(
    repo: Repository,
) -> None:
    repo.store([obs("KZT", "478.77")])
    rule_id = repo.add_alert_rule(ABOVE, "cli", NOW)
    assert len(evaluate_rules(repo, Settings(), NOW)) == 1
    repo.edit_alert_rule(rule_id, rule(pair="USD/KZT", kind="above", value="470", label="l"))
    (stored,) = repo.alert_rules()
    assert not stored.state.armed and stored.state.last_fired_at == NOW
    repo.edit_alert_rule(rule_id, rule(pair="USD/KZT", kind="above", value="475"))
    (stored,) = repo.alert_rules()
    assert stored.state.armed and stored.state.last_observation_id is None
    assert stored.state.last_fired_at == NOW  # the cooldown still counts from it
    assert evaluate_rules(repo, Settings(), NOW + timedelta(minutes=30)) == []  # cooling down
    (late,) = evaluate_rules(repo, Settings(), NOW + timedelta(hours=1))
    assert late.message == "#1 USD/KZT above 475: 478.77 (NBK, 2026-11-20)"


def test_a_config_rule_is_not_edited_but_can_be_disabled_and_snoozed_across_syncs(
    repo: Repository,
) -> None:
    from ticker.errors import UsageError

    repo.sync_config_rules([ABOVE], "/etc/ticker.toml", NOW)
    with pytest.raises(UsageError) as info:
        repo.edit_alert_rule(1, STALE)
    assert str(info.value) == "alert #1 comes from /etc/ticker.toml ([[alerts]]); edit it there"
    until = NOW + timedelta(hours=2)
    before = repo.set_alert_enabled(1, False)
    assert before is not None and before.enabled
    repo.snooze_alert_rule(1, until)
    relabelled = rule(pair="USD/KZT", kind="above", value="470", label="changed in the file")
    for _ in range(2):  # a restart, then a file whose label changed
        repo.sync_config_rules([relabelled], "/etc/ticker.toml", NOW + timedelta(minutes=5))
    (stored,) = repo.alert_rules()
    assert (stored.id, stored.rule, stored.enabled, stored.snoozed_until) == (
        1, relabelled, False, until,
    )  # fmt: skip
    repo.set_alert_enabled(1, True)
    repo.snooze_alert_rule(1, None)
    (stored,) = repo.alert_rules()
    assert (stored.enabled, stored.snoozed_until) == (True, None)
    assert repo.set_alert_enabled(5, False) is None and repo.snooze_alert_rule(5, until) is None
