"""The command line in the user's language: amounts read as people write them
(``10 000``, ``0,5``; ``1,500`` refused where a comma is the decimal sign, with both
readings), its messages, argparse's own words and ``--help`` in Russian, and the times
of ``alerts history`` on the user's clock with the zone said in the heading."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers.cli import ticker
from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.seeded import seed, settings_for
from ticker.model.pairs import Pair
from ticker.model.records import NewEvent, RuleState
from ticker.model.rules import AlertKind, AlertRuleConfig

RU = {"LANG": "ru_RU.UTF-8"}
NBSP = "\u00a0"


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    settings = settings_for(tmp_path / "t.db")
    repo = repo_for(settings)
    seed(repo)  # NBK 478.77 KZT per USD today
    rule_id = repo.add_alert_rule(
        AlertRuleConfig(Pair("USD", "KZT"), AlertKind.ABOVE, Decimal("470")), "cli", NOW
    )
    event = NewEvent(None, "USD/KZT", Decimal("478.77"), "#1 USD/KZT above 470: 478.77")
    fired = NOW - timedelta(minutes=7)
    repo.apply_alert(rule_id, lambda state, muted: (RuleState(False, fired, None), event), fired)
    repo.close()
    return {"TICKER_DB_URL": settings.database_url, "TICKER_NOW": NOW.isoformat()}


def test_an_amount_with_spaces_between_the_thousands_is_read(store: dict[str, str]) -> None:
    done = ticker("convert", "10 000", "USD", "KZT", env={**store, **RU})
    assert (done.returncode, done.stderr) == (0, "")
    # 10 000 x 478.77, written the Russian way: no-break spaces between the thousands
    # and a decimal comma.
    assert f"= 4{NBSP}787{NBSP}700,00 KZT" in done.stdout
    assert done.stdout.startswith(f"10{NBSP}000 USD = ")  # the amount as Russians write it
    nbsp = ticker("convert", f"10{NBSP}000", "USD", "KZT", env={**store, **RU})
    assert nbsp.stdout == done.stdout


def test_a_decimal_comma_is_read(store: dict[str, str]) -> None:
    done = ticker("convert", "0,5", "USD", "KZT", env={**store, **RU})
    assert (done.returncode, done.stderr) == (0, "")
    assert "= 239,39 KZT" in done.stdout  # 0.5 x 478.77 = 239.385, by the digits rule
    assert done.stdout.startswith("0,5 USD = ")


def test_1_500_is_refused_in_russian_naming_both_readings(store: dict[str, str]) -> None:
    done = ticker("convert", "1,500", "USD", "KZT", env={**store, **RU})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "ticker: AMOUNT: '1,500' можно прочитать и как 1,5, и как 1500; напишите одно из двух\n"
    )


def test_1_500_is_fifteen_hundred_in_english(store: dict[str, str]) -> None:
    done = ticker("convert", "1,500", "USD", "KZT", env=store)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("1,500 USD = 718,155.00 KZT")  # 1500 x 478.77


def test_a_threshold_is_read_as_people_write_it_and_stored_canonical(
    store: dict[str, str],
) -> None:
    added = ticker("alerts", "add", "USD/KZT", "above", "480,5", env={**store, **RU})
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("добавлено оповещение #2: USD/KZT")
    ambiguous = ticker("alerts", "add", "USD/KZT", "above", "1,500", env={**store, **RU})
    assert ambiguous.returncode == 2
    assert "1,5" in ambiguous.stderr and "1500" in ambiguous.stderr
    listed = ticker("alerts", "list", "--json", env=store)
    values = [r["value"] for r in __import__("json").loads(listed.stdout)]
    assert "480.5" in values  # the store keeps the number, not the way it was written


def test_a_market_rate_reported_with_a_decimal_comma(store: dict[str, str]) -> None:
    done = ticker("market", "report", "TMT", "19,5", env={**store, **RU})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("сообщён курс #1: USD/TMT 19,5 (TMT за USD)")
    listed = ticker("market", "reported", "--json", env=store)
    assert '"rate": "19.5"' in listed.stdout
    refused = ticker("market", "report", "TMT", "19,500", env={**store, **RU})
    assert refused.returncode == 2
    assert refused.stderr.startswith("ticker: RATE: '19,500' можно прочитать и как 19,5")


def test_a_usage_error_is_in_russian() -> None:
    missing = ticker("convert", env=RU)
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == (
        "ticker: нужны следующие аргументы: AMOUNT, FROM, TO (см. 'ticker convert --help')\n"
    )
    typo = ticker("conver", env=RU)
    assert typo.stderr.startswith("ticker: аргумент COMMAND: недопустимый выбор: 'conver'")
    ours = ticker("rates", "--change", "2q", env=RU)
    assert ours.stderr == (
        "ticker: --change: ожидалось одно из 1d, 1w, 1m, ytd, 1y, получено '2q'\n"
    )


def test_help_is_in_russian() -> None:
    done = ticker("--help", env={**RU, "COLUMNS": "100"})
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith("использование: ticker ")
    assert "позиционные аргументы:" in lines
    assert "параметры:" in lines
    assert any("показать эту справку и выйти" in line for line in lines)
    assert any("последний курс каждой пары из хранилища (без сети)" in line for line in lines)
    english = ticker("--help", env={"COLUMNS": "100"}).stdout.splitlines()
    assert english[0].startswith("usage: ticker ") and "options:" in english


def test_config_path_and_a_config_error_are_framed_in_russian(tmp_path: Path) -> None:
    where = ticker("config", "path", env={**RU, "TICKER_DB_URL": "sqlite:////tmp/x.db"})
    assert where.returncode == 0, where.stderr
    said = where.stdout.splitlines()
    assert said[0].startswith("настройки: встроенные по умолчанию (файла ")
    assert said[1] == "хранилище: /tmp/x.db (из $TICKER_DB_URL)"
    bad = tmp_path / "config.toml"
    bad.write_text('[display]\nlanguage = "ru"\ntheme = "nope"\n')
    done = ticker("--config", str(bad), "rates", env=RU)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"ticker: {bad}: ")


def test_alerts_history_is_on_the_users_clock_and_says_its_zone(
    store: dict[str, str], tmp_path: Path
) -> None:
    utc = ticker("alerts", "history", env=store).stdout.splitlines()
    assert utc[0].split() == ["Fired", "(UTC)", "Rule", "Message"]
    fired = NOW - timedelta(minutes=7)
    assert utc[1].startswith(f"{fired:%Y-%m-%d %H:%M}  #1 ")
    config = tmp_path / "config.toml"
    config.write_text('[display]\nlanguage = "ru"\ntimezone = "Asia/Bishkek"\n')
    bishkek = ticker("--config", str(config), "alerts", "history", env=store).stdout
    lines = bishkek.splitlines()
    assert lines[0].split() == ["Сработало", "(+06)", "Правило", "Сообщение"]
    assert lines[1].startswith(f"{fired + timedelta(hours=6):%Y-%m-%d %H:%M}  #1 ")
    machine = ticker("alerts", "history", env={**store, "TZ": "Asia/Bishkek"}).stdout
    assert machine.splitlines()[0].split()[:2] == ["Fired", "(+06)"]  # the machine's zone


def test_snooze_until_a_time_is_on_the_users_clock(store: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[display]\nlanguage = "ru"\ntimezone = "Asia/Bishkek"\n')
    # 09:00 UTC is 15:00 in Bishkek: 14:30 there has passed today, so it is tomorrow's.
    done = ticker("--config", str(config), "alerts", "snooze", "1", "--until", "14:30", env=store)
    assert done.returncode == 0, done.stderr
    # Said on the same clock (the rule's words and the day are the display's).
    assert done.stdout.startswith("отложено #1 ") and done.stdout.endswith(" 14:30\n")
    listed = ticker("alerts", "list", "--json", env=store).stdout
    assert '"snoozed_until": "2026-11-24T08:30:00Z"' in listed


def test_help_and_usage_errors_follow_the_config_language(tmp_path: Path) -> None:
    """``[display] language = "ru"`` with an English environment: what the grammar says
    (``--help``, a usage error) is read in the file's language too."""
    config = tmp_path / "config.toml"
    config.write_text('[display]\nlanguage = "ru"\n')
    helped = ticker("--config", str(config), "--help", env={"LANG": "en_US.UTF-8"})
    assert helped.returncode == 0 and helped.stdout.startswith("использование: ticker ")
    wrong = ticker("--config", str(config), "convert", env={"LANG": "en_US.UTF-8"})
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("ticker: нужны следующие аргументы: AMOUNT, FROM, TO")
    english = ticker("convert", env={"LANG": "en_US.UTF-8", "TICKER_CONFIG": ""})
    assert english.stderr.startswith("ticker: the following arguments are required: AMOUNT")
    broken = tmp_path / "broken.toml"
    broken.write_text("[display\n")  # unreadable: the environment's language, no crash
    said = ticker("--config", str(broken), "--help", env={"LANG": "en_US.UTF-8"})
    assert said.returncode == 0 and said.stdout.startswith("usage: ticker ")


def test_alerts_list_is_on_the_users_clock(store: dict[str, str], tmp_path: Path) -> None:
    """The rule fired at 08:53 UTC and cools down for an hour: until 09:53 on a UTC
    clock, 15:53 in Bishkek (the machine's zone, or [display] timezone)."""
    utc = ticker("alerts", "list", env=store).stdout
    assert "09:53" in utc and "15:53" not in utc
    machine = ticker("alerts", "list", env={**store, "TZ": "Asia/Bishkek"}).stdout
    assert "15:53" in machine and "09:53" not in machine
    config = tmp_path / "config.toml"
    config.write_text('[display]\nlanguage = "ru"\ntimezone = "Asia/Bishkek"\n')
    russian = ticker("--config", str(config), "alerts", "list", env=store).stdout
    assert "15:53" in russian and "09:53" not in russian


def test_an_amount_is_echoed_as_it_reads_here(store: dict[str, str]) -> None:
    """``1.500`` is 1.5 in Russian (no one groups with a point here): echoed ``1,5``,
    never ``1,500``, which this locale refuses as ambiguous."""
    done = ticker("convert", "1.500", "USD", "KZT", env={**store, **RU})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1,5 USD = 718,16 KZT")  # 1.5 x 478.77 = 718.155
