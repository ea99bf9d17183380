"""A small terminal, enough to see what a redrawn progress display leaves on screen.

It keeps what was written as lines (a line ends at a newline), shown wrapped at the
terminal's width: a line longer than the width takes several rows, as on a real
terminal, and a narrower terminal wraps every line again (reflow, as tmux, VTE, kitty
and most others do). It understands what the progress display sends: text, ``\\n``,
``\\r``, ``ESC[nF`` (up n rows, to their start), ``ESC[J`` (erase to the end of the
screen) and ``ESC[2K`` (erase the row).
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\x1b\[(\d*)([A-Za-z])")


class Terminal:
    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.lines = [""]
        self.line = 0
        self.offset = 0

    def resize(self, columns: int) -> None:
        """A narrower or wider window: every line wraps again at the new width."""
        self.offset -= self.offset % columns  # the cursor stays at its row's start
        self.columns = columns

    def _rows_of(self, text: str) -> int:
        return max(-(-len(text) // self.columns), 1)

    def rows(self) -> list[str]:
        """The screen, row by row (trailing blanks dropped, the empty last row too)."""
        rows = []
        for text in self.lines:
            for i in range(self._rows_of(text)):
                rows.append(text[i * self.columns : (i + 1) * self.columns].rstrip())
        while rows and not rows[-1]:
            rows.pop()
        return rows

    def feed(self, data: str) -> None:
        pos = 0
        for match in _ESCAPE.finditer(data):
            self._text(data[pos : match.start()])
            self._escape(int(match.group(1) or "0"), match.group(2))
            pos = match.end()
        self._text(data[pos:])

    def _text(self, text: str) -> None:
        for ch in text:
            if ch == "\n":
                self.line += 1
                self.offset = 0
                if self.line == len(self.lines):
                    self.lines.append("")
            elif ch == "\r":
                self.offset -= self.offset % self.columns
            else:
                current = self.lines[self.line].ljust(self.offset)
                self.lines[self.line] = current[: self.offset] + ch + current[self.offset + 1 :]
                self.offset += 1

    def _escape(self, n: int, code: str) -> None:
        if code == "F":  # up n rows, to the start of that row
            row = sum(self._rows_of(t) for t in self.lines[: self.line])
            row += self.offset // self.columns
            target = max(row - max(n, 1), 0)
            line = 0
            while target >= self._rows_of(self.lines[line]):
                target -= self._rows_of(self.lines[line])
                line += 1
            self.line, self.offset = line, target * self.columns
        elif code == "J":  # erase from the cursor to the end of the screen
            self.lines[self.line] = self.lines[self.line][: self.offset]
            del self.lines[self.line + 1 :]
        elif code == "K" and n == 2:  # erase the cursor's row
            text = self.lines[self.line]
            start = self.offset - self.offset % self.columns
            blank = " " * min(self.columns, max(len(text) - start, 0))
            self.lines[self.line] = text[:start] + blank + text[start + self.columns :]
        else:
            raise AssertionError(f"unexpected escape sequence ESC[{n}{code}")
