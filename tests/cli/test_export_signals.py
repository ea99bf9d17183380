"""`ticker export -o FILE` stopped by a signal, as a service manager or a closed terminal
stops it: like Ctrl-C, no temporary file is left behind and the target is untouched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.factories import obs
from tests.helpers.paths import REPO
from ticker.storage.db import open_database
from ticker.storage.repository import Repository

#: `ticker export`, whose writing stalls after its first line (a slow store, a big
#: export): it says so on stderr, and waits for the signal the test sends. Ctrl-C is
#: Python's own (a suite started in the background hands its children SIGINT ignored).
STALLING_EXPORT = """
import signal, sys, time
import ticker.core.export as export

signal.signal(signal.SIGINT, signal.default_int_handler)

def stalling(store, settings, options, out):
    out.write(b"as_of\\r\\n")
    out.flush()
    print("writing", file=sys.stderr, flush=True)
    time.sleep(120)
    return 0

export.write_csv = stalling
from ticker.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
@pytest.mark.parametrize("existing", [False, True])
def test_a_signal_mid_export_leaves_no_temporary_file_and_the_target_untouched(
    tmp_path: Path, sig: signal.Signals, existing: bool
) -> None:
    db = tmp_path / "t.db"
    database = open_database(f"sqlite:///{db}")
    Repository(database).add_observations([obs()])
    database.dispose()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "rates.csv"
    if existing:
        target.write_bytes(b"the old export\r\n")
    args = ["export", "-o", str(target), "--force"]
    with subprocess.Popen(
        [sys.executable, "-c", STALLING_EXPORT, *args],
        cwd=REPO,
        env={**os.environ, "TICKER_DB_URL": f"sqlite:///{db}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stderr is not None
        try:
            assert proc.stderr.readline() == "writing\n"
            assert [p.name for p in out_dir.iterdir() if p.name.endswith(".part")]
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert [p.name for p in out_dir.iterdir() if p.name.endswith(".part")] == []
    if existing:
        assert target.read_bytes() == b"the old export\r\n"
    else:
        assert not target.exists()
    assert out == ""
    if sig == signal.SIGINT:
        assert (proc.returncode, err) == (130, "ticker: interrupted\n")
    else:
        assert (proc.returncode, err) == (128 + sig, f"ticker: stopped by {sig.name}\n")
