"""`make audit` (python -m bot.audit): every pinned package of both environments against the package index.

Lists each environment's packages with `pip list --outdated` (the registry pip is configured for), then fails
if a direct dependency of the public tier (a name in requirements-web.in) is behind its latest release, unless
audit-exceptions.txt holds it back at exactly that version with a reason. The Rasa runtime's packages are
listed, not judged: Rasa 3.6's pins hold them back, and docs/risk-register.md says why each is not reachable
from outside. Run on demand and before each release, never in `make test`: an upstream release must not
break CI.

audit-exceptions.txt, one exception a line:

    <package>==<the version we stay on>  <why, in words>

An exception applies only while that version is the installed one, so upgrading retires it; one that no
longer applies (the package is current, or installed at another version) fails the audit until removed.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Sequence, Tuple

from bot import settings
from bot.serve import rasa_python, web_python

DIRECT = settings.ROOT / "requirements-web.in"
EXCEPTIONS = settings.ROOT / "audit-exceptions.txt"
LOCKS = {"public tier": settings.ROOT / "requirements-web.lock", "Rasa runtime": settings.ROOT / "requirements.lock"}
_EXCEPTION = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)\s+(?P<reason>\S.*)$")
_REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


class AuditError(ValueError):
    """A file the audit reads is malformed; the message names the line."""


def normalised(name: str) -> str:
    """PEP 503: names compare case-insensitively, with runs of -, _ and . alike."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    latest: str  # the same as version when current

    @property
    def behind(self) -> bool:
        return self.latest != self.version


@dataclass(frozen=True)
class HeldBack:
    name: str
    version: str
    reason: str


def direct_dependencies(path: Path = DIRECT) -> List[str]:
    """The names in a requirements .in file (extras and version specifiers dropped), normalised."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = _REQUIREMENT.match(line)
            if not match:
                raise AuditError(f"{path.name}: cannot read {line!r}")
            names.append(normalised(match.group(1)))
    return names


def read_exceptions(path: Path = EXCEPTIONS) -> Dict[str, HeldBack]:
    found: Dict[str, HeldBack] = {}
    if not path.exists():
        return found
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _EXCEPTION.match(line.strip())
        if not match:
            raise AuditError(f"{path.name}:{number}: write `<package>==<version>  <reason>`, not {line.strip()!r}")
        exception = HeldBack(normalised(match["name"]), match["version"], match["reason"].strip())
        found[exception.name] = exception
    return found


def packages(installed: Iterable[Mapping[str, str]], outdated: Iterable[Mapping[str, str]]) -> List[Package]:
    """From `pip list --format json` and `pip list --outdated --format json`: every package, with its latest."""
    latest = {normalised(row["name"]): row["latest_version"] for row in outdated}
    rows = [Package(row["name"], row["version"], latest.get(normalised(row["name"]), row["version"]))
            for row in installed]
    return sorted(rows, key=lambda package: normalised(package.name))


def judge(public: Sequence[Package], direct: Iterable[str], exceptions: Mapping[str, HeldBack]) -> List[str]:
    """The audit's failures for the public tier: direct dependencies behind, and exceptions that do not apply."""
    by_name = {normalised(package.name): package for package in public}
    failures = []
    for name in sorted(set(direct)):
        package = by_name.get(name)
        if package is None:
            failures.append(f"{name} is a direct dependency (requirements-web.in) but is not installed: "
                            "run `make install`")
            continue
        exception = exceptions.get(name)
        if package.behind and not (exception and exception.version == package.version):
            failures.append(f"{package.name} {package.version} is behind its latest release {package.latest}: "
                            "run `make lock-web`, or hold it back in audit-exceptions.txt with the reason")
    for name, exception in sorted(exceptions.items()):
        package = by_name.get(name)
        if name not in direct:
            failures.append(f"audit-exceptions.txt: {exception.name} is not a direct dependency of the public tier")
        elif package is not None and (not package.behind or package.version != exception.version):
            state = "current" if not package.behind else f"installed at {package.version}"
            failures.append(f"audit-exceptions.txt: {exception.name}=={exception.version} no longer applies "
                            f"({state}): remove it")
    return failures


def table(title: str, rows: Sequence[Package], direct: Iterable[str] = (),
          exceptions: Mapping[str, HeldBack] | None = None) -> str:
    direct, exceptions = set(direct), exceptions or {}
    lines = [f"{title}: {len(rows)} packages, {sum(package.behind for package in rows)} behind",
             f"  {'package':<28} {'installed':<18} {'latest':<18} note"]
    for package in rows:
        name = normalised(package.name)
        notes = ["direct"] if name in direct else []
        if package.behind:
            notes.append("BEHIND")
        if name in exceptions:
            notes.append(f"exception: {exceptions[name].reason}")
        lines.append(f"  {package.name:<28} {package.version:<18} {package.latest:<18} {', '.join(notes)}".rstrip())
    return "\n".join(lines)


def pip_list(python: str, *options: str) -> List[Dict[str, str]]:
    """`pip list` in the environment of an interpreter, as JSON (--outdated asks the package index)."""
    command = [python, "-m", "pip", "list", "--format", "json", "--disable-pip-version-check", *options]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise AuditError(f"{' '.join(command)} failed:\n{result.stderr.strip()}")
    return json.loads(result.stdout)


def environment(python: str) -> List[Package]:
    # --exclude-editable: the project itself; pip and the locks' own tools are listed like any other package.
    return packages(pip_list(python, "--exclude-editable"), pip_list(python, "--outdated", "--exclude-editable"))


def locked(path: Path) -> Dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[normalised(name)] = version.strip()
    return pins


def lock_drift(rows: Sequence[Package], lock: Path) -> List[str]:
    """Pinned packages installed at another version, or missing: the environment is not what the lock says."""
    installed = {normalised(package.name): package.version for package in rows}
    return [f"{lock.name}: {name}=={version} is installed as {installed.get(name, 'nothing')}: run `make install`"
            for name, version in sorted(locked(lock).items()) if installed.get(name) != version]


def run(environments: Sequence[Tuple[str, str]]) -> int:
    direct, exceptions = direct_dependencies(), read_exceptions()
    failures: List[str] = []
    for title, python in environments:
        rows = environment(python)
        public = title == "public tier"
        version = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                                 capture_output=True, text=True, timeout=60).stdout.strip()
        print(table(f"{title}, Python {version} ({python})", rows, direct if public else (),
                    exceptions if public else None))
        print()
        failures += lock_drift(rows, LOCKS[title])
        if public:
            failures += judge(rows, direct, exceptions)
    print("The Rasa runtime's packages are held back by Rasa 3.6's pins: see docs/risk-register.md.")
    if failures:
        print("\nmake audit failed:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    print("make audit passed: every direct dependency of the public tier is at its latest release"
          + (f" ({len(exceptions)} documented exceptions)." if exceptions else "."))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.audit", description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    try:
        return run([("public tier", web_python()), ("Rasa runtime", rasa_python())])
    except (AuditError, settings.ConfigurationError) as error:
        print(f"make audit: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
