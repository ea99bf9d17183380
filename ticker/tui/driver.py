"""The terminal driver: Textual's own for Linux and macOS, with a keyboard thread that
sleeps until there is something to read.

Textual's driver reads the keyboard in a thread that wakes ten times a second, whether
or not a key came, for two reasons: to see that it should stop, and to let a lone Escape
key through once no sequence follows it (``ESCDELAY``, 0.1 s by default). Ten wake-ups a
second cost a dashboard left open about 0.15% of a core, half of what it does at rest
(``make bench``, the dashboard's CPU while idle).

Here the thread waits with no timeout once the last input is older than the escape
delay (nothing can be pending in the parser then), and stopping wakes it through a pipe
written when the driver's exit event is set. Until then it wakes as often as Textual's
does, so keys, Escape, the mouse, pastes and resizes arrive as before.

This leans on the Linux driver's attributes (``exit_event``, ``fileno``,
``process_message``) and its escape parser (Textual 8); ``tests/tui/test_driver.py``
fails if they change.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Callable
from threading import Event
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import constants
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from textual.app import App

#: How often the thread wakes while a parse can be waiting on its timeout (Textual's).
TICK = 0.1
#: Bytes read from the terminal at a time (Textual's).
CHUNK = 4096


class WakingEvent(Event):
    """An event whose ``set`` also writes a byte to a pipe, so that a thread waiting on
    the pipe's read end with ``select`` wakes; ``clear`` empties the pipe."""

    def __init__(self) -> None:
        super().__init__()
        self.reader, self._writer = os.pipe()
        os.set_blocking(self.reader, False)
        os.set_blocking(self._writer, False)

    def set(self) -> None:
        super().set()
        try:
            os.write(self._writer, b"\0")
        except OSError:  # closed, or full of earlier wake-ups: the thread wakes anyway
            pass

    def clear(self) -> None:
        super().clear()
        try:
            while os.read(self.reader, CHUNK):
                pass
        except OSError:  # empty (BlockingIOError), or closed
            pass

    def close(self) -> None:
        for fd in (self.reader, self._writer):
            try:
                os.close(fd)
            except OSError:
                pass


class QuietLinuxDriver(LinuxDriver):
    """Textual's Linux driver whose keyboard thread sleeps while there is no input."""

    #: The thread's clock (a test may pass its own).
    clock: Callable[[], float] = staticmethod(monotonic)

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self.exit_event: WakingEvent = WakingEvent()

    def close(self) -> None:
        super().close()
        self.exit_event.close()

    def run_input_thread(self) -> None:
        """Read the keyboard and post what it says, until the exit event is set."""
        fileno = self.fileno
        wake = self.exit_event.reader
        parser = XTermParser(self._debug)
        # A byte that is not UTF-8 becomes U+FFFD: never the end of the keyboard.
        decode = getincrementaldecoder("utf-8")(errors="replace").decode
        settle = constants.ESCAPE_DELAY + TICK  # after that, the parser holds nothing
        last_input = float("-inf")
        reading = True
        with selectors.SelectSelector() as selector:
            selector.register(fileno, selectors.EVENT_READ)
            selector.register(wake, selectors.EVENT_READ)
            while not self.exit_event.is_set():
                waiting = self.clock() - last_input < settle
                for key, _mask in selector.select(TICK if waiting else None):
                    if key.fd != fileno:
                        continue
                    data = os.read(fileno, CHUNK)
                    if not data:  # the end of a piped input: only the exit event is left
                        selector.unregister(fileno)
                        reading = False
                        break
                    last_input = self.clock()
                    for message in parser.feed(decode(data)):
                        self.process_message(message)
                for message in parser.tick():
                    self.process_message(message)
        if reading:
            for message in parser.feed(decode(b"", final=True)):
                self.process_message(message)
        try:
            for _message in parser.feed(""):
                pass
        except (EOFError, ParseError):
            pass
