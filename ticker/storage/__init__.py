"""The history store: tables, schema migrations, and the repository the rest uses."""

from __future__ import annotations
