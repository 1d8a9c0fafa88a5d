"""python -m bot serve: the action server, Rasa server and web app together; python -m bot web."""
from __future__ import annotations

import argparse
from pathlib import Path

from bot import settings


def _serve(args: argparse.Namespace) -> int:
    if args.replicas is not None:
        from bot.cluster import serve_cluster

        return serve_cluster(Path(args.model), args.replicas, args.web_port)
    import sys

    from bot.serve import ConfigurationError, parse_servers, serve

    try:
        servers = parse_servers(args.servers)
    except ConfigurationError as error:
        print(f"Not started: {error}", file=sys.stderr)
        return 2
    return serve(Path(args.model), args.port, args.actions_port, args.web_port, servers)


def _web(args: argparse.Namespace) -> int:
    import importlib.util
    import sys

    if importlib.util.find_spec("rasa") is not None:  # the Rasa runtime's environment, on its old libraries
        print("The web app runs only in the public tier's environment, on current libraries: "
              f"{settings.WEB_PYTHON.get()} -m bot web (or python -m bot serve, which starts it there).",
              file=sys.stderr)
        return 2
    from bot.review.config import ConfigurationError
    from bot.web.app import run

    try:
        run(args.port, args.rasa_url, args.host)
    except ConfigurationError as error:  # a review dashboard setting
        print(f"Web app not started: {error}", file=sys.stderr)
        return 2
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="start the action server and the Rasa server")
    serve.add_argument("--model", default=f"models/{settings.partnership_id()}.tar.gz")
    serve.add_argument("--port", type=int, default=5005)
    serve.add_argument("--actions-port", type=int, default=5055)
    serve.add_argument("--web-port", type=int, default=8080,
                       help="the web app's port; with --replicas, nginx's")
    serve.add_argument("--replicas", type=int, metavar="N",
                       help="N Rasa replicas behind nginx, sharing PostgreSQL and Redis (DATABASE_URL, REDIS_URL); "
                            "--port and --actions-port are then unused: the servers behind nginx take free ports "
                            "on 127.0.0.1")
    serve.add_argument("--servers", default="actions,rasa,web", metavar="LIST",
                       help="which servers to start, comma-separated (default: actions,rasa,web); the Rasa "
                            "runtime's container image starts rasa,actions, the web app being another image's")
    serve.set_defaults(run=_serve)

    web = commands.add_parser("web", help="the web app alone: chat page, forwarding to a running Rasa server")
    web.add_argument("--port", type=int, default=8080)
    web.add_argument("--host", default=settings.WEB_HOST.get())
    web.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    web.set_defaults(run=_web)
