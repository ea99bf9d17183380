"""Every command's human output under ``LANG=ru_RU.UTF-8``, scanned for English: a Latin
word of two letters or more is a defect unless it is one of the kinds kept below, each
named with the reason it stays Latin (an identifier one types or reads in a config file,
a name, or stored text another process wrote).

The store is seeded with every kind of thing the commands show (official fixings, a
failing source, alert rules and a firing, a market board, a rate reported by hand,
annual and monetary indicators); every ``--help`` is found by walking the grammar, so
a command added later is scanned too.
"""

from __future__ import annotations

import argparse
import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import IndicatorValue
from providers.market_quote import Channel, MarketQuote
from tests.helpers.cli import ticker
from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.seeded import seed, settings_for
from ticker.config import PROVIDERS
from ticker.model.indicators import INDICATOR_NAMES
from ticker.model.monetary import ALIASES, SERIES_NAMES
from ticker.model.pairs import Pair
from ticker.model.records import NewEvent, RuleState
from ticker.model.rules import AlertKind, AlertRuleConfig

RU = {"LANG": "ru_RU.UTF-8", "COLUMNS": "80"}

# ---------------------------------------------------------------------------------------
# What stays Latin, and why.

#: Currency codes (ISO 4217) and the pairs written with them: identifiers, the same on
#: every bank's board in the region.
CURRENCIES = {"USD", "KGS", "KZT", "TJS", "UZS", "TMT", "RUB", "EUR", "CNY"}
#: ISO 3166 country codes, three letters and two: what ``--country`` and an alert take.
COUNTRIES = {"KGZ", "KAZ", "TJK", "UZB", "TKM", "KG", "KZ", "TJ", "UZ", "TM"}
#: Provider ids (``nbkr``, ``cbu-stavka``): the names of the config's ``[providers.x]``
#: sections and of ``--provider``; the banks' own names are said in Russian (НБКР).
PROVIDER_IDS = set(PROVIDERS)
#: Monetary series codes and their aliases (``policy-rate``, ``cpi-yoy``) and the annual
#: indicators' codes (``FP.CPI.TOTL.ZG``): what ``--series``/``--indicator`` and the
#: alert grammar take.
SERIES = set(SERIES_NAMES) | set(ALIASES) | {c for s in INDICATOR_NAMES.values() for c in s}
#: Alert channels (``toast``, ``bell``, ``desktop``...): the values of a rule's
#: ``channels = [...]`` in config.toml and of ``--channel``.
CHANNELS = {"toast", "bell", "desktop", "command", "webhook", "telegram"}
#: Names of programs, protocols and brands: not words of a language.
NAMES = {
    "ticker",  # the program itself
    "UTC",  # a zone's name (and +06 for the others)
    "Telegram",
    "Prometheus",
    "D-Bus",
    "notify-send",
    "gdbus",
    "pip",
    "tmux",
    "ansi",
    "CSV",
    "JSON",
    "SIGINT",
    "SIGTERM",
    "SIGHUP",
    "stdout",  # the standard streams, as every shell manual names them
    "stderr",
}
#: argparse's metavars: the placeholders a usage line names and its help explains
#: (``AMOUNT``, ``PAIR``, ``YYYY-MM-DD``); upper case, they read as symbols, not words.
METAVARS = {
    "PATH", "COMMAND", "ACTION", "NAME", "DATE", "PAIR", "WAY", "FILE", "HOST", "PORT",
    "PERIOD", "TEMPLATE", "TEXT", "HOW", "SECONDS", "AMOUNT", "FROM", "TO", "WHERE",
    "CODE", "SERIES", "KIND", "THRESHOLD", "PRICE", "DURATION", "DIR", "PCT", "ID", "WHEN",
    "COUNTRY", "LEVEL", "RATE", "SIDE", "YYYY-MM-DD", "YYYY-MM",
}  # fmt: skip
#: The words one types (the alert grammar, option values, the market's actions, the
#: export's CSV columns): quoted by ``--help`` and the usage errors, which say what to
#: type. Kept there only: anywhere else they would be English left untranslated.
TYPED = {
    # the alert grammar
    "above", "below", "change", "move", "stale", "divergence", "market-sell",
    "market-buy", "release", "changed", "either", "up", "down", "off",
    # option values: --at, --channel, --side, --color, --orientation, --change
    "official", "market", "cash", "noncash", "card", "ewallet", "transfer", "interbank",
    "buy", "sell", "never", "per-usd", "usd-per", "ytd",
    # the market's actions, by their first word
    "report", "reported", "forget",
    # CSV columns and values the export's help names
    "carried_from", "replaced_at", "source", "origin",
    # a tmux status-line directive (--color tmux)
    "fg", "status-right",
}  # fmt: skip
#: Commands and actions, as they are typed after ``ticker``.
COMMAND_WORDS = {
    "config", "check", "path", "poll", "backfill", "export", "collect", "rates", "strip",
    "convert", "providers", "health", "indicators", "alerts", "add", "list", "edit",
    "disable", "enable", "snooze", "remove", "history", "test", "market", "report",
    "reported", "forget",
}  # fmt: skip

