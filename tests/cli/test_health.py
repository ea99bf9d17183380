"""`ticker health`: 0 when a collector holds the lease with a fresh heartbeat and every
official source is current under its calendar, 1 with the reasons, 2 on a bad config;
and `ticker providers` names the store's collectors. The clock is set from outside
($TICKER_NOW) at the awkward moments: weekends, just before and after a bank's hour."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from providers.base import Observation
from tests.helpers.cli import ticker
from tests.helpers.factories import obs
from ticker.core.watch import OFFICIAL
from ticker.display.collectors import since_text
from ticker.model.health import OK, ProviderHealth
from ticker.storage.db import open_database
from ticker.storage.lease import Identity
from ticker.storage.lease.postgres import PostgresLease
from ticker.storage.lease.sqlite import SqliteLease
from ticker.storage.repository import Repository

# 2026-11-27 is a Friday; 28 Sat, 29 Sun, 30 Mon, 1 Dec Tue.
FRI, SAT, SUN, MON, TUE = (date(2026, 11, 27) + timedelta(days=i) for i in range(5))


def store(path: Path, fixings: dict[str, date]) -> None:
    """A store with each official source's fixing of its own currency dated as given."""
    currency = {"nbkr": "KGS", "nbk": "KZT", "nbt": "TJS", "cbu": "UZS", "cbt": "TMT"}
    db = open_database(f"sqlite:///{path}")
    try:
        Repository(db).add_observations(
            [obs(currency[p], "10", day, p) for p, day in fixings.items()]
        )
    finally:
        db.dispose()


def config(tmp_path: Path, db: Path, extra: str = "") -> Path:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite:///{db}"\n{extra}')
    return cfg


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ticker.db"


@pytest.fixture
def hold(db: Path) -> Iterator[Callable[..., SqliteLease]]:
    """Hold the store's lease from this process, as a collector would."""
    held: list[SqliteLease] = []

    def take(at: datetime, host: str = "collector-host", pid: int = 4321) -> SqliteLease:
        lease = SqliteLease(Identity(host, pid, at), str(db), database=db)
        lease.acquire(at)
        held.append(lease)
        return lease

    yield take
    for lease in held:
        lease.abandon()


def health(cfg: Path, now: datetime, *args: str) -> tuple[int, str, str]:
    result = ticker("--config", str(cfg), "health", *args, env={"TICKER_NOW": now.isoformat()})
    return result.returncode, result.stdout, result.stderr


def at(day: date, hh: int, mm: int) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=UTC)


def test_a_sunday_evening_with_friday_fixings_is_healthy(tmp_path: Path, db: Path, hold) -> None:
    # CBU dates Monday to Friday: its Friday rate is in force until Monday's is a day
    # late. NBK's Saturday file (the rate set on Friday) is in force to Monday, its
    # Sunday's and Monday's files repeating it. NBKR and CBT have already published
    # Monday's (dated ahead).
    store(db, {"nbkr": MON, "nbk": SAT, "nbt": SUN, "cbu": FRI, "cbt": MON})
    now = at(SUN, 20, 0)
    hold(now)
    code, out, err = health(config(tmp_path, db), now)
    assert (code, err) == (0, ""), out
    assert out.startswith("ok: collector-host pid 4321 collects (heartbeat 0s ago)")
    assert "fresh: nbkr, nbk, nbt, cbu, cbt" in out


