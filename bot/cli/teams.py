"""python -m bot teams-package: the Microsoft Teams app zip to upload in Teams admin centre."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot import settings

DEFAULT_OUT = settings.BUILD_DIR / "teams" / "teams-app.zip"


def _teams_package(args: argparse.Namespace) -> int:
    from bot.channels.teams.package import PackageError, build

    try:
        manifest = build(Path(args.out))
    except PackageError as error:
        print(f"python -m bot teams-package: error: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {args.out}: {manifest['name']['full']} {manifest['version']}, bot {manifest['id']}. "
          "Upload it in Teams admin centre > Teams apps > Manage apps > Upload new app.")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    package = commands.add_parser(
        "teams-package", help="build the Teams app package (manifest and icons) from MICROSOFT_APP_ID and TEAMS_*"
    )
    package.add_argument("--out", default=str(DEFAULT_OUT), help=f"zip to write (default: {DEFAULT_OUT})")
    package.set_defaults(run=_teams_package)
