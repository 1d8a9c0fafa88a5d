"""Partnership pack commands: `pack init NAME` writes a commented pack, `pack check NAME` lists its gaps."""
from __future__ import annotations

import argparse
import datetime as dt
from typing import Dict, List, Tuple

from bot.content.partnership import Gap
from bot.content.pydantic_compat import ValidationError
from bot.content.topics import Catalogue


def _init(args: argparse.Namespace) -> int:
    from bot.content import partnership
    from bot.content.pack_template import template

    if not partnership.SAFE_ID.match(args.name):
        print(f"{args.name!r} cannot be a pack name: use 2-40 lower-case letters, digits and _,"
              " starting with a letter (for example anytown)")
        return 2
    path = partnership.path_of(args.name)
    if path.exists():
        print(f"{path} already exists: not overwritten. Edit it, or choose another name.")
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template(args.name), encoding="utf-8")
    print(f"Wrote {path}. Fill it in (each key has a comment saying what goes there), then run\n"
          f"  python -m bot pack check {args.name}")
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _grouped(gaps: List[Gap]) -> Dict[Tuple[str, str | None], List[Gap]]:
    """Gaps by what they belong to: the pack itself, or one contact, document or timescale."""
    groups: Dict[Tuple[str, str | None], List[Gap]] = {}
    for gap in gaps:
        groups.setdefault((gap.subject, gap.placeholder), []).append(gap)
    return groups


def _print_gaps(gaps: List[Gap], catalogue: Catalogue, local: List[str]) -> None:
    print(f"Not set up ({_plural(len(gaps), 'value')}):")
    for (subject, placeholder), group in _grouped(gaps).items():
        print(f"- {subject[0].upper()}{subject[1:]}: {'; '.join(gap.missing for gap in group)}.")
        for gap in group:
            print(f"    {gap.path}: {gap.effect}.")
        keys = catalogue.uses(placeholder) if placeholder else local if any(
            gap.path == "signed_off" for gap in group) else []
        if keys:
            print(f"    Used in {_plural(len(keys), 'answer')}: {'; '.join(catalogue.label(key) for key in keys)}.")


def _unreadable(error: Exception) -> List[str]:
    if isinstance(error, ValidationError):
        return [f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()]
    return [str(error)]


def _check(args: argparse.Namespace) -> int:
    from bot.content import currency, partnership, topics
    from bot.content.validate import check_partnership

    today = dt.date.today()
    try:
        pack = partnership.load(args.name, draft=True)
    except Exception as error:  # the pack's own mistakes, said plainly
        print(f"The {args.name} pack cannot be read. Fix these first:")
        for problem in _unreadable(error):
            print(f"  - {problem}")
        return 1
    catalogue = topics.load()
    local = [key for key, entry in catalogue.entries().items() if entry.local_values()]
    problems = [] if pack.missing_identity() else check_partnership(args.name, catalogue, today).errors
    gaps, overdue = pack.gaps(), currency.overdue(pack, today)

    for problem in problems:
        print(f"PROBLEM: {problem}")
    if gaps:
        _print_gaps(gaps, catalogue, local)
    if overdue:
        print(f"Overdue ({len(overdue)}): until it is reviewed, the {_plural(len(local), 'answer')} that use local"
              f' details say "{currency.DUE_FOR_REVIEW}"')
    for item in overdue:
        print(f"- {item.what} [{item.path}]: {item.reason}.")
    if problems or gaps or overdue:
        print(f"The {args.name} pack is not yet complete and current.")
        return 1
    assert pack.signed_off is not None  # no gap left, so it is signed off
    print(f"The {args.name} pack is complete and current; signed off on {currency.long_date(pack.signed_off)}."
          f" Retrain with: make run PARTNERSHIP={args.name}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    pack = commands.add_parser("pack", help="start or check a partnership's pack of local details")
    actions = pack.add_subparsers(dest="pack_command", required=True)
    init = actions.add_parser("init", help="write data/partnerships/NAME.yml with every key, commented")
    init.add_argument("name", help="the pack's id, e.g. anytown")
    init.set_defaults(run=_init)
    check = actions.add_parser("check", help="list what is unset or overdue and which answers it affects")
    check.add_argument("name", help="the pack's id, e.g. pan_cheshire")
    check.set_defaults(run=_check)
