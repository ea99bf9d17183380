"""Where the repository and the tests' recorded data are, for every test module."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
BAD_CONFIGS = TESTS / "data" / "config"
