#!/usr/bin/env bash
# One command for a working portal with demo data: sets up .venv, migrates, loads the demo
# office, then runs web + Celery worker + beat together. Ctrl-C stops all three.
#   Embedded default: SQLite (var/db.sqlite3) and a file-system Celery broker, no servers.
#   DATABASE_URL=postgres://...  and/or  REDIS_URL=redis://...  to use real servers instead.
#   PORTAL_PORT=8000 (default)   PORTAL_HOST=127.0.0.1 (default)
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh

# The demo never runs with DEBUG (its error page would show settings and the environment);
# PORTAL_DEMO also allows the local-only secret key and shows the demo logins.
export DJANGO_DEBUG=false
export PORTAL_DEMO=true
export PORTAL_HOST=${PORTAL_HOST:-127.0.0.1}
export PORTAL_PORT=${PORTAL_PORT:-8000}
export PORTAL_BASE_URL=${PORTAL_BASE_URL:-http://${PORTAL_HOST}:${PORTAL_PORT}}
export PYTHONUNBUFFERED=1
# Mail of the demo goes to the log as readable Thai text (config/mail.py).
export EMAIL_BACKEND=${EMAIL_BACKEND:-config.mail.ReadableConsoleBackend}
export PATH="$PWD/.venv/bin:$PATH"

.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_catalogue
.venv/bin/python manage.py seed_demo
.venv/bin/python manage.py seed_demo_documents
.venv/bin/python manage.py seed_demo_cases
.venv/bin/python manage.py seed_demo_repairs
.venv/bin/python manage.py seed_demo_loans
.venv/bin/python manage.py seed_demo_dmc_emis
.venv/bin/python manage.py seed_demo_workplans

echo
echo "ICT Office Portal: http://${PORTAL_HOST}:${PORTAL_PORT}/  (Ctrl-C stops web, worker and beat)"
echo
exec .venv/bin/honcho --procfile Procfile.demo start
