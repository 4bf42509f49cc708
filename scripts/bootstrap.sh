#!/usr/bin/env bash
# Create .venv with Python 3.11 and install the locked dependencies. Cheap when nothing changed:
# a stamp named after the lock file's hash skips pip on later runs.
#   scripts/bootstrap.sh          runtime dependencies (requirements/lock.txt)
#   scripts/bootstrap.sh test     runtime + test dependencies (requirements/test-lock.txt)
set -euo pipefail
cd "$(dirname "$0")/.."

lock=requirements/lock.txt
[ "${1:-}" = "test" ] && lock=requirements/test-lock.txt

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      python=$candidate
      break
    fi
  done
fi
if [ -z "$python" ]; then
  echo "ICT Office Portal needs Python 3.11 (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating virtual environment in .venv ..."
  "$python" -m venv .venv
fi

stamp=".venv/.installed-$(basename "$lock" .txt)-$(sha256sum "$lock" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Installing dependencies from $lock ..."
  .venv/bin/python -m pip install --disable-pip-version-check --quiet --upgrade pip
  .venv/bin/python -m pip install --disable-pip-version-check --quiet -r "$lock"
  rm -f .venv/.installed-"$(basename "$lock" .txt)"-*
  touch "$stamp"
fi