@pytest.mark.parametrize(
    ("now", "stale"),
    [
        # NBKR stamps the next day at 16:00 Bishkek (UTC+6): Tuesday's fixing appeared on
        # Monday at 16:00; the one held (Monday's) is stale a day after that, at 10:00 UTC.
        (at(TUE, 9, 59), None),
        (
            at(TUE, 10, 1),
            "nbkr: stale since 1 Dec (expected a fixing by 16:00 Bishkek time on 30 Nov; "
            "the newest is dated 30 Nov)",
        ),
    ],
)
def test_nbkr_goes_stale_a_day_after_its_hour_in_bishkek_time(
    tmp_path: Path, db: Path, hold, now: datetime, stale: str | None
) -> None:
    store(db, {"nbkr": MON, "nbk": MON, "nbt": TUE, "cbu": MON, "cbt": TUE})
    hold(now)
    code, out, _err = health(config(tmp_path, db), now)
    if stale is None:
        assert code == 0 and out.startswith("ok: "), out
    else:
        assert (code, out.splitlines()) == (1, [stale])


@pytest.mark.parametrize(
    ("now", "stale"),
    [
        # NBK sets the next day's rate at about 16:00 Almaty (UTC+5): Saturday's (set on
        # Friday) is in force to Monday, and stale once Tuesday's is a day late (Tuesday
        # 11:00 UTC).
        (at(TUE, 10, 59), False),
        (at(TUE, 11, 1), True),
    ],
)
def test_a_saturday_nbk_fixing_is_current_until_tuesday_afternoon_in_almaty(
    tmp_path: Path, db: Path, hold, now: datetime, stale: bool
) -> None:
    store(db, {"nbkr": TUE, "nbk": SAT, "nbt": TUE, "cbu": MON, "cbt": TUE})
    hold(now)
    code, out, _err = health(config(tmp_path, db), now, "--json")
    document = json.loads(out)
    sources = {s["provider"]: s for s in document["sources"]}
    assert sources["nbk"]["as_of"] == "2026-11-28" and sources["nbk"]["stale"] is stale
    assert [s for s in sources if sources[s]["stale"]] == (["nbk"] if stale else [])
    assert document["collector"]["host"] == "collector-host"
    if stale:
        assert code == 1 and document["status"] == "degraded"
        assert document["reasons"] == [
            "nbk: stale since 1 Dec (expected a fixing by 16:00 Almaty time on 30 Nov; "
            "the newest is dated 28 Nov)"
        ]
    else:
        assert code == 0 and document["status"] == "ok" and document["reasons"] == []


def test_no_collector_a_dead_one_and_a_stale_heartbeat_are_each_a_reason(
    tmp_path: Path, db: Path, hold
) -> None:
    store(db, {"nbkr": MON, "nbk": SAT, "nbt": SUN, "cbu": FRI, "cbt": MON})
    now = at(SUN, 20, 0)
    cfg = config(tmp_path, db)
    assert health(cfg, now)[:2] == (1, "no collector holds the lease\n")
    dead = hold(now)
    dead.abandon()  # its row still says active, but the lock died with it
    assert health(cfg, now)[:2] == (1, "no collector holds the lease\n")
    hold(now - timedelta(seconds=45), pid=555)  # holds the lock, not heard for 45 s
    code, out, _err = health(cfg, now)
    assert code == 1
    assert out.splitlines() == [  # heard at 19:59:15, 45 s before (ages go by tens)
        "stale heartbeat: collector-host pid 555 was last heard 40s ago (at 19:59 UTC)"
    ]


def test_a_store_not_made_yet_and_a_disabled_bank(tmp_path: Path, db: Path) -> None:
    cfg = config(tmp_path, db, "[providers.cbt]\nenabled = false\n")
    code, out, _err = health(cfg, at(SUN, 20, 0))
    assert code == 1
    assert out.splitlines() == [
        "no collector holds the lease",
        "nbkr: no KGS fixing stored yet",
        "nbk: no KZT fixing stored yet",
        "nbt: no TJS fixing stored yet",
        "cbu: no UZS fixing stored yet",
    ]
    assert not db.exists()  # a health check creates nothing


def test_a_configuration_error_exits_2_in_one_line(tmp_path: Path, db: Path) -> None:
    cfg = config(tmp_path, db, "[storage]\nbogus = 1\n")
    code, out, err = health(cfg, at(SUN, 20, 0))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("ticker: ")
    result = ticker("--config", str(config(tmp_path, db)), "health", env={"TICKER_NOW": "soon"})
    assert result.returncode == 2 and "TICKER_NOW" in result.stderr


