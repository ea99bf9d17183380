"""Textual's key footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer rebuilds all of its key widgets whenever the screen's bindings
    are updated: three times before the dashboard's first frame, and on every focus
    change after it, though the keys shown are the same. This one rebuilds only when
    what it would show (keys, labels, enabled, tooltips) changed."""

    def __init__(self) -> None:
        super().__init__()
        self._composed: Hashable = None

    def _shown(self) -> Hashable:
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
