"""The options of the one-shot reads (``strip``, ``rates``, ``providers``, ``health``,
``convert``, ``export``) and of the root, declared once, as plain data.

Two readers build on this table and nothing else: :func:`ticker.cli.grammar.add_options`
makes each entry's ``add_argument`` call for argparse (``--help``, prefixes, every usage
error), and :mod:`ticker.cli.fast` reads the plainest command lines with it, without
argparse. A new option is one entry here. Every field that decides what a line reads as
(names, how, default, required) is read by both; the others (help, metavar) only shape
what argparse says. A field neither has yet (a ``type``, ``choices``, ``nargs``) would
need both taught first; a way of reading the fast reader does not know is left to the
grammar.

Importing this loads nothing but the catalogue's marker: a status bar's ``ticker strip``
imports it on every run. Each help is marked (:func:`~ticker.i18n.words.N_`) and said in
the user's language when the grammar is built; a help with ``{fields}`` has each field's
word said too, then put in.
"""

from __future__ import annotations

from ticker.i18n.words import N_

#: How an option is read: a flag (argparse's ``store_true``), a value (``store``), a
#: repeatable value (``append``), a word in its place (a positional argument), or the
#: program's version (``version``: argparse prints it and exits; never read fast).
FLAG, VALUE, APPEND, POSITIONAL, VERSION = "flag", "value", "append", "positional", "version"


