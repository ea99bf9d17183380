"""The central banks' policy-rate decision dates: who decides, in which zone, at what
hour, when a decision takes effect, and the dates each bank has published, as records.

A date here is the day a bank *announces* its decision (NBK: "the decision is published
on the last working day of the week at 12:00 Astana time, and takes effect from the first
working day of the following week"), never the day it takes effect. Each list holds only
dates a bank published (a schedule, or a decision it announced), with the evidence
named in its record; none is extrapolated from a bank's habits. A bank whose schedule
could not be found has no dates: the program then says nothing of its next decision
until ``[decisions]`` in config.toml gives them. The evidence for each list, and the
rules that read them, are in ``docs/monetary-sources.md`` ("Decision calendars").

- **NBK** (KAZ), 2026: 23 Jan, 6 Mar, 24 Apr, 5 Jun, 24 Jul, 4 Sep, 23 Oct, 4 Dec, each
  a Friday, at 12:00 Astana time (UTC+5), effective the next Monday. Source: the NBK's
  schedule of base-rate decisions for 2026 as reported by Lada.kz,
  https://www.lada.kz/kazakhstan-news/146820-natsbank-nazval-daty-bazovoi-stavki-na-ves-sleduiushchii-god.html
  Checked against the decisions recorded since in NBK's open data
  (makenerzhan-gif/kazakhstan-economic-data, ``data/processed/nbk/base_rate.csv`` @
  0866385): effective 2026-01-26, 03-10 (Monday 9 March a holiday), 04-27, 06-08, 07-27
  and 09-07, the first working day after six of the eight; also the 23 Jan decision
  (kommersant.az news/economy/56755) and "the next planned decision on 5 June" (sona.kz
  22813). 2027: not found.
- **CBU** (UZB), 2026: 28 Jan, 18 Mar, 29 Apr: the Board meetings the CBU's own
  press-release index lists (recorded 2026-04-29 in CERR-Uzbekistan/
  Uzbekistan-Economic-policy-engine @ 2b13405,
  ``scripts/overview/source-discovery/phase3/cbu-policy-press-release-index.html``);
  28 Jan and 18 Mar were also announced ahead by the CBU (trend.az business/4128914,
  4146847). The CBU publishes a "Schedule of Board meetings to review policy rate"
  (cbu.uz/en/monetary-policy/refinancing-rate/schedule-of-meetings/), whose 2026 dates
  after 29 April were not found; nor the hour.
- **NBKR** (KGZ): no schedule found. **NBT** (TJK): it publishes one ("The schedule of
  monetary policy committee meetings of the National bank of Tajikistan", nbt.tj
  monetary_policy/kumita_bmt.php), but only its 2025 edition was found. **CBT** (TKM):
  no policy-rate schedule.

Data only: standard library, no I/O.
"""

from __future__ import annotations

from datetime import date, time, tzinfo
from typing import TYPE_CHECKING

from providers.calendar import ALMATY, ASHGABAT, BISHKEK, DUSHANBE, TASHKENT

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same class, made without compiling its annotations (providers.tuples)
    from providers.tuples import NamedTuple

__all__ = ["BANKS", "BANK_OF", "DEFAULT_DECISIONS", "DecisionBank"]


class DecisionBank(NamedTuple):
    """One central bank's policy-rate decisions (see the module docstring)."""

    name: str
    """Its short name, as people write it: ``NBK``."""
    country: str
    """ISO 3166-1 alpha-3 of its country: ``KAZ``."""
    title: str
    tz: tzinfo
    """Its own zone: a decision day is a day there."""
    at: time | None
    """The local hour it announces (None: not published)."""
    effective_next_week: bool
    """A decision takes effect on the first working day of the following week (NBK: a
    Friday's decision on the Monday); otherwise on the day or the next."""
    dates: tuple[date, ...]
    """The decision days it published, in order (the built-in list)."""
    evidence: str
    """Where the dates come from (the module docstring says more)."""


def _days(*iso: str) -> tuple[date, ...]:
    return tuple(date.fromisoformat(d) for d in iso)


NBK = DecisionBank(
    "NBK",
    "KAZ",
    "National Bank of Kazakhstan",
    ALMATY,
    time(12, 0),
    True,
    _days(
        "2026-01-23",
        "2026-03-06",
        "2026-04-24",
        "2026-06-05",
        "2026-07-24",
        "2026-09-04",
        "2026-10-23",
        "2026-12-04",
    ),  # fmt: skip
    "NBK's 2026 schedule, as reported by lada.kz/kazakhstan-news/146820",
)
CBU = DecisionBank(
    "CBU",
    "UZB",
    "Central Bank of Uzbekistan",
    TASHKENT,
    None,
    False,
    _days("2026-01-28", "2026-03-18", "2026-04-29"),
    "the CBU's press-release index (CERR-Uzbekistan/Uzbekistan-Economic-policy-engine "
    "@ 2b13405, cbu-policy-press-release-index.html); later 2026 dates not found",
)
NBKR = DecisionBank(
    "NBKR",
    "KGZ",
    "National Bank of the Kyrgyz Republic",
    BISHKEK,
    None,
    False,
    (),
    "no published schedule found",
)
NBT = DecisionBank(
    "NBT",
    "TJK",
    "National Bank of Tajikistan",
    DUSHANBE,
    None,
    False,
    (),
    "its schedule (nbt.tj monetary_policy/kumita_bmt.php) found for 2025 only",
)
CBT = DecisionBank(
    "CBT",
    "TKM",
    "Central Bank of Turkmenistan",
    ASHGABAT,
    None,
    False,
    (),
    "no policy-rate schedule published",
)

#: Every bank, one per country.
BANKS: tuple[DecisionBank, ...] = (NBKR, NBK, NBT, CBU, CBT)
#: The bank of each country (ISO3).
BANK_OF: dict[str, DecisionBank] = {bank.country: bank for bank in BANKS}
#: The built-in decision days of each country (ISO3), in order; ``[decisions]`` in
#: config.toml replaces a country's list.
DEFAULT_DECISIONS: dict[str, tuple[date, ...]] = {bank.country: bank.dates for bank in BANKS}
