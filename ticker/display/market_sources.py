"""Whether each market source (banks' and exchange offices' boards) is polled, and why
not, as ``ticker providers`` and ``ticker config check`` say it:

    nbt-banks  on
    fx-kg      off: no token (set [providers.fx-kg] token or TICKER_FXKG_TOKEN)
    kurs-kz    off: third party, set [providers.kurs-kz] enabled = true

The words of why one is off are the configuration's
(:func:`~ticker.config.sources.off_reason_said`; the JSON's stay English:
:func:`~ticker.config.sources.off_reason`). Never a token: only whether one is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from ticker.config import PROVIDERS, Settings, off_reason, off_reason_said
from ticker.i18n.words import N_, _

#: The heading of the block of market sources.
HEADING = N_("Market sources (banks' and offices' buy and sell, never an official rate):")


@dataclass(frozen=True, slots=True)
class MarketState:
    """A market source as the lists of sources show it: on, or why not."""

    provider: str
    third_party: bool
    off: str | None
    """Why it is not polled (None: it is), in English: a value of the JSON outputs."""
    off_said: str | None = None
    """The same in the user's language, for a person to read."""

    @property
    def on(self) -> bool:
        return self.off is None


def market_states(settings: Settings) -> list[MarketState]:
    """Every configured market source, in configuration order."""
    return [
        MarketState(
            name,
            PROVIDERS[name].third_party,
            off_reason(name, conf),
            off_reason_said(name, conf),
        )
        for name, conf in settings.providers.items()
        if name in PROVIDERS and PROVIDERS[name].kind == "market"
    ]


def market_lines(states: list[MarketState]) -> list[str]:
    """The heading and a line per source (nothing when there is none)."""
    if not states:
        return []
    width = max(len(s.provider) for s in states)
    lines = [_(HEADING)]
    for s in states:
        said = s.off_said or s.off or (_("on, third party") if s.third_party else _("on"))
        lines.append(f"  {s.provider:<{width}}  {said}")
    return lines


def market_json(states: list[MarketState]) -> list[dict[str, object]]:
    return [
        {"provider": s.provider, "on": s.on, "third_party": s.third_party, "off": s.off}
        for s in states
    ]
