"""Figures of the benchmarks, gathered for bench/RESULTS.md (used by the bench scripts).

A script calls `record(...)` for each figure it measures; when BENCH_RESULTS names a file (as
bench/run_all.sh does) the figure is appended there as one JSON line, else nothing happens.
`python bench/results.py <lines> <RESULTS.md> --size small --load "0.5 0.4 0.3"` writes the
table: figure, floor (from issue 19), measured, ratio to the floor, pass/fail, and the machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
from pathlib import Path


def record(
    figure: str,
    value: float | None,
    unit: str,
    *,
    floor: float | None = None,
    higher: bool = False,
    detail: str = "",
) -> None:
    """One figure; `floor` is the issue's bound, `higher` whether more is better (a
    throughput) or less (a duration, a memory peak). A value of None: not measured."""
    target = os.environ.get("BENCH_RESULTS")
    if not target:
        return
    line = {
        "figure": figure,
        "value": value,
        "unit": unit,
        "floor": floor,
        "higher": higher,
        "detail": detail,
    }
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def _number(value: float, unit: str) -> str:
    if unit == "of bare":
        return f"{value:.0%}"
    if abs(value) >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:.2f} {unit}"


def _row(line: dict) -> str:
    value, floor, unit = line["value"], line["floor"], line["unit"]
    measured = "not measured" if value is None else _number(value, unit)
    if floor is None:
        bound, ratio, verdict = "—", "—", "no floor"
    else:
        bound = ("≥ " if line["higher"] else "< ") + _number(floor, unit)
        if value is None:
            ratio, verdict = "—", "FAIL"
        else:
            # Ratio above 1 always means better than the floor.
            share = value / floor if line["higher"] else (floor / value if value else float("inf"))
            ratio = f"{share:.2f}"
            good = value >= floor if line["higher"] else value < floor
            verdict = "pass" if good else "FAIL"
    detail = line["detail"].replace("|", "/")
    return f"| {line['figure']} | {bound} | {measured} | {ratio} | {verdict} | {detail} |"


def _machine(load: str) -> list[str]:
    memory = "?"
    try:
        for text in Path("/proc/meminfo").read_text().splitlines():
            if text.startswith("MemTotal:"):
                memory = f"{int(text.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    try:
        server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
        pg = subprocess.run(
            ["psql", server, "-tAc", "SHOW server_version"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pg = "?"
    try:
        commit = subprocess.run(
            ["git", "-C", str(Path(__file__).resolve().parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "?"
    return [
        f"- Code: commit {commit}",
        f"- CPUs: {os.cpu_count()}; RAM: {memory}; {platform.system()} {platform.release()}"
        f" ({platform.machine()}); Python {platform.python_version()}",
        f"- PostgreSQL {pg} at 127.0.0.1",
        f"- Load average at start (1, 5, 15 min): {load}",
    ]


def write(
    lines_file: Path, target: Path, *, size: str, load: str, started: str, only: str = ""
) -> None:
    """Write this run's section of `target`: one section per size and choice of benchmarks,
    so a large run of two benchmarks sits beside the small run of all of them."""
    lines = []
    if lines_file.exists():
        lines = [json.loads(t) for t in lines_file.read_text().splitlines() if t.strip()]
    finished = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    which = f"--size {size}" + (f" --only {only}" if only else "")
    text = [
        f"## `bench/run_all.sh {which}`",
        "",
        f"One run on one machine (started {started}, finished {finished}).",
        "",
    ]
    if size != "large":
        text += [
            f"**The {size} size says nothing about the national-scale floors.** It runs every"
            " benchmark on a few thousand rows, to show that they all work and what they report;"
            " the floors (pages at ≥ 40 % of the bare view with 200,000 cases, the daily pass"
            " over 1,000,000 open tasks, a round for 30,000 schools, 1,000,000 imported rows, the"
            " yearly report of a busy year) hold or fail only at `--size large`. A pass or FAIL"
            " below is what was measured at this size, nothing more.",
            "",
        ]
    text += ["### Machine", "", *_machine(load), "", "### Figures", ""]
    text += [
        "| figure | floor | measured | ratio (>1 is better) | result | conditions |",
        "|---|---|---|---|---|---|",
        *(_row(line) for line in lines),
        "",
    ]
    if not lines:
        text += ["No figure was recorded: see the log of the run.", ""]
    sections = _sections(target)
    sections[which] = "\n".join(text)
    header = [
        "# Benchmark results",
        "",
        "Written by `bench/run_all.sh`, one section per size and choice of benchmarks (the"
        " latest run of each). Floors are those of issue 19.",
        "",
    ]
    body = [f"{MARK}{key} -->\n{section}" for key, section in sorted(sections.items())]
    target.write_text("\n".join(header) + "\n" + "\n".join(body), encoding="utf-8")


MARK = "<!-- run: "


def _sections(target: Path) -> dict[str, str]:
    """The sections of earlier runs kept in `target`, by their run's options."""
    if not target.exists():
        return {}
    found = {}
    for part in target.read_text(encoding="utf-8").split(MARK)[1:]:
        key, _sep, section = part.partition(" -->\n")
        found[key] = section.rstrip("\n") + "\n"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description="Write bench/RESULTS.md from recorded figures.")
    parser.add_argument("lines", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--size", default="small")
    parser.add_argument("--load", default="?")
    parser.add_argument("--started", default="?")
    parser.add_argument("--only", default="", help="the benchmarks the run chose, if not all")
    args = parser.parse_args()
    write(
        args.lines,
        args.target,
        size=args.size,
        load=args.load,
        started=args.started,
        only=args.only,
    )


if __name__ == "__main__":
    main()
