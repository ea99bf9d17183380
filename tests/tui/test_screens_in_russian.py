"""The dashboard's screens in Russian: the alert form's words, numbers typed as a Russian
reader writes them (``0,5``, ``10 000``; ``1,500`` refused naming both readings), the
converter, the dialogs, each fitted at 80x24 with nothing cut. The expectations are
written out by hand: what a Russian reader should see."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from textual.geometry import Size
from textual.widgets import Button, Input, Label, Select, Static

from tests.helpers.dashboard import make_app, repo_for, settle
from ticker.config import Settings
from ticker.errors import UsageError
from ticker.i18n.choice import use
from ticker.model.pairs import Orientation
from ticker.tui.app import TickerApp
from ticker.tui.screens.converter import ConverterScreen
from ticker.tui.screens.forms import AlertForm
from ticker.tui.screens.rule_fields import RuleFields, threshold_placeholder, validate_rule
from ticker.tui.screens.snooze import LENGTHS
from ticker.tui.screens.too_small import words

SIZES = [(80, 24), (100, 30)]
NBSP = "\u00a0"


def in_russian(settings: Settings) -> Settings:
    display = dataclasses.replace(settings.display, language="ru")
    return dataclasses.replace(settings, display=display)


def screen_text(app: TickerApp) -> str:
    """Every row of the screen as drawn (the dialog in front and what shows around it)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def label(form: AlertForm, name: str) -> str:
    return str(form.query_one(f"#{name}-label", Label).render())


# ---------------------------------------------------------------------- the alert form


@pytest.mark.parametrize("size", SIZES)
async def test_the_alert_form_speaks_russian_and_fits(
    seeded: Settings, size: tuple[int, int]
) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        assert form.query_one("VerticalScroll").border_title == "Новое правило оповещения"
        assert label(form, "pair") == "Пара (KZT, KZT/USD, USD/KZT или отслеживаемая RUB/TJS)"
        assert label(form, "kind") == "Тип"
        assert label(form, "direction") == "Направление"
        assert label(form, "threshold") == "Уровень (в ориентации пары)"
        assert label(form, "cooldown") == "Пауза между срабатываниями"
        assert label(form, "hysteresis") == "Гистерезис, % (выше/ниже/рынок)"
        assert label(form, "window") == "Окно (движение: 7d, 12h)"
        # The kind's word is Russian; its value stays config.toml's.
        kind = form.query_one("#kind", Select)
        assert kind.value == "above"
        assert ("выше", "above") in kind._options
        threshold = form.query_one("#threshold", Input)
        assert threshold.placeholder == "напр. 0,0021 или 2"
        assert form.query_one("#hysteresis", Input).value == "0,1"  # 0.1 as Russian writes it
        assert str(form.query_one("#save", Button).label) == "Сохранить"
        assert str(form.query_one("#cancel", Button).label) == "Отмена"
        shown = screen_text(app)
        # Nothing cut: the longest lines are whole on the screen.
        for whole in (
            "Пара (KZT, KZT/USD, USD/KZT или отслеживаемая RUB/TJS)",
            "экран",
            "Telegram",
            "Хук (имя [hooks.NAME] из настроек сборщика; запуск при срабатывании)",
            "Enter — сохранить · Escape — отмена",
        ):
            assert whole in shown, whole


async def test_a_market_rules_price_label_is_whole_at_80x24(seeded: Settings) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        form.query_one("#kind", Select).value = "market-sell"
        await settle(pilot)
        assert label(form, "threshold") == "Цена, местной за 1 (как на табло)"
        assert label(form, "market_channel") == "Канал рынка"
        assert "Цена, местной за 1 (как на табло)" in screen_text(app)


