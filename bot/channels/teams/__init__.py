"""Microsoft Teams channel: POST /webhooks/teams/webhook, from an Azure Bot registration.

credentials.yml names `bot.channels.teams.TeamsInput`. The channel module imports Rasa and
spaCy, so it is loaded on first use: `python -m bot teams-package` needs none of that.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.channels.teams.channel import TeamsInput

__all__ = ["TeamsInput"]


def __getattr__(name: str) -> Any:
    if name == "TeamsInput":
        from bot.channels.teams.channel import TeamsInput

        return TeamsInput
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
