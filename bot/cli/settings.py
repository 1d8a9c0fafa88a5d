"""python -m bot settings: every environment variable the project reads, its value (secrets hidden), its meaning."""
from __future__ import annotations

import argparse

from bot import settings


def _settings(_args: argparse.Namespace) -> int:
    width = max(len(setting.name) for setting in settings.ALL)
    for setting in settings.ALL:
        print(f"{setting.name:<{width}}  {setting.shown()}")
        print(f"{'':<{width}}  {setting.meaning}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("settings", help="list every setting read from the environment, secrets hidden")
    command.set_defaults(run=_settings)
