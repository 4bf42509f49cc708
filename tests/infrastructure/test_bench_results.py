"""bench/RESULTS.md keeps one section per size and choice of benchmarks: a large run of two
benchmarks does not wipe the small run of all of them, and a rerun replaces its own section."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _results():
    spec = importlib.util.spec_from_file_location("bench_results", ROOT / "bench" / "results.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _figures(path: Path, *figures: tuple[str, float, float]) -> Path:
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "figure": name,
                    "value": value,
                    "unit": "s",
                    "floor": floor,
                    "higher": False,
                    "detail": "",
                }
            )
            for name, value, floor in figures
        )
    )
    return path


def test_sections_of_other_runs_are_kept_and_a_rerun_replaces_its_own(tmp_path, monkeypatch):
    results = _results()
    monkeypatch.setattr(results, "_machine", lambda load: [f"- load {load}"])
    target = tmp_path / "RESULTS.md"
    small = _figures(tmp_path / "small.jsonl", ("daily pass", 1.0, 5.0))
    results.write(small, target, size="small", load="1", started="a")
    large = _figures(tmp_path / "large.jsonl", ("daily pass", 3.8, 5.0))
    results.write(large, target, size="large", load="2", started="b", only="due,dmc")
    text = target.read_text(encoding="utf-8")
    assert text.count("# Benchmark results") == 1
    assert "`bench/run_all.sh --size small`" in text
    assert "`bench/run_all.sh --size large --only due,dmc`" in text
    assert "| 3.80 s |" in text or "3.80 s" in text
    rerun = _figures(tmp_path / "again.jsonl", ("daily pass", 2.5, 5.0))
    results.write(rerun, target, size="small", load="3", started="c")
    text = target.read_text(encoding="utf-8")
    assert text.count("--size small`") == 1 and "2.50 s" in text and "1.00 s" not in text
    assert "3.80 s" in text  # the large run is still there
