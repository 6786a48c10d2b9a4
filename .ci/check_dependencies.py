#!/usr/bin/env python3
"""Refuse dependency declarations that point anywhere but the package registries.

A ``pip freeze`` of a tree installed from local wheels writes ``name @ file:///tmp/...`` lines: CI
passes on the machine that made them and every fresh clone fails. This check runs first in
``.ci/run`` (standard library only, before anything is installed) over ``constraints.txt``,
``pyproject.toml``, every ``requirements*.txt`` and ``package.json`` / ``package-lock.json``.

Usage: ``python3 .ci/check_dependencies.py [PROJECT_ROOT]``; exit 0 when every dependency is a
registry pin or range, 1 (with one line per offending entry and the fix) otherwise.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

#: Where npm packages may come from.
NPM_REGISTRY = "https://registry.npmjs.org/"
#: Directories never searched for requirements files.
SKIP_DIRS = {".venv", "node_modules", ".git", "cdk.out", "build", "dist", "__pycache__"}

FIX_PIP = (
    "pin the released version from the registry instead (name==version; "
    "regenerate constraints with: .venv/bin/pip freeze --exclude-editable > constraints.txt, "
    "after installing from the registry)"
)
FIX_NPM = 'depend on a registry version ("name": "1.2.3") and regenerate package-lock.json with npm'

# pip options that make pip read from somewhere other than PyPI
_PIP_SOURCE_OPTIONS = re.compile(
    r"^(-e|--editable|-f|--find-links|-i|--index-url|--extra-index-url|--no-index|--trusted-host)\b"
)
# a direct reference (PEP 508 "name @ url"), a URL or VCS scheme, or a path to a local archive/dir
_LOCAL_OR_URL = re.compile(
    r"(\s@\s|^@|[a-z+]+://|\bfile:|^(\.{1,2}/|/|~)|\.(whl|tar\.gz|tgz|zip|tar\.bz2)\b)", re.IGNORECASE
)


def pip_problem(requirement: str) -> str | None:
    """Why a requirement line is not a registry dependency, or None when it is."""
    line = requirement.split(" #", 1)[0].strip()
    if not line or line.startswith("#"):
        return None
    if line.startswith(("-r ", "-c ", "--requirement", "--constraint")):
        return None  # includes another file of the project (checked itself when it is a requirements file)
    if _PIP_SOURCE_OPTIONS.match(line):
        return "installs from a source other than the registry"
    if _LOCAL_OR_URL.search(line):
        return "points at a local path or URL"
    return None


def _requirement_files(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*.txt")):
        if SKIP_DIRS.intersection(path.relative_to(root).parts):
            continue
        if path.name == "constraints.txt" or path.name.startswith("requirements"):
            found.append(path)
    return found


def _pyproject_requirements(path: Path) -> list[tuple[str, str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = [("build-system.requires", r) for r in data.get("build-system", {}).get("requires", [])]
    project = data.get("project", {})
    out += [("project.dependencies", r) for r in project.get("dependencies", [])]
    for extra, reqs in sorted(project.get("optional-dependencies", {}).items()):
        out += [(f"project.optional-dependencies.{extra}", r) for r in reqs]
    for group, reqs in sorted(data.get("dependency-groups", {}).items()):
        out += [(f"dependency-groups.{group}", r) for r in reqs if isinstance(r, str)]
    return out


def _npm_problem(spec: str) -> str | None:
    if re.match(r"^(file:|link:|git\+|git:|github:|https?:|\.{0,2}/|~)", spec) or "/" in spec.split("@")[0]:
        return "points at a local path, a repository or a URL"
    return None


def problems(root: Path) -> list[str]:
    """Every dependency entry under ``root`` that is not a registry dependency, as 'file: ...' lines."""
    out: list[str] = []
    for path in _requirement_files(root):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            why = pip_problem(line)
            if why:
                out.append(f"{path.relative_to(root)}:{number}: '{line.strip()}' {why}; fix: {FIX_PIP}")
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        for where, requirement in _pyproject_requirements(pyproject):
            why = pip_problem(requirement)
            if why:
                out.append(f"pyproject.toml [{where}]: '{requirement}' {why}; fix: {FIX_PIP}")
    package = root / "package.json"
    if package.is_file():
        data = json.loads(package.read_text(encoding="utf-8"))
        for section in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
            for name, spec in sorted(data.get(section, {}).items()):
                why = _npm_problem(str(spec))
                if why:
                    out.append(f"package.json [{section}.{name}]: '{spec}' {why}; fix: {FIX_NPM}")
    lock = root / "package-lock.json"
    if lock.is_file():
        data = json.loads(lock.read_text(encoding="utf-8"))
        for where, entry in sorted(data.get("packages", {}).items()):
            if not where:
                continue
            resolved = entry.get("resolved")
            if entry.get("link") or (resolved and not resolved.startswith(NPM_REGISTRY)):
                out.append(
                    f"package-lock.json [{where}]: resolved from '{resolved or entry.get('link')}', "
                    f"not {NPM_REGISTRY}; fix: {FIX_NPM}"
                )
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    root = Path(args[0] if args else Path(__file__).resolve().parents[1])
    found = problems(root)
    for line in found:
        print(f"dependency check: {line}", file=sys.stderr)
    if found:
        print(
            f"dependency check: {len(found)} dependency entr{'y' if len(found) == 1 else 'ies'} outside the "
            "registries; a fresh clone could not install them (README: Troubleshooting)",
            file=sys.stderr,
        )
        return 1
    print("dependency check: every dependency is a registry pin or range")
    return 0


if __name__ == "__main__":
    sys.exit(main())