class Absent:
    """The default of an option whose dest is left out of the namespace unless given
    (argparse's ``SUPPRESS``)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = Absent()


class Option:
    """One option (or positional argument) as both readers take it (a plain class: a
    ``NamedTuple`` would cost a status bar's every run its annotations' compiling)."""

    __slots__ = ("default", "dest", "fields", "help", "how", "metavar", "names", "required")

    def __init__(
        self,
        names: tuple[str, ...],
        how: str,
        help: str,
        default: object = None,
        metavar: str | None = None,
        fields: tuple[tuple[str, str], ...] = (),
        required: bool = False,
    ) -> None:
        #: ``("-v", "--verbose")``; a positional argument's one name is its dest.
        self.names = names
        self.how = how
        #: Marked for the catalogue; said when the grammar is built.
        self.help = help
        #: What the namespace holds when it is not given (a flag: False).
        self.default = default
        self.metavar = metavar
        #: ``{field}`` of the help -> its word (marked too), said, then put in.
        self.fields = fields
        self.required = required
        #: Where the namespace holds it, by argparse's rule: the first long name (else the
        #: first), its dashes dropped, ``-`` as ``_``; given to argparse as is.
        self.dest = names[0]
        if how != POSITIONAL:
            long = next((n for n in names if n.startswith("--")), names[0])
            self.dest = long.lstrip("-").replace("-", "_")

    def but_required(self) -> Option:
        """This option, required (``backfill --since``)."""
        return Option(
            self.names, self.how, self.help, self.default, self.metavar, self.fields, True
        )

    def __repr__(self) -> str:
        return f"Option({'/'.join(self.names)})"


def flag(*names: str, help: str) -> Option:
    """A flag: False unless given."""
    return Option(names, FLAG, help, default=False)


class Command:
    """One command: its help, its handler (``ticker.cli.<module>.<function>``, imported
    when it runs) and its options in the order ``--help`` lists them."""

    __slots__ = ("description", "handler", "help", "options")

    def __init__(
        self,
        help: str,
        handler: tuple[str, str],
        options: tuple[Option, ...],
        description: str | None = None,
    ) -> None:
        self.help = help
        self.handler = handler
        self.options = options
        self.description = description


#: Every command's own ``--config`` (and the root's, before the command).
CONFIG = Option(
    ("--config",),
    VALUE,
    N_("read this config file (default: $TICKER_CONFIG, then the platform config dir)"),
    default=ABSENT,
    metavar="PATH",
)
#: The root's options after ``--config``.
ROOT = (
    Option(("--version",), VERSION, N_("show program's version number and exit"), ABSENT),
    flag(
        "--no-collect",
        help=N_("open the dashboard without a collector: show what another process collects"),
    ),
)

JSON_ARRAY = flag("--json", help=N_("print a JSON array"))
JSON_OBJECT = flag("--json", help=N_("print a JSON object"))
#: A pair as ``rates`` and ``strip`` show it.
SHOWN_PAIR = Option(
    ("--pair",),
    APPEND,
    N_(
        "only this pair, as written: KZT/USD, USD/KZT, a watched pair like RUB/TJS, "
        "or KZT in the display orientation (repeatable; the order given)"
    ),
    metavar="PAIR",
)
INVERT = flag(
    "--invert",
    help=N_(
        "flip the display orientation (USD/KGS <-> KGS/USD; a PAIR written whole keeps its own)"
    ),
)
CHANGE = Option(
    ("--change",),
    VALUE,
    N_(
        "the change over: 1d (the previous fixing, default), 1w, 1m, ytd or 1y "
        "(against the rate in force at the period's start)"
    ),
    default="1d",
    metavar="PERIOD",
)
#: A pair as the store's history takes it (``export``, ``backfill``).
ANY_PAIR = Option(
    ("--pair",),
    APPEND,
    N_("only this pair: KZT (against USD), or any pair with a local side, RUB/TJS (repeatable)"),
    metavar="PAIR",
)
PROVIDER = Option(
    ("--provider",), APPEND, N_("only this provider (repeatable)"), metavar="NAME"
)  # fmt: skip
SINCE = Option(
    ("--since",),
    VALUE,
    N_("first date: YYYY-MM-DD, a month YYYY-MM, a year, or back from today: 30d, 6m, 2y"),
    metavar="DATE",
)


def until(default: str) -> Option:
    """``--until``, its help saying what it defaults to (``default``, marked)."""
    said = N_("last date, in the same forms ({until})")
    return Option(("--until",), VALUE, said, metavar="DATE", fields=(("until", default),))


COMMANDS: dict[str, Command] = {
    "export": Command(
        N_("write stored rate history as CSV (long form, --best, or --wide)"),
        ("reading", "export_command"),
        (
            ANY_PAIR,
            PROVIDER,
            flag(
                "--best",
                help=N_(
                    "per pair and date the rate in force: the official fixing, carried over "
                    "dates without one (column carried_from), a fallback only where the "
                    "official was overdue"
                ),
            ),
            flag(
                "--wide",
                help=N_("one row per date, one column per pair (the rate in force, as --best)"),
            ),
            flag(
                "--sources",
                help=N_("with --wide: after each pair, its source and carried_from columns"),
            ),
            Option(
                ("--orientation",),
                VALUE,
                N_(
                    "per-usd: USD/KZT = 478.77, the published digits (default); "
                    "usd-per: KZT/USD = 0.00208868559, 10 significant digits"
                ),
                default="per-usd",
                metavar="WAY",
            ),
            flag(
                "--indicators",
                help=N_(
                    "the economic indicators instead, annual and monetary (--provider: their "
                    "sources; --since/--until: the periods overlapping those days)"
                ),
            ),
            flag(
                "--revisions",
                help=N_(
                    "with --indicators: every value a source published and later revised too "
                    "(column replaced_at)"
                ),
            ),
            flag(
                "--market",
                help=N_(
                    "the market history instead: one row per stored bank or office quote, and "
                    "the rates reported by hand (origin reported); --since/--until by the days "
                    "seen"
                ),
            ),
            SINCE,
            until(N_("a month or a year: its end")),
            Option(
                ("-o", "--output"),
                VALUE,
                N_("write to FILE instead of stdout ('-' = stdout)"),
                metavar="FILE",
            ),
            flag("--force", help=N_("overwrite FILE if it exists")),
        ),
    ),
    "rates": Command(
        N_("the latest rate of each pair from the store (no network)"),
        ("reading", "rates_command"),
        (JSON_ARRAY, SHOWN_PAIR, INVERT, CHANGE),
    ),
    "strip": Command(
        N_("one line like the news sites' ticker strip (for status bars and prompts)"),
        ("strip", "strip_command"),
        (
            SHOWN_PAIR,
            INVERT,
            CHANGE,
            flag(
                "--compact",
                help=N_(
                    "no sources, no words: 'KGS 0.011435 +0.03%%', '*' after a pair that is not ok"
                ),
            ),
            Option(
                ("--format",),
                VALUE,
                N_(
                    "each pair as TEMPLATE, e.g. '{code} {arrow}{rate}'; fields: {pair} {code} "
                    "{rate} {change} {period} {arrow} {source} {as_of} {state} {state_note} {mark}"
                ),
                metavar="TEMPLATE",
            ),
            Option(
                ("--separator",),
                VALUE,
                N_("between the pairs (default ' \u2022 ')"),
                metavar="TEXT",
            ),
            Option(
                ("--color",),
                VALUE,
                N_(
                    "colour rises green and falls red: never (default), ansi (a terminal) or "
                    "tmux (#[fg=...] for status-right)"
                ),
                default="never",
                metavar="HOW",
            ),
            flag(
                "--market",
                help=N_(
                    "after the line, each local currency's best current cash buy/sell at a bank "
                    "or office: '| market TJS 10.85/10.92' (from the store's market quotes)"
                ),
            ),
            flag("--follow", help=N_("keep running: print a new line each time the strip changes")),
            Option(
                ("--every",),
                VALUE,
                N_("with --follow: look at the store this often (default 5)"),
                metavar="SECONDS",
            ),
        ),
    ),
    "convert": Command(
        N_("an amount in another currency, through each side's official rate (no network)"),
        ("convert", "convert_command"),
        (
            Option(("amount",), POSITIONAL, N_("e.g. 10000, 10,000 or 0.5"), metavar="AMOUNT"),
            Option(("source",), POSITIONAL, N_("the amount's currency"), metavar="FROM"),
            Option(("target",), POSITIONAL, N_("the currency wanted"), metavar="TO"),
            JSON_OBJECT,
            Option(
                ("--at",),
                VALUE,
                N_(
                    "official (the central banks' rates, default) or market: what the best "
                    "current bank or exchange office gives, named, the official conversion "
                    "beside it"
                ),
                default="official",
                metavar="WHERE",
            ),
            Option(
                ("--channel",),
                VALUE,
                N_(
                    "with --at market: cash (default), noncash, card, ewallet, transfer or "
                    "interbank"
                ),
                metavar="NAME",
            ),
        ),
        N_(
            "Convert AMOUNT of FROM into TO through each side's routed official rate against "
            "the dollar, e.g. 'ticker convert 10000 KZT KGS'. Currencies: USD, KGS, KZT, "
            "TJS, UZS, TMT."
        ),
    ),
    "providers": Command(
        N_("each provider's health, as recorded by the collector, and the store's collectors"),
        ("reading", "providers_command"),
        (
            JSON_ARRAY,
            flag(
                "-v",
                "--verbose",
                help=N_(
                    "every indicator a source refused, with its words (by default a summary "
                    "that fits the terminal)"
                ),
            ),
        ),
    ),
    "health": Command(
        N_(
            "exit 0 if a collector holds the lease and the official sources are fresh, "
            "1 if not (the reasons, one per line), 2 on a configuration error"
        ),
        ("reading", "health_command"),
        (JSON_OBJECT,),
    ),
}
