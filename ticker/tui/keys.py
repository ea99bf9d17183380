"""The dashboard's keys: one table, in the footer's order. Each key has ONE word, and the
footer, the help (:mod:`ticker.tui.screens.help`), the command palette (its entries'
titles, which are what it searches) and the README's key list all say that word
(``tests/tui/test_keys.py`` holds the README to it). ``[keys]`` in config.toml remaps
them by action. Four are the App's and work on every screen; the others act on the
dashboard's rates, chart and alerts, are its screen's, and do nothing while another
screen is in front of it."""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.keys import format_key

from ticker.i18n.words import N_

#: Each key: its action, its default key, its word (marked: the footer, the help and the
#: palette say it in the user's language), whether the footer shows it when it has room
#: (:mod:`ticker.tui.widgets.footer` keeps as many as fit, in this order, and always the
#: :data:`ALWAYS_SHOWN`).
KEYS: tuple[tuple[str, str, str, bool], ...] = (
    ("quit", "q", N_("Quit"), True),
    ("add_alert", "a", N_("Alert"), True),
    ("export", "e", N_("Export"), True),
    ("flip", "f", N_("Flip"), True),
    ("refresh", "r", N_("Refresh"), True),
    ("cycle_range", "c", N_("Range"), True),
    ("cycle_change", "w", N_("Change"), False),
    ("indicators", "i", N_("Indicators"), True),
    ("convert", "x", N_("Convert"), True),
    ("detail", "enter", N_("Detail"), True),
    ("market", "m", N_("Market"), True),
    ("overlay", "o", N_("Overlay"), True),
    ("theme", "t", N_("Theme"), True),
    ("delete_alert", "d", N_("Delete alert"), False),
    ("edit_alert", "E", N_("Edit alert"), False),
    ("toggle_alert", "p", N_("Disable alert"), False),
    ("snooze_alert", "z", N_("Snooze alert"), False),
    ("backfill", "b", N_("Backfill"), False),
    ("help", "question_mark", N_("Help"), True),
    ("down", "j", N_("Down"), False),
    ("up", "k", N_("Up"), False),
)
#: What each key does, in the help's order (its first words follow the key's word).
DESCRIPTIONS: dict[str, str] = {
    "up": N_("select the pair above (also ↑)"),
    "down": N_("select the pair below (also ↓)"),
    "detail": N_("pair detail: every source's value, deviations, quarantined values"),
    "cycle_range": N_("chart range: 1M → 3M → 1Y → 5Y → All"),
    "cycle_change": N_("changes over: the previous fixing → 1W → 1M → YTD → 1Y"),
    "overlay": N_("chart: overlay every source of the pair / only the one shown"),
    "flip": N_("flip: the dollar pairs together (KGS/USD ↔ USD/KGS), another pair alone"),
    "add_alert": N_("add an alert rule"),
    "delete_alert": N_("delete the selected alert rule (asks first)"),
    "edit_alert": N_("edit the selected alert rule (the form, filled in)"),
    "toggle_alert": N_("disable the selected alert rule (it fires nothing), or enable it again"),
    "snooze_alert": N_("snooze the selected alert rule (15 minutes to a week), or end its snooze"),
    "export": N_("export the selected pair or everything to CSV"),
    "convert": N_("convert an amount between the five currencies and USD"),
    "refresh": N_("poll every source now"),
    "indicators": N_("economic indicators of the five countries (Escape returns)"),
    "market": N_(
        "the market board of the selected pair: banks' and offices' buy and sell, best first "
        "(s side, c channel, u currency, l local currency; Escape returns)"
    ),
    "backfill": N_("backfill a year of history from every source (again, or Escape: stop)"),
    "theme": N_("the next theme (dark and light ones)"),
    "help": N_("this list of keys"),
    "quit": N_("leave the dashboard"),
}
#: Each action's word.
WORDS: dict[str, str] = {action: word for action, _key, word, _show in KEYS}
#: The footer keeps these at any width.
ALWAYS_SHOWN = frozenset({"help"})
#: Keys the palette does not list (moving the selection is not a command).
NOT_IN_PALETTE = frozenset({"up", "down"})
#: The App's keys: they work on every screen.
APP_WIDE = frozenset({"quit", "refresh", "theme", "help"})
#: The dashboard screen's keys: they act on its rates, chart and alerts.
MAIN_SCREEN_ONLY = frozenset(action for action, *_ in KEYS) - APP_WIDE
#: Keys the dashboard screen answers before its focused widget does: the rates table
#: would take ``enter`` for itself (and the footer would not show the detail key).
BEFORE_WIDGETS = frozenset({"detail"})


def key_text(key: str) -> str:
    """A key (or a comma-separated list) as the help, the palette and the README write
    it: ``?``, ``enter``, ``E``, ``ctrl+e``."""
    return " ".join("enter" if one == "enter" else format_key(one) for one in key.split(","))


def bindings(screen: bool) -> list[BindingType]:
    """The App's bindings, or (``screen``) the dashboard screen's. Textual's footer lists
    a screen's keys before the App's: the dashboard screen binds every key, the App's sent
    on to the App, so that its footer keeps the table's order (the App's own bindings
    answer on the other screens)."""
    return [
        Binding(key, f"app.{action}" if screen and action in APP_WIDE else action, word,
                show=show, id=action, priority=screen and action in BEFORE_WIDGETS)
        for action, key, word, show in KEYS
        if screen or action in APP_WIDE
    ]  # fmt: skip
