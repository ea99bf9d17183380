"""The terminal driver whose keyboard thread sleeps while there is no input
(:mod:`ticker.tui.driver`): its thread reads a pipe here, as it reads the terminal, and
what it posts is collected. Keys, an Escape alone, a sequence, a byte that is not UTF-8,
the end of a piped input, a stop and a start again (a suspend); how long it waits each
time (with no timeout once nothing can be pending); and the app choosing it."""

from __future__ import annotations

import asyncio
import os
import selectors
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from textual import constants, events
from textual.drivers.linux_driver import LinuxDriver

from ticker.config import Settings
from ticker.tui.app import TickerApp
from ticker.tui.driver import TICK, QuietLinuxDriver


class Keyboard:
    """A driver's thread reading a pipe: ``type`` writes to it; ``keys`` is what the
    thread posted; ``timeouts`` how long each of its waits could last."""

    def __init__(self, driver: QuietLinuxDriver, timeouts: list[float | None]) -> None:
        self.driver = driver
        self.timeouts = timeouts
        self.posted: list[object] = []
        self.reader, self.writer = os.pipe()
        driver.fileno = self.reader
        driver.process_message = self.posted.append  # type: ignore[method-assign,assignment]
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self.driver.run_input_thread, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """What ``disable_input`` does: set the exit event, wait, clear it."""
        assert self.thread is not None
        self.driver.exit_event.set()
        self.thread.join(10)
        assert not self.thread.is_alive(), "the keyboard thread did not stop"
        self.driver.exit_event.clear()

    def type(self, data: bytes) -> None:
        os.write(self.writer, data)

    @property
    def keys(self) -> list[str]:
        return [m.key for m in self.posted if isinstance(m, events.Key)]

    def wait(self, until: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + 10  # a generous bound for a stuck thread, not a speed
        while not until():
            assert time.monotonic() < deadline, f"never: {what}"
            time.sleep(0.01)


async def _driver() -> QuietLinuxDriver:
    """A driver made as Textual makes it: in the app's running loop (only kept: what
    the thread posts is collected here, never sent)."""
    return QuietLinuxDriver(object())  # type: ignore[arg-type]  # the app is only kept


@pytest.fixture
def keyboard(monkeypatch: pytest.MonkeyPatch) -> Iterator[Keyboard]:
    timeouts: list[float | None] = []

    class Recording(selectors.SelectSelector):
        def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
            timeouts.append(timeout)
            return super().select(timeout)

    monkeypatch.setattr(selectors, "SelectSelector", Recording)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTSTP, signal.SIGCONT)}
    with open(os.devnull) as stdin:  # the driver asks for the process's stdin
        monkeypatch.setattr(sys, "__stdin__", stdin)
        driver = asyncio.run(_driver())
    board = Keyboard(driver, timeouts)
    try:
        yield board
    finally:
        if board.thread is not None and board.thread.is_alive():
            board.stop()
        driver.close()
        for fd in (board.reader, board.writer):
            try:
                os.close(fd)
            except OSError:
                pass
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def test_with_no_input_it_waits_without_a_timeout_and_a_stop_wakes_it(
    keyboard: Keyboard,
) -> None:
    keyboard.start()
    keyboard.wait(lambda: bool(keyboard.timeouts), "a first wait")
    assert keyboard.timeouts == [None]
    keyboard.stop()
    assert keyboard.timeouts == [None]  # woken once, by the stop, and gone
    assert keyboard.posted == []


def test_keys_and_a_sequence_arrive_in_order(keyboard: Keyboard) -> None:
    keyboard.start()
    keyboard.type(b"q")
    keyboard.type(b"\x1b[B")  # the Down arrow
    keyboard.type("ж".encode())
    keyboard.wait(lambda: len(keyboard.keys) == 3, "three keys")
    assert keyboard.keys == ["q", "down", "ж"]


def test_an_escape_alone_arrives_after_the_escape_delay(keyboard: Keyboard) -> None:
    """Nothing follows the Escape: the parser lets it through on a timeout, which only
    a thread that wakes can see."""
    keyboard.start()
    keyboard.type(b"\x1b")
    keyboard.wait(lambda: keyboard.keys == ["escape"], "the Escape key")


def test_after_input_it_wakes_each_tick_then_sleeps_once_nothing_can_be_pending(
    keyboard: Keyboard,
) -> None:
    now = [1000.0]
    keyboard.driver.clock = lambda: now[0]
    keyboard.start()
    keyboard.wait(lambda: keyboard.timeouts == [None], "the first, quiet wait")
    keyboard.type(b"a")
    # Within the escape delay, each wake-up waits one tick more.
    keyboard.wait(lambda: len(keyboard.timeouts) >= 3, "two waits of a tick after the key")
    assert keyboard.keys == ["a"]
    assert keyboard.timeouts[0] is None
    assert set(keyboard.timeouts[1:]) == {TICK}
    now[0] += constants.ESCAPE_DELAY + TICK  # the delay has passed: nothing is pending
    keyboard.wait(lambda: keyboard.timeouts[-1] is None, "a quiet wait again")
    waits = len(keyboard.timeouts)
    time.sleep(3 * TICK)
    assert len(keyboard.timeouts) == waits  # asleep: no tick since


def test_a_byte_that_is_not_utf8_does_not_end_the_keyboard(keyboard: Keyboard) -> None:
    keyboard.start()
    keyboard.type(b"\xff")
    keyboard.type(b"z")
    keyboard.wait(lambda: "z" in keyboard.keys, "the key after the bad byte")
    assert keyboard.thread is not None and keyboard.thread.is_alive()


def test_the_end_of_a_piped_input_leaves_it_waiting_for_the_stop(
    keyboard: Keyboard,
) -> None:
    keyboard.start()
    keyboard.type(b"x")
    keyboard.wait(lambda: keyboard.keys == ["x"], "the key before the end")
    os.close(keyboard.writer)
    time.sleep(3 * TICK + constants.ESCAPE_DELAY)
    waits = len(keyboard.timeouts)
    time.sleep(3 * TICK)
    assert len(keyboard.timeouts) == waits  # not spinning on the closed pipe
    assert keyboard.timeouts[-1] is None
    keyboard.stop()


def test_stopped_and_started_again_it_reads_on(keyboard: Keyboard) -> None:
    """A suspend stops the thread (the exit event set, then cleared) and starts a new
    one on the same driver: the wake-up of the stop is not left to end the new one."""
    keyboard.start()
    keyboard.type(b"1")
    keyboard.wait(lambda: keyboard.keys == ["1"], "the first key")
    keyboard.stop()
    keyboard.start()
    keyboard.type(b"2")
    keyboard.wait(lambda: keyboard.keys == ["1", "2"], "the key after the restart")
    assert keyboard.thread is not None and keyboard.thread.is_alive()
    keyboard.stop()


def test_the_dashboard_runs_on_it(empty: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constants, "DRIVER", None)
    assert TickerApp(empty, collect=False).driver_class is QuietLinuxDriver


def test_a_driver_named_in_the_environment_is_kept(
    empty: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(constants, "DRIVER", "textual.drivers.linux_driver:LinuxDriver")
    assert TickerApp(empty, collect=False).driver_class is LinuxDriver
