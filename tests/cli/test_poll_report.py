"""``ticker poll``'s line for an indicators source: indicators refused for one reason are
said once, with their codes (the World Bank's error 175 for seven archived series made a
line of 1,100 characters, the reason seven times)."""

from __future__ import annotations

from providers.base import Rejected
from ticker.cli.report import poll_line
from ticker.core.collector import PollOutcome
from ticker.core.ingest import IngestResult

ARCHIVED = (
    "archived or deleted at the source (World Bank error 175: The indicator was not found. "
    "It may have been deleted or archived.)"
)
CODES = ["BN.CAB.XOKA.GD.ZS", "FI.RES.GOLD.CD", "BX.TRF.PWKR.DT.GD.ZS", "NY.GDP.MKTP.KD.ZG"]


def test_indicators_refused_alike_are_said_once_with_their_codes() -> None:
    result = IngestResult(indicator_values=12, indicators_added=12)
    result.rejected = [Rejected(code, "", ARCHIVED) for code in CODES]
    result.rejected.append(Rejected("NOPE", "", "the IMF has no values for this indicator"))
    line = poll_line(PollOutcome("worldbank", result, None))
    assert line.count("archived or deleted at the source") == 1
    assert (
        f"refused 4 indicators (error 175, archived or deleted at the source): {', '.join(CODES)}"
        in line
    )
    assert "refused NOPE: the IMF has no values for this indicator" in line
    assert len(line) < 300  # the reason once: was 4 x 125 characters of it


def test_one_refusal_keeps_the_sources_words() -> None:
    result = IngestResult(indicator_values=1, indicators_added=1)
    result.rejected = [Rejected("FI.RES.GOLD.CD", "", ARCHIVED)]
    line = poll_line(PollOutcome("worldbank", result, None))
    assert line.endswith(f"refused FI.RES.GOLD.CD: {ARCHIVED}")


def test_a_monetary_sources_rejected_rows_are_not_refused_series() -> None:
    # nbk-data served its series but held decisions dated too far ahead (one row each),
    # and refused a series whole: the rows are said as rejected, with their values.
    ahead = "decision dated {}, more than 7 days after today 2026-09-10 (Almaty)"
    result = IngestResult(indicator_values=50, indicators_added=2, indicators_revised=1)
    result.rejected = [
        Rejected("remittances-in", "", "form 408 gives million tenge"),
        *(
            Rejected("policy-rate", f"2026-10-{d} 15.75", ahead.format(f"2026-10-{d}"))
            for d in (19, 20, 21, 22)
        ),
        Rejected("cpi-yoy TKM", "", "2026-M11 is after the current month (2026-09)"),
    ]
    line = poll_line(PollOutcome("nbk-data", result, None))
    assert line == (
        "nbk-data     ok      50 indicator values (2 new, 1 revised); "
        "refused remittances-in: form 408 gives million tenge; "
        f"rejected policy-rate 2026-10-19 15.75: {ahead.format('2026-10-19')}; "
        f"rejected policy-rate 2026-10-20 15.75: {ahead.format('2026-10-20')}; "
        f"rejected policy-rate 2026-10-21 15.75: {ahead.format('2026-10-21')}; "
        "2 more rows rejected"
    )
