"""Issue 30's end to end: on NBK's decision day (Friday 23 Oct 2026 in its published
schedule) the dashboard's own collector polls NBK's base-rate feed (the recorded history
plus the new decision, effective Monday 26 Oct); the release rule fires once (the
dashboard's toast) and the decision leads the status line that day; on Monday the new
rate leads it as in force from today."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.helpers.dashboard import repo_for, settle
from ticker.config import Settings
from ticker.config.rules import rule_from_entry
from ticker.model.pairs import Orientation
from ticker.tui.app import TickerApp

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers" / "monetary"
#: The recorded history (its last decision: 16.25% from 7 September 2026).
HISTORY = json.loads((FIXTURES / "nbk-data" / "base_rate.json").read_text())
#: The decision of 23 October, effective Monday 26 October 2026 (built: the recorded
#: entries' shape).
NEW_DECISION = {
    "effectiveDate": "2026-10-26", "rate": 16.75, "corridorLower": 15.75, "corridorUpper": 17.75,
}  # fmt: skip
#: 14:00 in Almaty on the decision's day (a Friday); the rule was made a month before.
NOW = datetime(2026, 10, 23, 9, 0, tzinfo=UTC)
MADE = datetime(2026, 9, 10, 9, 0, tzinfo=UTC)


def only_nbk_data(settings: Settings) -> Settings:
    """Every source off but NBK's open data, asked for its base rate alone."""
    providers = {
        name: dataclasses.replace(p, enabled=name == "nbk-data")
        for name, p in settings.providers.items()
    }
    providers["nbk-data"] = dataclasses.replace(
        providers["nbk-data"], base_url="http://nbk.test", indicators=("policy-rate",)
    )
    collector = dataclasses.replace(settings.collector, retries=1)
    return dataclasses.replace(settings, providers=providers, collector=collector)


async def test_a_new_nbk_decision_fires_its_alert_and_leads_the_status_line(
    seeded: Settings,
) -> None:
    settings = only_nbk_data(seeded)
    repo = repo_for(settings)
    entry: dict[str, object] = {"country": "KZ", "kind": "release", "series": "policy-rate"}
    rule_id = repo.add_alert_rule(rule_from_entry(entry, Orientation.USD_PER), "cli", MADE)
    repo.db.dispose()
    asked: list[str] = []

    def nbk(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        assert request.url.host == "nbk.test"
        return httpx.Response(200, json=[NEW_DECISION, *HISTORY])

    clock = [NOW]
    app = TickerApp(
        settings,
        collect=True,
        now=lambda: clock[0],
        animate=False,
        transport=httpx.MockTransport(nbk),
    )
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for _ in range(200):  # bounded: the first round polls NBK at once
            await settle(pilot)
            if "decision" in str(app.query_one("#status").render()):
                break
            await pilot.pause(0.05)
        toasts = [n.message for n in app._notifications if n.title == "Alert"]
        assert toasts == [
            f"#{rule_id} KAZ policy-rate changed: NBK policy rate 16.75% from 26 Oct 2026 "
            "(+0.50 pp)"
        ]
        status = str(app.query_one("#status").render())
        assert status.startswith("NBK decision today: 16.75% from 26 Oct, +0.50 pp"), status
        assert asked == ["/api/v1/data/base-rate"]
        clock[0] = NOW + timedelta(days=1)  # Saturday: the status line moves on
        app.dashboard._tick()
        await pilot.pause()
        assert "NBK" not in str(app.query_one("#status").render())
    events = repo_for(settings).alert_events()
    assert [(e.rule_id, e.pair, str(e.rate)) for e in events] == [(rule_id, "KAZ", "16.75")]
