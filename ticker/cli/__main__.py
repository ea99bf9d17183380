"""``python -m ticker.cli``: the ``ticker`` command."""

from __future__ import annotations

import sys

from ticker.cli import main

sys.exit(main())
