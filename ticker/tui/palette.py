"""One colour per source on a chart, from the current Textual theme's palette."""

from __future__ import annotations

from textual.color import Color
from textual.theme import Theme

#: The theme's colours a source may take, in this order (the first source gets the
#: theme's primary colour).
ROLES = ("primary", "accent", "success", "warning", "error", "secondary")
#: Two colours closer than this (RGB distance, of 441) are not told apart on a chart.
DISTINCT = 60.0
#: A colour whose brightness is this close to the background's is not used.
VISIBLE = 0.2


def source_colors(theme: Theme, count: int) -> list[str]:
    """``count`` distinct colours (``#RRGGBB``) for the sources of a chart: the theme's
    own (primary, accent, success, warning, error, secondary), leaving out any too
    close to the background or to one already taken, then lighter and darker shades of
    those until there are enough."""
    variables = theme.to_color_system().generate()
    background = Color.parse(variables["background"])
    chosen: list[Color] = []

    def take(color: Color) -> bool:
        if abs(color.brightness - background.brightness) < VISIBLE:
            return False
        if any(_distance(color, c) < DISTINCT for c in chosen):
            return False
        chosen.append(color)
        return True

    for role in ROLES:
        value = getattr(theme, role) or variables.get(role)
        if value:
            take(Color.parse(value))
    base = list(chosen) or [Color.parse(variables["foreground"])]
    amount = 0.15
    while len(chosen) < count:
        added = False
        for color in base:
            for shade in (color.lighten(amount), color.darken(amount)):
                added |= take(shade)
        amount += 0.15
        if not added and amount > 1:  # nothing left to tell apart: repeat the palette
            chosen.extend(base)
    return [c.hex for c in chosen[:count]]


def _distance(a: Color, b: Color) -> float:
    return float(((a.r - b.r) ** 2 + (a.g - b.g) ** 2 + (a.b - b.b) ** 2) ** 0.5)
