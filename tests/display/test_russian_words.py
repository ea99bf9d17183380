"""The display's words in Russian, numbers and dates by Russian rules, times on the user's
clock; and the JSON the same bytes whatever the language. Every expectation is written by
hand from what a Russian reader should see (``\\u00a0``: the no-break space CLDR puts
between a number and ``%`` and between groups of digits; the units of time follow a
plain space, as the dashboard's own words write them: ``5 мин назад``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from providers.market_quote import Channel, MarketQuote, Side
from ticker.config.rules import rule_from_entry
from ticker.display.backfill import counted, estimate_text
from ticker.display.collectors import since_text
from ticker.display.conversion import conversion_record
from ticker.display.decisions import next_decision_text
from ticker.display.market import (
    board_headers,
    channel_word,
    market_json,
    price_text,
    summary_text,
    versus_text,
)
from ticker.display.market_board import best_lines, empty_reason, official_text
from ticker.display.monetary import (
    change_text,
    decision_text,
    period_text,
    real_rate_text,
    value_text,
)
from ticker.display.rules import condition_text, describe_rule, rule_status
from ticker.display.states import state_text
from ticker.display.strip import strip_line
from ticker.display.views import rates_json, rates_table, relative
from ticker.i18n.choice import use
from ticker.model.freshness import Freshness
from ticker.model.health import OK
from ticker.model.market import summarise
from ticker.model.monetary import monetary_view, real_rate
from ticker.model.pairs import Orientation, Pair, percent_change
from ticker.model.records import IndicatorPoint, RuleState, StoredRule
from ticker.model.routing import PairView

D = Decimal
NB = "\u00a0"

KGS = PairView(
    local="KGS",
    pair=Pair("KGS", "USD"),
    rate=D("0.011435"),
    change=D("0.000003"),
    change_pct=D("0.0263"),
    as_of=date(2026, 12, 5),
    provider="nbkr",
    derived=False,
    fetched_at=datetime(2026, 12, 5, 9, tzinfo=UTC),
    freshness=Freshness(False, 0, 0),
    provider_state=OK,
    divergence_pct=None,
    divergent=False,
)
KZT_STALE = KGS._replace(
    local="KZT",
    pair=Pair("KZT", "USD"),
    rate=D("0.0019518"),
    change=None,
    change_pct=D("-0.1234"),
    provider="nbk",
    freshness=Freshness(True, 2, 3),
)


# ---------------------------------------------------------------------- the strip, states


def test_the_strip_in_russian() -> None:
    use("ru", {})
    # The banks by their Russian abbreviations; a decimal comma; a no-break space before %;
    # the stale state's words: "устарел на 3 д".
    assert strip_line([KGS, KZT_STALE], 5) == (
        f"KGS/USD = 0,011435 +0,03{NB}% НБКР • "
        f"KZT/USD = 0,0019518 -0,12{NB}% НБК (устарел на 3{NB}д)"
    )


def test_the_strip_in_english_is_as_before() -> None:
    assert strip_line([KGS, KZT_STALE], 5) == (
        "KGS/USD = 0.011435 +0.03% NBKR • KZT/USD = 0.0019518 -0.12% NBK (stale 3d)"
    )


def test_states_and_the_rates_table_in_russian() -> None:
    use("ru", {})
    assert state_text(KGS) == "в норме"
    failing = KGS._replace(fallback_for="nbkr", fallback_why="failing")
    failing = failing._replace(provider="cbr", derived=True)
    assert state_text(failing) == "резерв, nbkr: сбой"
    assert state_text(failing, short=True) == "резерв"
    header, row = rates_table([KGS], 5).splitlines()
    assert header.split("  ")[0] == "Пара"
    for title in ("Курс", "Изменение", "Изм.%", "Дата", "Источник", "Статус"):
        assert title in header
    assert row.startswith("KGS/USD")
    for cell in ("0,011435", "+0,000003", f"+0,03{NB}%", "2026-12-05", "nbkr", "в норме"):
        assert cell in row
    assert "ok" not in row


def test_ages_in_russian() -> None:
    use("ru", {})
    now = datetime(2026, 12, 5, 12, tzinfo=UTC)
    assert relative(now - timedelta(minutes=5), now) == "5 мин назад"
    assert relative(now + timedelta(hours=2, minutes=5), now) == "через 2 ч 05 мин"
    assert relative(now - timedelta(days=3), now, suffix=False) == "3 д"
    assert relative(None, now) == "никогда"


def test_json_is_the_same_bytes_in_every_language() -> None:
    english = rates_json([KGS, KZT_STALE])
    record = conversion_record_json()
    use("ru", {}, "Asia/Bishkek")
    assert rates_json([KGS, KZT_STALE]) == english
    assert '"state": "stale 3d"' in english
    assert conversion_record_json() == record


def conversion_record_json() -> str:
    from ticker.display.views import exact_json
    from ticker.model.conversion import Conversion

    conversion = Conversion(D("10000"), "KZT", "KGS", D("5.98"), D("59800"))
    return exact_json(conversion_record(conversion, [KZT_STALE]))


# ---------------------------------------------------------------------- the rules


ALERT = rule_from_entry(
    {"pair": "USD/KZT", "kind": "above", "value": "480.5", "cooldown": "1h"},
    Orientation.USD_PER,
)
NOW = datetime(2026, 11, 20, 19, 10, tzinfo=UTC)  # 01:10 on the 21st in Bishkek (UTC+6)


def stored(rule: object = ALERT, fired: datetime | None = None) -> StoredRule:
    state = RuleState(False, fired, 7 if fired else None)
    return StoredRule(3, rule, "cli", True, NOW - timedelta(days=9), state, None)  # type: ignore[arg-type]


def test_a_cooldown_is_on_the_users_clock() -> None:
    fired = datetime(2026, 11, 20, 18, 40, tzinfo=UTC)  # the cooldown ends 19:40 UTC
    assert rule_status(stored(fired=fired), NOW).text == "cooling down until 19:40"
    use(None, {}, "Asia/Bishkek")
    assert rule_status(stored(fired=fired), NOW).text == "cooling down until 01:40"
    assert rule_status(stored(fired=fired), NOW, short=True).text == "cool ↦ 01:40"
    use("ru", {}, "Asia/Bishkek")
    assert rule_status(stored(fired=fired), NOW).text == "пауза до 01:40"
    use("ru", {}, "UTC")
    assert rule_status(stored(fired=fired), NOW).text == "пауза до 19:40"


def test_rules_in_russian() -> None:
    use("ru", {})
    assert describe_rule(stored()) == "#3 USD/KZT выше 480,5"
    assert rule_status(stored(), NOW).text == "активно"
    long_ago = datetime(2026, 11, 19, 9, 5, tzinfo=UTC)
    assert rule_status(stored(fired=long_ago), NOW).text == "сработало 19 нояб. 09:05"
    move = rule_from_entry(
        {"pair": "KGS/USD", "kind": "move", "percent": "2", "window": "7d", "direction": "up"},
        Orientation.USD_PER,
    )
    assert condition_text(move) == f"рост на 2{NB}% за 7 д"
    for days, said in ((1, "1 рабочий день"), (3, "3 рабочих дня"), (5, "5 рабочих дней")):
        stale = rule_from_entry(
            {"pair": "KGS/USD", "kind": "stale", "days": days}, Orientation.USD_PER
        )
        assert condition_text(stale) == f"устарел на {said}"
    market = rule_from_entry(
        {"pair": "USD/TJS", "kind": "market-sell", "value": "10.8", "direction": "below"},
        Orientation.USD_PER,
    )
    assert condition_text(market) == "лучшая продажа (наличные) ниже 10,8"
    # The English form (JSON, a webhook's payload) whatever the language.
    assert describe_rule(stored(), english=True) == "#3 USD/KZT above 480.5"
    assert condition_text(market, english=True) == "best cash sell below 10.8"


# ---------------------------------------------------------------------- collectors


def test_a_collectors_time_is_on_the_users_clock_with_its_zone() -> None:
    now = datetime(2026, 12, 5, 10, 54, tzinfo=UTC)
    when = datetime(2026, 12, 5, 8, 2, tzinfo=UTC)
    assert since_text(when, now) == "08:02 UTC"
    use("ru", {}, "Asia/Bishkek")
    assert since_text(when, now) == "14:02 +06"
    assert since_text(when, now, zone_shown=False) == "14:02"
    # 23:30 UTC on the 4th is 05:30 on the 5th in Bishkek: today there.
    assert since_text(datetime(2026, 12, 4, 23, 30, tzinfo=UTC), now) == "05:30 +06"
    assert since_text(datetime(2026, 12, 3, 8, 2, tzinfo=UTC), now) == "3 дек. 14:02 +06"


# ---------------------------------------------------------------------- monetary


def point(source: str, code: str, country: str, period: str, value: str) -> IndicatorPoint:
    at = datetime(2026, 12, 5, tzinfo=UTC)
    return IndicatorPoint(source, code, country, period, D(value), False, at, None, None)


def test_monetary_texts_in_russian() -> None:
    use("ru", {})
    assert value_text("policy-rate", "% a year", D("16.5")) == f"16,50{NB}%"
    assert value_text("reserves", "USD m", D("45230.1")) == f"45,2{NB}млрд{NB}$"
    assert value_text("remittances-in", "USD m", D("312.4")) == f"312{NB}млн{NB}$"
    assert value_text("cpi-index", "index", D("1102.43")) == f"1{NB}102,4"
    assert value_text("cpi-yoy", "% y/y", None) == "н/д"
    assert [period_text(p) for p in ("2026-01-12", "2026-10", "2026-Q3", "2025")] == [
        "12 янв. 2026",
        "окт. 2026",
        "3 кв. 2026",
        "2025",
    ]
    assert change_text(D("0.5")) == f"+0,50{NB}п.{NB}п."
    view = monetary_view(
        [
            point("nbk-data", "policy-rate", "KAZ", "2026-08-29", "16.5"),
            point("nbk-data", "policy-rate", "KAZ", "2026-10-10", "17"),
            point("imf-sdmx", "cpi-yoy", "KAZ", "2026-10", "12.6"),
        ]
    )
    policy = view.get("KAZ", "policy-rate")
    assert decision_text(policy) == f"17,00{NB}% с 10 окт. 2026, +0,50{NB}п.{NB}п."
    assert decision_text(policy, short=True) == f"17,00{NB}% 10 окт. 26 +0,50"
    real = real_rate(policy, view.get("KAZ", "cpi-yoy"))
    assert real is not None
    assert real_rate_text(real) == (
        f"реальная ставка +4,40{NB}% (базовая 17,00{NB}% минус ИПЦ 12,6{NB}% г/г, окт. 2026)"
    )


def test_the_next_decision_in_russian() -> None:
    use("ru", {})
    calendar = {"KAZ": (date(2026, 12, 12), date(2027, 1, 23))}
    assert next_decision_text(calendar, "KAZ", date(2026, 12, 5)) == (
        "следующее решение НБК 12 дек."
    )
    assert next_decision_text(calendar, "KAZ", date(2026, 12, 12)) == "решение НБК сегодня"


# ---------------------------------------------------------------------- the market


DUSHANBE = timezone(timedelta(hours=5))
QUOTED = datetime(2025, 12, 1, 9, tzinfo=DUSHANBE)
MARKET_NOW = datetime(2025, 12, 1, 12, tzinfo=DUSHANBE)


def quote(institution: str, buy: str | None, sell: str | None) -> MarketQuote:
    return MarketQuote(
        "nbt-banks", institution, "USD", "TJS", Channel.CASH,
        D(buy) if buy is not None else None, D(sell) if sell is not None else None,
        QUOTED, QUOTED + timedelta(minutes=5), "",
    )  # fmt: skip


BOARD = [quote("Alif", "10.85", "10.95"), quote("Bonk", "10.88", "10.92")]


def test_market_texts_in_russian() -> None:
    use("ru", {})
    pct = percent_change(D("10.8765"), D("10.92"))  # +0.39994% -> +0,40 %
    assert price_text(Channel.CASH, Side.SELL, D("10.92"), pct, "nbt") == (
        f"продажа (наличные) 10,92, +0,40{NB}% к НБТ"
    )
    assert versus_text(pct, "") == f"+0,40{NB}% к официальному"
    assert channel_word(Channel.NONCASH) == "безналичные"
    assert board_headers("nbt")[:5] == ("Организация", "Город", "Покупка", "Продажа", "к НБТ")
    (s,) = summarise(BOARD, None, MARKET_NOW)
    # Best buy 10.88 (Bonk), best sell 10.92 (Bonk); medians (10.85 + 10.88) / 2 =
    # 10.865 and (10.92 + 10.95) / 2 = 10.935; spread 10.92 - 10.88 = +0.04; two banks.
    assert summary_text(s) == (
        "USD/TJS наличные покупка 10,88 (Bonk); продажа 10,92 (Bonk); "
        "медиана 10,865 / 10,935; спред +0,04; 2 организации; официальный источник"
    )


def test_the_market_board_in_russian() -> None:
    use("ru", {})
    (s,) = summarise(BOARD, D("10.90"), MARKET_NOW)
    # 10.92 over 10.90: +0.18%; 10.88: -0.18%.
    assert best_lines(s, "nbt", 5) == [
        f"лучшая продажа 10,92, +0,18{NB}% к НБТ: Bonk",
        f"лучшая покупка 10,88, -0,18{NB}% к НБТ: Bonk",
    ]
    assert official_text(D("9.3288"), "nbt", date(2026, 9, 24), 5) == (
        "официальный 9,3288 (НБТ, 24 сент.)"
    )
    assert official_text(None, "nbt", None, 5) == "официального курса в хранилище нет"
    from ticker.config import Settings

    assert empty_reason("TMT", "USD/TMT", Channel.CASH, Settings(), False) == (
        "Нет рыночного источника для TMT: табло банков и обменных пунктов не публикуются; "
        "сообщите курс командой `ticker market report TMT RATE`."
    )


def test_market_json_is_the_same_bytes_in_every_language() -> None:
    summaries = summarise(BOARD, D("10.90"), MARKET_NOW)
    english = market_json(summaries, {"USD/TJS": "nbt"})
    use("ru", {}, "Asia/Bishkek")
    assert market_json(summaries, {"USD/TJS": "nbt"}) == english


# ---------------------------------------------------------------------- backfill


def test_counts_with_russian_plurals() -> None:
    use("ru", {})
    assert counted(1, "request") == "1 запрос"
    assert counted(3, "request") == "3 запроса"
    assert counted(1583, "request") == f"1{NB}583 запроса"
    assert counted(11, "row") == "11 строк"
    assert counted(21, "new row") == "21 новая строка"
    assert estimate_text(1583, 360) == f"около 1{NB}583 запроса, ~6 мин"
    assert estimate_text(0, 0) == "загружать нечего"


def test_a_release_said_in_russian_names_the_bank_then_the_series() -> None:
    from ticker.display.release_alerts import release_text
    from ticker.model.monetary import MonetaryPoint

    use("ru", {})
    rose = release_text(
        "policy-rate",
        "nbk-data",
        MonetaryPoint("2026-10-10", Decimal("17.00")),
        MonetaryPoint("2026-09-01", Decimal("16.50")),
    )
    assert rose == "НБК: базовая ставка 17,00\u00a0% с 10 окт. 2026 (+0,50\u00a0п.\u00a0п.)"
    held = release_text(
        "policy-rate",
        "nbk-data",
        MonetaryPoint("2026-10-10", Decimal("16.50")),
        MonetaryPoint("2026-09-01", Decimal("16.50")),
    )
    assert held == "НБК: базовая ставка сохранена на уровне 16,50\u00a0% (10 окт. 2026)"
    month = release_text("cpi-yoy", "imf-sdmx", MonetaryPoint("2026-10", Decimal("12.6")), None)
    assert month == "МВФ: ИПЦ г/г 12,6\u00a0% за окт. 2026"