#: Text another process wrote into the store, shown as it was stored: a source's error
#: (the collector records it), the institutions' names (the market source publishes
#: them), a firing's message (the collector that fired it, in its language).
STORED = ("timed out after 20s", "Alif Bank", "Eskhata", "#1 USD/KZT move 2.5%: 478.77")

#: Spans taken out before the scan, each an identifier by its form.
FORMS = [
    re.compile(r"https?://\S+"),  # URLs
    re.compile(r"(?<![\w.])(?:/[\w.@+-]+)+/?"),  # file paths
    re.compile(r"\b[\w-]+\.(?:toml|db|csv|json)\b"),  # file names
    re.compile(r"\[[\w.-]+\]"),  # config sections: [providers.fx-kg], [hooks.NAME]
    re.compile(r"\b[a-z_]+ = (?:true|false|\"[^\"]*\"|\d+)"),  # config lines: enabled = true
    re.compile(r"\$?\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"),  # environment variables
    re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*"),  # options: --json, -v
    re.compile(r"\{\w+\}"),  # template fields: {pair}
    re.compile(r"\bv\d+\b"),  # a schema version: v11
    re.compile(r"pip install '[^']*'"),  # a command to type: pip install 'ticker[metrics]'
    re.compile(r"\bUS\$"),  # the dollar's sign, in the annual indicators' names
]
#: What the user typed, echoed in quotes by a usage error ('conver', 'abc').
ECHOED = re.compile(r"'[^']*'|\"[^\"]*\"")
LATIN = re.compile(r"[A-Za-z][A-Za-z_.-]*[A-Za-z]")


def english_words(text: str, typed: bool = False, echoed: bool = False) -> list[str]:
    """The English words of ``text``: every Latin word not of a kind kept above (the
    words one types only where ``typed``: in help and usage errors; ``echoed``: the
    user's own words quoted back, in a usage error)."""
    if echoed:
        text = ECHOED.sub(" ", text)
    for stored in STORED:
        text = text.replace(stored, " ")
    for form in FORMS:
        text = form.sub(" ", text)
    # A command quoted with its program: "ticker poll", "'alerts list'".
    commands = "|".join(COMMAND_WORDS)
    text = re.sub(rf"\b(?:ticker|alerts|market|config)(?: (?:{commands})\b)+", " ", text)
    kept = CURRENCIES | COUNTRIES | PROVIDER_IDS | SERIES | CHANNELS | NAMES
    if typed:
        kept = kept | TYPED | COMMAND_WORDS
    found = []
    for word in LATIN.findall(text):
        if word in kept or word.strip(".") in kept or word in METAVARS:
            continue
        found.append(word)
    return found


