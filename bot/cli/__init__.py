"""Command line: python -m bot <command>; each module registers its own commands."""
from __future__ import annotations

import argparse
from typing import List

from bot.cli import content, pack, privacy, querylog, quiz, server, settings, teams, understanding, users


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for module in (content, pack, server, querylog, privacy, teams, quiz, users, settings, understanding):
        module.register(commands)
    args = parser.parse_args(argv)
    return args.run(args)
