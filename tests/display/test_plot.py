"""The plotter's geometry, worked out by hand (:mod:`ticker.display.plot`'s docstring):
a value ``v`` of ``lo..hi`` lands on dot ``round((v - lo) / (hi - lo) * (dots - 1))``,
from the left and from the bottom; a braille cell is 2 dots wide and 4 high, its dots
numbered 1 2 3 7 down the left column (bits 0x01 0x02 0x04 0x40) and 4 5 6 8 down the
right (0x08 0x10 0x20 0x80), the character U+2800 plus the bits. Limits are chosen so
that every scale is a whole number of dots (no rounding of halves in the examples)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from ticker.display.plot import Row, Trace, plot


def plain(rows: list[Row]) -> list[str]:
    return ["".join(text for text, _color in row) for row in rows]


def test_a_rising_line_on_two_cells() -> None:
    # 2 x 1 cells: 4 x 4 dots, 3 dots per unit. (0, 0) -> (3, 3): dots (0,0) (1,1) (2,2) (3,3).
    # Left cell: (0,0) is dot 7 (0x40), (1,1) dot 6 (0x20): 0x60. Right cell: (2,2) dot 2
    # (0x02), (3,3) dot 4 (0x08): 0x0A.
    rows = plot(4, 4, [Trace([0, 1], [0, 1], "red")], xlim=(0, 1), ylim=(0, 1))
    assert rows == [
        [("┌──┐", None)],
        [("│", None), ("\u2860\u280a", "red"), ("│", None)],
        [("└──┘", None)],
        [("    ", None)],
    ]
    assert plain(rows)[1] == "│⡠⠊│"


def test_a_falling_line_over_two_rows() -> None:
    # 2 x 2 cells: 4 x 8 dots; (0, 7) -> (3, 0) steps down a dot a time, right every
    # other one: (0,7) (0,6) (1,5) (1,4) in the top left cell (dots 1 2 6 8: 0xA3),
    # (2,3) (2,2) (3,1) (3,0) in the bottom right one (the same four).
    rows = plot(4, 5, [Trace([0, 1], [1, 0])], xlim=(0, 1), ylim=(0, 1))
    assert plain(rows)[1:3] == ["│⢣ │", "│ ⢣│"]


def test_the_top_and_the_bottom_of_the_range_land_in_the_first_and_last_rows() -> None:
    # 4 x 3 cells: x 0..1 over dots 0..7, y 0..10 over dots 0..11 (1.1 a unit).
    points = Trace([0, 1], [0, 10], mark="o", joined=False)
    rows = plot(6, 6, [points], xlim=(0, 1), ylim=(0, 10))
    assert plain(rows)[1:4] == ["│   o│", "│    │", "│o   │"]


def test_points_outside_the_limits_are_left_out_never_wrapped() -> None:
    outside = Trace([0, 2, 0.5, 0.5], [0, 0, -1, 2], mark="o", joined=False)
    rows = plot(6, 5, [outside], xlim=(0, 1), ylim=(0, 1))
    assert plain(rows)[1:3] == ["│    │", "│o   │"]  # x = 2 is not in the next row


def test_a_line_leaving_the_plot_is_cut_at_its_edge() -> None:
    # (0, 0) -> (2, 2) on 0..1: the part inside is the rising line of the first test.
    assert plain(plot(4, 4, [Trace([0, 2], [0, 2])], xlim=(0, 1), ylim=(0, 1)))[1] == "│⡠⠊│"
    # Straight up, far out: only the left dot column of the first cell (dots 1 2 3 7).
    steep = plot(4, 4, [Trace([0, 1], [0, 1e300])], xlim=(0, 1), ylim=(0, 1))
    assert plain(steep)[1] == "│⡇ │"
    huge = plot(4, 4, [Trace([0, 1], [0, 1.7e308])], xlim=(0, 1), ylim=(0, 1))  # inf dots
    assert plain(huge)[1] == "│⡇ │"
    # Wholly outside: nothing.
    assert plain(plot(4, 4, [Trace([2, 3], [0, 0])], xlim=(0, 1), ylim=(0, 1)))[1] == "│  │"


def test_a_missing_value_breaks_the_line() -> None:
    # x 0..2 over dots 0..3 (1.5 a unit): the ends are dots (0, 0) and (3, 3), alone.
    for missing in (math.nan, math.inf):
        line = Trace([0, 1, 2], [0, missing, 1])
        assert plain(plot(4, 4, [line], xlim=(0, 2), ylim=(0, 1)))[1] == "│⡀⠈│"


def test_nothing_to_draw_draws_the_frame() -> None:
    assert plain(plot(6, 4, [])) == ["┌────┐", "│    │", "└────┘", "      "]
    assert plain(plot(6, 4, [Trace([], [])]))[1] == "│    │"


def test_one_point_or_one_value_goes_in_the_middle() -> None:
    # 5 on 4..6 (its range widened by 1 each way): dot 1.5 of 0..3, rounded up to 2.
    assert plain(plot(4, 4, [Trace([5], [7])]))[1] == "│ ⠂│"
    # low == high: y 3 on 2..4 is dot 2 (dot 2 of a cell: 0x02 on the left, 0x10 right).
    assert plain(plot(4, 4, [Trace([0, 1], [3, 3])], xlim=(0, 1), ylim=(3, 3)))[1] == "│⠒⠒│"


def test_the_smallest_plot_is_one_cell() -> None:
    # 0 on -1..1: x dot 1 of 0..1 (the right column), y dot 2 of 0..3 (the second row): 0x10.
    assert plain(plot(3, 4, [Trace([0], [0])])) == ["┌─┐", "│⠐│", "└─┘", "   "]
    assert len(plain(plot(5, 4, [], yticks=[(0, "10")], ylim=(0, 1)))[1]) == 5
    for width, height in ((2, 4), (3, 3)):
        with pytest.raises(ValueError):
            plot(width, height, [])
    with pytest.raises(ValueError):  # the labels leave no column
        plot(4, 4, [], yticks=[(0, "10")], ylim=(0, 1))


def test_y_ticks_at_their_rows_right_aligned() -> None:
    # 3 rows: dots 0..11, 1.1 a unit: 0 -> dot 0 (row 3), 5 -> 5.5 (dot 6, row 2),
    # 10 -> 11 (row 1); 11 is off the range, left out (and not counted in the width).
    ticks = [(0, "0"), (5, "5.0"), (10, "10"), (11, "wide label")]
    rows = plot(6, 6, [], yticks=ticks, xlim=(0, 1), ylim=(0, 10))
    assert plain(rows) == ["   ┌─┐", " 10┤ │", "5.0┤ │", "  0┤ │", "   └─┘", "      "]


def test_a_russian_tick_label_is_written_as_given() -> None:
    rows = plot(12, 5, [], yticks=[(9.4, "9,4"), (5.0, "5,0")], ylim=(5.0, 9.4))
    assert plain(rows)[1:3] == ["9,4┤       │", "5,0┤       │"]


def test_x_ticks_at_their_columns_labels_centred_under_them() -> None:
    # 12 columns: dots 0..23 over 0..23, one a unit: 0 -> column 0, 12 -> 6, 23 -> 11.
    ticks = [(0, "a"), (12, "mid"), (23, "end")]
    rows = plot(14, 4, [], xticks=ticks, xlim=(0, 23), ylim=(0, 1))
    assert plain(rows)[2:] == ["└┬─────┬────┬┘", " a    mid  end"]
    # A label that would touch the one before is left out; its tick stays.
    crowded = plot(14, 4, [], xticks=[(0, "abc"), (2, "def")], xlim=(0, 23), ylim=(0, 1))
    assert plain(crowded)[2:] == ["└┬┬──────────┘", "abc           "]


def test_dates_across_new_year() -> None:
    # 20 Dec 2025 to 10 Jan 2026 is 21 days; 32 columns are 64 dots, 3 a day.
    # 1 Jan 2026 is 12 days in: dot 36, column 18; 10 Jan: dot 63, column 31.
    first, new_year, last = date(2025, 12, 20), date(2026, 1, 1), date(2026, 1, 10)
    ticks = [(first.toordinal(), "20 Dec"), (new_year.toordinal(), "01 Jan")]
    ticks.append((last.toordinal(), "10 Jan"))
    days = Trace([d.toordinal() for d in (first, new_year, last)], [0] * 3, mark="o", joined=False)
    rows = plot(34, 4, [days], xticks=ticks, xlim=(first.toordinal(), last.toordinal()))
    assert plain(rows)[1] == "│o" + " " * 17 + "o" + " " * 12 + "o│"
    assert plain(rows)[2] == "└┬" + "─" * 17 + "┬" + "─" * 12 + "┬┘"
    assert plain(rows)[3] == "20 Dec" + " " * 10 + "01 Jan" + " " * 6 + "10 Jan"


def test_dates_across_29_february() -> None:
    # 20 Feb 2028 to 10 Mar 2028 is 19 days (2028 is a leap year); 29 columns are 58
    # dots, 3 a day. 29 Feb is 9 days in: dot 27, column 13; 1 Mar: dot 30, column 15;
    # 10 Mar: dot 57, column 28.
    days = [date(2028, 2, 20), date(2028, 2, 29), date(2028, 3, 1), date(2028, 3, 10)]
    marks = Trace([d.toordinal() for d in days], [0] * 4, mark="o", joined=False)
    labels = ["20 Feb", "29 Feb", "01 Mar", "10 Mar"]
    ticks = [(d.toordinal(), label) for d, label in zip(days, labels, strict=True)]
    rows = plot(31, 4, [marks], xticks=ticks, xlim=(days[0].toordinal(), days[-1].toordinal()))
    assert plain(rows)[1] == "│o" + " " * 12 + "o o" + " " * 12 + "o│"
    assert plain(rows)[2] == "└┬" + "─" * 12 + "┬─┬" + "─" * 12 + "┬┘"
    # 1 Mar's label would touch 29 Feb's: left out.
    assert plain(rows)[3] == "20 Feb" + " " * 5 + "29 Feb" + " " * 8 + "10 Mar"


def test_the_cursor_line_under_the_series_and_through_the_frame() -> None:
    # 4 columns, 1 dot a unit: the cursor at 4 is column 2; the line along y = 0 from
    # x 0 to 3 fills the bottom dots of columns 0 and 1 (0x40 | 0x80).
    line = Trace([0, 3], [0, 0], "red")
    rows = plot(6, 5, [line], xlim=(0, 7), ylim=(0, 1), cursor=(4, "grey"), xticks=[(4, "x")])
    assert rows[0] == [("┌──", None), ("┬", "grey"), ("─┐", None)]
    assert rows[1] == [("│  ", None), ("│", "grey"), (" │", None)]
    assert rows[2] == [("│", None), ("⣀⣀", "red"), ("│", "grey"), (" │", None)]
    assert rows[3] == [("└──", None), ("┼", "grey"), ("─┘", None)]  # on a tick
    over = plot(6, 5, [Trace([0, 7], [0, 0], "red")], xlim=(0, 7), ylim=(0, 1), cursor=(4, None))
    assert plain(over)[2] == "│⣀⣀⣀⣀│"  # a series drawn over the cursor's line
    assert plain(over)[3] == "└──┴─┘"


def test_a_cell_keeps_the_last_series_drawn_in_it() -> None:
    low = Trace([0, 1], [0, 0], "red")  # the bottom dots (0x40 0x80)
    high = Trace([0, 1], [1, 1], "blue")  # the top dots (0x01 0x08)
    rows = plot(4, 4, [low, high], xlim=(0, 1), ylim=(0, 1))
    assert rows[1] == [("│", None), ("⠉⠉", "blue"), ("│", None)]


def test_marked_points_are_never_joined_a_marked_line_is() -> None:
    # 4 columns over 0..3, 7 dots: 0 -> column 0, 3 -> dot 7, column 3.
    points = Trace([0, 3], [0, 0], "red", mark="◆", joined=False)
    assert plain(plot(6, 4, [points], xlim=(0, 3), ylim=(0, 1)))[1] == "│◆  ◆│"
    line = Trace([0, 3], [0, 0], "red", mark="x")
    assert plain(plot(6, 4, [line], xlim=(0, 3), ylim=(0, 1)))[1] == "│xxxx│"


def test_the_legend_names_each_labelled_series_at_the_top_left() -> None:
    actual = Trace([0, 1], [0, 0], "cyan", label="actual")
    forecast = Trace([1, 2], [0, 0], "yellow", mark="x", label="forecast")
    reported = Trace([2], [0], "red", mark="◆", joined=False, label="reported")
    rows = plot(20, 6, [actual, forecast, reported], xlim=(0, 2), ylim=(0, 1))
    assert plain(rows)[1:3] == ["│ ━━ actual        │", "│ xx forecast      │"]
    assert rows[1][:3] == [("│ ", None), ("━━", "cyan"), (" actual        │", None)]
    assert plain(rows)[3][2:12] == "◆ reported"  # over the lines' first cells
    cut = plot(8, 4, [Trace([], [], "cyan", label="actual")], xlim=(0, 2), ylim=(0, 1))
    assert plain(cut)[1] == "│ ━━ ac│"  # 6 columns: the first blank, then 5 of the legend


def test_the_lines_stop_short_of_the_legend() -> None:
    # The line along the top (dots 1 and 4 of each cell) runs under a box: a blank, the
    # legend, a blank.
    top = Trace([0, 2], [1, 1], "cyan", label="actual")
    rows = plot(20, 4, [top], xlim=(0, 2), ylim=(0, 1))
    assert plain(rows)[1] == "│ ━━ actual " + "⠉" * 7 + "│"