# ---------------------------------------------------------------------------------------
# The store.


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("in-russian")
    settings = settings_for(folder / "t.db")
    repo = repo_for(settings)
    seed(repo)  # every official source; cbt failing ("timed out after 20s")
    rule_id = repo.add_alert_rule(
        AlertRuleConfig(Pair("USD", "KZT"), AlertKind.MOVE, percent=Decimal("2.5"),
                        window=timedelta(days=7), cooldown=timedelta(hours=1)),
        "cli", NOW,
    )  # fmt: skip
    repo.add_alert_rule(
        AlertRuleConfig(Pair("UZS", "USD"), AlertKind.ABOVE, Decimal("0.0000821")), "cli", NOW
    )
    event = NewEvent(None, "USD/KZT", Decimal("478.77"), STORED[3])
    fired = NOW - timedelta(minutes=7)
    repo.apply_alert(rule_id, lambda state, muted: (RuleState(False, fired, None), event), fired)
    quoted = NOW - timedelta(hours=1)
    board = [
        MarketQuote("nbt-banks", who, "USD", "TJS", Channel.CASH, Decimal(b), Decimal(s),
                    quoted, NOW)
        for who, b, s in (("Alif Bank", "10.85", "10.95"), ("Eskhata", "10.80", "10.92"))
    ]  # fmt: skip
    repo.store_quotes(board, {}, Decimal(50))
    repo.store_indicators(
        [
            IndicatorValue("worldbank", "FP.CPI.TOTL.ZG", "KGZ", "2024", Decimal("5.4"), False,
                           NOW),
            IndicatorValue("imf", "NGDP_RPCH", "KGZ", "2025", Decimal("4.5"), True, NOW),
            IndicatorValue("nbk-data", "policy-rate", "KAZ", "2026-10-10", Decimal("16.50"),
                           False, NOW),
            IndicatorValue("nbk-data", "policy-rate", "KAZ", "2026-11-14", Decimal("16.00"),
                           False, NOW),
        ]
    )  # fmt: skip
    repo.close()
    env = {"TICKER_DB_URL": settings.database_url, "TICKER_NOW": NOW.isoformat()}
    said = ticker("market", "report", "TMT", "19.5", "--note", "Ашхабад, базар", env=env)
    assert said.returncode == 0, said.stderr
    return folder / "t.db"


@pytest.fixture
def store(seeded: Path, tmp_path: Path) -> dict[str, str]:
    """A copy of the seeded store for one test (the writes change it)."""
    db = tmp_path / "t.db"
    shutil.copy(seeded, db)
    return {**RU, "TICKER_DB_URL": f"sqlite:///{db}", "TICKER_NOW": NOW.isoformat()}


def _said(done: object) -> str:
    return f"{done.stdout}{done.stderr}"  # type: ignore[attr-defined]


def _clean(args: list[str], store: dict[str, str], codes: tuple[int, ...] = (0,)) -> str:
    done = ticker(*args, env=store)
    assert done.returncode in codes, (args, done.returncode, done.stderr)
    text = _said(done)
    assert text.strip(), f"{args} said nothing"
    found = english_words(text)
    assert not found, f"ticker {' '.join(args)}: English {found} in:\n{text}"
    return text


# ---------------------------------------------------------------------------------------
# The reading commands.

READING: list[list[str]] = [
    ["rates"],
    ["rates", "--change", "1m"],
    ["rates", "--change", "ytd", "--invert"],
    ["strip"],
    ["strip", "--change", "1m"],
    ["strip", "--change", "1y"],
    ["strip", "--pair", "KZT"],
    ["strip", "--pair", "USD/TJS", "--market"],
    ["strip", "--compact"],
    ["convert", "100", "USD", "KZT"],
    ["convert", "1000000", "UZS", "TMT"],
    ["convert", "100", "USD", "TJS", "--at", "market"],
    ["providers"],
    ["providers", "-v"],
    ["indicators"],
    ["indicators", "--country", "KZ", "--series", "policy-rate"],
    ["alerts", "list"],
    ["alerts", "history"],
    ["alerts", "test"],
    ["market"],
    ["market", "TJS"],
    ["market", "USD/TJS", "--side", "buy"],
    ["market", "USD/TJS", "--side", "sell"],
    ["market", "reported"],
    ["config", "check"],
    ["config", "path"],
]


