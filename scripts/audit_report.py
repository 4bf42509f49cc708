"""Judge a pip-audit JSON report against requirements/audit-exceptions.txt (scripts/audit.sh).

    python scripts/audit_report.py REPORT.json [--required]

Exit 0: no known vulnerability (or only ones with an exception note), or the vulnerability
database could not be reached and the audit is not required (said loudly, so a network hiccup
does not make CI flaky). Exit 1: a known vulnerability without a note, an exception without a
note, or an unreachable database when the audit is required (AUDIT_REQUIRED=true).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXCEPTIONS = Path(__file__).resolve().parent.parent / "requirements" / "audit-exceptions.txt"


def read_exceptions(text: str) -> tuple[dict[str, str], list[str]]:
    """{vulnerability id: note}, and the ids listed without a note."""
    notes: dict[str, str] = {}
    bare: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        vuln_id, _, note = line.partition(" ")
        if note.strip():
            notes[vuln_id] = note.strip()
        else:
            bare.append(vuln_id)
    return notes, bare


def verdict(report: dict, exceptions_text: str, *, required: bool) -> tuple[int, list[str]]:
    notes, bare = read_exceptions(exceptions_text)
    lines: list[str] = []
    status = 0
    for vuln_id in bare:
        lines.append(f"FAIL: exception {vuln_id} has no note saying why it is accepted")
        status = 1
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    skipped = [d for d in dependencies if "skip_reason" in d]
    for dependency in audited:
        for vuln in dependency.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            accepted = next((notes[i] for i in ids if i in notes), None)
            where = f"{dependency['name']} {dependency['version']}: {vuln['id']}"
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            if accepted:
                lines.append(f"accepted: {where} ({accepted})")
            else:
                lines.append(f"FAIL: {where} (fixed in {fixed}); upgrade or note an exception")
                status = 1
    if skipped:
        level = "FAIL" if required else "SKIPPED"
        lines.append(
            f"{level}: {len(skipped)} of {len(dependencies)} locked packages could not be "
            "checked: the vulnerability database was not reachable "
            f"(first: {skipped[0]['name']}: {skipped[0]['skip_reason']})"
        )
        if required:
            status = 1
    if status == 0 and not skipped:
        lines.append(f"ok: {len(audited)} locked packages, no known vulnerability without a note")
    return status, lines


def main(argv: list[str]) -> int:
    report = json.loads(Path(argv[0]).read_text("utf-8"))
    status, lines = verdict(
        report, EXCEPTIONS.read_text("utf-8"), required="--required" in argv[1:]
    )
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
