"""Textual's key footer, fitted to the terminal's width and rebuilt only when the keys it
shows change."""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ticker.i18n.words import N_, _
from ticker.tui.keys import ALWAYS_SHOWN, KEYS

#: The table's keys in its order (a screen's own keys come before them).
ORDER = {action: i for i, (action, *_rest) in enumerate(KEYS)}
#: The command palette's key at the right end (``▏^p palette``), in either style.
PALETTE_WIDTH = 12
#: Textual's words for the palette's key (its binding's description and tooltip), marked
#: here so that they are said in the user's language.
TEXTUAL_WORDS = (N_("palette"), N_("Open the command palette"))


def said(text: str) -> str:
    """A binding's description or tooltip in the user's language: every binding's is
    marked where it is written (``N_``), and said here, as the footer shows it."""
    return _(text) if text else text


class FooterEntry(NamedTuple):
    """One key in the footer."""

    binding: Binding
    display: str
    enabled: bool
    tooltip: str

    def width(self, compact: bool) -> int:
        """Its cells: `` q Quit `` (two cells around the key, one after the word), or
        compact ``q Quit`` and the one-cell margin after it."""
        return cell_len(self.display) + cell_len(self.description) + (2 if compact else 3)

    @property
    def description(self) -> str:
        """Its word, in the user's language."""
        return said(self.binding.description)


def fitting(keys: list[FooterEntry], width: int) -> tuple[bool, list[FooterEntry]]:
    """As many of ``keys`` as ``width`` cells hold, in their order, always those of
    :data:`ticker.tui.keys.ALWAYS_SHOWN` (dropped last): the first ones up to the first
    that no longer fits. Spaced as Textual spaces them, unless the compact spacing
    (one cell between two keys instead of two) holds more of them. Returns whether
    compact, and the keys."""

    def take(compact: bool) -> list[FooterEntry]:
        room = width + (1 if compact else 0)  # the last one's margin may go under the edge
        pinned = [k for k in keys if k.binding.id in ALWAYS_SHOWN]
        room -= sum(k.width(compact) for k in pinned)
        chosen = set(map(id, pinned))
        for key in keys:
            if id(key) in chosen:
                continue
            if key.width(compact) > room:
                break
            room -= key.width(compact)
            chosen.add(id(key))
        kept = [k for k in keys if id(k) in chosen]
        while room < 0 and kept:  # not even the pinned ones fit: the first of them stay
            room += kept.pop().width(compact)
        return kept

    spaced, compact = take(False), take(True)
    return (True, compact) if len(compact) > len(spaced) else (False, spaced)


class KeyFooter(Footer):
    """Textual's footer, with two changes. It shows as many keys as the screen's width
    holds (:func:`fitting`), in the bindings' order, the help key always. And it rebuilds
    its key widgets only when what it shows (keys, labels, enabled, tooltips, spacing)
    changed: Textual's rebuilds them whenever the screen's bindings are updated, three
    times before the dashboard's first frame and on every focus change after it, though
    the keys shown are the same."""

    class Shown(Message):
        """The keys are on the screen for the first time: the first frame is complete
        (Textual's footer shows them a frame after the rest, once the bindings are in)."""

    def __init__(self) -> None:
        super().__init__()
        self._composed: Hashable = None
        self._announced = False

    def _palette(self) -> FooterEntry | None:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if active is None:
            return None
        _node, binding, enabled, tooltip = active
        return FooterEntry(binding, self.app.get_key_display(binding), enabled, tooltip)

    def _layout(self) -> tuple[bool, list[FooterEntry], FooterEntry | None]:
        """Compact or not, the keys shown, the palette's key."""
        keys: dict[str, FooterEntry] = {}  # one per action: the first of its keys
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in keys:
                display = self.app.get_key_display(binding)
                keys[binding.action] = FooterEntry(binding, display, enabled, tooltip)
        # (The table's order: a key bound before the focused widget's is first in
        # Textual's list.)
        ordered = sorted(keys.values(), key=lambda k: ORDER.get(k.binding.id or "", -1))
        palette = self._palette()
        width = self.size.width or self.app.size.width
        compact, shown = fitting(ordered, width - (PALETTE_WIDTH if palette else 0))
        return compact, shown, palette

    def _shown(self) -> tuple[bool, tuple[Hashable, ...]]:
        compact, keys, palette = self._layout()
        return compact, tuple(
            (k.binding.key, k.binding.action, k.description, k.enabled, k.tooltip)
            for k in (*keys, *([palette] if palette else []))
        )

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        compact, keys, palette = self._layout()
        self.compact = compact
        for key in keys:
            b = key.binding
            yield FooterKey(
                b.key, key.display, key.description, b.action, not key.enabled,
                said(key.tooltip),
            ).data_bind(compact=Footer.compact)  # fmt: skip
        if palette is not None:
            b = palette.binding
            yield FooterKey(
                b.key, palette.display, palette.description, b.action, not palette.enabled,
                said(b.tooltip) or palette.description, classes="-command-palette",
            )  # fmt: skip

    async def recompose(self) -> None:
        if not self._bindings_ready or not self.is_attached:
            await super().recompose()
            return
        shown = self._shown()
        if shown == self._composed:
            return
        self._composed = shown
        await super().recompose()
        if not self._announced and shown[1]:
            self._announced = True
            self.call_after_refresh(self.post_message, self.Shown())

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and self.is_attached and self._composed is not None:
            self.call_after_refresh(self.recompose)
