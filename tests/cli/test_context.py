"""The context every command starts from: settings, the clock, the store."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.factories import obs
from ticker.cli.context import Context
from ticker.cli.writing import WriteContext
from ticker.config import Settings, StorageSettings
from ticker.errors import ConfigError

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _settings(tmp_path: Path) -> Settings:
    return Settings(storage=StorageSettings(url=f"sqlite:///{tmp_path / 'ticker.db'}"))


def test_the_clock_is_set_up_only_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKER_NOW", "yesterday")
    monkeypatch.delenv("TICKER_CONFIG", raising=False)
    ctx = Context.of(argparse.Namespace())  # a command that never looks at the time
    with pytest.raises(ConfigError, match=r"\$TICKER_NOW"):
        ctx.now()
    monkeypatch.setenv("TICKER_NOW", "2026-11-23T09:00:00+00:00")
    assert abs((ctx.now() - NOW).total_seconds()) < 60
    assert ctx.clock is ctx.clock  # one clock for the whole command


def test_a_read_of_no_store_creates_none(tmp_path: Path) -> None:
    ctx = Context(_settings(tmp_path), lambda: NOW)
    assert not ctx.store_exists()
    with ctx.stored_reads() as reads:
        assert reads is None
    assert not (tmp_path / "ticker.db").exists()


def test_the_write_side_stores_and_the_read_side_reads_it(tmp_path: Path) -> None:
    ctx = WriteContext(_settings(tmp_path), lambda: NOW)
    with ctx.store(writes=True) as repo:
        repo.store([obs()])
    assert ctx.store_exists()
    with ctx.stored_reads() as reads:
        assert reads is not None and reads.count_observations() == 1
    narrowed = ctx.with_settings(_settings(tmp_path / "elsewhere"))
    assert isinstance(narrowed, WriteContext) and narrowed.now() == NOW
