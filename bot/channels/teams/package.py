"""The Teams app package that an admin uploads in Teams admin centre: manifest.json and two icons.

Everything that differs between deployments comes from the environment, and each value is
checked here, so a wrong package is refused on the command line rather than by Teams later.
The icons are drawn with Pillow unless TEAMS_ICON_COLOR / TEAMS_ICON_OUTLINE name PNG files.
"""
from __future__ import annotations

import io
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Tuple
from urllib.parse import urlsplit

from PIL import Image, ImageDraw

from bot import settings
from bot.content import welcome

MANIFEST_VERSION = "1.16"
SCHEMA = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = "#1F4E79"
COLOR_SIZE = 192
OUTLINE_SIZE = 32
SCOPES = ["personal", "team", "groupChat"]
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_VERSION = re.compile(r"(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same inputs give the same zip

DEFAULT_SHORT_NAME = "Missing children assistant"
SHORT_DESCRIPTION = "Missing from home or care: who to tell, what to do, and when the child is found."
FULL_DESCRIPTION = (
    "For safeguarding practitioners in England: police, social workers, foster and residential carers, "
    "teachers and designated safeguarding leads, health staff and youth justice workers. Ask what to do "
    "when a child goes missing from home or care, who to notify, what happens when the child is found "
    "(safe and well check, return home interview), how to escalate a concern, and who to contact locally. "
    "Answers follow {partnership}'s missing from home and care protocol and national guidance, and name "
    "their sources. If a child is in immediate danger, call 999. The assistant does not replace your "
    "safeguarding lead or local procedures. Please do not type children's names: messages are stored "
    "only with personal details removed, under a pseudonym."
)
# Teams offers these as commands; each title is sent as typed text, so each is a question the
# assistant understands (checked against the trained model in tests/teams/test_fake_botframework.py).
COMMANDS: List[Tuple[str, str]] = [
    ("Report a missing child", "Who to tell and what to do when a child goes missing"),
    ("Missing child found, what now", "What to do when a missing child is found or comes back"),
    ("Return home interview", "Who carries out the return home interview, and when"),
    ("What is the Philomena Protocol", "The form that helps police find a missing child in care"),
    ("How do I escalate a concern", "When agencies disagree about a missing child"),
    ("Local contacts", "Local numbers and contacts for your area"),
    ("What can you help with", "The topics the assistant covers"),
]


class PackageError(Exception):
    """The environment does not describe a valid app; the message lists every problem."""


@dataclass(frozen=True)
class AppSettings:
    app_id: str
    version: str
    short_name: str
    full_name: str
    developer_name: str
    website_url: str
    privacy_url: str
    terms_url: str
    partnership: str

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], partnership_name: Callable[[], str]) -> AppSettings:
        problems: List[str] = []

        def get(name: str) -> str:
            return str(settings.BY_NAME[name].get(environ)).strip()

        app_id = get("MICROSOFT_APP_ID")
        if not app_id:
            problems.append("MICROSOFT_APP_ID is not set: it is the Azure Bot's Microsoft App ID (a GUID)")
        elif not _GUID.fullmatch(app_id):
            problems.append(f"MICROSOFT_APP_ID {app_id!r} is not a GUID like 00000000-0000-0000-0000-000000000000")

        version = get("TEAMS_APP_VERSION") or "1.0.0"
        if not _VERSION.fullmatch(version):
            problems.append(f"TEAMS_APP_VERSION {version!r} is not a version like 1.0.0")

        partnership = partnership_name()
        full_name = get("TEAMS_APP_NAME") or f"{partnership} missing children assistant"
        short_name = get("TEAMS_APP_SHORT_NAME") or (
            full_name if get("TEAMS_APP_NAME") and len(full_name) <= 30 else DEFAULT_SHORT_NAME)
        _check_length(problems, "TEAMS_APP_NAME (the full name)", full_name, 100)
        _check_length(problems, "TEAMS_APP_SHORT_NAME", short_name, 30)

        developer_name = get("TEAMS_DEVELOPER_NAME")
        if not developer_name:
            problems.append("TEAMS_DEVELOPER_NAME is not set: the organisation that publishes the app")
        _check_length(problems, "TEAMS_DEVELOPER_NAME", developer_name, 32)

        urls = {name: get(name) for name in ("TEAMS_WEBSITE_URL", "TEAMS_PRIVACY_URL", "TEAMS_TERMS_URL")}
        for name, url in urls.items():
            problem = _url_problem(url)
            if problem:
                problems.append(f"{name} {problem}")

        if problems:
            raise PackageError("cannot build the Teams app package:\n  " + "\n  ".join(problems))
        return cls(app_id.lower(), version, short_name, full_name, developer_name, urls["TEAMS_WEBSITE_URL"],
                   urls["TEAMS_PRIVACY_URL"], urls["TEAMS_TERMS_URL"], partnership)


