"""The dashboard's snapshot reader (:mod:`ticker.tui.snapshot_reader`): one thread for the
app's life; asks that come during a read are one read after it; stopped on unmount, and
nothing read is handed on after that (the shutdown race the app's handlers guard against
too: ``test_shutdown_race.py``)."""

from __future__ import annotations

import threading

from tests.helpers.dashboard import make_app, settle
from ticker.config import Settings
from ticker.tui.messages import SnapshotLoaded, WorkFailed
from ticker.tui.snapshot_reader import THREAD_NAME, SnapshotReader

WAIT = 10.0  # seconds a test waits on the thread at most (never reached when it works)


def _threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


def test_asks_during_a_read_are_one_read_after_it() -> None:
    reads: list[bool] = []
    going, release = threading.Event(), threading.Event()

    def read(if_changed: bool) -> None:
        reads.append(if_changed)
        going.set()
        assert release.wait(WAIT)

    reader = SnapshotReader(read, lambda err: None)
    reader.ask(True)
    assert going.wait(WAIT)
    reader.ask(True)  # looks, and one whole read asked (a key): one whole read
    reader.ask(False)
    reader.ask(True)
    release.set()
    assert reader.idle(WAIT)
    assert reads == [True, False]
    reader.ask(True)
    reader.ask(True)  # may come during the read of the first, or after it
    assert reader.idle(WAIT)
    assert reads[2:] in ([True], [True, True])
    assert len([t for t in _threads() if t.is_alive()]) >= 1
    reader.stop(WAIT)
    assert not reader.running


def test_a_read_that_raises_is_reported_and_the_reader_reads_on() -> None:
    failures: list[BaseException] = []
    reads: list[bool] = []

    def read(if_changed: bool) -> None:
        reads.append(if_changed)
        if len(reads) == 1:
            raise KeyError("a bug")

    reader = SnapshotReader(read, failures.append)
    reader.ask(False)
    assert reader.idle(WAIT)
    reader.ask(True)
    assert reader.idle(WAIT)
    assert [type(f) for f in failures] == [KeyError] and reads == [False, True]
    reader.stop(WAIT)


def test_once_stopped_nothing_is_read() -> None:
    reads: list[bool] = []
    reader = SnapshotReader(reads.append, lambda err: None)
    reader.stop(WAIT)  # never started: nothing to wait for
    reader.ask(False)
    assert reader.idle(WAIT)
    assert reads == [] and not reader.running


def test_a_read_under_way_when_stopped_hands_nothing_on() -> None:
    handed: list[str] = []
    going, release = threading.Event(), threading.Event()
    reader: SnapshotReader

    def read(if_changed: bool) -> None:
        going.set()
        assert release.wait(WAIT)
        if not reader.stopped:  # what the app's read does before it posts
            handed.append("snapshot")

    reader = SnapshotReader(read, lambda err: None)
    reader.ask(False)
    assert going.wait(WAIT)
    stopper = threading.Thread(target=reader.stop, args=(WAIT,))
    stopper.start()
    while not reader.stopped:
        pass  # the flag is set before stop() waits for the read
    release.set()
    stopper.join(WAIT)
    assert handed == [] and not reader.running


async def test_the_apps_reader_stops_with_the_app_and_posts_nothing_after(
    seeded: Settings,
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.snapshot_reader.running
        assert app.dashboard.snapshot is not None
    assert app.snapshot_reader.stopped and not app.snapshot_reader.running
    posted: list[object] = []
    app.post_message = posted.append
    app._read_snapshot(False)  # a read that would land after the app stopped
    app.load_snapshot()
    assert app.snapshot_reader.idle(WAIT)
    assert not [m for m in posted if isinstance(m, SnapshotLoaded | WorkFailed)]
