"""A firing speaks to people in their language and to programs in machine words: the
history, the desktop and Telegram get the user's words; a hook's ``{rule}`` and
``{message}`` (and their ``TICKER_RULE``/``TICKER_MESSAGE``) and the webhook's JSON are
the same whatever the language, as the README documents them (``#3 KZT/USD above
0.0021``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.helpers.dashboard import NOW, repo_for
from tests.helpers.seeded import seed, settings_for
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.core.alerts.firing import Firing
from ticker.core.alerts.webhook import event_json
from ticker.i18n.choice import use
from ticker.model.pairs import Pair
from ticker.model.rules import AlertKind, AlertRuleConfig


def _fired(tmp_path: Path, language: str) -> Firing:
    use(language, {})
    settings = settings_for(tmp_path / f"{language}.db")
    repo = repo_for(settings)
    seed(repo)  # NBK: 478.77 KZT per USD on NOW's day
    repo.add_alert_rule(
        AlertRuleConfig(Pair("USD", "KZT"), AlertKind.ABOVE, Decimal("470.5")), "cli", NOW
    )
    try:
        (firing,) = evaluate_rules(repo, settings, NOW)
    finally:
        repo.close()
    return firing


def test_a_hook_and_a_webhook_get_machine_words_in_russian(tmp_path: Path) -> None:
    russian = _fired(tmp_path, "ru")
    # For a person: Russian words, Russian numbers (the history stores this).
    assert russian.message.startswith("#1 USD/KZT выше 470,5: 478,77")
    # For a program: the README's words, Python's numbers.
    values = russian.placeholders()
    assert values["rule"] == "#1 USD/KZT above 470.5"
    assert values["message"].startswith("#1 USD/KZT above 470.5: 478.77 (NBK, 2026-11-23)")
    assert values["message"].startswith(values["rule"] + ": ")  # one begins with the other
    assert event_json(russian)["message"] == values["message"]


def test_the_machine_words_are_the_same_in_every_language(tmp_path: Path) -> None:
    russian = _fired(tmp_path, "ru")
    english = _fired(tmp_path, "en")
    assert english.message == english.placeholders()["message"]  # English: one text
    assert russian.placeholders() == english.placeholders()
    same = {"event_id", "fired_at"}
    assert {k: v for k, v in event_json(russian).items() if k not in same} == {
        k: v for k, v in event_json(english).items() if k not in same
    }
