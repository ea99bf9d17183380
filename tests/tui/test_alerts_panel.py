"""The alerts panel as it is drawn: ten rules of mixed states at 80x24, 100x30 and 160x45,
each rule's number whole or visibly left out after a whole word, never cut; more rules
than fit scroll and the header says how many; the panel narrows again; the empty panel's
words fit. And the providers panel says one failure shared by many sources once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from textual.geometry import Region

from tests.helpers.dashboard import NOW, make_app, repo_for, settle
from tests.helpers.zones import local_zone
from ticker.config import Settings
from ticker.config.rules import rule_from_entry
from ticker.display.rules import describe_rule, number, rule_status
from ticker.model.health import HealthState, ProviderHealth
from ticker.model.pairs import Orientation
from ticker.model.records import RuleState, StoredRule
from ticker.tui.app import TickerApp
from ticker.tui.widgets.panels import (
    VISIBLE_RULES,
    AlertsTable,
    ProvidersPanel,
    fit_words,
    scroll_header,
)

#: Ten rules: the numbers as their users wrote them, some long, one with a label.
RULES: list[dict[str, object]] = [
    {"pair": "KZT", "kind": "above", "value": "0.0021"},
    {"pair": "KGS", "kind": "above", "value": "0.005", "cooldown": "3h"},
    {"pair": "UZS", "kind": "below", "value": "0.000082019", "label": "sum weakening fast"},
    {"pair": "TJS", "kind": "move", "percent": "2.5", "direction": "up", "window": "7d"},
    {"pair": "USD/KZT", "kind": "above", "value": "478.77"},
    {"pair": "TMT", "kind": "stale", "days": 3},
    {"pair": "KZT", "kind": "below", "value": "0.00195", "cooldown": "2h"},
    {"pair": "USD/UZS", "kind": "above", "value": "12194.21", "label": "sum"},
    {"pair": "KGS", "kind": "below", "value": "0.011435"},
    {"pair": "TJS", "kind": "above", "value": "0.10701"},
]


@pytest.fixture
def bishkek() -> Iterator[None]:
    with local_zone("Asia/Bishkek"):
        yield


def add_rules(settings: Settings, rules: list[dict[str, object]] = RULES) -> list[int]:
    """:data:`RULES` (or ``rules``, ten of them), armed, cooling down, fired, snoozed
    (today and another day) and disabled."""
    repo = repo_for(settings)
    try:
        ids = [
            repo.add_alert_rule(
                rule_from_entry(entry, Orientation.USD_PER), "cli", NOW - timedelta(days=1)
            )
            for entry in rules
        ]

        def fire(rule_id: int, ago: timedelta) -> None:
            state = RuleState(False, NOW - ago, None)
            repo.apply_alert(rule_id, lambda _state, _muted: (state, None), NOW)

        fire(ids[1], timedelta(minutes=20))  # cooling down (3h)
        fire(ids[6], timedelta(minutes=10))  # cooling down (2h)
        fire(ids[4], timedelta(hours=5))  # fired
        fire(ids[8], timedelta(hours=3))  # fired
        repo.snooze_alert_rule(ids[2], NOW + timedelta(hours=1))
        repo.snooze_alert_rule(ids[7], NOW + timedelta(days=2))
        repo.set_alert_enabled(ids[5], False)
        repo.set_alert_enabled(ids[9], False)
        return ids
    finally:
        repo.db.dispose()


def on_screen(app: TickerApp, region: Region) -> list[str]:
    """The screen's text inside ``region``, row by row, as the terminal shows it."""
    strips = app.screen._compositor.render_strips()
    return [strips[y].text[region.x : region.right] for y in range(region.y, region.bottom)]


NUMBER = re.compile(r"\d[\d.]*")


def assert_never_cut(line: str, stored: StoredRule, now_states: set[str]) -> None:
    """One row of the panel: its state whole, and its rule whole or left out after a
    whole word with ``…``: every number on it is one the rule has, whole."""
    described = describe_rule(stored)
    rule_at = line.index(f"#{stored.id} ")
    state, shown = line[:rule_at].strip(), line[rule_at:].rstrip(" ▁▂▃▄▅▆▇█▔▕▏")
    assert state in now_states, (state, now_states)
    if shown != described:
        assert shown.endswith(" …"), shown  # visibly left out ...
        kept = shown.removesuffix(" …")
        assert described.startswith(kept + " "), (kept, described)  # ... after a word
    whole = set(NUMBER.findall(described))
    assert set(NUMBER.findall(shown)) <= whole, (shown, described)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 45)])
