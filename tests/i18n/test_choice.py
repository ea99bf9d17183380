"""Which language and zone: ``[display]`` first, then the environment in POSIX order."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ticker.i18n.choice import known_language, known_zone, use
from ticker.i18n.dates import day_month, day_month_year, month_year
from ticker.i18n.tags import from_environment, normalise
from ticker.i18n.words import _, catalogue_languages
from ticker.i18n.zone import clock, zone_name


@pytest.mark.parametrize(
    ("environ", "tag"),
    [
        ({}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru_RU"),
        ({"LANG": "ru_RU.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en_US"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ru_KZ.UTF-8"}, "ru_KZ"),
        ({"LC_ALL": "C.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "not a locale"}, "en"),
        ({"LC_ALL": "", "LANG": "uz_UZ.UTF-8@latin"}, "uz_UZ"),
    ],
)
def test_the_environment_names_the_locale(environ: dict[str, str], tag: str) -> None:
    assert from_environment(environ) == tag


def test_the_config_wins_over_the_environment() -> None:
    assert use("en", {"LANG": "ru_RU.UTF-8"}) == "en"
    assert _("{what}: expected a number like 10000, 10 000, 10,000, 0.5 or 0,5, got {text}")[
        :8
    ] == ("{what}: ")
    assert use(None, {"LANG": "ru_RU.UTF-8"}) == "ru_RU"
    assert _("{what}: expected a number like 10000, 10 000, 10,000, 0.5 or 0,5, got {text}") == (
        "{what}: ожидалось число вида 10000, 10 000, 10,000, 0.5 или 0,5, получено {text}"
    )


def test_names() -> None:
    assert normalise("ru-ru") == "ru_RU"
    assert normalise("uz_Cyrl_UZ") == "uz_Cyrl_UZ"
    assert known_language("ru") == "ru"
    assert known_language("ru_KZ") == "ru_KZ"
    assert known_language("fr") is None  # no table row: refused in [display]
    assert known_language("../etc") is None
    assert "ru" in catalogue_languages()
    assert known_zone("Asia/Bishkek") and known_zone("UTC")
    assert not known_zone("Asia/Nowhere") and not known_zone("../../etc/passwd")
    assert not known_zone("/etc/localtime")


def test_dates_by_cldr_month_names() -> None:
    assert day_month(date(2026, 12, 5)) == "05 Dec"
    assert month_year(date(2025, 3, 1), short=True) == "Mar 25"
    use("ru", {})
    assert day_month(date(2026, 12, 5)) == "05 дек."
    assert day_month(date(2026, 5, 9)) == "09 мая"  # said with a day: the genitive
    assert month_year(date(2026, 5, 1)) == "май 2026"  # standing alone
    assert day_month_year(date(2025, 3, 24), short=True) == "24 мар. 25"


def test_one_clock_in_the_chosen_zone() -> None:
    moment = datetime(2026, 12, 5, 18, 30, tzinfo=UTC)  # 00:30 the next day in Bishkek
    use(None, {}, "Asia/Bishkek")
    assert (clock(moment), zone_name(moment)) == ("00:30", "+06")
    use(None, {}, "UTC")
    assert (clock(moment), zone_name(moment)) == ("18:30", "UTC")
    use(None, {})  # the machine's: the tests' TZ=UTC
    assert (clock(moment), zone_name(moment)) == ("18:30", "UTC")


def test_the_machine_zone_follows_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Bishkek")
    time.tzset()
    try:
        moment = datetime(2026, 12, 5, 18, 30, tzinfo=UTC)
        assert (clock(moment), zone_name(moment)) == ("00:30", "+06")
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_machine_words_are_english_utc_and_put_back() -> None:
    from decimal import Decimal

    from ticker.display.format import format_rate
    from ticker.i18n.choice import machine_words

    moment = datetime(2026, 12, 5, 18, 30, tzinfo=UTC)
    use("ru", {}, "Asia/Bishkek")
    with machine_words():
        assert format_rate(Decimal("12050.47")) == "12,050.47"
        assert (clock(moment), zone_name(moment)) == ("18:30", "UTC")
        assert _("{what}: expected one of {choices}, got {text}").startswith("{what}: expected")
    assert format_rate(Decimal("12050.47")) == "12\u00a0050,47"
    assert (clock(moment), zone_name(moment)) == ("00:30", "+06")


def test_machine_words_switch_only_their_own_thread() -> None:
    """The dashboard draws in one thread while a worker writes JSON in another: English for
    the worker, Russian still for the screen."""
    import threading
    from decimal import Decimal

    from ticker.display.format import format_rate
    from ticker.i18n.choice import machine_words

    use("ru", {})
    inside = threading.Event()
    done = threading.Event()
    seen: list[str] = []

    def worker() -> None:
        with machine_words():
            inside.set()
            done.wait(5)
            seen.append(format_rate(Decimal("12050.47")))

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(5)
    screen = format_rate(Decimal("12050.47"))  # while the worker is in machine words
    done.set()
    thread.join(5)
    assert (screen, seen) == ("12\u00a0050,47", ["12,050.47"])
