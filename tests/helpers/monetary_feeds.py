"""The monetary sources' recorded (or built) answers on the local feed server.

nbk-data, cbu-policy, siat and cbu-stavka (its page, then the workbook the page links;
not in :data:`MONETARY_NAMES`: asked only where named) answer with their files in
``tests/fixtures/providers/monetary/`` as they are. imf-sdmx answers each key with its
file: the policy rate of KGZ, KAZ, TJK and UZB and TJK's CPI index as built there, and
every other key with the built empty match. Its CPI year on year for the four is BUILT
here from the recorded Chinese answer (header and the 2026 rows, the country code
changed): no recording of those keys exists (tests/fixtures/.../imf-sdmx/README.md).
:class:`MonetaryFeeds` can revise one value of that answer, as the IMF revises a month.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from tests.helpers.scenarios import fixture

#: When the monetary answers are current: Saturday 5 September 2026, 14:00 in Almaty,
#: the day the NBK's widget announced the decision effective Monday 7 September.
MONETARY_NOW = datetime(2026, 9, 5, 9, 0, tzinfo=UTC)
#: The sources served here.
MONETARY_NAMES = ("nbk-data", "imf-sdmx", "cbu-policy", "siat")

_DIR = "monetary/"
_IMF = "/external/sdmx/3.0/data/dataflow/"
_BUILT_MFS = ("KGZ", "KAZ", "TJK", "UZB")
_YOY_KEY = "CPI._T.YOY_PCH_PA_PT.M"
#: The month of KAZ's CPI y/y that :meth:`MonetaryFeeds.revise` changes, and its digits
#: before (the recorded answer's) and after.
REVISED_MONTH = "2026-M08"
FIRST_CPI = "0.8000224323427971"
REVISED_CPI = "0.9"


def _yoy(country: str) -> bytes:
    head = fixture(_DIR + "imf-sdmx/recorded_cpi_CHN_yoy_head.csv").split(b"\n", 1)[0]
    tail = fixture(_DIR + "imf-sdmx/recorded_cpi_CHN_yoy_tail.csv")
    return head + b"\n" + tail.replace(b",CHN,", f",{country},".encode())


class MonetaryFeeds:
    """What the four monetary sources answer; ``failing``: sources that answer 503."""

    def __init__(self) -> None:
        self.revised = False
        self.failing: set[str] = set()
        self._lock = threading.Lock()

    def revise(self) -> None:
        """From now on the IMF publishes KAZ's CPI y/y of August 2026 as 0.9."""
        with self._lock:
            self.revised = True

    def __call__(self, provider: str, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        if provider in self.failing:
            return 503, b"<html><title>Service Unavailable</title></html>"
        if provider == "nbk-data":
            if path == "/api/v1/data/base-rate":
                return 200, fixture(_DIR + "nbk-data/base_rate.json")
            if path == "/api/v1/data":
                name = f"nbk-data/form{query.get('formId')}_page{query.get('page')}.json"
                return 200, fixture(_DIR + name)
        if provider == "cbu-policy" and path == "/sdmx/INR_Uzbekistan_Online_STA.xml":
            return 200, fixture(_DIR + "cbu-policy/INR_Uzbekistan_Online_STA.xml")
        if provider == "cbu-stavka" and path == "/en/monetary-policy/refinancing-rate/":
            return 200, fixture(_DIR + "cbu-stavka/refinancing-rate.html")
        if provider == "cbu-stavka" and path.endswith("/asosiy_stavka.xlsx"):
            return 200, fixture(_DIR + "cbu-stavka/asosiy_stavka.xlsx")
        if provider == "siat" and path == "/media/uploads/sdmx/sdmx_data_4585.json":
            return 200, fixture(_DIR + "siat/sdmx_data_4585.json")
        if provider == "imf-sdmx" and path.startswith(_IMF):
            return 200, self._imf(path.removeprefix(_IMF))
        return 404, b"not here"

    def _imf(self, asked: str) -> bytes:
        flow, _, key = asked.rpartition("/")
        country, _, series = key.partition(".")
        empty = fixture(_DIR + "imf-sdmx/built_empty_TKM.csv")
        if flow.startswith("IMF.STA/CPI/"):  # the same empty match, in CPI's columns
            header = _yoy("TKM").split(b"\n", 1)[0]
            empty = header + b"\n" + b"dataflow,IMF.STA:CPI(5.0.0),R" + b"," * 19 + b"\n"
        if flow == "IMF.STA/MFS_IR/+" and country in _BUILT_MFS:
            return fixture(_DIR + f"imf-sdmx/built_mfs_ir_{country}.csv")
        if flow == "IMF.STA/CPI/5.0.0" and key == "TJK.CPI._T.IX.M":
            return fixture(_DIR + "imf-sdmx/built_cpi_ix_TJK.csv")
        if flow == "IMF.STA/CPI/5.0.0" and series == _YOY_KEY and country in _BUILT_MFS:
            body = _yoy(country)
            with self._lock:
                revised = self.revised
            if revised and country == "KAZ":
                row = f"{REVISED_MONTH},{FIRST_CPI},".encode()
                assert row in body
                body = body.replace(row, f"{REVISED_MONTH},{REVISED_CPI},".encode())
            return body
        return empty


#: The monetary answers as they are (no revision, nothing failing).
monetary_route = MonetaryFeeds()
