"""Reads what matters from an incoming Bot Framework activity, whatever shape it arrives in.

Teams puts `<at>Bot</at>` in a message that mentions the bot, may send a little HTML, and sends a
card button press as `value` (with empty text or the payload as text). The text Rasa gets is the
button's payload, or the typed text without mentions or markup, made safe like the REST channel's.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List

from bot.channels.rest import MAX_MESSAGE_LENGTH, plain_unless_payload
from bot.privacy.redactor import clean

_MENTION = re.compile(r"\s*<at\b[^>]*>.*?</at>\s*", re.IGNORECASE | re.DOTALL)
_LINE_BREAK = re.compile(r"<br\s*/?>|</p>|</div>", re.IGNORECASE)
# A tag starts with a letter, so "age < 16" is left alone.
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class Activity:
    type: str
    id: str | None
    service_url: str | None
    channel_id: str | None
    conversation: Dict[str, Any]
    sender: Dict[str, Any]
    recipient: Dict[str, Any]
    text: str = ""
    members_added: List[str] = field(default_factory=list)

    @property
    def conversation_id(self) -> str | None:
        conversation_id = self.conversation.get("id")
        return conversation_id if isinstance(conversation_id, str) and conversation_id else None

    @property
    def conversation_type(self) -> str | None:
        kind = self.conversation.get("conversationType")
        return kind if isinstance(kind, str) else None

    @property
    def bot_id(self) -> str | None:
        bot_id = self.recipient.get("id")
        return bot_id if isinstance(bot_id, str) else None


def parse(raw: Any) -> Activity | None:
    """The activity, or None if it is not a JSON object with a type."""
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        return None
    kind = raw["type"]
    return Activity(
        type=kind,
        id=_string(raw.get("id")),
        service_url=_string(raw.get("serviceUrl")),
        channel_id=_string(raw.get("channelId")),
        conversation=_object(raw.get("conversation")),
        sender=_account(raw.get("from")),
        recipient=_account(raw.get("recipient")),
        text=message_text(raw) if kind == "message" else "",
        members_added=[member["id"] for member in _list(raw.get("membersAdded"))
                       if isinstance(member, dict) and isinstance(member.get("id"), str)],
    )


def message_text(raw: Dict[str, Any]) -> str:
    """What Rasa should read: a pressed button's payload, else the typed text, cleaned."""
    value = raw.get("value")
    payload = value.get("payload") if isinstance(value, dict) else None
    if isinstance(payload, str) and payload.strip():
        return plain_unless_payload(clean(payload[:MAX_MESSAGE_LENGTH]).strip())
    typed = raw.get("text")
    typed = clean(typed[:MAX_MESSAGE_LENGTH]) if isinstance(typed, str) else ""
    return plain_unless_payload(plain_text(typed))


def plain_text(text: str) -> str:
    """Typed text without @mentions and HTML markup."""
    text = _MENTION.sub(" ", text)
    text = _LINE_BREAK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    text = _SPACES.sub(" ", text.replace("\u00a0", " "))
    return _BLANK_LINES.sub("\n", text).strip()


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _object(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else []


def _account(value: Any) -> Dict[str, Any]:
    """Only the id and name of an account: replies need no more, and keep no more."""
    account = _object(value)
    return {key: account[key] for key in ("id", "name") if isinstance(account.get(key), str)}


def needs_welcome(activity: Activity) -> bool:
    """Whether a conversationUpdate should get the welcome message.

    In a personal chat, yes when anyone is added: Teams names the bot itself when a practitioner
    installs the app, other Bot Framework clients name the practitioner. In a team or group chat,
    only when the bot itself joins: one introduction, not one for every newcomer.
    """
    added = set(activity.members_added)
    if activity.type != "conversationUpdate" or not added:
        return False
    if activity.conversation_type in ("channel", "groupChat"):
        return activity.bot_id in added
    return True
