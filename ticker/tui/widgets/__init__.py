"""Dashboard widgets."""

from __future__ import annotations
