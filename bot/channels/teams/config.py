"""The Teams channel's settings: credentials.yml keys first, then the environment.

An IT admin sets three values in the environment: MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and
MICROSOFT_APP_TENANT_ID. The Microsoft addresses have defaults and are settable only so that
tests can point them at a fake Bot Framework, and so is TEAMS_ALLOW_HTTP_SERVICE_URL, which lets
an activity's serviceUrl be http:// (the fake runs on http://127.0.0.1). credentials.yml must not use ${...}: Rasa fails
on a variable that is not set, and the password would then live in that file's environment.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping

from bot import settings

DEFAULT_OPENID_METADATA_URL = settings.TEAMS_OPENID_METADATA_URL.default
DEFAULT_TOKEN_URL = settings.TEAMS_TOKEN_URL.default
DEFAULT_TOKEN_ISSUER = settings.TEAMS_TOKEN_ISSUER.default
# A multi-tenant registration gets its tokens from this tenant; single-tenant ones from their own.
MULTI_TENANT = "botframework.com"
TOKEN_SCOPE = "https://api.botframework.com/.default"

# credentials.yml key -> the setting read from the environment when the key is not given
_SOURCES: Dict[str, settings.Setting] = {
    "app_id": settings.MICROSOFT_APP_ID,
    "app_password": settings.MICROSOFT_APP_PASSWORD,
    "tenant_id": settings.MICROSOFT_APP_TENANT_ID,
    "openid_metadata_url": settings.TEAMS_OPENID_METADATA_URL,
    "token_url": settings.TEAMS_TOKEN_URL,
    "token_issuer": settings.TEAMS_TOKEN_ISSUER,
}


@dataclass(frozen=True)
class TeamsConfig:
    app_id: str = ""
    app_password: str = ""
    tenant_id: str = ""
    openid_metadata_url: str = DEFAULT_OPENID_METADATA_URL
    token_url_template: str = DEFAULT_TOKEN_URL
    token_issuer: str = DEFAULT_TOKEN_ISSUER
    # for tests only: replies carry the bot's token, so in production they go to https:// only
    allow_http_service_url: bool = False

    @classmethod
    def load(
        cls, credentials: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> TeamsConfig:
        credentials = credentials or {}
        def value(key: str) -> str:
            given = credentials.get(key)
            if given is None or not str(given).strip():
                given = _SOURCES[key].get(environ)
            return str(given).strip()

        def allow_http_service_url() -> bool:
            # One vocabulary for credentials.yml and the environment: the setting's own parser.
            setting, given = settings.TEAMS_ALLOW_HTTP_SERVICE_URL, credentials.get("allow_http_service_url")
            if isinstance(given, bool):
                return given
            if given is None or not str(given).strip():
                return setting.get(environ)
            return setting.parse(setting.name, str(given).strip())

        defaults = cls()
        return cls(
            app_id=value("app_id"),
            app_password=value("app_password"),
            tenant_id=value("tenant_id"),
            openid_metadata_url=value("openid_metadata_url") or defaults.openid_metadata_url,
            token_url_template=value("token_url") or defaults.token_url_template,
            token_issuer=value("token_issuer") or defaults.token_issuer,
            allow_http_service_url=allow_http_service_url(),
        )

    @property
    def configured(self) -> bool:
        return bool(self.app_id and self.app_password)

    @property
    def token_url(self) -> str:
        return self.token_url_template.replace("{tenant}", self.tenant_id or MULTI_TENANT)

    def missing(self) -> list[str]:
        return [name for name, given in (("MICROSOFT_APP_ID", self.app_id),
                                         ("MICROSOFT_APP_PASSWORD", self.app_password)) if not given]
