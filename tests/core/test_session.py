"""The dashboard's store session, headless: reads through the read side, writes through
the write side, and a condition already watched is refused whatever its label."""

from __future__ import annotations

import dataclasses
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers.dashboard import NOW
from tests.helpers.seeded import settings_for
from ticker.core.session import StoreSession
from ticker.errors import UsageError
from ticker.model.pairs import parse_pair
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.storage.db import open_database


def test_a_rule_added_twice_under_another_label_is_refused(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "t.db")
    open_database(settings.database_url).dispose()
    session = StoreSession(settings, lambda: NOW)
    try:
        rule = AlertRuleConfig(parse_pair("KZT/USD"), AlertKind.BELOW, value=Decimal("0.002"))
        first = session.add_rule(rule)
        with pytest.raises(UsageError, match=f"already stored: #{first} KZT/USD below 0.002"):
            session.add_rule(dataclasses.replace(rule, label="again"))
    finally:
        session.close()


def test_reading_loads_no_orm_until_something_is_written(tmp_path: Path) -> None:
    """In a fresh interpreter: the snapshot, a chart, and a detail read
    without SQLAlchemy; adding a rule loads it."""
    import subprocess

    from tests.helpers.paths import REPO

    settings = settings_for(tmp_path / "t.db")
    open_database(settings.database_url).dispose()
    code = f"""
import dataclasses, sys
from datetime import datetime, timezone
from decimal import Decimal
from ticker.config import Settings
from ticker.core.session import StoreSession
from ticker.model.pairs import Orientation, parse_pair
from ticker.model.rules import AlertKind, AlertRuleConfig
base = Settings()
storage = dataclasses.replace(base.storage, url={settings.database_url!r})
s = StoreSession(dataclasses.replace(base, storage=storage), lambda: datetime.now(timezone.utc))
s.snapshot(Orientation.PER_USD, 0)
s.chart("KZT", "1M", Orientation.PER_USD, ["nbk"])
s.detail("KZT", Orientation.PER_USD, "nbk")
print("sqlalchemy" in sys.modules)
s.add_rule(AlertRuleConfig(parse_pair("KZT/USD"), AlertKind.BELOW, value=Decimal("0.002")))
print("sqlalchemy" in sys.modules)
s.close()
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_the_monetary_read_is_bounded_and_the_annual_one_ignores_it(tmp_path: Path) -> None:
    """The monetary monitor is read back five years (``2021-11`` on 23 Nov 2026), from the
    enabled monetary sources only; the annual indicators' read is not upset by the
    monetary series' periods (a month is no year)."""
    from providers.base import IndicatorValue
    from ticker.storage.repository import Repository

    settings = settings_for(tmp_path / "t.db")
    database = open_database(settings.database_url)

    def value(source: str, code: str, period: str, number: str) -> IndicatorValue:
        return IndicatorValue(source, code, "KAZ", period, Decimal(number), False, NOW)

    Repository(database).store_indicators(
        [
            value("nbk-data", "policy-rate", "2021-10-25", "9.75"),  # before the bound
            value("nbk-data", "policy-rate", "2021-11-01", "9.75"),
            value("nbk-data", "policy-rate", "2026-10-10", "16.50"),
            value("imf-sdmx", "cpi-yoy", "2021-10", "8.9"),  # before the bound
            value("imf-sdmx", "cpi-yoy", "2026-10", "12.6"),
            value("worldbank", "FP.CPI.TOTL.ZG", "2024", "8.7"),
        ]
    )
    database.dispose()
    session = StoreSession(settings, lambda: NOW)
    try:
        view = session.monetary()
        policy = view.get("KAZ", "policy-rate")
        assert [p.period for p in policy.points] == ["2021-11-01", "2026-10-10"]
        assert [p.period for p in view.get("KAZ", "cpi-yoy").points] == ["2026-10"]
        assert view.get("KAZ", "reserves").points == ()
        only = session.monetary(series=("policy-rate",), countries=["KAZ"])
        assert only.countries == ("KAZ",) and list(only.series) == [("KAZ", "policy-rate")]
        annual = {(s.indicator, s.country): s for s in session.indicators()}
        assert [y.year for y in annual["FP.CPI.TOTL.ZG", "KAZ"].years] == [2024]
        assert not any(s.source == "nbk-data" for s in session.indicators())
    finally:
        session.close()
    nbk_off = dataclasses.replace(
        settings,
        providers={
            **settings.providers,
            "nbk-data": dataclasses.replace(settings.providers["nbk-data"], enabled=False),
        },
    )
    session = StoreSession(nbk_off, lambda: NOW)
    try:  # the IMF's months speak when NBK is switched off (none stored here: n/a)
        policy = session.monetary().get("KAZ", "policy-rate")
        assert policy.source == "imf-sdmx" and policy.points == ()
    finally:
        session.close()
