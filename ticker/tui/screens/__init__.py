"""Dashboard screens."""

from __future__ import annotations
