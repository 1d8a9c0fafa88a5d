"""`rasa run`, with the HTTP API's token and JWT secret read from the environment, never from the command line.

Rasa 3.6 takes them only as --auth-token and --jwt-secret, and a command line is readable by every local
user (`ps`, /proc/<pid>/cmdline), whereas a process's environment is readable only by its own account and
root. `python -m bot serve` starts Rasa as `python -m bot.rasa_launcher run … [--enable-api]`, with
RASA_API_TOKEN and RASA_JWT_SECRET in the environment; this module adds the options to Rasa's own argument
list inside the process (which leaves /proc/<pid>/cmdline as it was) and runs Rasa's command line in-process,
exactly as the `rasa` script would.

Run by the Rasa runtime's interpreter only: it is the one module of the project that starts Rasa itself.
"""
from __future__ import annotations

import os
import sys
from typing import List, Mapping

from bot import serve

# Options that carry a secret: refused on this launcher's command line, where they would be seen.
SECRET_OPTIONS = ("--auth-token", "--jwt-secret", "--ssl-password")


class SecretOnCommandLine(SystemExit):
    """A secret was passed as an argument: refused before Rasa starts."""


def rasa_argv(argv: List[str], env: Mapping[str, str]) -> List[str]:
    """Rasa's argument list: argv, plus the API's secret options from env when argv turns the API on."""
    given = sorted({arg.split("=", 1)[0] for arg in argv} & set(SECRET_OPTIONS))
    if given:
        raise SecretOnCommandLine(
            f"{', '.join(given)} must not be given on the command line, where any local user can read it: "
            "set RASA_API_TOKEN or RASA_JWT_SECRET in the environment instead.")
    if "--enable-api" not in argv:
        return ["rasa", *argv]
    # Raises ConfigurationError for an API with neither a token nor a secret, as `serve` did before starting.
    return ["rasa", *argv, *serve.api_arguments(env)[1:]]


def main(argv: List[str] | None = None, env: Mapping[str, str] | None = None) -> None:
    sys.argv = rasa_argv(sys.argv[1:] if argv is None else argv, os.environ if env is None else env)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
