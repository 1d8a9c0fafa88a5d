"""The Teams input channel (POST /webhooks/teams/webhook) and its output channel.

Order of work for each call: refuse it (401) unless the Bot Framework signed it for this bot,
checking the Authorization header before the body is read; refuse a body over 256 KB (413);
refuse it (401) unless the token was issued for this activity's Teams serviceUrl; then a
message goes to Rasa under the Teams conversation id, with replies posted back through the Bot
Connector; a practitioner (or the bot) joining gets the welcome directly, not through
Rasa, so it is not a query; anything else is acknowledged and ignored. The text of messages and
the tokens never reach the log.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.teams.activity import Activity, needs_welcome, parse
from bot.channels.teams.auth import Authenticator, AuthError, SigningKeys
from bot.channels.teams.cards import buttons_card, image_card
from bot.channels.teams.config import TeamsConfig
from bot.channels.teams.connector import Connector, ConversationReference, TokenSource
from bot.channels.teams.formatting import teams_markdown
from bot.channels.teams.http import HttpClient
from bot.content.welcome import welcome
from bot.privacy import log_privacy

log_privacy.install()  # Rasa's structured log events would otherwise carry the message text

logger = logging.getLogger(__name__)

CHANNEL = "teams"
# Keys of a custom response that may go into a reply; the rest of the activity is ours.
CUSTOM_KEYS = ("text", "textFormat", "attachments", "attachmentLayout", "summary", "suggestedActions")
# Teams activities are a few KB; a message is at most 28 KB of text.
MAX_BODY_BYTES = 256 * 1024


class BodyTooLarge(Exception):
    pass


class TeamsOutput(OutputChannel):
    def __init__(self, connector: Connector, to: ConversationReference) -> None:
        self.connector = connector
        self.to = to

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        if text and text.strip():
            await self.connector.send(self.to, {"text": teams_markdown(text), "textFormat": "markdown"})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.connector.send(self.to, {"textFormat": "markdown", "attachments": [buttons_card(text, buttons)]})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.connector.send(self.to, {"attachments": [image_card(image)]})

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        content = {key: json_message[key] for key in CUSTOM_KEYS if key in json_message}
        if content:
            await self.connector.send(self.to, content)
        else:
            await super().send_custom_json(recipient_id, json_message, **kwargs)


class TeamsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        if credentials and credentials.get("app_password"):
            logger.warning("credentials.yml holds the Teams app password: set MICROSOFT_APP_PASSWORD instead")
        return cls(TeamsConfig.load(credentials))

    def __init__(self, config: TeamsConfig | None = None) -> None:
        self.config = config or TeamsConfig.load()
        self.http = HttpClient()
        self.authenticator: Authenticator | None = None
        self.connector: Connector | None = None
        if not self.config.configured:
            missing = self.config.missing()
            logger.warning("Microsoft Teams channel is off until %s %s set: its webhook answers 503",
                           " and ".join(missing), "are" if len(missing) > 1 else "is")
            return
        if self.config.allow_http_service_url:
            logger.warning("TEAMS_ALLOW_HTTP_SERVICE_URL is on: Teams replies may go to http:// addresses. "
                           "This is for tests only")
        keys = SigningKeys(self.http, self.config.openid_metadata_url)
        self.authenticator = Authenticator(keys, self.config.app_id, self.config.token_issuer,
                                           allow_http_service_url=self.config.allow_http_service_url)
        tokens = TokenSource(self.http, self.config.token_url, self.config.app_id, self.config.app_password)
        self.connector = Connector(self.http, tokens)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        teams = Blueprint("teams_webhook", __name__)

        @teams.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.config.configured else "not configured"})

        # streamed, so that a call is authenticated and its size capped before its body is read
        @teams.route("/webhook", methods=["POST"], stream=True)
        async def webhook(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        @teams.listener("after_server_stop")
        async def close(app: Any, loop: Any) -> None:
            await self.http.close()

        return teams

    async def handle(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        if self.authenticator is None or self.connector is None:
            return response.text(
                "The Microsoft Teams channel is not configured: set " + " and ".join(self.config.missing()) + ".",
                status=503,
            )
        try:
            token = await self.authenticator.verify(request.headers.get("Authorization"))
            raw = _json(await _body(request))
            self.authenticator.check_activity(token, raw if isinstance(raw, dict) else {})
        except AuthError as error:
            logger.debug("Teams request refused: %s", error)
            return response.text("Unauthorized", status=401)
        except BodyTooLarge:
            logger.debug("Teams request refused: body over %s bytes", MAX_BODY_BYTES)
            return response.text("Payload Too Large", status=413)
        activity = parse(raw)
        if activity is None:
            return response.text("Not a Bot Framework activity", status=400)
        to = _reference(activity)
        if to is not None and activity.type == "message" and activity.text:
            await self._on_message(activity, to, on_new_message)
        elif to is not None and needs_welcome(activity):
            await self._welcome(to)
        return response.text("", status=200)

    async def _on_message(
        self, activity: Activity, to: ConversationReference, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        assert self.connector is not None
        message = UserMessage(
            text=activity.text,
            output_channel=TeamsOutput(self.connector, to),
            # the tracker store files it under a keyed hash of this, never the id itself
            sender_id=activity.conversation_id,
            input_channel=CHANNEL,
        )
        try:
            await on_new_message(message)
        except Exception as error:  # answered 200 all the same: a retried activity would be handled twice
            logger.error("A Teams message could not be handled (%s)", type(error).__name__)

    async def _welcome(self, to: ConversationReference) -> None:
        assert self.connector is not None
        try:
            greeting = welcome()
        except Exception as error:  # a content problem must not fail the webhook
            logger.error("The Teams welcome could not be rendered (%s)", type(error).__name__)
            return
        await TeamsOutput(self.connector, to).send_text_with_buttons(
            to.user.get("id", ""), greeting["text"], greeting["buttons"]
        )


async def _body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, read no further than `limit` bytes."""
    try:
        declared = int(request.headers.get("Content-Length", "0"))
    except ValueError:
        declared = 0
    if declared > limit:
        raise BodyTooLarge()
    body = request.body  # already read if the route is not streamed
    if not body and request.stream is not None:
        chunks: List[bytes] = []
        size = 0
        async for chunk in request.stream:
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge()
            chunks.append(chunk)
        body = b"".join(chunks)
    if len(body) > limit:
        raise BodyTooLarge()
    return body


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _reference(activity: Activity) -> ConversationReference | None:
    """Where replies go, or None when the activity does not say."""
    if not activity.service_url or not activity.conversation_id:
        return None
    return ConversationReference(
        service_url=activity.service_url,
        conversation=activity.conversation,
        bot=activity.recipient,
        user=activity.sender,
        reply_to_id=activity.id,
    )
