"""The writes of ``ticker market``: ``report CODE|PAIR RATE [--note TEXT]`` keeps a rate
heard by hand (source ``reported``: never official, never a source's market quote) and
``forget ID`` deletes one. A read-only or damaged store is refused before anything is done,
as every write command refuses it (:class:`~ticker.cli.writing.WriteContext`)."""

from __future__ import annotations

import argparse
from decimal import Decimal

from ticker.cli.exits import EXIT_OK
from ticker.cli.market import only_options
from ticker.errors import UsageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import _


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
        base, _slash, quote = code.partition("/")
        return base, quote
    if not is_local(code):
        raise UsageError(
            _(
                "CODE: expected a local currency (TMT: its rate per USD) or a pair like RUB/TMT, "
                "got {text}"
            ).format(text=repr(text))
        )
    return USD, code


def _rate(text: str) -> Decimal:
    """A rate as people type it (``19.5``, ``19,5``, ``12 500``: the locale's way,
    ``1,500`` refused as ambiguous where it writes a decimal comma); no sign, exponent,
    NaN or infinity. Kept canonical (a Decimal), whatever the locale."""
    from ticker.i18n.numbers import AmbiguousNumber, NotANumber, read_number

    try:
        rate = read_number(text, "RATE")
    except AmbiguousNumber as err:
        raise UsageError(str(err)) from None
    except NotANumber:
        rate = None
    if rate is None or rate < 0 or text.strip().startswith(("-", "\u2212")):
        raise UsageError(
            _(
                "RATE: expected a number like 19.5, 19,5 or 12 500 (no sign, no exponent), "
                "got {text}"
            ).format(text=repr(text))
        )
    return rate


def report_command(args: argparse.Namespace, words: list[str]) -> int:
    from ticker.cli.writing import WriteContext
    from ticker.core.ingest import report_rate
    from ticker.display.market_text import plain

    if len(words) != 2:
        raise UsageError(
            _(
                "market report: expected CODE|PAIR RATE, e.g. 'ticker market report TMT 19.5 "
                '--note "Ashgabat, cash"\''
            )
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
        _(
            "reported #{id}: {base}/{quote} {rate} ({quote} per {base}), stored as reported "
            "(not official, not market data){note}"
        ).format(id=reported_id, base=base, quote=quote, rate=localised(plain(rate)), note=said)
    )
    return EXIT_OK


def forget_command(args: argparse.Namespace, words: list[str]) -> int:
    from ticker.cli.writing import WriteContext

    if len(words) != 1 or not words[0].isascii() or not words[0].isdigit():
        raise UsageError(
            _(
                "market forget: expected the id of a reported rate, e.g. 'ticker market forget 3' "
                "(see 'ticker market reported')"
            )
        )
    reported_id = int(words[0])
    ctx = WriteContext.of(args)
    with ctx.store(writes=True, sync_rules=False) as repo:
        gone = reported_id < 2**62 and repo.delete_reported(reported_id)
    if not gone:
        raise UsageError(
            _("no reported rate #{id} (see 'ticker market reported')").format(id=reported_id)
        )
    print(_("forgot reported rate #{id}").format(id=reported_id))
    return EXIT_OK
