"""python -m bot teams-package: the zip, its manifest and icons, and its errors."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Dict

import pytest
from PIL import Image

from bot.channels.teams.package import COMMANDS, PackageError, build
from bot.cli import main
from bot.content.welcome import partnership_name

APP_ID = "0F9E2B6C-1D2A-4C3B-8E7F-123456789ABC"
ENV = {
    "MICROSOFT_APP_ID": APP_ID,
    "TEAMS_DEVELOPER_NAME": "West Cheshire LSCB",
    "TEAMS_WEBSITE_URL": "https://www.example.gov.uk/missing",
    "TEAMS_PRIVACY_URL": "https://www.example.gov.uk/privacy",
    "TEAMS_TERMS_URL": "https://www.example.gov.uk/terms",
}
OPTIONAL = ("TEAMS_APP_NAME", "TEAMS_APP_SHORT_NAME", "TEAMS_APP_VERSION", "TEAMS_ICON_COLOR", "TEAMS_ICON_OUTLINE")


def unzip(path: Path) -> Dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_package_holds_a_manifest_and_two_icons(tmp_path: Path) -> None:
    out = tmp_path / "teams" / "app.zip"
    build(out, ENV)
    files = unzip(out)
    assert sorted(files) == ["color.png", "manifest.json", "outline.png"]
    manifest = json.loads(files["manifest.json"])
    assert manifest["$schema"] == "https://developer.microsoft.com/en-us/json-schemas/teams/v1.16/MicrosoftTeams.schema.json"
    assert manifest["manifestVersion"] == "1.16" and manifest["version"] == "1.0.0"
    assert manifest["id"] == APP_ID.lower()
    assert manifest["developer"] == {"name": "West Cheshire LSCB", "websiteUrl": ENV["TEAMS_WEBSITE_URL"],
                                     "privacyUrl": ENV["TEAMS_PRIVACY_URL"], "termsOfUseUrl": ENV["TEAMS_TERMS_URL"]}
    assert manifest["name"]["full"].startswith(partnership_name()) and len(manifest["name"]["full"]) <= 100
    assert 0 < len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80 and len(manifest["description"]["full"]) <= 4000
    assert "999" in manifest["description"]["full"] and partnership_name() in manifest["description"]["full"]
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["accentColor"].startswith("#") and len(manifest["accentColor"]) == 7
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID.lower() and bot["scopes"] == ["personal", "team", "groupChat"]
    [commands] = bot["commandLists"]
    assert commands["scopes"] == bot["scopes"] and 3 <= len(commands["commands"]) <= 10
    for command in commands["commands"]:
        assert 0 < len(command["title"]) <= 32 and 0 < len(command["description"]) <= 128
    assert isinstance(manifest["permissions"], list) and manifest["validDomains"] == []


def test_icons_are_the_sizes_teams_requires_and_the_outline_is_white_on_transparent(tmp_path: Path) -> None:
    build(tmp_path / "app.zip", ENV)
    files = unzip(tmp_path / "app.zip")
    color = Image.open(io.BytesIO(files["color.png"]))
    assert color.format == "PNG" and color.size == (192, 192)
    outline = Image.open(io.BytesIO(files["outline.png"]))
    assert outline.format == "PNG" and outline.size == (32, 32) and outline.mode == "RGBA"
    pixels = [outline.getpixel((x, y)) for y in range(32) for x in range(32)]
    visible = [pixel for pixel in pixels if pixel[3] > 0]
    assert visible and {pixel[:3] for pixel in visible} == {(255, 255, 255)}
    assert pixels[0][3] == 0  # the corner is transparent


def test_names_version_and_icons_can_be_set(tmp_path: Path) -> None:
    icon = tmp_path / "logo.png"
    Image.new("RGB", (192, 192), "red").save(icon)
    manifest = build(tmp_path / "app.zip", {**ENV, "TEAMS_APP_NAME": "Missing kids helper",
                                            "TEAMS_APP_VERSION": "2.3.4", "TEAMS_ICON_COLOR": str(icon)})
    assert manifest["name"] == {"short": "Missing kids helper", "full": "Missing kids helper"}
    assert manifest["version"] == "2.3.4"
    assert unzip(tmp_path / "app.zip")["color.png"] == icon.read_bytes()


def test_the_same_settings_give_the_same_zip(tmp_path: Path) -> None:
    build(tmp_path / "a.zip", ENV)
    build(tmp_path / "b.zip", ENV)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


@pytest.mark.parametrize("changes, expected", [
    ({"MICROSOFT_APP_ID": ""}, "MICROSOFT_APP_ID is not set"),
    ({"MICROSOFT_APP_ID": "my-bot"}, "MICROSOFT_APP_ID 'my-bot' is not a GUID"),
    ({"TEAMS_DEVELOPER_NAME": " "}, "TEAMS_DEVELOPER_NAME is not set"),
    ({"TEAMS_DEVELOPER_NAME": "x" * 33}, "TEAMS_DEVELOPER_NAME is 33 characters"),
    ({"TEAMS_WEBSITE_URL": ""}, "TEAMS_WEBSITE_URL is not set"),
    ({"TEAMS_PRIVACY_URL": "http://www.example.gov.uk/privacy"},
     "TEAMS_PRIVACY_URL 'http://www.example.gov.uk/privacy' is not an https:// address"),
    ({"TEAMS_TERMS_URL": "https://"}, "TEAMS_TERMS_URL 'https://' is not an https:// address"),
    ({"TEAMS_TERMS_URL": "terms.html"}, "TEAMS_TERMS_URL 'terms.html' is not an https:// address"),
    ({"TEAMS_APP_VERSION": "1.0"}, "TEAMS_APP_VERSION '1.0' is not a version like 1.0.0"),
    ({"TEAMS_APP_SHORT_NAME": "y" * 31}, "TEAMS_APP_SHORT_NAME is 31 characters"),
    ({"TEAMS_APP_NAME": "z" * 101}, "TEAMS_APP_NAME (the full name) is 101 characters"),
    ({"TEAMS_ICON_OUTLINE": "/nonexistent/outline.png"},
     "TEAMS_ICON_OUTLINE '/nonexistent/outline.png' cannot be read"),
])
def test_a_wrong_setting_is_refused_with_a_clear_error(tmp_path: Path, changes: Dict[str, str], expected: str) -> None:
    with pytest.raises(PackageError) as refused:
        build(tmp_path / "app.zip", {**ENV, **changes})
    assert expected in str(refused.value)
    assert not (tmp_path / "app.zip").exists()


def test_an_icon_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    icon = tmp_path / "outline.png"
    Image.new("RGBA", (64, 64)).save(icon)
    with pytest.raises(PackageError, match="TEAMS_ICON_OUTLINE .* must be a 32x32 PNG"):
        build(tmp_path / "app.zip", {**ENV, "TEAMS_ICON_OUTLINE": str(icon)})


def test_the_command_lists_every_problem_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture) -> None:
    for name in [*ENV, *OPTIONAL]:
        monkeypatch.delenv(name, raising=False)
    assert main(["teams-package", "--out", str(tmp_path / "app.zip")]) == 2
    error = capsys.readouterr().err
    for name in ENV:
        assert f"{name} is not set" in error
    assert not (tmp_path / "app.zip").exists()


def test_the_command_writes_the_zip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    for name in OPTIONAL:
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "nested" / "teams-app.zip"
    assert main(["teams-package", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert json.loads(unzip(out)["manifest.json"])["id"] == APP_ID.lower()


def test_command_titles_are_questions_not_payloads() -> None:
    # Teams sends a command's title as typed text: it must read as a question, never as "/intent"
    assert all(not title.startswith("/") for title, _ in COMMANDS)