@pytest.mark.parametrize("args", READING, ids=[" ".join(a) for a in READING])
def test_a_reading_command_says_everything_in_russian(
    store: dict[str, str], args: list[str]
) -> None:
    _clean(args, store)


def test_a_conversion_without_a_market_says_why_in_russian(store: dict[str, str]) -> None:
    text = _clean(["convert", "100", "USD", "TMT", "--at", "market"], store, codes=(1,))
    assert "вручную" in text  # the rate reported by hand, named


def test_health_gives_its_reasons_in_russian(store: dict[str, str]) -> None:
    text = _clean(["health"], store, codes=(1,))
    assert "сборщик" in text


# ---------------------------------------------------------------------------------------
# The writing commands' answers, in the order a user would type them.

WRITES: list[list[str]] = [
    ["alerts", "add", "KZT/USD", "above", "0,0021"],
    ["alerts", "add", "USD/TJS", "market-sell", "below", "10,8"],
    ["alerts", "add", "USD/TJS", "market-buy", "above", "11", "--channel", "card"],
    ["alerts", "add", "KZ", "policy-rate", "changed"],
    ["alerts", "add", "UZ", "cpi", "above", "10"],
    ["alerts", "add", "USD/UZS", "move", "2", "--window", "7d"],
    ["alerts", "add", "KZT/USD", "stale", "3"],
    ["alerts", "add", "USD/KZT", "divergence", "1"],
    ["alerts", "add", "USD/KZT", "change", "1", "--direction", "up"],
    ["alerts", "edit", "3", "--label", "зарплата"],
    ["alerts", "edit", "2", "--threshold", "0,0001"],
    ["alerts", "disable", "1"],
    ["alerts", "enable", "1"],
    ["alerts", "snooze", "2", "2h"],
    ["alerts", "snooze", "2", "--until", "14:30"],
    ["alerts", "snooze", "2", "off"],
    ["alerts", "remove", "4"],
    ["alerts", "list"],
    ["alerts", "test", "3"],
    ["market", "report", "USD/TJS", "10,9", "--note", "Душанбе"],
    ["market", "reported"],
    ["market", "forget", "1"],
]


def test_the_writing_commands_answer_in_russian(store: dict[str, str]) -> None:
    for args in WRITES:
        _clean(args, store)


def test_export_says_what_it_wrote_in_russian(store: dict[str, str], tmp_path: Path) -> None:
    out = str(tmp_path / "rates.csv")
    text = _clean(["export", "-o", out], store)
    assert "строк" in text
    _clean(["export", "-o", out], store, codes=(2,))  # it exists: --force
    _clean(["export", "--indicators", "-o", str(tmp_path / "i.csv")], store)
    _clean(["export", "--market", "-o", str(tmp_path / "m.csv")], store)


# ---------------------------------------------------------------------------------------
# Usage errors: they name what to type, so the words one types may appear.

USAGE: list[list[str]] = [
    ["conver"],
    ["convert"],
    ["convert", "abc", "USD", "KZT"],
    ["convert", "1,500", "USD", "KZT"],
    ["convert", "10", "USD", "XYZ"],
    ["convert", "10", "USD", "TJS", "--at", "nowhere"],
    ["rates", "--change", "2q"],
    ["rates", "--pair", "XYZ"],
    ["strip", "--color", "red"],
    ["strip", "--every", "soon"],
    ["export", "--wide", "--best"],
    ["export", "--since", "garbage"],
    ["export", "--orientation", "sideways"],
    ["backfill"],
    ["backfill", "--since", "30d", "--provider", "nosuch"],
    ["poll", "--provider", "nosuch"],
    ["indicators", "--country", "XX"],
    ["indicators", "--series", "nonsense"],
    ["alerts", "add", "XXX", "above", "1"],
    ["alerts", "add", "KZT/USD", "sideways", "1"],
    ["alerts", "add", "KZT/USD", "above"],
    ["alerts", "remove", "99"],
    ["alerts", "snooze", "2", "2q"],
    ["alerts", "history", "--limit", "x"],
    ["alerts", "history", "--limit", "1000000"],
    ["alerts", "test", "99"],
    ["market", "XYZ"],
    ["market", "forget", "7"],
    ["market", "report", "TMT", "19,500"],
    ["market", "--side", "up"],
]


