"""The dependency rules of the component contracts (landing_zone/core/contracts.py), from the source.

Static: every rule reads the modules' abstract syntax trees (imports inside functions and under
``TYPE_CHECKING`` count too), nothing is imported or synthesized. docs/architecture.md states the rules.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "landing_zone"

#: The component packages (landing_zone.assembly.COMPONENTS, checked below).
COMPONENTS = ("classification", "logging", "security", "identity", "network", "backup", "organization")

#: What builds the landing zone from the components: no component may import it.
COMPOSITION = (
    "landing_zone.stacks",
    "landing_zone.assembly",
    "landing_zone.app",
    "landing_zone.pipeline",
    "landing_zone.entry",
)

#: Modules of other packages a component may import: libraries, not components. The classification
#: tagging helpers classify any construct (app teams use them too); the workload constructs are the
#: app teams' building blocks the network account also uses for its own VPCs.
SHARED_LIBRARIES = (
    "landing_zone.classification.tagging",
    "landing_zone.classification.labels",
    "landing_zone.workloads",
)

#: Tree look-ups a component module may make, with the reason: each finds the module's own
#: construct again, never another component's.
OWN_LOOKUPS: dict[tuple[str, str], str] = {
    ("landing_zone/network/helper.py", "try_find_child"): (
        "per-stack singletons of this module (the network log key, the NetworkHelper function)"
    ),
    ("landing_zone/logging/siem.py", "try_find_child"): "the QueuePolicy of the export's own queue",
}

TREE_LOOKUPS = ("find_all", "find_child", "try_find_child")


def _modules(package: Path) -> Iterator[Path]:
    yield from sorted(package.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, module: str | None = None) -> set[str]:
    """Every module ``path`` imports (absolute names; ``from a import b`` gives ``a`` and ``a.b``).

    ``module``: the module's dotted name (default: from its path), for relative imports.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = module or _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def component_of(name: str) -> str | None:
    for component in COMPONENTS:
        if _within(name, f"landing_zone.{component}"):
            return component
    return None


def violations(path: Path, own: str | None, module: str | None = None) -> list[str]:
    """The imports of ``path`` that break the rules for a module of component ``own``."""
    out: list[str] = []
    for name in sorted(imports_of(path, module)):
        if any(_within(name, reported.split()[0]) for reported in out):
            continue  # ``from a import b``: ``a`` is reported already
        if any(_within(name, c) for c in COMPOSITION):
            out.append(f"{name} (the composition root and the stacks are not a component's business)")
            continue
        other = component_of(name)
        if other is not None and other != own and not any(_within(name, lib) for lib in SHARED_LIBRARIES):
            # ``from landing_zone import naming`` also yields ``landing_zone.naming``: only components count
            out.append(f"{name} (another component: take its outputs as a keyword argument instead)")
    return out


def tree_lookups(path: Path) -> set[str]:
    """The construct-tree look-ups (``x.node.find_all()`` and the like) ``path`` calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in TREE_LOOKUPS
    }


@pytest.mark.parametrize("component", COMPONENTS)
def test_a_component_imports_neither_the_stacks_nor_the_root_nor_another_component(component: str) -> None:
    problems = {
        str(path.relative_to(ROOT)): found
        for path in _modules(PACKAGE / component)
        if (found := violations(path, component))
    }
    assert problems == {}


@pytest.mark.parametrize("component", COMPONENTS)
def test_a_component_does_not_search_the_construct_tree(component: str) -> None:
    found = {
        (str(path.relative_to(ROOT)), call)
        for path in _modules(PACKAGE / component)
        for call in tree_lookups(path)
    }
    unexplained = sorted(found - set(OWN_LOOKUPS))
    assert unexplained == [], "pass the resource as a typed output (landing_zone/core/contracts.py)"
    # the allowlist stays exact: an entry whose call went away is removed
    assert sorted(k for k in OWN_LOOKUPS if k[0].split("/")[1] == component and k not in found) == []


def test_stacks_imports_no_component_and_not_the_root() -> None:
    names = imports_of(PACKAGE / "stacks.py")
    assert sorted(n for n in names if component_of(n) or _within(n, "landing_zone.assembly")) == []


def test_the_contracts_depend_on_nothing_of_the_landing_zone() -> None:
    names = imports_of(PACKAGE / "core" / "contracts.py")
    assert sorted(n for n in names if _within(n, "landing_zone")) == []


def test_every_component_build_takes_config_and_placement_and_returns_its_outputs() -> None:
    from landing_zone import assembly
    from landing_zone.core import contracts

    assert assembly.COMPONENTS == COMPONENTS
    for component in COMPONENTS:
        module = __import__(f"landing_zone.{component}", fromlist=["build"])
        signature = inspect.signature(module.build)
        positional = [p.name for p in signature.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert positional == ["config", "placement"], component
        # everything else is keyword-only and names the outputs it needs
        for parameter in signature.parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY:
                assert parameter.name in COMPONENTS or parameter.name == "org_policies", (
                    component,
                    parameter,
                )
        assert signature.return_annotation.endswith("Outputs"), component
        outputs = getattr(contracts, signature.return_annotation)
        assert is_dataclass(outputs) and outputs.__dataclass_params__.frozen, component
        assert "org_policies" in {f.name for f in fields(outputs)}


def test_the_rules_catch_what_they_forbid(tmp_path: Path) -> None:
    """The checks are not vacuous: a module that breaks each rule is reported, a library is not."""
    path = tmp_path / "probe.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "from landing_zone.logging.trail import OrganizationTrail\n"
        "from landing_zone.classification.tagging import classify\n"
        "from landing_zone import naming, identity\n"
        "from .. import stacks\n"
        "if TYPE_CHECKING:\n"
        "    from landing_zone.assembly import LandingZone\n"
        "def f(stack):\n"
        "    import landing_zone.pipeline.stage\n"
        "    return stack.node.find_all()\n",
        encoding="utf-8",
    )
    found = {v.split()[0] for v in violations(path, "security", module="landing_zone.security.probe")}
    assert found == {
        "landing_zone.logging.trail",
        "landing_zone.identity",
        "landing_zone.stacks",
        "landing_zone.assembly",
        "landing_zone.pipeline.stage",
    }
    assert tree_lookups(path) == {"find_all"}


def test_the_contracts_and_the_light_components_import_without_the_cdk() -> None:
    """The configuration checks import these packages; the contracts must not start jsii for them."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import landing_zone.core.contracts, landing_zone.identity, landing_zone.network\n"
        "import landing_zone.organization, landing_zone.config\n"
        "assert 'aws_cdk' not in sys.modules, 'aws_cdk imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
