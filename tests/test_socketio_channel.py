"""The web chat's channel sends a message's answers only once its conversation is kept with them."""
from __future__ import annotations

import asyncio
from typing import Any, List, Tuple

from rasa.core.channels.channel import UserMessage

from bot.channels.rest import REFUSAL
from bot.channels.socketio import SafeSocketIOInput
from bot.conversation_store import ConversationStoreUnavailable


def emitted_for(process: Any) -> List[Tuple[str, Any]]:
    """What the page hears for one message, with `process` standing in for Rasa's message handling."""
    channel = SafeSocketIOInput(session_persistence=False)
    channel.blueprint(process)
    heard: List[Tuple[str, Any]] = []

    async def emit(event: str, data: Any, room: str | None = None, **_: Any) -> None:
        heard.append((event, data))

    channel.sio.emit = emit  # type: ignore[union-attr, method-assign]
    handler = channel.sio.handlers["/"]["user_uttered"]  # type: ignore[union-attr]
    asyncio.run(handler("socket-1", {"message": "who do I tell?"}))
    return heard


def test_an_answer_whose_conversation_could_not_be_kept_never_reaches_the_page() -> None:
    async def answered_then_not_saved(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Tell the police.")
        raise ConversationStoreUnavailable("OperationalError")

    assert emitted_for(answered_then_not_saved) == [("bot_uttered", {"text": REFUSAL["error"]})]


def test_a_kept_answer_reaches_the_page_as_before() -> None:
    async def answered(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Tell the police.\n\nThen the SW.")
        await message.output_channel.send_text_with_buttons(message.sender_id, "More?", [
            {"title": "Yes", "payload": "/affirm"}])

    assert emitted_for(answered) == [
        ("bot_uttered", {"text": "Tell the police."}),
        ("bot_uttered", {"text": "Then the SW."}),
        ("bot_uttered", {"text": "More?", "quick_replies": [
            {"content_type": "text", "title": "Yes", "payload": "/affirm"}]}),
    ]