def test_providers_names_the_active_collector_and_the_standbys(
    tmp_path: Path, db: Path, hold
) -> None:
    store(db, {"nbk": FRI})
    now = at(SUN, 20, 0)
    holder = hold(now - timedelta(hours=2))  # took the lease at 18:00
    holder.beat(now)  # and is heard from now
    # Started at 19:55 and standing by since, heard from now.
    standby = SqliteLease(Identity("standby-host", 99, now - timedelta(minutes=5)), "", database=db)
    assert not standby.acquire(now)  # the lease is taken: it stands by
    assert holder.held
    env = {"TICKER_NOW": now.isoformat()}
    cfg = config(tmp_path, db)
    lines = ticker("--config", str(cfg), "providers", env=env).stdout.splitlines()
    assert lines[-2:] == [
        "Collector: collector-host pid 4321, since 18:00 UTC, last heartbeat 0s ago",
        "Standby: standby-host pid 99, since 19:55 UTC, last heartbeat 0s ago",
    ]
    document = json.loads(ticker("--config", str(cfg), "providers", "--json", env=env).stdout)
    assert document["collector"] == {
        "host": "collector-host",
        "pid": 4321,
        "role": "active",
        "started_at": "2026-11-29T18:00:00Z",
        "active_since": "2026-11-29T18:00:00Z",
        "heartbeat_at": "2026-11-29T20:00:00Z",
    }
    assert [(s["host"], s["role"]) for s in document["standbys"]] == [("standby-host", "standby")]


def pg_config(tmp_path: Path, url: str) -> Path:
    """A PostgreSQL store's config with no official source enabled: only the collectors
    are judged (their ages on the server's clock, not ``$TICKER_NOW``)."""
    cfg = tmp_path / "config.toml"
    banks = "".join(f"[providers.{p}]\nenabled = false\n" for p in OFFICIAL)
    cfg.write_text(f'[storage]\nurl = "{url}"\n{banks}')
    return cfg


def server_now(url: str) -> datetime:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        row = conn.execute("SELECT clock_timestamp()").fetchone()
    assert row is not None
    return row[0].astimezone(UTC)  # type: ignore[no-any-return]


@pytest.fixture
def pg_store(tmp_path: Path, new_pg_database: Callable[[], str]) -> Iterator[tuple[str, Path]]:
    url = new_pg_database()
    open_database(url).dispose()  # made, migrated
    yield url, pg_config(tmp_path, url)


@pytest.fixture
def pg_hold(pg_store: tuple[str, Path]) -> Iterator[Callable[..., PostgresLease]]:
    """Hold the PostgreSQL store's lease from this process, its clock at ``at``."""
    url, _cfg = pg_store
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    held: list[PostgresLease] = []

    def take(at: datetime, host: str = "pg-host", pid: int = 777) -> PostgresLease:
        lease = PostgresLease(Identity(host, pid, at), url, conninfo=conninfo)
        assert lease.acquire(at)
        held.append(lease)
        return lease

    yield take
    for lease in held:
        lease.release(datetime.now(UTC))


def test_on_postgresql_the_holders_heartbeat_must_be_within_the_takeover_limit(
    pg_store: tuple[str, Path], pg_hold: Callable[..., PostgresLease]
) -> None:
    # Ages are the server's: the holder's clock is the server's here, the reader's is
    # two days off ($TICKER_NOW), which changes nothing.
    url, cfg = pg_store
    now = server_now(url)
    reader = at(SUN, 20, 0)
    lease = pg_hold(now - timedelta(seconds=5))
    code, out, _err = health(cfg, reader)
    assert code == 0 and out.startswith("ok: pg-host pid 777 collects (heartbeat 0s ago)"), out
    beat = now - timedelta(seconds=12)
    lease.beat(beat)  # its last heartbeat: 12 s before the server's now
    code, out, _err = health(cfg, reader)
    assert (code, out.splitlines()) == (
        1,
        [f"stale heartbeat: pg-host pid 777 was last heard 10s ago (at {since_text(beat, now)})"],
    )