def _check_length(problems: List[str], name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        problems.append(f"{name} is {len(value)} characters; Teams allows at most {limit}")


def _url_problem(url: str) -> str | None:
    if not url:
        return "is not set: it must be an https:// address"
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in url) or len(url) > 2048:
        return f"{url!r} is not an https:// address"
    return None


def manifest(app: AppSettings) -> Dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": app.version,
        "id": app.app_id,
        "developer": {
            "name": app.developer_name,
            "websiteUrl": app.website_url,
            "privacyUrl": app.privacy_url,
            "termsOfUseUrl": app.terms_url,
        },
        "name": {"short": app.short_name, "full": app.full_name},
        "description": {"short": SHORT_DESCRIPTION, "full": FULL_DESCRIPTION.format(partnership=app.partnership)},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app.app_id,
                "scopes": SCOPES,
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": SCOPES,
                     "commands": [{"title": title, "description": text} for title, text in COMMANDS]},
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def _bubble(draw: ImageDraw.ImageDraw, size: int, bubble: Any, figure: Any, stroke: int = 0) -> None:
    """A speech bubble with a person in it, scaled to `size`."""

    def box(*fractions: float) -> List[float]:
        return [f * size for f in fractions]

    outline = bubble if stroke else None
    fill = None if stroke else bubble
    draw.rounded_rectangle(box(0.12, 0.16, 0.88, 0.70), radius=0.12 * size, fill=fill, outline=outline, width=stroke)
    draw.polygon(box(0.26, 0.66, 0.44, 0.66, 0.24, 0.86), fill=bubble)
    draw.ellipse(box(0.41, 0.24, 0.59, 0.42), fill=figure)
    draw.pieslice(box(0.31, 0.46, 0.69, 0.80), start=180, end=360, fill=figure)


def color_icon() -> bytes:
    scale = 4  # drawn large and scaled down, for smooth edges
    image = Image.new("RGB", (COLOR_SIZE * scale, COLOR_SIZE * scale), ACCENT)
    _bubble(ImageDraw.Draw(image), COLOR_SIZE * scale, "white", ACCENT)
    return _png(image.resize((COLOR_SIZE, COLOR_SIZE), Image.LANCZOS))


def outline_icon() -> bytes:
    """White on transparent, as Teams requires."""
    scale = 8
    image = Image.new("RGBA", (OUTLINE_SIZE * scale, OUTLINE_SIZE * scale), (255, 255, 255, 0))
    white = (255, 255, 255, 255)
    _bubble(ImageDraw.Draw(image), OUTLINE_SIZE * scale, white, white, stroke=2 * scale)
    return _png(image.resize((OUTLINE_SIZE, OUTLINE_SIZE), Image.LANCZOS))


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _icon(environ: Mapping[str, str], name: str, size: int, draw: Callable[[], bytes],
          problems: List[str]) -> bytes:
    path = settings.BY_NAME[name].get(environ)
    if not path:
        return draw()
    try:
        data = Path(path).read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG" or image.size != (size, size):
                problems.append(f"{name} {path!r} must be a {size}x{size} PNG (it is a {image.format} "
                                f"of {image.size[0]}x{image.size[1]})")
    except OSError as error:
        problems.append(f"{name} {path!r} cannot be read as an image ({type(error).__name__})")
        return b""
    return data


def build(out: Path, environ: Mapping[str, str] | None = None,
          partnership_name: Callable[[], str] | None = None) -> Dict[str, Any]:
    """Writes the zip to `out`; returns the manifest."""
    environ = os.environ if environ is None else environ
    app = AppSettings.from_environment(environ, partnership_name or welcome.partnership_name)
    problems: List[str] = []
    icons = {
        "color.png": _icon(environ, "TEAMS_ICON_COLOR", COLOR_SIZE, color_icon, problems),
        "outline.png": _icon(environ, "TEAMS_ICON_OUTLINE", OUTLINE_SIZE, outline_icon, problems),
    }
    if problems:
        raise PackageError("cannot build the Teams app package:\n  " + "\n  ".join(problems))
    content = manifest(app)
    files = {"manifest.json": json.dumps(content, indent=2, ensure_ascii=False).encode("utf-8"), **icons}
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return content