async def test_ten_rules_of_mixed_states_never_cut_a_number(
    seeded: Settings, bishkek: None, size: tuple[int, int]
) -> None:
    ids = add_rules(seeded)
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.query_one(AlertsTable)
        table.focus()  # at 80x24 the panels are folded away until then
        await settle(pilot)
        assert table.row_count == len(RULES)
        rules = {r.id: r for r in table.rules}
        states = {
            r.id: {rule_status(r, NOW, short=s).text for s in (False, True)} for r in table.rules
        }
        # 09:00 UTC is 15:00 in Bishkek; the 2h cooldown fired at 14:50 ends at 16:50.
        assert {"cooling down until 16:50", "cool ↦ 16:50"} == states[ids[6]]
        assert {"snoozed until 25 Nov 15:00", "snoozed ↦ 25 Nov"} == states[ids[7]]
        seen: dict[int, str] = {}
        for row in range(len(RULES)):
            table.move_cursor(row=row)
            await pilot.pause()
            header, *lines = on_screen(app, table.region)
            assert header.split()[:2] == ["State", "Alert"]
            assert len(lines) == VISIBLE_RULES  # five in sight ...
            for line in lines:
                found = re.search(r"#(\d+) ", line)
                assert found is not None, line
                rule_id = int(found.group(1))
                assert_never_cut(line, rules[rule_id], states[rule_id])
                seen[rule_id] = line
            # ... and the header says how many more there are, and where.
            above = round(table.scroll_y)
            below = len(RULES) - VISIBLE_RULES - above
            assert f" {scroll_header(above, below)} " in header
            assert (above, below) != (0, 0)
        assert sorted(seen) == sorted(ids)  # every rule was in sight once
        # Room enough: the words in full, the numbers whole, the labels too.
        if size[0] >= 160:
            assert "cooling down until 16:50" in seen[ids[6]]
            assert all(number(rules[i].rule.value) in seen[i] for i in (ids[0], ids[2]))
            assert '"sum weakening fast"' in seen[ids[2]]
        else:  # short words, and the numbers still whole
            assert "cool ↦ 16:50" in seen[ids[6]]
            assert "#1 KZT/USD above 0.0021" in seen[ids[0]]
            assert "#3 UZS/USD below 0.000082019" in seen[ids[2]]


async def test_the_panel_narrows_again_and_its_empty_words_fit(
    seeded: Settings, bishkek: None
) -> None:
    ids = add_rules(seeded)
    app = make_app(seeded)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        table = app.query_one(AlertsTable)
        wide = table.columns[next(iter(table.columns))].width
        assert wide == len("snoozed until 25 Nov 15:00")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        table.focus()
        await settle(pilot)
        assert table.columns[next(iter(table.columns))].width < len("cooling down until")
        for _ in ids:  # every rule deleted, from the dashboard
            table.move_cursor(row=0)
            await pilot.press("d")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
        assert table.rules == []
        header, first = on_screen(app, table.region)[:2]
        assert first.split() == "No alerts yet (a adds one)".split()
        assert header.split() == ["State", "Alert"]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_one_failure_shared_by_every_source_is_said_once(
    seeded: Settings, size: tuple[int, int]
) -> None:
    names = seeded.enabled_providers("rates") + seeded.enabled_providers("indicators")
    refused = "connection refused by 127.0.0.1"
    repo = repo_for(seeded)
    try:
        for name in names:
            repo.save_health(ProviderHealth(name, HealthState.FAILING, NOW, None, refused, 3, None))
    finally:
        repo.db.dispose()
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.query_one(AlertsTable).focus()  # unfolds the panels at 80x24
        await settle(pilot)
        panel = app.query_one(ProvidersPanel)
        assert str(panel.render()) == f"all {len(names)} sources ✖ {refused}"
        said = " ".join(line.strip() for line in on_screen(app, panel.region))
        assert said == f"all {len(names)} sources ✖ {refused}"  # two lines at most


async def test_sources_failing_alike_are_named_together_in_their_order(
    seeded: Settings,
) -> None:
    refused = "connection refused by 127.0.0.1"
    repo = repo_for(seeded)
    try:
        for name in ("nbk", "cbr", "nbkr"):
            repo.save_health(ProviderHealth(name, HealthState.FAILING, NOW, None, refused, 3, None))
    finally:
        repo.db.dispose()
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        said = str(app.query_one(ProvidersPanel).render())
        assert said.count(refused) == 1
        assert f"nbkr, nbk, cbr ✖ {refused}" in said
        assert "cbt ✖ timed out after 20s" in said  # a failure of its own
        assert "nbt ✓ 0s, next 30m" in said  # a source that answers keeps its own ages


def test_a_rule_too_long_is_cut_after_a_whole_word() -> None:
    rule = '#3 UZS/USD below 0.000082019 "sum weakening fast"'
    assert fit_words(rule, 60) == rule
    assert fit_words(rule, len(rule)) == rule
    assert fit_words(rule, 40) == '#3 UZS/USD below 0.000082019 "sum …'
    assert fit_words(rule, 29) == "#3 UZS/USD below …"  # the number whole or not at all
    assert fit_words(rule, 3) == "…"


@pytest.mark.parametrize("key", ["d", "E", "p", "z"])
async def test_a_folded_panel_opens_before_its_keys_act_on_a_rule(
    seeded: Settings, bishkek: None, key: str
) -> None:
    """At 80x24 the panels fold away under the chart: an alert key pressed there shows the
    panel and its selected rule and changes nothing; pressed again, it acts."""
    from ticker.tui.screens.dashboard import DashboardScreen

    ids = add_rules(seeded)
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(AlertsTable)
        assert app.dashboard.query_one("#body").has_class("-fold")
        assert not table.has_focus
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)  # no question, no form: nothing acted on
        assert table.has_focus and table.region.height > 0  # the panel is in sight
        assert table.selected is not None and table.selected.id == ids[0]
        enabled = [r.enabled for r in table.rules]
        await pilot.press(key)
        await settle(pilot)
        acted = (
            not isinstance(app.screen, DashboardScreen)
            or [r.enabled for r in table.rules] != enabled
        )
        assert acted
