"""What a source says about its own failure reaches the user in its words."""

from __future__ import annotations

import httpx
import pytest

from providers.base import ProviderResponseError
from tests.helpers.scenarios import LATEST, Recorder, make, run


def _reason(name: str, body: bytes, content_type: str = "text/html") -> str:
    provider = make(name, LATEST[name].now)
    reply = Recorder(
        lambda r: httpx.Response(200, content=body, headers={"content-type": content_type})
    )
    with pytest.raises(ProviderResponseError) as info:
        run(provider, reply)
    return info.value.reason


def test_cbr_error_in_parameters_is_reported_as_such() -> None:
    body = b'<?xml version="1.0" encoding="windows-1251"?><ValCurs>Error in parameters</ValCurs>'
    assert _reason("cbr", body) == "the source says 'Error in parameters' instead of rates"


def test_cbu_maintenance_page_is_an_html_page_where_json_was_expected() -> None:
    page = (
        b"<!DOCTYPE html><html><head><title>Technical works</title></head>"
        b"<body><h1>The site is under maintenance</h1></body></html>"
    )
    reason = _reason("cbu", page)
    assert reason == "an HTML page where JSON was expected ('Technical works')"
    assert "JSONDecodeError" not in reason and "Expecting value" not in reason


def test_world_bank_error_inside_its_answer_is_its_own_message() -> None:
    xml = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<wb:error xmlns:wb="http://www.worldbank.org"><wb:message id="120" key="Invalid value">'
        b"The provided parameter value is not valid</wb:message></wb:error>"
    )
    provider = make("worldbank", LATEST["cbu"].now, indicators=("FP.CPI.TOTL.ZG",))
    for body, words in [
        (xml, "the source says 'The provided parameter value is not valid'"),
        (b'[{"message":[{"id":"175","key":"Invalid format","value":"Gone."}]}, null]', "Gone."),
    ]:

        def answer(request: httpx.Request, body: bytes = body) -> httpx.Response:
            return httpx.Response(200, content=body)

        reply = Recorder(answer)
        with pytest.raises(ProviderResponseError) as info:
            run(provider, reply)
        assert words in info.value.reason and "unexpected shape" not in info.value.reason
