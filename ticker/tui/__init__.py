"""The Textual dashboard. Imported only by the dashboard command."""

from __future__ import annotations
