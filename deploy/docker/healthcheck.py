"""The images' health check: each server the container runs answers on its port (no curl in the images).

It reads what runs, and on which ports, from the command line of `python -m bot serve` or `python -m bot web`
in the container (deploy/docker/entrypoint starts one of them), so it follows the ports however they were set.
"""
from __future__ import annotations

import argparse
import sys
import urllib.request
from pathlib import Path
from typing import List, Tuple

TIMEOUT_SECONDS = 5


def bot_command() -> List[str]:
    """The arguments after `-m bot` of the container's serve or web process; empty if there is none."""
    for cmdline in sorted(Path("/proc").glob("[0-9]*/cmdline")):
        try:
            arguments = [part.decode() for part in cmdline.read_bytes().split(b"\0") if part]
        except OSError:
            continue
        for index in range(len(arguments) - 2):
            if arguments[index:index + 2] == ["-m", "bot"] and arguments[index + 2] in ("serve", "web"):
                return arguments[index + 2:]
    return []


def probes(command: List[str]) -> List[Tuple[str, str]]:
    """(name, url) for each server the command starts."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("command")
    parser.add_argument("--servers", default="actions,rasa,web")
    parser.add_argument("--port", type=int)
    parser.add_argument("--actions-port", type=int, default=5055)
    parser.add_argument("--web-port", type=int, default=8080)
    args, _ = parser.parse_known_args(command)
    if args.command == "web":
        return [("web app", f"http://127.0.0.1:{args.port or 8080}/health")]
    servers = {name.strip() for name in args.servers.split(",")}
    found = []
    if "rasa" in servers:
        found.append(("Rasa server", f"http://127.0.0.1:{args.port or 5005}/"))
    if "actions" in servers:
        found.append(("action server", f"http://127.0.0.1:{args.actions_port}/health"))
    if "web" in servers:
        found.append(("web app", f"http://127.0.0.1:{args.web_port}/health"))
    return found


def main() -> int:
    command = bot_command()
    if not command:
        print("no `python -m bot serve` or `python -m bot web` running", file=sys.stderr)
        return 1
    for name, url in probes(command):
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
        except OSError as error:
            print(f"{name}: {url}: {error}", file=sys.stderr)
            return 1
        if status != 200:
            print(f"{name}: {url}: HTTP {status}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
