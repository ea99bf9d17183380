"""Pair detail: every provider's latest value, its deviation, and quarantined values; the
pair's market (each channel's best sell and buy at the banks, as the boards publish the
pair) and the rates reported by hand, where the store has them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ticker.display.format import format_percent, format_precision, format_rate
from ticker.display.names import provider_word
from ticker.display.quarantine import held_line
from ticker.display.views import provenance_text
from ticker.i18n.dates import day_month
from ticker.i18n.words import N_, _
from ticker.model.pairs import Orientation, Pair, pair_for
from ticker.model.snapshot import PairDetail

if TYPE_CHECKING:
    from ticker.model.monetary import MonetaryView

#: The reported rates the detail lists (the newest).
REPORTED_SHOWN = 5
#: The sources table's columns.
COLUMNS = (N_("Source"), N_("Rate"), "±", N_("As of"), N_("Kind"), N_("Route"), N_("vs shown"))


class DetailScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,enter", "dismiss", N_("Close"))]
    DEFAULT_CSS = """
    DetailScreen { align: center middle; }
    DetailScreen > Vertical { width: 90%; max-width: 110; height: auto; max-height: 90%;
                              border: round $accent; background: $surface; padding: 0 1; }
    DetailScreen DataTable { height: auto; max-height: 14; }
    """

    def __init__(
        self,
        detail: PairDetail,
        orientation: Orientation,
        digits: int,
        monetary: MonetaryView | None = None,
    ) -> None:
        """``monetary``: the policy rate and inflation of the pair's local side(s)."""
        super().__init__()
        self.detail = detail
        self.orientation = orientation
        self.digits = digits
        self.monetary = monetary

    @property
    def pair(self) -> Pair:
        """The pair as shown: a pair beyond the dollar's own way, else the orientation's."""
        return self.detail.pair or pair_for(self.detail.local, self.orientation)

    def compose(self) -> ComposeResult:
        pair = self.pair
        with Vertical():
            yield Static(Text(_("{pair}: every source").format(pair=pair), style="bold"))
            table: DataTable[Text] = DataTable(id="sources", cursor_type="row")
            yield table
            yield Static(self._provenance_text(), id="provenance")
            yield Static(self._crosses_text(), id="crosses")
            if self.monetary is not None:
                yield Static(self._monetary_text(), id="monetary")
            yield Static(self._quarantine_text(), id="quarantined")
            if self.detail.market or self.detail.reported:
                yield Static(self._market_text(), id="market")
            yield Static(Text(_("Escape closes"), style="dim"))

    def on_mount(self) -> None:
        table = self.query_one("#sources", DataTable)
        for name in COLUMNS:
            table.add_column(_(name))
        for row in self.detail.rows:
            deviation = (
                _("shown")
                if row.routed
                else (format_percent(row.deviation_pct) if row.deviation_pct is not None else "-")
            )
            table.add_row(
                Text(provider_word(row.provider), style="bold" if row.routed else ""),
                Text(format_rate(row.rate, self.digits), justify="right"),
                Text(format_precision(row.precision_pct), style="dim"),
                Text(row.as_of.isoformat()),  # a source's day, the same in every language
                Text(
                    _("derived") if row.derived_from else provenance_text(row.derived, None),
                    style="italic" if row.derived_from else "",
                ),
                Text(
                    str(row.route) if row.route else _("not routed"),
                    style="" if row.route else "dim",
                ),
                Text(deviation, justify="right"),
            )

    def _provenance_text(self) -> Text:
        """One line per source whose value is another's number (``CBR: derived from NBKR
        via RUB``): it is shown, never counted as a confirmation nor taken as a fallback."""
        lines = [
            _("{source}: {provenance} (not an independent source)").format(
                source=provider_word(row.provider),
                provenance=provenance_text(row.derived, row.derived_from),
            )
            for row in self.detail.rows
            if row.derived_from is not None
        ]
        return Text("\n".join(lines), style="italic")

    def _crosses_text(self) -> Text:
        """``KZT/KGS = 0.18266 · KZT/TJS = ...``: in the screen's orientation, the local
        currency against each other one (``KGS/KZT = 5.4748`` flipped)."""
        if self.detail.pair is not None:
            return self._via_text()
        if not self.detail.crosses:
            return Text(_("No crosses (the other pairs have no rate stored)."), style="dim")
        local = self.detail.local
        parts = []
        for other, per_local in self.detail.crosses:
            if self.orientation is Orientation.USD_PER:
                parts.append(f"{local}/{other} = {format_rate(per_local, self.digits)}")
            else:
                parts.append(f"{other}/{local} = {format_rate(1 / per_local, self.digits)}")
        return Text(_("Crosses via USD: {crosses}").format(crosses=" · ".join(parts)))

    def _via_text(self) -> Text:
        """A pair beyond the dollar shown as a cross: the stored rates it is made from
        (``Shown via USD: NBK USD/KZT 478.77 04 Dec · NBKR USD/KGS 87.45 05 Dec``)."""
        via = self.detail.via
        if not via:
            shown = any(row.routed for row in self.detail.rows)
            words = _("Shown: the source's own quote (direct).") if shown else _("No rate shown.")
            return Text(words, style="dim")
        legs = " · ".join(
            f"{provider_word(leg.provider)} {leg.pair} {format_rate(leg.rate, self.digits)} "
            f"{day_month(leg.as_of)}"
            for leg in via
        )
        return Text(_("Shown via USD (a cross): {legs}").format(legs=legs))

    def _monetary_text(self) -> Text:
        """The local policy rate with its last decision, the latest inflation and the
        real rate (:func:`ticker.display.monetary_screen.detail_lines`)."""
        from ticker.display.monetary_screen import detail_lines

        assert self.monetary is not None
        text = Text()
        for line in detail_lines(self.monetary):  # a country's name in bold, then its lines
            text.append(line + "\n", style="" if line.startswith(" ") else "bold")
        text.rstrip()
        return text

    def _quarantine_text(self) -> Text:
        if not self.detail.quarantined:
            return Text(_("No quarantined values."), style="dim")
        pair = self.pair
        text = Text(_("Quarantined (never shown as rates):") + "\n", style="bold")
        for held in self.detail.quarantined[:8]:
            o = held.observation
            line = held_line(held, pair, self.digits)
            text.append(f"  {provider_word(o.provider)} {o.as_of.isoformat()} {line}\n")
        return text

    def _market_text(self) -> Text:
        """Each channel's line (:func:`~ticker.display.market.market_line`), the reported
        rates (the newest few), and what the rates table's market column says."""
        from ticker.display.market import MARKET_LEGEND, market_line, reported_line

        detail = self.detail
        text = Text()
        if detail.market and detail.market_at is not None:
            first = detail.market[0]
            said = _("Market {pair}, as the boards publish it:").format(pair=first.pair)
            text.append(said + "\n", style="bold")
            for summary in detail.market:
                line = market_line(summary, detail.market_official, detail.market_at, self.digits)
                text.append(f"  {line}\n", style="dim" if summary.stale else "")
        for reported in detail.reported[:REPORTED_SHOWN]:
            line = reported_line(reported, self.digits, self.pair)
            text.append(f"  {line}\n", style="italic")
        text.append(_(MARKET_LEGEND), style="dim")
        return text
