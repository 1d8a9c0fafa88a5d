"""Entry point for `make bench`: `.venv/bin/python bench/run.py --model models/pan_cheshire.tar.gz`."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _main() -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import readme_table
    from bench.cli import main, parse_args

    status = main(sys.argv[1:])
    if status == 0:
        readme_table.update_readme(parse_args(sys.argv[1:]).out)
    return status


if __name__ == "__main__":
    sys.exit(_main())
