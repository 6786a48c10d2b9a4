"""``common.write_file``: every evidence file is written in writes of at most ``WRITE_CHUNK`` bytes
(see its docstring for why), and the file is exactly the bytes given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.evidence import common
from bio2_aspects.evidence.formats import ALL_FORMATS
from bio2_aspects.evidence.writer import write_evidence

CHUNK = common.WRITE_CHUNK


class _WriteSizes:
    """``open`` for ``common``: the real file, with the size of every write it gets recorded."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.paths: list[str] = []

    def __call__(self, path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = open(path, mode, *args, **kwargs)  # noqa: SIM115 - handed to the caller's with-block
        if "w" not in mode:
            return fh
        self.paths.append(Path(path).name)
        sizes = self.sizes
        real_write = fh.write

        def write(data: Any) -> int:
            sizes.append(memoryview(data).nbytes)
            return real_write(data)

        fh.write = write
        return fh


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5])
def test_the_file_is_the_bytes_given(tmp_path: Path, size: int) -> None:
    data = bytes(range(256)) * (size // 256 + 1)
    data = data[:size]
    path = tmp_path / "f.bin"
    common.write_file(path, data)
    assert path.read_bytes() == data


def test_text_is_written_in_utf8_also_across_a_chunk_boundary(tmp_path: Path) -> None:
    # a two-byte character whose bytes fall on both sides of the first chunk boundary
    text = "a" * (CHUNK - 1) + "ë" + "Gemeente Súdwest-Fryslân\n"
    path = tmp_path / "summary.md"
    common.write_file(path, text)
    assert path.read_bytes() == text.encode("utf-8")
    assert path.read_text(encoding="utf-8") == text


def test_a_longer_file_is_truncated(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(b"x" * (2 * CHUNK + 100))
    common.write_file(path, b"{}\n")
    assert path.read_bytes() == b"{}\n"


def test_no_write_exceeds_the_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _WriteSizes()
    monkeypatch.setattr(common, "open", spy, raising=False)
    data = b"0123456789" * (CHUNK // 4)
    common.write_file(tmp_path / "big.json", data)
    assert sum(spy.sizes) == len(data)
    assert max(spy.sizes) == CHUNK and len(spy.sizes) == -(-len(data) // CHUNK)


def test_every_evidence_file_goes_through_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manifest: dict[str, Any]
) -> None:
    """Every format a synth can write (``reports="all"``), in writes of at most the chunk (made
    small here so that each file takes several), and byte for byte what one write gives."""
    plain = tmp_path / "plain"
    write_evidence(manifest, plain, formats=ALL_FORMATS)
    spy = _WriteSizes()
    monkeypatch.setattr(common, "open", spy, raising=False)
    monkeypatch.setattr(common, "WRITE_CHUNK", 1000)
    chunked = tmp_path / "chunked"
    write_evidence(manifest, chunked, formats=ALL_FORMATS)
    files = sorted(p.name for p in chunked.iterdir())
    assert sorted(spy.paths) == files == sorted(p.name for p in plain.iterdir())
    assert max(spy.sizes) == 1000
    for name in files:
        assert (chunked / name).read_bytes() == (plain / name).read_bytes(), name


def test_a_str_that_cannot_be_utf8_is_refused_before_the_file_is_touched(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_bytes(b"earlier")
    with pytest.raises(UnicodeEncodeError):
        common.write_file(path, "lone \ud800 surrogate")
    assert path.read_bytes() == b"earlier"


def test_the_benchmark_runs(tmp_path: Path) -> None:
    from benchmarks.write_chunks import WAYS, measure

    result = measure(3 * CHUNK + 7, rounds=2, directory=str(tmp_path))
    assert list(result) == list(WAYS)
    for wall, kernel, walls in result.values():
        assert wall > 0 and kernel >= 0 and len(walls) == 2
    assert not any(tmp_path.iterdir())  # its files are removed at the end
