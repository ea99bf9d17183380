"""The channels of market quotes for people: the order they are shown in, and reading a
channel's name from the command line (its own value or a friendly spelling).

Pure, standard library and :mod:`providers.market_quote` only.
"""

from __future__ import annotations

from providers.market_quote import Channel
from ticker.i18n.words import _

__all__ = ["CHANNEL_ORDER", "parse_channel"]

#: The channels in the order they are shown: what people meet first, the interbank last.
CHANNEL_ORDER: tuple[Channel, ...] = (
    Channel.CASH,
    Channel.NONCASH,
    Channel.CARD,
    Channel.EWALLET,
    Channel.TRANSFER,
    Channel.INTERBANK,
)

#: The spellings :func:`parse_channel` reads besides the channels' own values.
_CHANNEL_SPELLINGS: dict[str, Channel] = {
    "non-cash": Channel.NONCASH,
    "cashless": Channel.NONCASH,
    "cards": Channel.CARD,
    "e-wallet": Channel.EWALLET,
    "e-wallets": Channel.EWALLET,
    "ewallets": Channel.EWALLET,
    "wallet": Channel.EWALLET,
    "transfers": Channel.TRANSFER,
    "money-transfers": Channel.TRANSFER,
    "inter-bank": Channel.INTERBANK,
}


def parse_channel(text: str) -> Channel:
    """The channel ``text`` names, case-insensitively: a channel's own value (``cash``,
    ``noncash``, ``card``, ``ewallet``, ``transfer``, ``interbank``) or a friendly
    spelling (``non-cash``, ``cards``, ``e-wallet``, ``transfers``; ``_`` or a space for
    ``-``). Raises ``ValueError`` listing the choices otherwise."""
    word = text.strip().lower().replace("_", "-").replace(" ", "-")
    for channel in Channel:
        if word == channel.value:
            return channel
    if word in _CHANNEL_SPELLINGS:
        return _CHANNEL_SPELLINGS[word]
    choices = ", ".join(channel.value for channel in CHANNEL_ORDER)
    raise ValueError(
        _("unknown channel {text}: choose one of {choices}").format(
            text=repr(text), choices=choices
        )
    )
