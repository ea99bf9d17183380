"""From a provider's batch to the store: the sanity check, then one transaction.

A rate that is not a positive finite number never gets this far (the provider rejects
the row with its reason). A rate that moves more than ``[sanity] max_move`` percent from
the same provider's previous value for the pair is quarantined: kept in its own table
and reported, never stored as a normal point. Its reason is stored as facts (see
:mod:`ticker.model.quarantine`), worded at display time in the orientation shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

from providers.base import Batch, MarketQuote, Observation, Rejected
from providers.catalogue import CENTRAL_BANKS
from ticker.config import SanitySettings
from ticker.core.market import MAX_REFERENCE_AGE as MARKET_REFERENCE_AGE
from ticker.core.market import official_fixings, official_rates
from ticker.display.names import provider_word
from ticker.errors import UsageError
from ticker.i18n.numbers import localised
from ticker.i18n.words import _
from ticker.model.pairs import USD, invert, is_local, pair_problem, percent_change
from ticker.model.quarantine import HeldKind, HeldReason, encode
from ticker.model.records import Quarantined
from ticker.storage.market_store import MAX_NOTE
from ticker.storage.repository import Repository


@dataclass(slots=True)
class IngestResult:
    """What storing one batch did."""

    received: int = 0
    stored: int = 0
    """New rows (a fixing already stored counts in ``received`` only)."""
    quarantined: list[Quarantined] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    latest: date | None = None
    """The newest as_of among the observations received."""
    indicator_values: int = 0
    """Indicator values received (an indicators source)."""
    indicators_added: int = 0
    indicators_revised: int = 0
    """Stored values the source now publishes differently (the old value is kept)."""
    quotes_received: int = 0
    """Market quotes received (a market source's board)."""
    quotes_added: int = 0
    """Quotes with prices new to their key (the others confirmed the stored ones)."""
    quotes_quarantined: list[tuple[MarketQuote, str]] = field(default_factory=list)
    """Quotes held as too far from the official rate, with the reason (facts)."""

    def add(self, other: IngestResult) -> None:
        self.received += other.received
        self.stored += other.stored
        self.quotes_received += other.quotes_received
        self.quotes_added += other.quotes_added
        self.quotes_quarantined.extend(other.quotes_quarantined)
        self.indicator_values += other.indicator_values
        self.indicators_added += other.indicators_added
        self.indicators_revised += other.indicators_revised
        self.quarantined.extend(other.quarantined)
        self.rejected.extend(other.rejected)
        if other.latest is not None and (self.latest is None or other.latest > self.latest):
            self.latest = other.latest


#: A previous value older than this says nothing about today's: no move check.
MAX_REFERENCE_AGE = timedelta(days=31)

#: Units per US dollar no fixing of each currency can plausibly be outside of: a tenth
#: of the lowest rate it has had since it was introduced (KGS 4 in 1993, KZT 4.7 in 1993,
#: TJS 1.8 in 2000, UZS 7 in 1994, TMT 2.85 in 2009) and ten times the highest (KGS 89,
#: KZT 540, TJS 11.5, UZS 13,000; TMT's old manat 14,250 in 2008).
PLAUSIBLE: dict[str, tuple[Decimal, Decimal]] = {
    "KGS": (Decimal("0.4"), Decimal("900")),
    "KZT": (Decimal("0.4"), Decimal("5500")),
    "TJS": (Decimal("0.18"), Decimal("120")),
    "UZS": (Decimal("0.7"), Decimal("130000")),
    "TMT": (Decimal("0.28"), Decimal("150000")),
}


#: Dollars per one unit of the other foreign currencies no fixing can plausibly be
#: outside of (the euro has been 0.83 to 1.60, the yuan 0.11 to 0.17, the rouble after
#: its 1998 redenomination 0.009 to 0.17, with room): a local currency's band in them is
#: its dollar band times these.
FOREIGN_IN_USD: dict[str, tuple[Decimal, Decimal]] = {
    "EUR": (Decimal("0.5"), Decimal("2.5")),
    "CNY": (Decimal("0.05"), Decimal("0.5")),
    "RUB": (Decimal("0.004"), Decimal("0.4")),
}


def plausible_band(base: str, quote: str) -> tuple[Decimal, Decimal] | None:
    """The band no fixing of ``base/quote`` can plausibly be outside of: the dollar
    pairs' :data:`PLAUSIBLE`; a foreign currency in a local one through both bands;
    two local ones through their dollar bands (None: no band known)."""
    if base == USD:
        return PLAUSIBLE.get(quote)
    if quote == USD:
        band = PLAUSIBLE.get(base)
        return None if band is None else (1 / band[1], 1 / band[0])
    local = PLAUSIBLE.get(quote)
    if local is None:
        return None
    if is_local(base):  # local per other local: (quote per USD) / (base per USD)
        other = PLAUSIBLE.get(base)
        return None if other is None else (local[0] / other[1], local[1] / other[0])
    foreign = FOREIGN_IN_USD.get(base)  # local per foreign: (local per USD) * (USD per foreign)
    return None if foreign is None else (local[0] * foreign[0], local[1] * foreign[1])


def screen(
    repo: Repository, observations: list[Observation], sanity: SanitySettings
) -> tuple[list[Observation], list[Quarantined]]:
    """Split observations into normal points and quarantined outliers.

    * A rate outside its pair's band (:func:`plausible_band`) is quarantined, always.
    * A pegged currency's dollar rate must be within ``peg_tolerance`` percent of its peg
      (from the peg's date on); its other pairs are not checked against the peg.
    * Each pair of each provider is judged against that provider's values of the same
      pair (base and quote): NBT's RUB/TJS never against its USD/TJS.
    * A rate that moved more than ``max_move`` percent from the same provider's last
      normal value is quarantined, unless it agrees with a more recent quarantined value
      of that provider: a one-day glitch stays quarantined, while a real devaluation is
      accepted from its second fixing on. A reference older than a month is not used.
    """
    groups: dict[tuple[str, str, str], list[Observation]] = defaultdict(list)
    for o in observations:
        groups[(o.provider, o.base, o.quote)].append(o)
    normal: list[Observation] = []
    held: list[Quarantined] = []
    for (provider, base, local), group in groups.items():
        group.sort(key=lambda o: o.as_of)
        last_normal = repo.rate_before(local, provider, group[0].as_of, base)
        last_held = repo.quarantined_before(local, provider, group[0].as_of, base)
        if (
            last_held is not None
            and last_normal is not None
            and last_held.as_of < last_normal.as_of
        ):
            last_held = None
        peg = sanity.pegs.get(local) if base == USD else None  # USD/TMT's rule
        band = plausible_band(base, local)
        for o in group:
            if band is not None and not band[0] <= o.rate <= band[1]:
                reason = encode(HeldReason(HeldKind.IMPLAUSIBLE, band=band))
                held.append(Quarantined(o, reason, None))
                continue
            if last_normal is None and last_held is None:
                first_sight = _far_from_the_others(repo, o, sanity)
                if first_sight is not None:
                    held.append(first_sight)
                    last_held = o
                    continue
            if peg is not None and o.as_of >= peg.since:
                off = percent_change(peg.rate, o.rate)
                if abs(off) > sanity.peg_tolerance:
                    reason = encode(HeldReason(HeldKind.PEG, sanity.peg_tolerance))
                    held.append(Quarantined(o, reason, peg.rate))
                    continue
            references = [
                r
                for r in (last_normal, last_held)
                if r is not None and o.as_of - r.as_of <= MAX_REFERENCE_AGE
            ]
            moves = [percent_change(r.rate, o.rate) for r in references]
            if moves and all(abs(m) > sanity.max_move for m in moves):
                reference = references[0]
                reason = encode(HeldReason(HeldKind.MOVE, sanity.max_move))
                held.append(Quarantined(o, reason, reference.rate))
                last_held = o
                continue
            normal.append(o)
            last_normal, last_held = o, None
    return normal, held


def _far_from_the_others(
    repo: Repository, o: Observation, sanity: SanitySettings
) -> Quarantined | None:
    """A provider's first value for a pair, checked against the other sources' values
    of the same pair within a month before it: quarantined when it is further than
    ``max_move`` from every one of them."""
    others = repo.others_near(o.quote, o.provider, o.as_of, MAX_REFERENCE_AGE, o.base)
    if not others:
        return None
    moves = [percent_change(r.rate, o.rate) for r in others]
    if all(abs(m) > sanity.max_move for m in moves):
        closest = min(others, key=lambda r: abs(percent_change(r.rate, o.rate)))
        reason = encode(HeldReason(HeldKind.FIRST_SIGHT, sanity.max_move, closest.provider))
        return Quarantined(o, reason, closest.rate)
    return None


def refused_whole(rejected: Rejected) -> bool:
    """Whether an indicators source refused a whole series (``Rejected(code, "",
    reason)``), not one row of it: a row says its value, or names its country beside
    the code (``policy-rate KGZ``)."""
    return not rejected.value and " " not in rejected.pair


def ingest(repo: Repository, batch: Batch, sanity: SanitySettings) -> IngestResult:
    """Screen and store one provider response, all in one transaction (indicator values,
    from an indicators source, and market quotes, from a market source, in one
    transaction of their own)."""
    normal, held = screen(repo, batch.observations, sanity)
    stored = repo.store(normal, held)
    latest = max((o.as_of for o in batch.observations), default=None)
    result = IngestResult(len(batch.observations), stored, held, list(batch.rejected), latest)
    if batch.indicators:
        added, revised = repo.store_indicators(batch.indicators)
        result.indicator_values = len(batch.indicators)
        result.indicators_added, result.indicators_revised = added, revised
        # An indicators source asks for every indicator it is configured with, and reports
        # each one it refused by its code, with its words: every process shows those as
        # refused, until a poll where the source serves them again.
        # A row it rejected (a decision dated too far ahead) is no refusal of its series.
        first = batch.indicators[0]
        refused = {r.pair: r.reason for r in batch.rejected if refused_whole(r)}
        repo.record_refusals(first.source, refused, first.fetched_at)
    if batch.quotes:
        official = official_rates(repo, batch.quotes)
        board = repo.store_quotes(batch.quotes, official, sanity.market_band)
        result.quotes_received, result.quotes_added = board.received, board.added
        result.quotes_quarantined = board.quarantined
    return result


#: A reported street rate's band around its pair's current official rate (from, to: times
#: it). Above the official rate is a parallel market's premium: the widest known here is
#: Turkmenistan's, 5-6 times the 3.50 peg (18-20 manat per dollar in 2022-23 reports,
#: ../shared/sources.md section 9; Uzbekistan's sum was about twice its official rate
#: before 2017's unification), and ten times leaves that nearly double. Below it is a
#: strong local currency's few per cent at most: under half the official rate is no
#: street rate but a slipped decimal point (USD/TJS 0.93 for 9.3).
REPORTED_BAND: tuple[Decimal, Decimal] = (Decimal("0.5"), Decimal(10))
#: Significant digits of a band edge said to people (rounded outwards, and checked so).
_EDGE_DIGITS = 5


def report_rate(
    repo: Repository, base: str, quote: str, rate: Decimal, note: str, when: datetime
) -> int:
    """Keep a rate a user reported by hand (``rate`` units of ``quote`` for one ``base``);
    its id. Refused in one line (:class:`~ticker.errors.UsageError`) when the pair is no
    pair, the rate is no positive number or implausible (:func:`reported_band`), or the
    note is too long."""
    problem = pair_problem(base, quote)
    if problem is not None:
        said = _("cannot report a rate of {pair}: {problem}")
        raise UsageError(said.format(pair=f"{base}/{quote}", problem=problem))
    if not rate.is_finite() or rate <= 0:
        said = _("a reported rate is a number greater than 0, got {rate}")
        raise UsageError(said.format(rate=localised(str(rate))))
    found = reported_band(repo, base, quote, when)
    if found is not None and not found[0][0] <= rate <= found[0][1]:
        (low, high), why = found
        lo, hi = (localised(format(edge.normalize(), "f")) for edge in (low, high))
        said = _(
            "{pair} {rate} is not a plausible rate (a reported {pair} is between {low} and "
            "{high} {quote} per {base}{why}); nothing was stored"
        )
        raise UsageError(
            said.format(
                pair=f"{base}/{quote}",
                rate=localised(format(rate, "f")),
                low=lo,
                high=hi,
                quote=quote,
                base=base,
                why=why,
            )  # fmt: skip
        )
    if len(note) > MAX_NOTE:
        said = _("a note is at most {most} characters, got {length}")
        raise UsageError(said.format(most=MAX_NOTE, length=len(note)))
    return repo.report_rate(base, quote, rate, note, when)


def reported_band(
    repo: Repository, base: str, quote: str, when: datetime
) -> tuple[tuple[Decimal, Decimal], str] | None:
    """The band a rate reported at ``when`` must be in, and what it is (words after the
    range, for the refusal): :data:`REPORTED_BAND` times the pair's current official
    rate (its local currency's central bank's newest stored fixing, at most
    :data:`~ticker.core.market.MAX_REFERENCE_AGE` old, either way round), its edges
    rounded outwards to :data:`_EDGE_DIGITS` significant digits; where none is stored,
    the pair's historic band (:func:`plausible_band`: a tenth of the lowest rate the
    currency ever had to ten times the highest). None: no band known."""
    oldest = when.date() - MARKET_REFERENCE_AGE
    local = quote if is_local(quote) else base
    foreign = base if local == quote else quote
    official = official_fixings(repo, [(foreign, local)], oldest).get((foreign, local))
    if official is not None:
        value, day = official
        if local != quote:  # reported the other way round: TJS/RUB for NBT's RUB/TJS
            value = invert(value)
        low = _edge(value * REPORTED_BAND[0], ROUND_FLOOR)
        high = _edge(value * REPORTED_BAND[1], ROUND_CEILING)
        said = localised(format(_edge(value, ROUND_HALF_EVEN).normalize(), "f"))
        bank = provider_word(CENTRAL_BANKS[local])
        lo, hi = (localised(str(edge)) for edge in REPORTED_BAND)
        why = _(": {low} to {high} times {bank}'s {rate} of {day}").format(
            low=lo, high=hi, bank=bank, rate=said, day=day.isoformat()
        )
        return (low, high), why
    band = plausible_band(base, quote)
    if band is None:
        turned = plausible_band(quote, base)
        band = None if turned is None else (invert(turned[1]), invert(turned[0]))
    return None if band is None else (band, "")


def _edge(value: Decimal, rounding: str) -> Decimal:
    """``value`` to :data:`_EDGE_DIGITS` significant digits, rounded as ``rounding``."""
    exponent = value.adjusted() - _EDGE_DIGITS + 1
    return value.quantize(Decimal(1).scaleb(exponent), rounding=rounding)