@pytest.mark.parametrize("args", USAGE, ids=[" ".join(a) for a in USAGE])
def test_a_usage_error_is_in_russian(store: dict[str, str], args: list[str]) -> None:
    done = ticker(*args, env=store)
    assert (done.returncode, done.stdout) == (2, ""), (done.returncode, done.stderr)
    assert done.stderr.startswith("ticker: ") and "\\x" not in done.stderr
    found = english_words(done.stderr, typed=True, echoed=True)
    assert not found, f"ticker {' '.join(args)}: English {found} in:\n{done.stderr}"


# ---------------------------------------------------------------------------------------
# Every --help: the grammar walked, so no command is forgotten.


def _commands() -> Iterator[list[str]]:
    from ticker.cli.parser import build_parser

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> Iterator[list[str]]:
        yield path
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(sub, [*path, name])

    yield from walk(build_parser(), [])


HELPS = list(_commands())


def test_the_walk_finds_every_command() -> None:
    assert ["alerts", "snooze"] in HELPS and ["config", "path"] in HELPS and len(HELPS) > 20


@pytest.mark.parametrize("path", HELPS, ids=[" ".join(p) or "ticker" for p in HELPS])
def test_help_is_in_russian(path: list[str]) -> None:
    done = ticker(*path, "--help", env=RU)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("использование: ticker")
    found = english_words(done.stdout, typed=True)
    assert not found, f"ticker {' '.join(path)} --help: English {found} in:\n{done.stdout}"


# ---------------------------------------------------------------------------------------
# The backfill's lines (a backfill needs the network: its lines are rendered here).


def test_the_backfill_plan_and_outcome_are_in_russian() -> None:
    from ticker.cli.progress import clip_lines, outcome_lines, plan_lines, render
    from ticker.core.backfill_progress import ProviderProgress
    from ticker.i18n.choice import use

    use("ru", {})
    progress = {
        "nbk": ProviderProgress("nbk", total=77, done=37, fetched=148, stored=132, started=1.0),
        "cbt": ProviderProgress(
            "cbt", total=92, done=92, fetched=460, stored=455, started=1.0, finished=True,
            failures=["2026-01-02: HTTP 500"], clipped_from=date(2026, 3, 1),
        ),
        "erapi": ProviderProgress("erapi", finished=True),
    }  # fmt: skip
    for p in progress.values():
        p.requests, p.estimate = p.total, 90.0
    lines = [
        *plan_lines(progress, date(2026, 1, 1), date(2026, 11, 23)),
        *clip_lines(progress, date(2026, 1, 1)),
        *outcome_lines(progress),
        *(render(p, 80, now=11.0) for p in progress.values()),
    ]
    text = "\n".join(lines).replace("HTTP", "")  # a status line's protocol
    found = english_words(text)
    assert not found, f"English {found} in:\n{text}"


