"""A data table whose changed cell costs its own row, not the table.

Textual's :class:`~textual.widgets.DataTable` keys every render cache (each cell's, each
row's, each line's) by a count of updates that any :meth:`~textual.widgets.DataTable.
update_cell` bumps, and repaints the whole widget: one new rate redraws every cell of every
row. Here a cell whose new content leaves its column's width as it was forgets only its
own cached renders and its row's, and repaints only its row's lines; the rest of the table
is drawn from the caches. A cell that widens or narrows its column goes the table's way
(the columns move: every line changes).

Written against Textual 8's DataTable internals (its caches' keys start with the row's
key, or its line's ``y``); the tests in ``tests/tui/test_row_cache.py`` say when they move.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.render import measure
from textual.widgets import DataTable
from textual.widgets._data_table import ColumnKey, RowKey, default_cell_formatter


class RowCachedTable(DataTable[Text]):
    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Text,
        *,
        update_width: bool = False,
    ) -> None:
        """As the DataTable's, but only the cell's row is drawn again when the column's
        width holds (``update_width`` or not: a width that would move goes the table's
        way, all of it drawn again)."""
        row = RowKey(row_key) if isinstance(row_key, str) else row_key
        column = ColumnKey(column_key) if isinstance(column_key, str) else column_key
        index = self._row_locations.get(row)
        if index is None or column not in self._column_locations or not self.is_mounted:
            super().update_cell(row, column, value, update_width=update_width)
            return
        if update_width and not self._width_holds(row, column, value):
            super().update_cell(row, column, value, update_width=True)
            return
        self._data[row][column] = value
        self._forget_row(row, index, column)
        self.refresh_row(index)

    def _width_holds(self, row: RowKey, column: ColumnKey, value: Text) -> bool:
        """Whether the column's width stays what it is with ``value`` in the cell (as
        the DataTable measures it: the widest of its cells and its label)."""
        col = self.columns[column]
        height = self.rows[row].height
        console = self.app.console

        def width(cell: object) -> int:
            return measure(
                console, default_cell_formatter(cell, wrap=height != 1, height=height), 1
            )

        new = width(value)
        if new > col.content_width:
            return False
        if new == col.content_width:
            return True
        # Narrower: the column holds while another cell (or the label) is as wide.
        others = (width(cells[column]) for key, cells in self._data.items() if key != row)
        return max([width(col.label), *others], default=0) >= col.content_width

    def _forget_row(self, row: RowKey, index: int, column: ColumnKey) -> None:
        """Drop the cached renders of ``row`` (of its cell in ``column``, of its
        renderables, of its assembled lines, and of the table lines that show it)."""
        cells: Any = self._cell_render_cache
        for key in [k for k in cells.keys() if k[0] == row and k[1] == column]:
            cells.discard(key)
        renderables: Any = self._row_renderable_cache
        for key in [k for k in renderables.keys() if k[1] == index]:
            renderables.discard(key)
        rows: Any = self._row_render_cache
        for key in [k for k in rows.keys() if k[0] == row]:
            rows.discard(key)
        header = self.header_height if self.show_header else 0
        ys = {header + y for y, (key, _line) in enumerate(self._y_offsets) if key == row}
        lines: Any = self._line_cache
        for key in [k for k in lines.keys() if k[0] in ys]:
            lines.discard(key)
