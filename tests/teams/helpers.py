"""Activities as Teams sends them, for the Teams channel tests."""
from __future__ import annotations

import uuid
from typing import Any, Dict

APP_ID = "8f0b2c1e-4d3a-4b5c-9e6f-0a1b2c3d4e5f"
APP_PASSWORD = "fake-client-secret-do-not-log"
BOT_ID = f"28:{APP_ID}"


def conversation_id() -> str:
    return f"a:1{uuid.uuid4().hex}"


def activity(kind: str, service_url: str, conversation: str | None = None, conversation_type: str = "personal",
             **fields: Any) -> Dict[str, Any]:
    return {
        "type": kind,
        "id": uuid.uuid4().hex[:12],
        "timestamp": "2026-11-22T10:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": "29:practitioner", "name": "A Practitioner", "aadObjectId": str(uuid.uuid4())},
        "conversation": {"id": conversation or conversation_id(), "conversationType": conversation_type,
                         "tenantId": "11111111-2222-3333-4444-555555555555"},
        "recipient": {"id": BOT_ID, "name": "Missing children assistant"},
        **fields,
    }


def message(service_url: str, text: str = "", conversation: str | None = None, **fields: Any) -> Dict[str, Any]:
    return activity("message", service_url, conversation, text=text, textFormat="plain", **fields)


def members_added(service_url: str, *member_ids: str, conversation: str | None = None,
                  conversation_type: str = "personal") -> Dict[str, Any]:
    return activity("conversationUpdate", service_url, conversation, conversation_type,
                    membersAdded=[{"id": member} for member in member_ids])


def mention(account_id: str, name: str) -> Dict[str, Any]:
    """A mention entity, as Teams lists each `<at>name</at>` in a message's entities."""
    return {"type": "mention", "mentioned": {"id": account_id, "name": name}, "text": f"<at>{name}</at>"}


def card_text(reply_activity: Dict[str, Any]) -> str:
    """The visible text of a reply: its text, and the text blocks of its Adaptive Cards."""
    parts = [reply_activity.get("text") or ""]
    for attachment in reply_activity.get("attachments") or []:
        for element in attachment.get("content", {}).get("body", []):
            if element.get("type") == "TextBlock":
                parts.append(element["text"])
    return "\n".join(part for part in parts if part)


def card_actions(reply_activity: Dict[str, Any]) -> list:
    return [action for attachment in reply_activity.get("attachments") or []
            for element in attachment.get("content", {}).get("body", []) if element.get("type") == "ActionSet"
            for action in element["actions"]]
