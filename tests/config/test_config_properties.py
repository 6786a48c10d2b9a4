"""Property test: mutate the example configuration field by field (hypothesis).

Every mutation ends in a clean error (exit 2, problems with path and fix, no traceback, nothing
written) or in a configuration that validates; a few of those that validate are synthesized and
must then succeed, or fail cleanly and leave no output.
"""

from __future__ import annotations

import io
import os
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landing_zone import entry
from landing_zone.config import DEFAULT_CONFIG_PATH
from landing_zone.config.__main__ import main as config_main
from landing_zone.config.yaml12 import dump, load

EXAMPLE: dict[str, Any] = load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))


def _leaves(value: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a value in the example (mappings, lists and scalars alike)."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _leaves(child, (*path, index))
    return found


PATHS = _leaves(EXAMPLE)

TRAPS = ["yes", "no", "on", "off", "08", "012345678901", "72:00", "8.30", "~", "null", "2026-13-45", "Root"]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(TRAPS),
    st.text(max_size=30),
    st.lists(st.sampled_from(TRAPS), max_size=3),
    st.dictionaries(st.sampled_from(["name", "id", "x"]), st.sampled_from(TRAPS), max_size=2),
)

MUTATIONS = st.tuples(st.sampled_from(PATHS), st.sampled_from(["replace", "delete", "duplicate"]), VALUES)


def _mutate(mutation: tuple) -> dict[str, Any]:
    path, kind, value = mutation
    data = load(dump(EXAMPLE))  # a deep copy through YAML
    parent: Any = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if kind == "delete":
        del parent[last]
    elif kind == "duplicate" and isinstance(parent, list):
        parent.insert(last, load(dump(parent[last])))
    else:
        parent[last] = value
    return data


def _run(function: Any, *args: Any) -> tuple[int, str]:
    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        code = function(*args)
    return code, err.getvalue() + out.getvalue()


def _environment(config: Path, outdir: Path) -> dict[str, str | None]:
    return {"LZ_CONFIG": str(config), "CDK_OUTDIR": str(outdir), "CDK_CONTEXT_JSON": None}


class _Env:
    def __init__(self, values: dict[str, str | None]) -> None:
        self.values, self.saved = values, {}

    def __enter__(self) -> None:
        for key, value in self.values.items():
            self.saved[key] = os.environ.get(key)
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def __exit__(self, *_: object) -> None:
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(MUTATIONS)
def test_a_mutated_config_validates_or_fails_cleanly(mutation: tuple) -> None:
    text = dump(_mutate(mutation))
    with tempfile.TemporaryDirectory() as work:
        config = Path(work) / "landing-zone.yaml"
        config.write_text(text, encoding="utf-8")
        code, output = _run(config_main, ["validate", str(config)])
        assert code in (0, 2), output
        assert "Traceback" not in output, output
        if code == 0:
            return
        assert "error: " in output and "  fix: " in output, output
        with _Env(_environment(config, Path(work) / "cdk.out")):
            code, output = _run(entry.main)
        assert code == 2, output
        assert "Traceback" not in output
        assert sorted(p.name for p in Path(work).iterdir()) == ["landing-zone.yaml"]


VALID_MUTATIONS = st.sampled_from(
    [
        (("security", "macie"), "replace", False),
        (("logging", "insights"), "replace", True),
        (("network", "dns_firewall", "enabled"), "replace", False),
        (("backup", "tiers", "high", "retention_days"), "replace", 365),
        (("identity", "max_session_hours"), "replace", 4),
        (("logging", "object_lock_mode"), "replace", "GOVERNANCE"),  # refused by the BIO2 gate: exit 2
        (("network", "vpcs", 3), "delete", None),
        (("classification", "accounts"), "delete", None),
    ]
)


@pytest.mark.synth
@settings(max_examples=2, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID_MUTATIONS)
def test_a_mutated_config_synthesizes_or_fails_cleanly(mutation: tuple) -> None:
    text = dump(_mutate(mutation))
    with tempfile.TemporaryDirectory() as work:
        config = Path(work) / "landing-zone.yaml"
        config.write_text(text, encoding="utf-8")
        outdir = Path(work) / "cdk.out"
        with _Env({**_environment(config, outdir), "BIO2_REPORT_ONLY": None}):
            code, output = _run(entry.main)
        assert code in (0, 2), output
        assert "Traceback" not in output
        if code == 0:
            assert (outdir / "manifest.json").is_file() and (outdir / "bio2" / "manifest.json").is_file()
        else:
            assert "error: " in output and "  fix: " in output, output
            assert not outdir.exists()
        assert not [p for p in Path(work).iterdir() if p.name.startswith(".cdk.out.partial-")]
