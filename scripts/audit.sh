#!/usr/bin/env bash
# Known-vulnerability audit of the locked dependencies (pip-audit, in its own .venv-audit so it
# never changes the app's environment). Fails on a known vulnerability that has no note in
# requirements/audit-exceptions.txt.
#
# Offline: when the vulnerability database (PyPI's JSON API, pip-audit's default service)
# cannot be reached, the audit says SKIPPED loudly and passes, so a network hiccup never makes
# CI flaky; set AUDIT_REQUIRED=true (e.g. on the release pipeline) to fail instead.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=requirements/audit-lock.txt
if [ ! -x .venv-audit/bin/pip-audit ] || [ ! -f ".venv-audit/.installed-$(sha256sum "$lock" | cut -c1-16)" ]; then
  python3.11 -m venv .venv-audit
  .venv-audit/bin/pip install --disable-pip-version-check --quiet -r "$lock"
  rm -f .venv-audit/.installed-*
  touch ".venv-audit/.installed-$(sha256sum "$lock" | cut -c1-16)"
fi
required=()
[ "${AUDIT_REQUIRED:-}" = "true" ] && required=(--required)
report=$(mktemp)
trap 'rm -f "$report"' EXIT
# --no-deps --disable-pip: audit exactly the pinned versions of both locks, resolve nothing.
# pip-audit's own exit status is not used: the report decides (vulnerabilities, notes, reach).
.venv-audit/bin/pip-audit -r requirements/lock.txt -r requirements/test-lock.txt \
  --no-deps --disable-pip --progress-spinner off --timeout 20 -f json -o "$report" 2>/dev/null || true
if [ ! -s "$report" ]; then
  if [ "${AUDIT_REQUIRED:-}" = "true" ]; then
    echo "FAIL: pip-audit produced no report (vulnerability database unreachable?)" >&2
    exit 1
  fi
  echo "SKIPPED: pip-audit produced no report (vulnerability database unreachable?)"
  exit 0
fi
.venv-audit/bin/python scripts/audit_report.py "$report" "${required[@]}"
