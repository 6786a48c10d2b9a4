"""``common.write_file``: every evidence file is written in ``write(2)`` calls of at most
``WRITE_CHUNK`` bytes (see its docstring for why), and the file is exactly the bytes given."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3

from bio2_aspects import Bio2
from bio2_aspects.evidence import common
from bio2_aspects.evidence.formats import ALL_FORMATS
from bio2_aspects.evidence.writer import write_evidence
from bio2_aspects.synthesizer import Bio2StackSynthesizer

CHUNK = common.WRITE_CHUNK


class _WriteCalls:
    """``open`` for ``common``: the real file, with the file name and size of every ``write`` it
    gets recorded. The file must be unbuffered (``io.FileIO``), so that each ``write`` is one
    system call: no buffer joins the chunks into a larger one."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.paths: list[str] = []

    def __call__(self, path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = open(path, mode, *args, **kwargs)  # noqa: SIM115 - handed to the caller's with-block
        if "w" not in mode:
            return fh
        assert isinstance(fh, io.FileIO), f"{path}: opened with a buffer ({type(fh).__name__})"
        self.paths.append(Path(path).name)
        sizes = self.sizes
        real_write = fh.write

        def write(data: Any) -> int | None:
            sizes.append(memoryview(data).nbytes)
            return real_write(data)

        fh.write = write  # type: ignore[method-assign]
        return fh


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5])
def test_the_file_is_the_bytes_given(tmp_path: Path, size: int) -> None:
    data = (bytes(range(256)) * (size // 256 + 1))[:size]
    path = tmp_path / "f.bin"
    common.write_file(path, data)
    assert path.read_bytes() == data
    common.write_file(str(path), bytearray(data))  # a str path, a bytearray
    assert path.read_bytes() == data


def test_text_is_written_in_utf8_also_across_a_chunk_boundary(tmp_path: Path) -> None:
    # a two-byte character whose bytes fall on both sides of the first chunk boundary; line ends
    # as given (no translation, on any platform)
    text = "a" * (CHUNK - 1) + "ë" + "Gemeente Súdwest-Fryslân\nregel\r\n"
    path = tmp_path / "summary.md"
    common.write_file(path, text)
    assert path.read_bytes() == text.encode("utf-8")


def test_a_longer_file_is_truncated(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(b"x" * (2 * CHUNK + 100))
    common.write_file(path, b"{}\n")
    assert path.read_bytes() == b"{}\n"


def test_a_str_that_cannot_be_utf8_is_refused_before_the_file_is_touched(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_bytes(b"earlier")
    with pytest.raises(UnicodeEncodeError):
        common.write_file(path, "lone \ud800 surrogate")
    assert path.read_bytes() == b"earlier"


def test_no_write_exceeds_the_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _WriteCalls()
    monkeypatch.setattr(common, "open", spy, raising=False)
    data = b"0123456789" * (CHUNK // 4)
    common.write_file(tmp_path / "big.json", data)
    assert sum(spy.sizes) == len(data)
    assert max(spy.sizes) == CHUNK and len(spy.sizes) == -(-len(data) // CHUNK)


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="Linux: the kernel's count of write calls")
def test_the_kernel_sees_one_write_call_per_chunk(tmp_path: Path) -> None:
    def write_calls() -> int:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("syscw:"):
                return int(line.split()[1])
        raise AssertionError("no syscw in /proc/self/io")

    before = write_calls()
    common.write_file(tmp_path / "big.json", b"x" * (3 * CHUNK + 5))
    # at least one call per chunk (other threads of this process may add theirs): a buffer that
    # joined the chunks would make it one
    assert write_calls() - before >= 4


def test_every_evidence_file_goes_through_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manifest: dict[str, Any]
) -> None:
    """Every format a synth can write (``reports="all"``), in calls of at most the chunk (made small
    here so that each file takes several), byte for byte what one call per file gives, and the
    manifest the bytes of ``manifest_bytes``."""
    monkeypatch.setattr(common, "WRITE_CHUNK", 1 << 40)  # one call per file
    whole = tmp_path / "whole"
    write_evidence(manifest, whole, formats=ALL_FORMATS)
    spy = _WriteCalls()
    monkeypatch.setattr(common, "open", spy, raising=False)
    monkeypatch.setattr(common, "WRITE_CHUNK", 1000)
    chunked = tmp_path / "chunked"
    write_evidence(manifest, chunked, formats=ALL_FORMATS)
    files = sorted(p.name for p in chunked.iterdir())
    assert sorted(spy.paths) == files == sorted(p.name for p in whole.iterdir())
    assert max(spy.sizes) == 1000
    for name in files:
        assert (chunked / name).read_bytes() == (whole / name).read_bytes(), name
    assert (chunked / "manifest.json").read_bytes() == common.manifest_bytes(manifest)


def test_the_synth_writes_its_tagged_templates_and_evidence_through_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = _WriteCalls()
    monkeypatch.setattr(common, "open", spy, raising=False)
    monkeypatch.setattr(common, "WRITE_CHUNK", 1000)
    app = cdk.App(outdir=str(tmp_path), default_stack_synthesizer=Bio2StackSynthesizer())
    stack = cdk.Stack(app, "Orders", env=cdk.Environment(account="123456789012", region="eu-central-1"))
    for i in range(3):
        s3.Bucket(stack, f"Uploads{i}")
    Bio2(app, report_only=True)
    app.synth()
    assert "Orders.template.json" in spy.paths  # the template, rewritten with its measure tags
    assert '"bio2:measures' in (tmp_path / "Orders.template.json").read_text(encoding="utf-8")
    assert {"manifest.json", "summary.md", "bio2.sarif"} <= set(spy.paths)
    assert max(spy.sizes) == 1000


def test_the_benchmark_runs(tmp_path: Path) -> None:
    from benchmarks.write_chunks import WAYS, measure

    result = measure(3 * CHUNK + 7, rounds=2, directory=str(tmp_path))
    assert list(result) == list(WAYS)
    for wall, kernel, walls in result.values():
        assert wall > 0 and kernel >= 0 and len(walls) == 2
    assert not any(tmp_path.iterdir())  # its files are removed at the end