async def test_a_threshold_typed_with_a_decimal_comma_is_stored(seeded: Settings) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        form.query_one("#threshold", Input).value = ""
        await pilot.press("9", "0", ",", "5", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
    repo = repo_for(seeded)
    try:
        (stored,) = repo.alert_rules()
    finally:
        repo.db.dispose()
    assert stored.rule.value == Decimal("90.5")


async def test_1500_is_refused_in_russian_naming_both_readings(seeded: Settings) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        form.query_one("#threshold", Input).value = "1,500"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form  # still open: nothing saved
        said = str(form.query_one("#error", Static).render())
        assert said == (
            "Порог: '1,500' можно прочитать и как 1,5, и как 1500; напишите одно из двух"
        )
    repo = repo_for(seeded)
    try:
        assert repo.alert_rules() == []
    finally:
        repo.db.dispose()


# ---------------------------------------------------------------------- the rule's numbers


def test_numbers_typed_the_russian_way_reach_the_rule_in_the_configs_writing() -> None:
    use("ru", {})
    rule = validate_rule(RuleFields("KGS", "above", "0,5"), Orientation.PER_USD)
    assert rule.value == Decimal("0.5")
    rule = validate_rule(RuleFields("KZT", "below", "10 000"), Orientation.PER_USD)
    assert rule.value == Decimal("10000")
    rule = validate_rule(
        RuleFields("KZT", "above", f"12{NBSP}194,21", hysteresis="0,25"), Orientation.PER_USD
    )
    assert (rule.value, rule.hysteresis) == (Decimal("12194.21"), Decimal("0.25"))
    rule = validate_rule(RuleFields("KZT", "change", "1,5"), Orientation.PER_USD)
    assert rule.percent == Decimal("1.5")


def test_an_ambiguous_level_is_refused_and_an_english_reader_gets_1500() -> None:
    use("ru", {})
    with pytest.raises(UsageError) as refused:
        validate_rule(RuleFields("KZT", "above", "1,500"), Orientation.PER_USD)
    assert str(refused.value) == (
        "Порог: '1,500' можно прочитать и как 1,5, и как 1500; напишите одно из двух"
    )
    use("en", {})
    rule = validate_rule(RuleFields("KZT", "above", "1,500"), Orientation.PER_USD)
    assert rule.value == Decimal("1500")


def test_a_release_levels_example_is_in_russian() -> None:
    use("ru", {})
    assert threshold_placeholder("release", "policy-rate") == "напр. 15 (процентов)"
    assert threshold_placeholder("release", "reserves") == "напр. 50000 (млн USD)"


# ---------------------------------------------------------------------- the converter


def result(app: TickerApp) -> str:
    return str(app.screen.query_one("#result", Static).render())


@pytest.mark.parametrize("size", SIZES)
async def test_the_converter_takes_10_000_in_russian(
    seeded: Settings, size: tuple[int, int]
) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConverterScreen)
        assert str(screen.query_one("Vertical").border_title) == "Конвертер"
        assert str(screen.query_one(Label).render()) == "Сумма"
        screen.query_one("#amount", Input).value = "10 000"
        await settle(pilot)
        # 10 000 dollars at NBKR's 87.45: 874 500 som, written the Russian way.
        assert f"= 874{NBSP}500,00 KGS" in result(app)
        assert not screen.query_one("#result").has_class("problem")
        screen.query_one("#amount", Input).value = "0,5"
        await settle(pilot)
        assert "= 43,73 KGS" in result(app) or "= 43,725 KGS" in result(app)
        screen.query_one("#amount", Input).value = "1,500"
        await settle(pilot)
        assert result(app) == (
            "Сумма: '1,500' можно прочитать и как 1,5, и как 1500; напишите одно из двух"
        )
        assert screen.query_one("#result").has_class("problem")
        assert "через официальные курсы к USD · ctrl+r меняет местами · Esc" in screen_text(app)


# ---------------------------------------------------------------------- the dialogs


def test_the_too_small_message_in_russian() -> None:
    use("ru", {})
    assert words(Size(60, 20)) == (
        "Терминал слишком мал: 60x20.\n"
        "Для ticker нужно не меньше 80x24.\n"
        "Увеличьте его или нажмите q для выхода."
    )


def test_the_snooze_lengths_in_russian() -> None:
    from ticker.i18n.words import _

    use("ru", {})
    assert [_(words) for words, _length in LENGTHS] == [
        "на 15 минут",
        "на 1 час",
        "на 4 часа",
        "на 1 день",
        "на 1 неделю",
    ]


# ---------------------------------------------------------------------- the detail, the indicators


@pytest.mark.parametrize("size", SIZES)
async def test_the_detail_speaks_russian_and_names_the_banks_as_russian_does(
    seeded: Settings, size: tuple[int, int]
) -> None:
    from textual.widgets import DataTable

    from ticker.tui.screens.detail import DetailScreen

    app = make_app(in_russian(seeded))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # USD/KGS, the first row
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        table = detail.query_one("#sources", DataTable)
        headers = [str(c.label) for c in table.columns.values()]
        assert headers == ["Источник", "Курс", "±", "Дата", "Тип", "Маршрут", "Откл."]
        first = [cell.plain for cell in table.get_row_at(0)]
        # 87.45 som a dollar, or 1/87.45 = 0.011435 of a dollar a som: a decimal comma.
        rate = "87,45" if str(detail.pair) == "USD/KGS" else "0,011435"
        assert first[0] == "НБКР" and first[1] == rate and first[6] == "показан"
        assert first[3] == "2026-11-23"  # the source's own day, the same in every language
        shown = screen_text(app)
        assert f"{detail.pair}: все источники" in shown
        assert "Значений в карантине нет." in shown
        assert "Escape — закрыть" in shown
        # The table is whole inside the dialog: its last column and its values on screen.
        assert "Откл." in shown and "показан" in shown


async def test_the_indicators_legend_is_russian_and_whole_at_80x24(seeded: Settings) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        shown = screen_text(app)
        assert "Показатели  последний факт (год) · 2017–2026 · прогноз · н/д: не публикуется" in (
            shown
        )
        assert "Показатель" in shown


async def test_the_charts_ranges_in_russian(seeded: Settings) -> None:
    from ticker.tui.widgets.chart import Chart

    app = make_app(in_russian(seeded))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # A month, three months, a year (год), five years (лет), everything.
        assert "[1М]  3М  1Г  5Л  Всё" in app.query_one(Chart).title
        await pilot.press("c")
        await settle(pilot)
        assert "1М  [3М]  1Г  5Л  Всё" in app.query_one(Chart).title
