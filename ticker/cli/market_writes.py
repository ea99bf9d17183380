"""The writes of ``ticker market``: ``report CODE|PAIR RATE [--note TEXT]`` keeps a rate
heard by hand (source ``reported``: never official, never a source's market quote) and
``forget ID`` deletes one. A read-only or damaged store is refused before anything is done,
as every write command refuses it (:class:`~ticker.cli.writing.WriteContext`)."""

from __future__ import annotations

import argparse
import re
from decimal import Decimal

from ticker.cli.exits import EXIT_OK
from ticker.cli.market import only_options
from ticker.errors import UsageError


def market_write_command(args: argparse.Namespace) -> int:
    action, *words = args.words
    if action == "report":
        only_options(args, "report", "--note")
        return report_command(args, words)
    only_options(args, "forget")
    return forget_command(args, words)


def reported_pair(text: str) -> tuple[str, str]:
    """``TMT``: USD/TMT; ``RUB/TMT`` as written."""
    from ticker.model.pairs import USD, is_local

    code = text.strip().upper()
    if "/" in code:
        base, _, quote = code.partition("/")
        return base, quote
    if not is_local(code):
        raise UsageError(
            f"CODE: expected a local currency (TMT: its rate per USD) or a pair like "
            f"RUB/TMT, got {text!r}"
        )
    return USD, code


#: A rate as the command line takes it: digits, at most one point (no sign, exponent,
#: NaN or infinity).
_RATE = re.compile(r"[0-9]{1,20}(?:\.[0-9]{1,20})?|\.[0-9]{1,20}")


def _rate(text: str) -> Decimal:
    plain = text.strip()
    if not plain.isascii() or not _RATE.fullmatch(plain):
        raise UsageError(
            f"RATE: expected a number like 19.5 (digits and a point, no exponent), got {text!r}"
        )
    return Decimal(plain)


def report_command(args: argparse.Namespace, words: list[str]) -> int:
    from ticker.cli.writing import WriteContext
    from ticker.core.ingest import report_rate
    from ticker.display.market_text import plain

    if len(words) != 2:
        raise UsageError(
            "market report: expected CODE|PAIR RATE, e.g. 'ticker market report TMT 19.5 "
            '--note "Ashgabat, cash"\''
        )
    base, quote = reported_pair(words[0])
    rate = _rate(words[1])
    note = (args.note or "").strip()
    ctx = WriteContext.of(args)
    when = ctx.now().replace(microsecond=0)  # kept and shown to the second
    with ctx.store(writes=True, sync_rules=False) as repo:
        reported_id = report_rate(repo, base, quote, rate, note, when)
    said = f": {note}" if note else ""
    print(
        f"reported #{reported_id}: {base}/{quote} {plain(rate)} ({quote} per {base}), stored as "
        f"reported (not official, not market data){said}"
    )
    return EXIT_OK


def forget_command(args: argparse.Namespace, words: list[str]) -> int:
    from ticker.cli.writing import WriteContext

    if len(words) != 1 or not words[0].isascii() or not words[0].isdigit():
        raise UsageError(
            "market forget: expected the id of a reported rate, e.g. 'ticker market forget 3' "
            "(see 'ticker market reported')"
        )
    reported_id = int(words[0])
    ctx = WriteContext.of(args)
    with ctx.store(writes=True, sync_rules=False) as repo:
        gone = reported_id < 2**62 and repo.delete_reported(reported_id)
    if not gone:
        raise UsageError(f"no reported rate #{reported_id} (see 'ticker market reported')")
    print(f"forgot reported rate #{reported_id}")
    return EXIT_OK
