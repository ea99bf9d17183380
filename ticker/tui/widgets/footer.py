"""Textual's key footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable

from textual.message import Message
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer rebuilds all of its key widgets whenever the screen's bindings
    are updated: three times before the dashboard's first frame, and on every focus
    change after it, though the keys shown are the same. This one rebuilds only when
    what it would show (keys, labels, enabled, tooltips) changed."""

    class Shown(Message):
        """The keys are on the screen for the first time: the first frame is complete
        (Textual's footer shows them a frame after the rest, once the bindings are in)."""

    def __init__(self) -> None:
        super().__init__()
        self._composed: Hashable = None
        self._announced = False

    def _shown(self) -> tuple[bool, tuple[Hashable, ...]]:
        palette = self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
        return (
            palette,
            tuple(
                (binding.key, binding.action, binding.description, binding.group, enabled, tip)
                for _node, binding, enabled, tip in self.screen.active_bindings.values()
                if binding.show or (palette and binding.action == "command_palette")
            ),
        )

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
