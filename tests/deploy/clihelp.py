"""Run a module's command line in-process (``python -m MODULE ARGS``), for --help checks without a new
interpreter (and a new jsii runtime) per command."""

from __future__ import annotations

import contextlib
import io
import runpy
import sys
import warnings


def run_module(module: str, args: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``python -m module *args``."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv[:]
    code = 0
    try:
        sys.argv = [module, *args]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            # runpy warns when the module was imported before (by another test): harmless here
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                runpy.run_module(module, run_name="__main__", alter_sys=True)
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        sys.argv = saved
    return code, out.getvalue(), err.getvalue()