def test_no_rule_in_an_empty_store_is_said_in_russian(tmp_path: Path) -> None:
    env = {**RU, "TICKER_DB_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    done = ticker("alerts", "remove", "1", env=env)
    assert done.returncode == 2
    assert done.stderr == "ticker: нет правила оповещения #1 (сохранённые правила: нет)\n"


def test_the_poll_lines_are_in_russian() -> None:
    """``ticker poll`` asks the network: its lines are rendered here, one of each kind."""
    from providers.base import ProviderError
    from tests.helpers.factories import obs
    from ticker.cli.report import poll_line
    from ticker.core.collector import PollOutcome
    from ticker.core.ingest import IngestResult
    from ticker.i18n.choice import use
    from ticker.model.quarantine import HeldKind, HeldReason, encode
    from ticker.model.records import Quarantined

    use("ru", {})
    peg = encode(HeldReason(HeldKind.PEG, Decimal("5")))
    held = Quarantined(obs("TMT", "3.02"), peg, Decimal("3.50"))
    outcomes = [
        PollOutcome("nbk", IngestResult(received=4, stored=4, latest=date(2026, 11, 23)), None),
        PollOutcome(
            "cbt", IngestResult(received=1, latest=date(2026, 11, 20), quarantined=[held]), None
        ),  # fmt: skip
        PollOutcome("nbk-data", IngestResult(indicator_values=12, indicators_added=2), None),
        PollOutcome("nbt-banks", IngestResult(), None, quotes=12),
        PollOutcome("cbt", None, ProviderError("cbt", "https://www.cbt.tm/kurs", "HTTP 503")),
    ]
    lines = [poll_line(o) for o in outcomes]
    assert lines[0] == "nbk          в норме 4 курса на 2026-11-23 (новых: 4)"
    text = "\n".join(lines).replace("HTTP", "")  # a status line's protocol
    found = english_words(text)
    assert not found, f"English {found} in:\n{text}"


def test_health_gives_every_kind_of_reason_in_russian(
    store: dict[str, str], tmp_path: Path
) -> None:
    from ticker.storage.lease import Identity
    from ticker.storage.lease.sqlite import SqliteLease

    empty = {**RU, "TICKER_DB_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    _clean(["health"], empty, codes=(1,))  # no store yet: no fixing of each currency
    later = NOW + timedelta(days=9)  # every fixing stale, a collector there
    db = Path(store["TICKER_DB_URL"].removeprefix("sqlite:///"))
    lease = SqliteLease(Identity("collector-host", 4321, later), str(db), database=db)
    lease.acquire(later)
    try:
        text = _clean(["health"], {**store, "TICKER_NOW": later.isoformat()}, codes=(1,))
    finally:
        lease.abandon()
    assert "nbkr: " in text and len(text.splitlines()) >= 5, text


def test_alerts_test_gives_a_hook_machine_words_and_says_so_in_russian(
    store: dict[str, str], tmp_path: Path
) -> None:
    """A hook is a program's interface: ``{rule}`` and ``{message}`` as the README
    documents them, whatever the language; what ``alerts test`` says is Russian."""
    import json
    import sys

    out = tmp_path / "hook.out"
    hook = tmp_path / "hook.py"
    hook.write_text(f"import sys\nopen({str(out)!r}, 'w').write(repr(sys.argv[1:]))\n")
    config = tmp_path / "config.toml"
    argv = json.dumps([sys.executable, str(hook), "{rule}", "{message}", "{rate}"])
    config.write_text(f"[hooks.rec]\ncommand = {argv}\n")
    added = ticker("--config", str(config), "alerts", "add", "USD/KZT", "above", "470,5",
                   "--hook", "rec", env=store)  # fmt: skip
    assert added.returncode == 0, added.stderr
    done = ticker("--config", str(config), "alerts", "test", "3", env=store)
    assert done.returncode == 0, done.stderr
    # The hook's name is the config's, and the command it ran is echoed as it ran,
    # each argument quoted: the machine words are the hook's, not the sentence's.
    assert "хук rec правила #3: работает: " in done.stdout
    found = english_words(done.stdout.replace("хук rec", "хук"), echoed=True)
    assert not found, done.stdout
    rule = "#3 USD/KZT above 470.5"
    assert out.read_text() == repr([rule, f"test: {rule}", "478.77"])
