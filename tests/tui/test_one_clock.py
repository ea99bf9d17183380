"""One clock on the dashboard: the status line says the time on the user's clock and names
its zone once (``09:00 UTC``; at Asia/Bishkek ``15:00 +06``), and every other time it
shows (offline since, the alerts panel's cooldowns and firings) is on the same clock
without naming it again. The expectations are written by hand from what a reader in
each zone should see."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from textual.app import App

from tests.helpers.dashboard import make_app, settle
from tests.tui.test_alerts_panel import add_rules
from ticker.config import Settings
from ticker.i18n.choice import use
from ticker.model.health import HealthState, ProviderHealth
from ticker.model.snapshot import Snapshot
from ticker.tui.status import status_line
from ticker.tui.widgets.panels import AlertsTable

SOURCES = ["nbkr", "nbk", "cbt"]
#: 14:05 UTC; 20:05 in Bishkek (UTC+6 all year).
AT = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)


def failing_since(last: datetime | None) -> Snapshot:
    health = {n: ProviderHealth(n, HealthState.FAILING, AT, last, "x", 3) for n in SOURCES}
    return Snapshot([], {}, health, [], AT)


def test_the_status_line_says_the_time_and_zone_of_the_user_in_utc() -> None:
    use(None, {}, "UTC")
    line = status_line(failing_since(datetime(2026, 11, 23, 14, 2, tzinfo=UTC)), SOURCES, "", AT)
    assert line == "offline since 14:02: no source reachable  ·  14:05 UTC"


def test_the_status_line_says_the_time_and_zone_of_the_user_in_bishkek() -> None:
    use(None, {}, "Asia/Bishkek")
    line = status_line(failing_since(datetime(2026, 11, 23, 14, 2, tzinfo=UTC)), SOURCES, "", AT)
    # Both times on Bishkek's clock, its zone said once, at the end.
    assert line == "offline since 20:02: no source reachable  ·  20:05 +06"


def test_the_day_changes_at_the_users_midnight_not_at_utcs() -> None:
    # 17:58 UTC on the 22nd is 23:58 in Bishkek; 18:01 UTC is already the 23rd there.
    last, now = (
        datetime(2026, 11, 22, 17, 58, tzinfo=UTC),
        datetime(2026, 11, 22, 18, 1, tzinfo=UTC),
    )
    use(None, {}, "UTC")
    assert status_line(failing_since(last), SOURCES, "", now) == (
        "offline since 17:58: no source reachable  ·  18:01 UTC"
    )
    use(None, {}, "Asia/Bishkek")
    assert status_line(failing_since(last), SOURCES, "", now) == (
        "offline since 22 Nov 23:58: no source reachable  ·  00:01 +06"
    )


def test_the_status_line_in_russian() -> None:
    use("ru", {}, "Asia/Bishkek")
    last, now = (
        datetime(2026, 11, 22, 17, 58, tzinfo=UTC),
        datetime(2026, 11, 22, 18, 1, tzinfo=UTC),
    )
    assert status_line(failing_since(last), SOURCES, "", now) == (
        "нет связи с 22 нояб. 23:58: ни один источник не доступен  ·  00:01 +06"
    )
    answered = Snapshot(
        [], {}, {"nbk": ProviderHealth("nbk", HealthState.OK, AT, AT, None, 0)}, [], AT
    )
    # "опрос" takes the genitive: 1 источника, 3 / 11 источников, 21 источника.
    for count, sources in ((1, "1 источника"), (3, "3 источников"), (11, "11 источников")):
        names = [f"s{i}" for i in range(count)]
        line = status_line(answered, names, "", AT)
        assert line.endswith(f"опрос {sources}  ·  20:05 +06"), line
    line = status_line(answered, [f"s{i}" for i in range(21)], "", AT)
    assert "опрос 21 источника" in line


def screen_lines(app: App[None]) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def in_zone(settings: Settings, zone: str, language: str = "") -> Settings:
    display = dataclasses.replace(settings.display, timezone=zone, language=language)
    return dataclasses.replace(settings, display=display)


@pytest.mark.parametrize(
    ("zone", "clock", "cooling", "fired"),
    [
        # 09:00 UTC. Rule 2 fired 20 minutes ago (3h cooldown: until 11:40 UTC); rule 5
        # fired five hours ago (04:00 UTC) and has not re-armed.
        ("UTC", "09:00 UTC", "cooling down until 11:40", "fired 04:00"),
        pytest.param(
            "Asia/Bishkek",
            "15:00 +06",
            "cooling down until 17:40",
            "fired 10:00",
        ),
    ],
)
async def test_the_dashboard_has_one_clock(
    seeded: Settings, zone: str, clock: str, cooling: str, fired: str
) -> None:
    settings = in_zone(seeded, zone)
    ids = add_rules(settings)
    app = make_app(settings)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        lines = screen_lines(app)
        status = lines[-2]
        assert status.rstrip().endswith(clock), status
        text = "\n".join(lines)
        # The zone is named once on the screen: on the status line.
        assert text.count(clock.split()[1]) == 1, text
        table = app.query_one(AlertsTable)
        states = {str(key.value): table.get_row(key)[0].plain for key in table.rows}
        assert states[str(ids[1])] == cooling
        assert states[str(ids[4])] == fired
