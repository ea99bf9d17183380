"""What core hands a person, in Russian: an alert's words (what the rate did), a round's
failure as the screen and the CLI name it, the refusals of the command line, the
service's reasons. The rule's own description (``#1 USD/KZT below 476``) is the
display's words: these tests take it as the display says it and write the rest by hand.
A provider's own words (``not well-formed XML``) stay as the provider wrote them."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers.collecting import Clock, Scripted, broken, collector, crash, ok
from tests.helpers.factories import obs
from ticker.config import Settings
from ticker.config.rules import rule_from_entry
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.core.alerts.firing import Firing
from ticker.core.export.target import check_target
from ticker.core.ingest import report_rate
from ticker.display.rules import describe_rule
from ticker.errors import StorageError, UsageError
from ticker.i18n.choice import use
from ticker.model.pairs import Orientation
from ticker.storage.db import Database
from ticker.storage.repository import Repository

FRI = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SETTINGS = Settings()
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def russian() -> None:
    use("ru", {})  # the suite's autouse fixture speaks English again after each test


@pytest.fixture
def repo(database: Database) -> Repository:
    return Repository(database)


def add(repo: Repository, **entry: object) -> int:
    entry.setdefault("cooldown", "0s")
    return repo.add_alert_rule(rule_from_entry(entry, Orientation.USD_PER), "cli", NOW)


def details(firings: list[Firing]) -> list[str]:
    """Each firing's words after the rule's own (checked to be the display's)."""
    said = []
    for firing in firings:
        head = describe_rule(firing.stored) + ": "
        assert firing.message.startswith(head), firing.message
        said.append(firing.message.removeprefix(head))
    return said


def test_a_level_alert_says_the_rate_and_the_bank_in_russian(repo: Repository) -> None:
    repo.store([obs("KZT", "475.10", FRI)])
    add(repo, pair="USD/KZT", kind="below", value="476")
    firings = evaluate_rules(repo, SETTINGS, NOW)
    # A decimal comma; NBK is НБК; the fixing's own date stays the source's (ISO).
    assert details(firings) == ["475,10 (НБК, 2026-11-20)"]
    # What is stored in the event log is the message as composed when it fired.
    (event,) = repo.alert_events()
    assert event.message == firings[0].message


def test_a_change_and_a_move_in_russian_numbers(repo: Repository) -> None:
    repo.store([obs("UZS", "12000", FRI - timedelta(days=7))])
    repo.store([obs("UZS", "12000", FRI - timedelta(days=1)), obs("UZS", "12300", FRI)])
    add(repo, pair="USD/UZS", kind="change", percent="2", direction="up")
    add(repo, pair="USD/UZS", kind="move", percent="2", window="7d")
    assert details(evaluate_rules(repo, SETTINGS, NOW)) == [
        f"+2,50{NBSP}%, до 12{NBSP}300,00 (НБК, 2026-11-20)",
        f"+2,50{NBSP}% с 2026-11-13, до 12{NBSP}300,00 (НБК, 2026-11-20)",
    ]


@pytest.mark.parametrize(
    ("thursday", "words"),
    [
        # Monday's fixing; Tuesday passed: one business day.
        (datetime(2026, 11, 18, 8, 0, tzinfo=UTC), "1 рабочий день назад"),
        # Tuesday and Wednesday: two (the few form).
        (datetime(2026, 11, 19, 8, 0, tzinfo=UTC), "2 рабочих дня назад"),
        # Tuesday to Friday, then Monday: five (the many form).
        (datetime(2026, 11, 24, 8, 0, tzinfo=UTC), "5 рабочих дней назад"),
    ],
)
def test_a_stale_alert_counts_business_days_in_russian_forms(
    repo: Repository, thursday: datetime, words: str
) -> None:
    repo.store([obs("KZT", "478.77", date(2026, 11, 16))])
    add(repo, pair="KZT", kind="stale", days=1)
    assert details(evaluate_rules(repo, SETTINGS, thursday)) == [
        f"последний курс 2026-11-16 (НБК), {words}"
    ]


def test_a_divergence_alert_in_russian(repo: Repository) -> None:
    repo.store(
        [
            obs("KZT", "478.77", FRI, "nbk"),
            obs("KZT", "490", FRI, "nbt", derived=True),
            obs("KZT", "489", FRI, "frankfurter", derived=True),
        ]
    )
    add(repo, pair="USD/KZT", kind="divergence", percent="2")
    assert details(evaluate_rules(repo, SETTINGS, NOW)) == [
        f"478,77 (НБК, 2026-11-20) отличается на -2,19{NBSP}% от медианы других источников"
    ]


def test_a_round_that_fails_is_framed_in_russian_the_sources_words_kept(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bug of ours: the frame is Russian, the exception as Python names it.
    c = collector(database, Scripted([crash]), Clock())
    outcome = asyncio.run(c.poll("nbk"))
    assert outcome.error is not None
    assert outcome.error.reason == "внутренняя ошибка: KeyError: 'a bug'"
    # A source's own failure: as the provider wrote it (providers never speak Russian).
    c = collector(database, Scripted([broken]), Clock())
    outcome = asyncio.run(c.poll("nbk"))
    assert outcome.error is not None and outcome.error.reason == "not well-formed XML"

    # The store refused: our frame, the store's words inside it.
    def locked(*args: object) -> None:
        raise StorageError("t.db: locked")

    monkeypatch.setattr("ticker.core.collector.ingest", locked)
    c = collector(database, Scripted([ok()]), Clock())
    outcome = asyncio.run(c.poll("nbk"))
    assert outcome.error is not None and outcome.error.reason == "не сохранено: t.db: locked"


def test_refusals_of_the_command_line_in_russian(repo: Repository, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as err:
        check_target(tmp_path, force=False)
    assert str(err.value) == f"{tmp_path}: это каталог; укажите имя файла"
    (tmp_path / "rates.csv").write_text("")
    with pytest.raises(UsageError) as err:
        check_target(tmp_path / "rates.csv", force=False)
    assert str(err.value) == (
        f"{tmp_path / 'rates.csv'}: уже существует; чтобы перезаписать, укажите --force"
    )
    # A reported rate far from NBT's: the band and the bank in Russian, numbers too.
    repo.store([obs("TJS", "9.3450", FRI, "nbt")])
    with pytest.raises(UsageError) as err:
        report_rate(repo, "USD", "TJS", Decimal("0.93"), "", NOW)
    assert str(err.value) == (
        "USD/TJS 0,93 — неправдоподобный курс (сообщаемый курс USD/TJS — от 4,6725 до "
        "93,45 TJS за USD: от 0,5 до 10 раз от курса НБТ 9,345 на 2026-11-20); "
        "ничего не сохранено"
    )


def test_the_services_reasons_in_russian() -> None:
    from ticker.core.watch import _stale_reason, judge

    # No store yet: nobody holds the lease, nothing is stored.
    verdict = judge(None, SETTINGS, NOW)
    assert verdict.reasons[0] == "ни один сборщик не держит блокировку"
    assert "nbkr: курса KGS в хранилище ещё нет" in verdict.reasons
    # NBKR's Monday fixing held, Tuesday's due: its hour said in the bank's own zone,
    # the days as a Russian reader writes them (1 дек., 30 нояб.).
    assert _stale_reason("nbkr", date(2026, 11, 30)) == (
        "nbkr: устарел с 1 дек. (курс ожидался 30 нояб. к 16:00 по времени Бишкека; "
        "самый новый — на 30 нояб.)"
    )


def test_a_collectors_start_lines_in_russian(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.core.test_collector_start import at, held, polled, start
    from ticker.core.registry import build_providers
    from ticker.model.health import FAILING

    now = at(date(2026, 12, 7), 9)
    held(
        database,
        health=[polled("cbt", now - timedelta(hours=1), now + timedelta(hours=1), FAILING)],
    )
    clock = Clock()
    clock.now = now
    names = ["nbkr", "cbt"]
    _c, _scheduler, lines = start(
        database, SETTINGS, clock, build_providers(SETTINGS, names, clock), caplog
    )
    assert lines[0] == "nbkr: опрос сейчас (ещё не опрашивался)"
    # Four times less often: the few form (в 4 раза); the span in Russian units.
    assert lines[1].startswith("cbt: следующий опрос ")
    assert lines[1].endswith("(сбой: каждые 2 ч, в 4 раза реже, пока не восстановится)")
