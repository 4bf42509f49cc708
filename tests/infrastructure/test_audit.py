"""The vulnerability audit's verdict (scripts/audit_report.py, run by scripts/audit.sh in CI)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit_report", ROOT / "scripts/audit_report.py")
audit_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_report)

VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {
            "name": "pillow",
            "version": "1.0",
            "vulns": [{"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fix_versions": ["2.0"]}],
        },
    ]
}


def test_a_known_vulnerability_fails():
    status, lines = audit_report.verdict(VULNERABLE, "", required=False)
    assert status == 1
    assert any("pillow 1.0: PYSEC-2099-1" in line and "2.0" in line for line in lines)


def test_an_exception_with_a_note_passes_even_by_alias():
    text = "# comment\nCVE-2099-1 only the PDF thumbnails use it; upgrade in January\n"
    status, lines = audit_report.verdict(VULNERABLE, text, required=False)
    assert status == 0
    assert any(line.startswith("accepted:") for line in lines)


def test_an_exception_without_a_note_fails():
    status, lines = audit_report.verdict(VULNERABLE, "PYSEC-2099-1\n", required=False)
    assert status == 1
    assert any("no note" in line for line in lines)


def test_an_unreachable_database_is_said_and_fails_only_when_required():
    offline = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "skip_reason": "Dependency not found"}
        ]
    }
    status, lines = audit_report.verdict(offline, "", required=False)
    assert status == 0 and lines[0].startswith("SKIPPED")
    status, lines = audit_report.verdict(offline, "", required=True)
    assert status == 1 and lines[0].startswith("FAIL")


def test_a_clean_report_passes():
    clean = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
    assert audit_report.verdict(clean, "", required=False) == (
        0,
        ["ok: 1 locked packages, no known vulnerability without a note"],
    )


def test_ci_runs_the_audit_and_the_exceptions_file_is_clean():
    assert "scripts/audit.sh" in (ROOT / ".ci/run").read_text()
    _, bare = audit_report.read_exceptions((ROOT / "requirements/audit-exceptions.txt").read_text())
    assert bare == []
