"""Feed clients."""

from __future__ import annotations
