"""Reads what matters from an incoming Bot Framework activity, whatever shape it arrives in.

Teams puts `<at>Bot</at>` in a message that mentions the bot, and lists each mention in the
activity's entities (type "mention", with the account mentioned and the `<at>…</at>` text). It may
send a little HTML, and sends a card button press as `value` (with empty text or the payload as
text). The text Rasa gets is the button's payload, or the typed text without the mentions of the
bot or markup, made safe like the REST channel's. A mention of anyone else stays as their name,
for the redactor downstream to deal with.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Set

from bot.channels.rest import MAX_MESSAGE_LENGTH, plain_unless_payload
from bot.privacy.redactor import clean

_MENTION = re.compile(r"<at\b[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
# Without mention entities, only a mention that opens the message is taken to be of the bot.
_LEADING_MENTION = re.compile(r"^((?:\s*<(?!at\b)[A-Za-z][^<>]*>)*)\s*<at\b[^>]*>.*?</at>",
                              re.IGNORECASE | re.DOTALL)
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
    return plain_unless_payload(plain_text(typed, bot_mentions(raw)))


def bot_mentions(raw: Dict[str, Any]) -> Set[str] | None:
    """The names the bot is mentioned by, from the mention entities; None if there are none at all."""
    entities = [entity for entity in _list(raw.get("entities"))
                if isinstance(entity, dict) and entity.get("type") == "mention"]
    if not entities:
        return None
    bot_id = _account(raw.get("recipient")).get("id")
    names = set()
    for entity in entities:
        mentioned = _account(entity.get("mentioned"))
        if bot_id is None or mentioned.get("id") != bot_id:
            continue
        text = entity.get("text")
        if isinstance(text, str) and text.strip():
            tagged = _MENTION.search(text)
            names.add(_name(tagged.group(1) if tagged else text))
        elif "name" in mentioned:
            names.add(_name(mentioned["name"]))
    return names


def plain_text(text: str, mentions_of_bot: Set[str] | None = None) -> str:
    """Typed text without the bot's @mentions and HTML markup; other mentions become plain names.

    mentions_of_bot: the names in the bot's mentions; None when the activity lists no mentions at
    all, and then a mention that opens the text is taken to be the bot's.
    """
    if mentions_of_bot is None:
        text = _LEADING_MENTION.sub(lambda match: match.group(1) + " ", text, count=1)
    else:
        text = _MENTION.sub(lambda match: " " if _name(match.group(1)) in mentions_of_bot else match.group(0), text)
    text = _LINE_BREAK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    text = _SPACES.sub(" ", text.replace("\u00a0", " "))
    return _BLANK_LINES.sub("\n", text).strip()


def _name(mention: str) -> str:
    """A mentioned name, compared without markup, case or spacing."""
    return " ".join(html.unescape(_TAG.sub("", mention)).split()).casefold()


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