def test_on_postgresql_a_reader_whose_clock_is_ahead_sees_a_healthy_collector_healthy(
    pg_store: tuple[str, Path], pg_hold: Callable[..., PostgresLease]
) -> None:
    url, cfg = pg_store
    now = server_now(url)
    pg_hold(now)
    code, out, _err = health(cfg, now + timedelta(seconds=9))
    assert code == 0 and out.startswith("ok: pg-host pid 777 collects (heartbeat 0s ago)"), out


def test_on_postgresql_a_heartbeat_from_the_future_is_unknown_not_fresh(
    pg_store: tuple[str, Path], pg_hold: Callable[..., PostgresLease]
) -> None:
    # The collector's clock is an hour ahead (and so is the reader's): its heartbeat
    # says nothing about whether it lives now.
    url, cfg = pg_store
    ahead = server_now(url) + timedelta(hours=1, seconds=30)  # an hour (and a moment)
    pg_hold(ahead)
    code, out, _err = health(cfg, ahead)
    assert code == 1, out
    assert out.startswith(
        "unknown heartbeat: pg-host pid 777 dated 1h00m ahead of the store's clock"
    ), out


def test_on_postgresql_a_holder_killed_with_its_clock_ahead_holds_nothing(
    pg_store: tuple[str, Path], pg_hold: Callable[..., PostgresLease]
) -> None:
    url, cfg = pg_store
    ahead = server_now(url) + timedelta(hours=1)
    pg_hold(ahead).abandon()  # its session (and advisory lock) gone, its row left
    assert health(cfg, ahead)[:2] == (1, "no collector holds the lease\n")


def test_on_postgresql_an_inserted_active_row_is_no_collector(
    pg_store: tuple[str, Path], pg_hold: Callable[..., PostgresLease]
) -> None:
    url, cfg = pg_store
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute(
            "INSERT INTO collector (host, pid, role, started_at, active_since, heartbeat_at) "
            "VALUES ('forged', 1, 'active', now(), now(), clock_timestamp())"
        )
    now = server_now(url)
    assert health(cfg, now)[:2] == (1, "no collector holds the lease\n")
    # A real holder is the one named, not the forged row (its heartbeat newer).
    pg_hold(now - timedelta(seconds=1))
    code, out, _err = health(cfg, now)
    assert code == 0 and out.startswith("ok: pg-host pid 777 collects"), out


def save_health(path: Path, health: ProviderHealth) -> None:
    db = open_database(f"sqlite:///{path}")
    try:
        Repository(db).save_health(health)
    finally:
        db.dispose()


def test_a_source_not_polled_for_many_intervals_is_a_reason(tmp_path: Path, db: Path, hold) -> None:
    # The collector holds the lease and beats, the fixings are current, but its schedule
    # stands still (a persisted next run from a clock that was a day ahead).
    store(db, {"nbkr": MON, "nbk": SAT, "nbt": SUN, "cbu": FRI, "cbt": MON})
    now = at(SUN, 20, 0)
    four_hours_ago = now - timedelta(hours=4)
    save_health(
        db,
        ProviderHealth("nbk", OK, four_hours_ago, four_hours_ago, None, 0, now + timedelta(days=1)),
    )
    ahead = now + timedelta(days=1, minutes=5)
    save_health(db, ProviderHealth("cbu", OK, ahead, ahead, None, 0, ahead))
    hold(now)
    code, out, _err = health(config(tmp_path, db), now)
    assert code == 1, out
    assert out.splitlines() == [
        "nbk: nothing polled for 8 intervals (last poll 4h00m ago)",
        "cbu: its last poll is dated 1d in the future (a collector's clock was ahead): "
        "its polling is unknown",
    ]


