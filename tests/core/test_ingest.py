from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from providers.base import Batch, Rejected
from tests.helpers.factories import obs
from ticker.config import SanitySettings
from ticker.core.ingest import ingest
from ticker.display.quarantine import held_reason
from ticker.model.pairs import Pair
from ticker.model.quarantine import HeldKind, HeldReason, decode
from ticker.storage.db import Database
from ticker.storage.repository import Repository


@pytest.fixture
def repo(database: Database) -> Repository:
    return Repository(database)


def test_a_move_over_the_limit_is_quarantined_and_the_next_sane_value_is_not(
    repo: Repository,
) -> None:
    repo.add_observations([obs("KZT", "470.00", date(2026, 4, 1))])
    batch = Batch(
        [
            obs("KZT", "600.00", date(2026, 4, 2)),  # +27.7%: quarantined
            obs("KZT", "471.00", date(2026, 4, 3)),  # compared with 470.00, not with 600
        ],
        [Rejected("USD/KGS", "0", "not a positive number: '0'")],
    )
    result = ingest(repo, batch, SanitySettings())
    assert (result.received, result.stored) == (2, 1)
    (held,) = result.quarantined
    assert held.observation.rate == Decimal("600.00")
    # Stored as facts; in words in the orientation shown (here the stored USD/KZT).
    assert decode(held.reason) == HeldReason(HeldKind.MOVE, Decimal(20))
    assert held.previous_rate == Decimal("470.00")
    expected = "moved +27.66% from 470.00 (more than the 20% allowed)"  # 130/470 = 27.659...%
    assert held_reason(held, Pair("USD", "KZT"), 5) == expected
    assert result.rejected == batch.rejected
    assert [o.rate for o in repo.history("KZT")] == [Decimal("470.00"), Decimal("471.00")]
    assert [q.observation.rate for q in repo.quarantined("KZT")] == [Decimal("600.00")]


def test_the_limit_is_configurable(repo: Repository) -> None:
    repo.add_observations([obs("KZT", "470", date(2026, 4, 1))])
    strict = SanitySettings(max_move=Decimal(1))
    result = ingest(repo, Batch([obs("KZT", "480", date(2026, 4, 2))]), strict)
    assert len(result.quarantined) == 1 and result.stored == 0


def test_the_peg_applies_only_from_its_date(repo: Repository) -> None:
    before = obs("TMT", "2.85", date(2014, 12, 31), "cbr", derived=True)
    after = obs("TMT", "2.85", date(2015, 1, 2), "nbt", derived=True)
    result = ingest(repo, Batch([before, after]), SanitySettings())
    assert result.stored == 1
    (held,) = result.quarantined
    assert held.observation == after and held.previous_rate == Decimal("3.50")
    assert decode(held.reason) == HeldReason(HeldKind.PEG, Decimal(2))
    # 2.85 against 3.50: -18.57% per dollar; 1/2.85 against 1/3.50: 3.50/2.85 - 1 = +22.81%
    assert held_reason(held, Pair("USD", "TMT"), 5).startswith("-18.57% off the official peg")
    assert held_reason(held, Pair("TMT", "USD"), 5) == (
        "+22.81% off the official peg of 1/3.50 = 0.28571 (more than the 2% allowed)"
    )


def test_a_value_near_the_peg_passes(repo: Repository) -> None:
    result = ingest(
        repo, Batch([obs("TMT", "3.5249", date(2026, 5, 23), "erapi")]), SanitySettings()
    )
    assert result.stored == 1 and not result.quarantined


def test_a_batch_is_stored_all_or_nothing(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import text

    from ticker.errors import StorageError

    batch = Batch([obs("KZT", "470", date(2026, 4, 1)), obs("KGS", "87.45", date(2026, 4, 1))])
    original = repo._insert_ignoring_duplicates

    def failing_second_insert(table, keys):  # the quarantine insert fails in the database
        if table.name == "quarantined_observation":  # after the observations went in
            return text("INSERT INTO no_such_table (reason) VALUES (:reason)")
        return original(table, keys)

    monkeypatch.setattr(repo, "_insert_ignoring_duplicates", failing_second_insert)
    peg_break = obs("TMT", "3.02", date(2026, 4, 1), "cbu", derived=True)
    batch.observations.append(peg_break)
    with pytest.raises(StorageError, match="no_such_table"):
        ingest(repo, batch, SanitySettings())
    monkeypatch.undo()
    assert repo.count_observations() == 0 and repo.quarantined() == []


def test_a_real_devaluation_is_accepted_from_its_second_fixing(repo: Repository) -> None:
    """NBK's float of August 2015: 197.24 -> 255.26 tenge per dollar, and it stayed."""
    repo.add_observations([obs("KZT", "197.24", date(2015, 8, 19))])
    first = ingest(repo, Batch([obs("KZT", "255.26", date(2015, 8, 20))]), SanitySettings())
    assert len(first.quarantined) == 1 and first.stored == 0
    second = ingest(repo, Batch([obs("KZT", "252.54", date(2015, 8, 21))]), SanitySettings())
    assert second.stored == 1 and not second.quarantined  # agrees with the new level
    third = ingest(repo, Batch([obs("KZT", "254.10", date(2015, 8, 24))]), SanitySettings())
    assert third.stored == 1  # compared with the new normal value


def test_a_one_day_glitch_stays_quarantined_and_the_next_day_is_normal(repo: Repository) -> None:
    repo.add_observations([obs("UZS", "12100", date(2026, 3, 30), "cbu")])
    batch = Batch(
        [
            obs("UZS", "16000", date(2026, 3, 31), "cbu"),
            obs("UZS", "12110", date(2026, 4, 1), "cbu"),
        ]
    )
    result = ingest(repo, batch, SanitySettings())
    assert [q.observation.rate for q in result.quarantined] == [Decimal("16000")]
    assert result.stored == 1


def test_no_move_check_against_a_value_older_than_a_month(repo: Repository) -> None:
    repo.add_observations([obs("KZT", "197.24", date(2015, 6, 30))])
    result = ingest(repo, Batch([obs("KZT", "470.00", date(2026, 11, 20))]), SanitySettings())
    assert result.stored == 1 and not result.quarantined


def test_an_indicator_row_rejected_is_no_refusal_of_its_series(repo: Repository) -> None:
    from datetime import UTC, datetime

    from providers.base import IndicatorValue

    now = datetime(2026, 9, 10, 9, 0, tzinfo=UTC)
    kept = IndicatorValue(
        "nbk-data", "policy-rate", "KAZ", "2026-09-07", Decimal("16.25"), False, now
    )
    batch = Batch(indicators=[kept])
    batch.rejected = [
        Rejected("policy-rate", "2026-10-19 15.75", "decision dated 2026-10-19, too far ahead"),
        Rejected("policy-rate KGZ", "", "2026-M11 is after the current month"),
        Rejected("remittances-in", "", "form 408 gives million tenge"),
    ]
    result = ingest(repo, batch, SanitySettings())
    assert (result.indicator_values, result.indicators_added, len(result.rejected)) == (1, 1, 3)
    refused = repo.indicator_refusals()
    assert [(r.source, r.indicator, r.reason) for r in refused] == [
        ("nbk-data", "remittances-in", "form 408 gives million tenge")
    ]
