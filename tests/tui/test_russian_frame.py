"""The dashboard's frame in Russian (``[display] language = "ru"``): the rates table's
titles, the footer's keys, the status line, the alerts panel and the command palette speak
Russian, numbers are written the Russian way, and at 80x24 and 100x30 nothing is cut:
every rate on the table and the strip is whole on the screen. Expectations written by
hand from what a Russian reader should see."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from textual.app import App

import ticker
from tests.helpers.dashboard import make_app, rows, settle
from ticker.config import Settings
from ticker.tui.widgets.panels import AlertsTable
from ticker.tui.widgets.rates import RatesTable


def screen_lines(app: App[None]) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def in_russian(settings: Settings) -> Settings:
    display = dataclasses.replace(settings.display, language="ru", timezone="Asia/Bishkek")
    return dataclasses.replace(settings, display=display)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_frame_speaks_russian_and_cuts_no_number(
    seeded: Settings, size: tuple[int, int]
) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        lines = screen_lines(app)
        table = app.query_one(RatesTable)
        titles = [str(c.label) for c in table.columns.values()]
        assert titles[:2] == ["Пара", "Курс"]
        assert "Изм.%" in titles and "Статус" in titles
        assert {"Pair", "Rate", "Chg%", "State", "Source", "As of"}.isdisjoint(titles)
        # Every row whole on the screen: its rate with a decimal comma (1/87.45, 1/478.77,
        # 1/9.345, 1/12194.21, 1/3.50 to five significant digits), its date in Russian.
        shown = rows(app)
        assert [r["Курс"] for r in shown] == [
            "0,011435",
            "0,0020887",
            "0,10701",
            "0,000082006",
            "0,28571",
        ]
        for row in shown:
            line = next(line for line in lines[2:] if line.startswith(f" {row['Пара']} "))
            for title in ("Курс", "Изм.%", "Дата"):
                assert row[title] in line, (title, row, line)
            assert row["Дата"] == "23 нояб."
        # The footer: the keys' words in Russian, the help always, the palette's key.
        footer = lines[-1]
        assert footer.startswith("q Выход a Оповещение"), footer
        assert "? Помощь" in footer and "^p палитра" in footer
        # The status line: the Russian ages and the note, the clock of Bishkek once (at
        # 80 columns too: the words are short enough to leave it room).
        status = lines[-2]
        assert status.startswith(" курс 5 мин назад, опрос 0 с назад"), status
        assert "без опроса (--no-collect)" in status
        assert status.rstrip().endswith("15:00 +06"), status
        assert len(status.rstrip()) <= size[0]
        # The strip: the rates written the Russian way.
        assert lines[0].startswith(" KGS/USD 0,011435 -0,19\u00a0% НБКР  •  KZT/USD 0,0020887")


async def test_the_alerts_panel_and_the_empty_words_in_russian(seeded: Settings) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        panel = app.query_one(AlertsTable)
        titles = [str(c.label) for c in panel.columns.values()]
        assert titles == ["Статус", "Оповещение"]
        assert panel.get_row_at(0)[1].plain == "Оповещений пока нет (a — добавить)"
        providers = "\n".join(screen_lines(app))
        assert "опрос через 30m" in providers or "опрос через 30 мин" in providers
        assert "опроса ещё не было" in providers


async def test_the_command_palette_speaks_russian(seeded: Settings) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Выход", "Оповещение", "Экспорт", "Разворот", "Опрос", "Помощь"):
            assert title in titles
        assert "Выбрать тему" in titles and "Снимок экрана" in titles
        assert {"Quit", "Theme", "Pick theme", "Screenshot", "Keys"}.isdisjoint(titles)
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert helps["Опрос"] == "r · опросить все источники сейчас"
        await pilot.press("ctrl+p")
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        assert "Поиск команд…" in text
        await pilot.press("z", "z", "z", "q")
        await pilot.pause(0.8)
        assert "Ничего не найдено" in "\n".join(screen_lines(app))


async def test_the_apps_notifications_speak_russian(seeded: Settings) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("r")  # no collector here, and none holds the store's lease
        await settle(pilot)
        said = [(n.title, n.message) for n in app._notifications]
        assert ("", f"Тема: {app.theme}") in said
        (asked,) = [m for t, m in said if t == "Опрос"]
        # (The age between is ticker.display.views' word for it.)
        assert asked.startswith(
            "Это хранилище никто не опрашивает: ни один сборщик не запущен (источник "
            "последний раз ответил "
        ), asked
        assert asked.endswith(
            "). Запустите `ticker collect` (или однократно `ticker poll`) либо дашборд "
            "без --no-collect."
        ), asked


def test_a_bug_is_said_on_the_status_line_in_russian() -> None:
    from datetime import UTC, datetime

    from ticker.i18n.choice import use
    from ticker.tui.status import StatusLine, bug_words

    use("ru", {}, "Asia/Bishkek")
    said = StatusLine().not_collecting().failed("chart", bug_words("KeyError: 'x'"))
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert said.text(None, at) == "график: внутренняя ошибка: KeyError: 'x'  ·  15:00 +06"
    # Any other work's failure is only notified: the note stays.
    calm = StatusLine().not_collecting()
    assert calm.failed("chart", "нет ответа") is calm
    assert calm.text(None, at) == "без опроса (--no-collect)  ·  15:00 +06"


async def test_ctrl_c_says_how_to_quit_in_russian(seeded: Settings) -> None:
    app = make_app(in_russian(seeded))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        said = [(n.title, n.message) for n in app._notifications]
        assert ("Выйти из программы?", "Нажмите [b]q[/b], чтобы выйти") in said, said


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_none_of_the_frames_own_english_words_is_left(
    seeded: Settings, size: tuple[int, int]
) -> None:
    """Every message of the frame's catalogue part (``ticker/i18n/po/ru/tui.po``) that
    has no field is looked for, in English, on the Russian screen: none is there."""
    part = Path(ticker.__file__).parent / "i18n" / "po" / "ru" / "tui.po"
    with part.open("rb") as fp:
        english = {
            m.id
            for m in read_po(fp)
            if isinstance(m.id, str) and m.id and "{" not in m.id and m.string != m.id
        }
    app = make_app(in_russian(seeded))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.query_one(AlertsTable).focus()  # at 80x24 the panels unfold with the focus
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        left = {w for w in english if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)}
        assert not left, (left, text)


async def test_at_80_columns_the_line_closes_up_before_it_loses_its_clock(
    seeded: Settings,
) -> None:
    """Five minutes later the ages are longer (``10 мин``, ``5 мин``): at the normal
    spacing the Russian line would lose its clock and zone; it closes up instead."""
    from datetime import timedelta

    from tests.helpers.dashboard import NOW
    from ticker.tui.app import TickerApp

    later = NOW + timedelta(minutes=5)
    app = TickerApp(in_russian(seeded), collect=False, now=lambda: later, animate=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = screen_lines(app)[-2].strip()
    assert status == (
        "курс 10 мин назад, опрос 5 мин назад · без опроса (--no-collect) · 15:05 +06"
    )