# `[pairs] watch`: each watched pair beyond the dollar is judged by its official series
# (NBT's RUB/TJS, NBKR's KZT/KGS) as the dollar rates are; the default changes nothing.
WATCH = '[pairs]\nwatch = ["KGS/USD", "TJS/USD", "RUB/TJS", "KZT/KGS"]\n'


def add_pairs(db: Path, fixings: dict[str, tuple[str, date]]) -> None:
    database = open_database(f"sqlite:///{db}")
    fetched = datetime(2026, 11, 27, tzinfo=UTC)
    try:
        Repository(database).add_observations(
            [
                Observation(p, pair[:3], pair[4:], day, Decimal("0.1"), False, fetched)
                for pair, (p, day) in fixings.items()
            ]
        )
    finally:
        database.dispose()


def test_watched_pairs_are_judged_by_their_official_series(tmp_path: Path, db: Path, hold) -> None:
    store(db, {"nbkr": MON, "nbk": SUN, "nbt": SUN, "cbu": FRI, "cbt": MON})
    add_pairs(db, {"RUB/TJS": ("nbt", SUN), "KZT/KGS": ("nbkr", MON)})
    now = at(SUN, 20, 0)
    hold(now)
    cfg = config(tmp_path, db, WATCH)
    code, out, err = health(cfg, now)
    assert (code, err) == (0, ""), out
    assert out.rstrip().endswith(
        "fresh: nbkr, nbk, nbt, cbu, cbt; pairs: RUB/TJS (nbt), KZT/KGS (nbkr)"
    )
    code, out, _ = health(cfg, now, "--json")
    sources = json.loads(out)["sources"]
    assert [(s["provider"], s["pair"], s["as_of"]) for s in sources[-2:]] == [
        ("nbt", "RUB/TJS", SUN.isoformat()),
        ("nbkr", "KZT/KGS", MON.isoformat()),
    ]
    assert sources[0]["pair"] == "USD/KGS"


def test_a_watched_pair_stale_or_never_stored_is_a_reason(tmp_path: Path, db: Path, hold) -> None:
    store(db, {"nbkr": TUE, "nbk": TUE, "nbt": TUE, "cbu": TUE, "cbt": TUE})
    add_pairs(db, {"RUB/TJS": ("nbt", FRI)})  # NBT publishes every day
    now = at(TUE, 12, 0)
    hold(now)
    code, out, _ = health(config(tmp_path, db, WATCH), now)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("nbt RUB/TJS: stale since ")
    assert lines[1] == "nbkr: no KZT/KGS fixing stored yet"
    code, out, _ = health(config(tmp_path, db, WATCH), now, "--json")
    record = json.loads(out)
    assert record["status"] == "degraded"
    assert [s["pair"] for s in record["sources"] if s["stale"]] == ["RUB/TJS", "KZT/KGS"]


def test_without_pairs_health_is_as_before(tmp_path: Path, db: Path, hold) -> None:
    store(db, {"nbkr": MON, "nbk": SUN, "nbt": SUN, "cbu": FRI, "cbt": MON})
    add_pairs(db, {"RUB/TJS": ("nbt", FRI)})  # stored, not watched: not judged
    now = at(SUN, 20, 0)
    hold(now)
    code, out, _ = health(config(tmp_path, db), now)
    assert code == 0 and out.rstrip().endswith("fresh: nbkr, nbk, nbt, cbu, cbt")
    _, out, _ = health(config(tmp_path, db), now, "--json")
    assert [s["pair"] for s in json.loads(out)["sources"]] == [
        "USD/KGS", "USD/KZT", "USD/TJS", "USD/UZS", "USD/TMT",
    ]  # fmt: skip
