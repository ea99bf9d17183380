"""The dashboard in Russian: every screen at 80x24 and 100x30 with no English word left
and nothing cut (Russian words are longer than English ones: the columns must still fit).

Done-when of issue 31: ``[display] language = "ru"`` and ``LANG=ru_RU.UTF-8`` give the
same screens. The tour checks that each key really reached its screen (the delete
confirmation at 80x24 needs the folded alerts panel opened with Tab first). What may stay
Latin on a Russian screen is named below (:data:`KEPT` and :func:`kept_spans`), each kind
with its reason; everything else Latin of two letters or more is an English word left.

The seeded store's one piece of English data, the last poll error of ``cbt`` ("timed out
after 20s"), is what the collector wrote: the sources' error words are English (they are
written once for every reader of the store, whatever their language). It is removed from
the store before the tour (the panel then says the dashboard's own word, ``сбой``), so
that no text matching has to follow it as it wraps across the providers panel's lines.
The rules' labels are the user's own words; a Russian user writes them in Russian."""

from __future__ import annotations

import argparse
import dataclasses
import re
from collections.abc import Iterable
from datetime import timedelta

import pytest
from textual.app import App

from providers.monetary_records import SERIES
from tests.helpers.dashboard import NOW, repo_for, settle
from tests.tui.test_alerts_panel import RULES, add_rules
from ticker.cli.parser import build_parser
from ticker.config import Settings
from ticker.config.sources import PROVIDERS
from ticker.model.export import ExportShape
from ticker.model.health import HealthState, ProviderHealth
from ticker.model.indicators import COUNTRIES
from ticker.model.pairs import FOREIGN_CURRENCIES, LOCAL_CURRENCIES
from ticker.tui.app import TickerApp
from ticker.tui.widgets.panels import AlertsTable

#: Codes, identifiers and names a Russian screen keeps, each for its reason.
KEPT = {
    # Currency codes and the pairs made of them (KGS/USD): ISO 4217, as banks write them.
    *LOCAL_CURRENCIES,
    *FOREIGN_CURRENCIES,
    "USD",
    # The sources' ids as config.toml and ``--provider`` write them (nbkr, cbu-stavka):
    # identifiers, kept whole, hyphens and all.
    *PROVIDERS,
    # ISO country codes (KGZ, KG).
    *COUNTRIES,
    *(c[:2] for c in COUNTRIES),
    # The monetary series' codes as the config and ``--series`` write them (policy-rate);
    # only the hyphenated ones: a one-word code (reserves) is an English word on screen.
    *(code for code in SERIES if "-" in code),
    # The zone's name on the status line when it is UTC; CSV, the file format.
    "UTC",
    "CSV",
    # A rule's number's heading.
    "ID",
    # Key names as the footer and the forms write them (Textual's own names for them).
    "tab",
    "esc",
    "escape",
    "enter",
    "ctrl",
    "shift",
    # The program's name: the command people type (``ticker poll``, "ticker: клавиши").
    "ticker",
    # A brand, and the name of a notification channel as the config writes it.
    "Telegram",
    "webhook",
}
#: The command line's commands: kept after ``ticker`` (``ticker poll``), as typed.
COMMANDS = {
    name
    for action in build_parser()._actions
    if isinstance(action, argparse._SubParsersAction)
    for name in action.choices
}
#: What is kept as a whole, however it is spelt, before words are looked at, each kind
#: for its reason (a command wrapped across lines is matched across the line break).
KEPT_SPANS = (
    # A command shown as an example: ``ticker poll`` (then its options, below).
    re.compile(r"\bticker\s+(?:" + "|".join(sorted(COMMANDS)) + r")\b"),
    # Options as typed: ``--no-collect``, ``--provider``.
    re.compile(r"(?<![\w-])--[a-z][a-z-]*"),
    # The config file's words: ``[hooks.NAME]``, ``[providers.fx-kg] enabled = true``,
    # ``[providers] base_url`` (a section, a key, a value, as config.toml writes them).
    re.compile(r"\[[a-z_]+(?:\.[A-Za-z0-9_-]+)?\](?:\s+[a-z_]+(?:\s*=\s*[\w\"]+)?)?"),
    # A file's path, as the export form offers it (``/root/ticker-USD-KGS-2026-11-23.csv``;
    # its start may be scrolled out of the field: ``est_h0/home/ticker-USD-KGS-….csv``).
    re.compile(r"(?<![\w/])~?(?:/[\w.-]+)+"),
    re.compile(r"[\w.-]*(?:/[\w.-]+)+\.(?:csv|toml|db)\b"),
    # The export's forms as the command line names them (``--best``, ``--wide``; long is
    # the default), in brackets after the form's description: ``Курсы всех источников
    # (long)``. Only there: elsewhere "best" or "wide" is an English word.
    re.compile(r"\((?:" + "|".join(ExportShape) + r")\)"),
)
#: A hyphenated word wrapped after its hyphen (``cbu-`` at a line's end, ``stavka`` on the
#: next): read as one word again.
WRAPPED = re.compile(r"([A-Za-z])- *\n *([A-Za-z])")
#: A dialog's frame: what a word of the screen under the dialog is cut by.
FRAME = "│╭╮╰╯─"
#: A Latin word of two letters or more (an English word, or a code to be kept).
LATIN = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]")


