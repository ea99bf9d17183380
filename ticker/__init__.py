"""ticker: a terminal currency ticker and economic-indicators monitor for Central Asia."""

from __future__ import annotations

__version__ = "0.1.0"
