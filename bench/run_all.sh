#!/usr/bin/env bash
# Every benchmark of bench/ at one size, then bench/RESULTS.md: figure, floor, measured, ratio.
#
#   bench/run_all.sh                 # --size small: a few thousand rows, a few minutes
#   bench/run_all.sh --size large    # the sizes of issue 19's floors: hours, tens of GB
#   bench/run_all.sh --size large --only due,dmc   # some of them: pages due dmc tickets workplans yearly
#
# PostgreSQL at 127.0.0.1 (BENCH_PG, default postgres://postgres@127.0.0.1:5432), one database
# per benchmark named bench_<benchmark>_<size>; Redis db 14 (REDIS_URL to change). The data of
# each benchmark is built once per size and reused; the measured state is reset by each script.
# A benchmark that fails is noted in the log and the table, and the others still run.
# (bench/load_test.py, a soak test without a floor, is not part of it.)
set -uo pipefail

size=small
only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="${2:-}"; shift 2 ;;
        --size=*) size="${1#--size=}"; shift ;;
        --only) only="${2:-}"; shift 2 ;;
        --only=*) only="${1#--only=}"; shift ;;
        *) echo "usage: $0 [--size small|large] [--only pages,due,dmc,tickets,workplans,yearly]" >&2; exit 2 ;;
    esac
done
for name in ${only//,/ }; do
    case "$name" in pages|due|dmc|tickets|workplans|yearly) ;; *) echo "unknown benchmark: $name" >&2; exit 2 ;; esac
done
chosen() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
case "$size" in small|large) ;; *) echo "size: small or large" >&2; exit 2 ;; esac

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
python="$root/.venv/bin/python"
pg="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/14}"
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export PORTAL_FIELD_KEY="${PORTAL_FIELD_KEY:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export STATIC_MANIFEST=false
mkdir -p var/bench
tag="$size${only:+-${only//,/-}}"
lines="var/bench/results-$tag.jsonl"
log="var/bench/run_all-$tag.log"
: > "$lines"
: > "$log"
export BENCH_RESULTS="$root/$lines"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date '+%Y-%m-%d %H:%M %Z')"

if [ "$size" = small ]; then
    pages=(--cases 2000 --schools 50 --seconds 5 --users 4 --workers 2)
    due=(--tasks 20000)
    dmc=(--schools 300 --students 10000)
    tickets=(--tickets 2000 --requests 20)
    plans=(--schools 50 --requests 5)
    yearly=(--cases 200)
else
    pages=(--cases 200000 --schools 500 --seconds 30 --users 20 --workers 4)
    due=(--tasks 1000000)
    dmc=(--schools 30000 --students 1000000)
    tickets=(--tickets 100000 --requests 200)
    plans=(--schools 500 --requests 30)
    yearly=(--cases 5000)
fi

ensure_db() {  # a database of one's own, created if missing
    if [ -z "$(psql "$pg/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$1'")" ]; then
        psql "$pg/postgres" -qc "CREATE DATABASE \"$1\"" >/dev/null
    fi
}

run() {  # name, then the command; its output goes to the log
    local name="$1"; shift
    echo "== $name ($(date '+%H:%M:%S'))" | tee -a "$log"
    if ! "$@" >>"$log" 2>&1; then
        echo "   $name FAILED (see $log)" | tee -a "$log"
        printf '{"figure": "%s", "value": null, "unit": "", "floor": null, "higher": false, "detail": "the benchmark failed: see %s"}\n' \
            "$name" "$log" >> "$lines"
    fi
}

if chosen pages; then
    ensure_db "bench_pages_$size"
    run "bench/pages.py" env BENCH_DATABASE_URL="$pg/bench_pages_$size" "$python" bench/pages.py "${pages[@]}"
fi
if chosen due; then
    run "bench/due_date_pass.py" env BENCH_DATABASE_URL="$pg/bench_due_$size" "$python" bench/due_date_pass.py "${due[@]}"
fi
if chosen dmc; then
    # The round benchmark wants an empty database each time: it builds its office from nothing.
    psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS \"bench_dmc_$size\"" >/dev/null
    ensure_db "bench_dmc_$size"
    run "bench/dmc_round.py" env DATABASE_URL="$pg/bench_dmc_$size" "$python" bench/dmc_round.py "${dmc[@]}"
fi
if chosen tickets; then
    ensure_db "bench_tickets_$size"
    run "bench/ticket_list.py" env DATABASE_URL="$pg/bench_tickets_$size" "$python" bench/ticket_list.py "${tickets[@]}"
fi
if chosen workplans; then
    ensure_db "bench_workplans_$size"
    run "bench/workplans.py" env DATABASE_URL="$pg/bench_workplans_$size" "$python" bench/workplans.py "${plans[@]}"
fi
if chosen yearly; then
    ensure_db "bench_yearly_$size"
    run "bench/yearly_report.py" env DATABASE_URL="$pg/bench_yearly_$size" "$python" bench/yearly_report.py "${yearly[@]}"
fi

BENCH_PG="$pg/postgres" "$python" bench/results.py "$lines" bench/RESULTS.md \
    --size "$size" --load "$load" --started "$started" --only "$only"
echo "wrote bench/RESULTS.md (log: $log)"
