"""The dashboard's keys: one table, in the footer's order (the help words each one:
:data:`ticker.tui.screens.help.DESCRIPTIONS`; ``[keys]`` in config.toml remaps them by
action). Four are the App's and work on every screen; the others act on the dashboard's
rates, chart and alerts, are its screen's, and do nothing while another screen is in
front of it."""

from __future__ import annotations

from textual.binding import Binding, BindingType

#: Each key: its action, its default key, its word in the footer, whether the footer shows it.
KEYS: tuple[tuple[str, str, str, bool], ...] = (
    ("quit", "q", "Quit", True),
    ("add_alert", "a", "Alert", True),
    ("export", "e", "Export", True),
    ("flip", "f", "Flip", True),
    ("refresh", "r", "Refresh", True),
    ("cycle_range", "c", "Range", True),
    ("cycle_change", "w", "Change", False),
    ("indicators", "i", "Indicators", True),
    ("convert", "x", "Convert", False),
    ("overlay", "o", "Overlay", False),
    ("detail", "enter", "Detail", False),
    ("delete_alert", "d", "Delete alert", False),
    ("edit_alert", "E", "Edit alert", False),
    ("toggle_alert", "p", "Pause alert", False),
    ("snooze_alert", "z", "Snooze alert", False),
    ("theme", "t", "Theme", False),
    ("help", "question_mark", "Help", True),
    ("down", "j", "Down", False),
    ("up", "k", "Up", False),
)
#: The App's keys: they work on every screen.
APP_WIDE = frozenset({"quit", "refresh", "theme", "help"})
#: The dashboard screen's keys: they act on its rates, chart and alerts.
MAIN_SCREEN_ONLY = frozenset(action for action, *_ in KEYS) - APP_WIDE


def bindings(screen: bool) -> list[BindingType]:
    """The App's bindings, or (``screen``) the dashboard screen's. Textual's footer lists
    a screen's keys before the App's: the dashboard screen binds every key, the App's sent
    on to the App, so that its footer keeps the table's order (the App's own bindings
    answer on the other screens)."""
    return [
        Binding(key, f"app.{action}" if screen and action in APP_WIDE else action, label,
                show=show, id=action)
        for action, key, label, show in KEYS
        if screen or action in APP_WIDE
    ]  # fmt: skip
