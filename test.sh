#!/usr/bin/env bash
# The whole test suite. Extra arguments go to pytest (e.g. ./test.sh tests/accounts -x).
#   CI=true       PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379, or fail loudly.
#   DATABASE_URL  use that database (PostgreSQL-only tests run only there).
#   REDIS_URL     use that Redis for the cache and the Celery broker.
#   PORTAL_COVERAGE=true   measure branch coverage (.ci/run does).
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh test
scripts/system-packages.sh --if-root

if [ "${CI:-}" = "true" ]; then
  export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ict_portal}
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
  export PORTAL_REQUIRE_SERVICES=true
fi
if [ -z "${DATABASE_URL:-}" ]; then
  echo "NOTE: DATABASE_URL is not set, so the tests run on SQLite and the PostgreSQL-only tests"
  echo "      are skipped. Run with CI=true (or DATABASE_URL=postgres://...) for the full suite."
fi
coverage=()
if [ "${PORTAL_COVERAGE:-}" = "true" ]; then
  # Branch coverage of the whole project, reported at the end (.ci/run checks the floor).
  coverage=(--cov --cov-branch --cov-report=term:skip-covered)
fi
exec .venv/bin/python -m pytest "${coverage[@]}" "$@"
