"""python -m bot serve: the action server and Rasa server together."""
from __future__ import annotations

import argparse
from pathlib import Path

from bot import settings


def _serve(args: argparse.Namespace) -> int:
    from bot.serve import serve

    return serve(Path(args.model), args.port, args.actions_port)



def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="start the action server and the Rasa server")
    serve.add_argument("--model", default=f"models/{settings.partnership_id()}.tar.gz")
    serve.add_argument("--port", type=int, default=5005)
    serve.add_argument("--actions-port", type=int, default=5055)
    serve.set_defaults(run=_serve)
