"""Refused indicators in a cell: the reason in brief, the forms from the fullest down."""

from __future__ import annotations

from datetime import UTC, datetime

from ticker.display.refusals import brief, fitted, refusal_texts
from ticker.model.records import IndicatorRefusal

AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ERROR_175 = (
    "archived or deleted at the source (World Bank error 175: The indicator was not found. "
    "It may have been deleted or archived.)"
)


def test_a_reason_in_brief_keeps_our_words_and_the_sources_number() -> None:
    assert brief(ERROR_175) == "error 175, archived or deleted at the source"
    assert brief("World Bank error 120: Invalid value") == "World Bank error 120: Invalid value"
    assert brief("the IMF has no values for this indicator") == (
        "the IMF has no values for this indicator"
    )


def test_two_reasons_are_two_groups_and_every_form_is_offered() -> None:
    refusals = [
        IndicatorRefusal("worldbank", "A.B", ERROR_175, AT),
        IndicatorRefusal("worldbank", "C.D", ERROR_175, AT),
        IndicatorRefusal("worldbank", "E.F", "World Bank error 120: Invalid value", AT),
    ]
    texts = refusal_texts(refusals)
    assert texts[0] == (
        "refused 2 indicators (error 175, archived or deleted at the source): A.B, C.D; "
        "refused E.F: World Bank error 120: Invalid value"
    )
    assert (
        "refused 2 indicators (error 175, archived or deleted at the source): A.B, …; "
        "refused E.F (World Bank error 120: Invalid value)"
    ) in texts
    short = "refused 2 indicators (error 175); refused 1 indicator (World Bank error 120: "
    assert f"{short}Invalid value)" in texts
    assert texts[-2:] == ["refused 3 indicators", "refused 3"]
    assert fitted(texts, None) == texts[0] and fitted(texts, 5) == "refused 3"
    assert fitted(texts, 25) == "refused 3 indicators"
    assert refusal_texts(refusals, verbose=True) == [
        f"refused A.B: {ERROR_175}; refused C.D: {ERROR_175}; "
        "refused E.F: World Bank error 120: Invalid value"
    ]
    assert refusal_texts([]) == []
