"""The alerts panel and the provider-health panel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from ticker.display.rules import RuleStanding, describe_rule, rule_status
from ticker.display.states import HEALTH_SYMBOL
from ticker.display.views import relative
from ticker.i18n.words import N_, _, ngettext
from ticker.model.health import FAILING, OK, UNSTABLE, ProviderHealth
from ticker.tui.widgets.readout import Readout

if TYPE_CHECKING:
    from ticker.model.records import StoredRule

#: The rules the panel shows at once; more scroll, and the header says how many more.
VISIBLE_RULES = 5
EMPTY = N_("No alerts yet (a adds one)")
#: The columns' titles.
STATE_TITLE = N_("State")
RULE_TITLE = N_("Alert")


def fit_words(text: str, width: int) -> str:
    """``text`` in ``width`` cells: whole, or cut after a word and ended with `` …``, so a
    number in it is shown whole or not at all (``#7 KGS/USD above …``)."""
    if cell_len(text) <= width:
        return text
    kept = ""
    for word in text.split(" "):
        longer = f"{kept} {word}" if kept else word
        if cell_len(longer) + 2 > width:
            break
        kept = longer
    return f"{kept} …" if kept else "…"


def scroll_header(above: int, below: int) -> str:
    """The Alert column's header: ``Alert``, or the rules scrolled out of sight
    (``Alert  +5 more ↓``, ``Alert  +2 ↑ +3 ↓``)."""
    title = _(RULE_TITLE)
    if above and below:
        return f"{title}  +{above} ↑ +{below} ↓"
    if below:
        return _("{alert}  +{n} more ↓").format(alert=title, n=below)
    if above:
        return _("{alert}  +{n} more ↑").format(alert=title, n=above)
    return title


class _Fit(NamedTuple):
    """The panel's rows as they fit its width: what it draws (redrawn when it changes)."""

    state_width: int
    rule_width: int
    full_width: int
    """What the panel needs to say every rule and state in full."""
    rows: tuple[tuple[str | None, Text, Text], ...]
    """(rule id, its state, the rule in words) per row."""


class AlertsTable(DataTable[Text]):
    """Stored alert rules and where each stands: ``armed``; ``cooling down until 14:32``
    after a firing; ``fired 14:02`` until the condition clears and the rule re-arms;
    ``snoozed until 15:00``; ``disabled``. Fitted to the panel's width at every change and
    resize: the states in short when the rules do not fit (``cool ↦ 14:32``), then the
    rules cut after a whole word (`` …``), never inside a number. It takes no more width
    than its rules need in full (the providers panel beside it takes the rest). Past
    :data:`VISIBLE_RULES` rules it scrolls, and its header says how many are out of sight."""

    DEFAULT_CSS = f"""
    AlertsTable {{ max-height: {VISIBLE_RULES + 1}; overflow-x: hidden; }}
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self.rules: list[StoredRule] = []
        self.warn_style = "yellow"
        self._now: datetime | None = None
        self._shown: _Fit | None = None

    def show(self, rules: list[StoredRule], now: datetime) -> None:
        """Redraw only when what the rows say changed (a rule, or where it stands at
        ``now``: a cooldown ends with the clock); the cursor stays on the same rule."""
        self.rules = list(rules)
        self._now = now
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        self._draw()
        self._say_hidden()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._say_hidden()

    def _draw(self) -> None:
        if self._now is None:
            return
        fit = self._fit(self.size.width, self._now)
        if fit == self._shown:
            return
        if self._shown is None or fit.full_width != self._shown.full_width:
            self.styles.max_width = fit.full_width  # a narrower panel resizes: drawn again
        keep = self.selected.id if self.selected is not None else None
        self._shown = fit
        # Columns go too: a column keeps the widest cell it ever held otherwise.
        self.clear(columns=True)
        self.add_column(_(STATE_TITLE), key="state", width=fit.state_width)
        self.add_column(_(RULE_TITLE), key="rule", width=fit.rule_width)
        for key, state, rule in fit.rows:
            self.add_row(state, rule, key=key)
        ids = [r.id for r in self.rules]
        if keep in ids:
            self.move_cursor(row=ids.index(keep))
        self.call_after_refresh(self._say_hidden)

    def _fit(self, width: int, now: datetime) -> _Fit:
        """The rows in ``width`` cells (0: not laid out yet, every word)."""
        rules = self.rules
        around = 4 * self.cell_padding  # two columns, padded on both sides
        if len(rules) > VISIBLE_RULES:
            around += self.styles.scrollbar_size_vertical
        room = width - around
        hidden = max(len(rules) - VISIBLE_RULES, 0)
        headers = [scroll_header(*counts) for counts in ((hidden, hidden), (0, hidden))]
        texts = [describe_rule(r) for r in rules] or [_(EMPTY)]
        rule_width = max(cell_len(t) for t in (*texts, *headers))
        full_width = 0
        for short in (False, True):
            states = [rule_status(r, now, short=short) for r in rules]
            state_width = max(cell_len(t) for t in (_(STATE_TITLE), *(s.text for s in states)))
            full_width = full_width or state_width + rule_width + around
            if width <= 0 or state_width + rule_width <= room:
                break
        if width > 0:
            rule_width = max(min(rule_width, room - state_width), 1)
        if not rules:
            empty = ((None, Text(""), self._empty(rule_width)),)
            return _Fit(state_width, rule_width, full_width, empty)
        rows = tuple(
            (str(r.id), self._state(status.standing, status.text), Text(fit_words(t, rule_width)))
            for r, status, t in zip(rules, states, texts, strict=True)
        )
        return _Fit(state_width, rule_width, full_width, rows)

    @staticmethod
    def _empty(width: int) -> Text:
        return Text(fit_words(_(EMPTY), width), style="dim")

    def _state(self, standing: RuleStanding, text: str) -> Text:
        style = {
            RuleStanding.DISABLED: "dim",
            RuleStanding.SNOOZED: "dim",
            RuleStanding.COOLING: self.warn_style,
            RuleStanding.FIRED: self.warn_style,
        }.get(standing, "")
        return Text(text, style=style)

    def _say_hidden(self) -> None:
        """The header says how many rules are above and below the rows in sight."""
        column = self.columns.get(ColumnKey("rule"))
        if column is None or not self.rules:
            return
        seen = self.scrollable_content_region.height - self.header_height
        if seen <= 0:
            return  # folded away
        above = round(self.scroll_y)
        header = scroll_header(above, max(len(self.rules) - above - seen, 0))
        if column.label.plain != header:
            column.label = Text(header)
            # update_cell is what tells the table to draw again, the header too.
            first = str(self.rules[0].id)
            self.update_cell(first, "state", self.get_cell(first, "state"))

    @property
    def header(self) -> str:
        """The Alert column's header as shown."""
        column = self.columns.get(ColumnKey("rule"))
        return column.label.plain if column is not None else ""

    @property
    def selected(self) -> StoredRule | None:
        if not self.rules or not 0 <= self.cursor_row < len(self.rules):
            return None
        return self.rules[self.cursor_row]


class ProvidersPanel(Readout):
    """One short entry per provider: ``nbk ✓ 3m, next 27m`` or ``cbt ✖ timed out …``;
    sources that fail alike share one (``cbr, nbk ✖ connection refused …``; ``all 11
    sources ✖ …``), as do those polling or not polled yet."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.polling: set[str] = set()

    def show_health(
        self,
        names: list[str],
        health: Mapping[str, ProviderHealth],
        now: datetime,
        colors: dict[str, str],
    ) -> None:
        # Each entry: who, then what is said of them (in parts, each with its style).
        entries: list[tuple[list[str], tuple[tuple[str, str], ...]]] = []
        alike: dict[tuple[tuple[str, str], ...], list[str]] = {}
        for name in names:
            h = health.get(name, ProviderHealth(name))
            said: tuple[tuple[str, str], ...]
            shared = True
            if name in self.polling:
                said = ((_("polling…"), colors["warn"]),)
            elif h.state == OK:
                shared = False  # its own ages
                age = relative(h.last_success, now, suffix=False)
                said = ((f"{HEALTH_SYMBOL[OK]} {age}", colors["ok"]),)
                if h.next_run is not None and h.next_run > now:
                    later = relative(h.next_run, now, suffix=False)
                    said += ((_(", next {age}").format(age=later), "dim"),)
            elif h.state in (FAILING, UNSTABLE):
                mark = HEALTH_SYMBOL[h.state]
                error = h.last_error or _("failed")  # outside the f-string: extracted
                said = ((f"{mark} {error}", colors["down"]),)
            else:
                said = ((_("not polled yet"), "dim"),)
            if shared and said in alike:
                alike[said].append(name)
                continue
            entries.append(([name], said))
            if shared:
                alike[said] = entries[-1][0]
        text = Text()
        for i, (who, said) in enumerate(entries):
            if i:
                text.append(" · ", style="dim")
            style = said[0][1]
            if len(who) == len(names) > 2:
                n = len(names)
                all_of = ngettext("all {n} source", "all {n} sources", n).format(n=n)
                text.append(f"{all_of} ", style=style)
            else:
                text.append(f"{', '.join(who)} ", style=style)
            for part, part_style in said:
                text.append(part, style=part_style)
        self.show(text)  # redrawn only when it changed