def screen_text(app: App[None]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def is_kept(word: str) -> bool:
    kept = {k.lower() for k in KEPT}
    if word.lower() in kept:
        return True
    parts = [p for p in word.split("-") if p]  # codes joined: KGS-USD
    return all(p.lower() in kept and p.isupper() for p in parts)


def under_a_frame(word: str, before: str, after: str) -> bool:
    """A word of the screen under a dialog, cut by the dialog's frame: only the part of a
    kept identifier that shows beside the frame (``│urrencyapi`` of ``currencyapi``)."""
    kept = [k.lower() for k in KEPT]
    low = word.lower()
    if before and before in FRAME and any(k.endswith(low) for k in kept):
        return True
    return bool(after) and after in FRAME and any(k.startswith(low) for k in kept)


def english_left(text: str, codes: Iterable[str] = ()) -> list[str]:
    """The English words left on ``text``; ``codes``: identifiers the config writes (the
    indicators' codes, ``FP.CPI.TOTL.ZG``), kept whole where they are shown."""
    text = WRAPPED.sub(r"\1-\2", text)
    for code in codes:
        text = text.replace(code, " " * len(code))
    for span in KEPT_SPANS:
        text = span.sub(lambda m: " " * len(m.group()), text)
    words = set()
    for found in LATIN.finditer(text):
        word = found.group()
        before = text[found.start() - 1] if found.start() else ""
        after = text[found.end()] if found.end() < len(text) else ""
        if is_kept(word) or under_a_frame(word, before, after):
            continue
        words.add(word)
    return sorted(words)


def cut(text: str) -> list[str]:
    """Lines that end a word with Textual's ellipsis inside a number (``12 19…``)."""
    return [line for line in text.splitlines() if re.search(r"\d…", line)]


def russian(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings, display=dataclasses.replace(settings.display, language="ru")
    )


#: The rules' labels as a Russian user writes them (the user's own words).
RUSSIAN_LABELS = {"sum weakening fast": "сум быстро слабеет", "sum": "сум"}


def russian_rules() -> list[dict[str, object]]:
    return [{**r, "label": RUSSIAN_LABELS[str(r["label"])]} if "label" in r else r for r in RULES]


def without_stored_english(settings: Settings) -> None:
    """The seed's ``cbt`` failure without its English error words (see the module)."""
    repo = repo_for(settings)
    try:
        repo.save_health(
            ProviderHealth(
                "cbt",
                HealthState.FAILING,
                NOW,
                NOW - timedelta(days=2),
                None,
                3,
                NOW + timedelta(hours=2),
            )
        )
    finally:
        repo.db.dispose()


async def _screens(
    app: TickerApp, pilot: object, keys: Iterable[tuple[str, ...]]
) -> tuple[dict[str, str], dict[str, str]]:
    """Each screen's text, and which screen it was."""
    seen: dict[str, str] = {}
    reached: dict[str, str] = {}
    for name, _screen, *pressed in keys:
        await settle(pilot)
        seen[name] = screen_text(app)
        reached[name] = type(app.screen).__name__
        for key in pressed:
            if key == TO_THE_ALERTS:
                await tab_to_the_alerts(app, pilot)
            else:
                await pilot.press(key)  # type: ignore[attr-defined]
    return seen, reached


#: Tab until the alerts panel has the focus (which unfolds it on a short terminal).
TO_THE_ALERTS = "tab to the alerts"


async def tab_to_the_alerts(app: TickerApp, pilot: object) -> None:
    for _tab in range(5):  # the rates, the chart, the alerts: a few Tabs at most
        if isinstance(app.focused, AlertsTable):
            return
        await pilot.press("tab")  # type: ignore[attr-defined]
        await settle(pilot)
    assert isinstance(app.focused, AlertsTable), app.focused


#: Each screen, the screen it is, and the keys from it to the next one. Tab to the
#: alerts panel (folded away at 80x24) so that ``d`` and ``z`` have a rule to act on.
TOUR = (
    ("dashboard", "DashboardScreen", "question_mark"),
    ("help", "HelpScreen", "escape", "enter"),
    ("detail", "DetailScreen", "escape", "i"),
    ("indicators", "IndicatorsScreen", "tab"),
    ("indicators, annual", "IndicatorsScreen", "escape", "x"),
    ("converter", "ConverterScreen", "escape", "a"),
    ("alert form", "AlertForm", "escape", "m"),
    ("market board", "MarketScreen", "escape", "ctrl+p"),
    ("command palette", "TranslatedPalette", "escape", TO_THE_ALERTS),
    ("alerts panel", "DashboardScreen", "d"),
    ("delete asks", "ConfirmScreen", "escape", "z"),
    ("snooze", "SnoozeScreen", "escape", "e"),
    ("export", "ExportForm", "escape"),
    ("dashboard again", "DashboardScreen"),
)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_every_screen_in_russian_has_no_english_word_and_nothing_cut(
    seeded: Settings, size: tuple[int, int]
) -> None:
    add_rules(seeded, russian_rules())
    without_stored_english(seeded)
    app = TickerApp(russian(seeded), collect=False, now=lambda: NOW, animate=False)
    async with app.run_test(size=size) as pilot:
        seen, reached = await _screens(app, pilot, TOUR)
    assert reached == {name: screen for name, screen, *_keys in TOUR}
    left = {name: english_left(text) for name, text in seen.items()}
    assert {name: words for name, words in left.items() if words} == {}
    assert {name: cut(text) for name, text in seen.items() if cut(text)} == {}
    assert "Курс" in seen["dashboard"]
    assert "Удалить" in seen["delete asks"] or "удалить" in seen["delete asks"]
    assert "сбой" in seen["alerts panel"]  # cbt's failure, in the dashboard's words
    # Why the KGS board is empty, in Russian; the config's words as config.toml has them.
    board = " ".join(seen["market board"].split())
    assert "fx-kg: выключен: сторонний источник, задайте [providers.fx-kg] enabled = true" in board
    # The change over the year so far, said as the chart says its ranges.
    assert "к прошлому курсу → 1Н → 1М → с\u00a0н.\u00a0г. → 1Г" in seen["command palette"]


def test_the_scan_finds_english_and_keeps_what_a_russian_screen_keeps() -> None:
    """The scanner itself: English words are found, also beside kept ones; identifiers,
    commands (wrapped too), options, config references and paths are not."""
    text = (
        "Нет табло KGS: fx-kg: выключен, задайте [providers.fx-kg] enabled = true.\n"
        "запустите: ticker  \n poll --provider nbk-data\n--provider cbu-stavka\n"
        "(imf-sdmx, policy-rate)\n"
        "Хук (имя [hooks.NAME])  /root/ticker-USD-KGS-2026-11-23.csv  Enter — сохранить\n"
        "▊est_in_russian_h0/home/ticker-USD-KGS-2026-11-23.csv▎\n"
        " ╭────╮urrencyapi,  │bu-stavka  без опроса (--no-collect)\n"
    )
    assert english_left(text) == []
    english = "off: third party, set [providers.fx-kg] enabled = true; timed out after 20s"
    assert english_left(english) == ["after", "off", "out", "party", "set", "third", "timed"]
    assert english_left("изменение: 1W → YTD; [providers] base_url settings") == [
        "YTD",
        "settings",
    ]
    assert english_left("Курсы всех источников (long) · best") == ["best"]
    assert english_left("ticker: keys │nbk reserves buy/sell") == [
        "buy",
        "keys",
        "reserves",
        "sell",
    ]
    assert english_left("--provider cbu-  \n stavka --provider nbk-  \n data") == []


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_indicators_with_their_data_speak_russian(
    with_indicators: Settings, size: tuple[int, int]
) -> None:
    """The indicators screen with rows and a chart: their names in Russian; the codes
    beside them as config.toml writes them (``[providers.worldbank] indicators``)."""
    annual = ("worldbank", "imf")  # the monetary sources' codes are the series' (above)
    codes = {code for name in annual for code in with_indicators.providers[name].indicators}
    assert codes == {"FP.CPI.TOTL.ZG", "NGDP_RPCH"}
    without_stored_english(with_indicators)
    app = TickerApp(russian(with_indicators), collect=False, now=lambda: NOW, animate=False)
    async with app.run_test(size=size) as pilot:
        seen, reached = await _screens(
            app,
            pilot,
            (
                ("dashboard", "DashboardScreen", "i"),
                ("indicators", "IndicatorsScreen", "tab"),
                ("indicators, annual", "IndicatorsScreen"),
            ),
        )
    assert reached["indicators, annual"] == "IndicatorsScreen"
    text = seen["indicators, annual"]
    assert "Инфляция (ИПЦ), %" in text and "Кыргызстан" in text
    assert english_left(text, codes) == []
    assert cut(text) == []


async def test_the_locale_environment_speaks_russian_too(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    without_stored_english(seeded)
    app = TickerApp(seeded, collect=False, now=lambda: NOW, animate=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
    assert english_left(text) == []
    assert "0,011435" in text  # KGS/USD (NBKR 87.45), written the Russian way
