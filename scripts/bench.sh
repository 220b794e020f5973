#!/usr/bin/env bash
# Benchmarks on a throwaway PostgreSQL (same setup as the tests). Prints figures; writes
# nothing outside a temporary folder. Usage: bash scripts/bench.sh [--samples N] [--listings N]
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv
WORK=$(mktemp -d /tmp/daihuo-bench.XXXXXX); chmod 755 "$WORK"
PG_PORT=$(free_port)
cleanup() { stop_postgres "$WORK/pg"; rm -rf "$WORK"; }
trap cleanup EXIT
start_postgres "$PG_PORT" "$WORK/pg"
runuser -u postgres -- createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres bench 2>/dev/null || createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres bench
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/bench"
export DJANGO_SETTINGS_MODULE=config.settings_test DJANGO_MEDIA_ROOT="$WORK/media"
"$PY" manage.py migrate -v0
# BENCH_SCRIPT=bench_order_feed.py runs the order feed's benchmark (#14) instead
PYTHONPATH="$ROOT" "$PY" "scripts/${BENCH_SCRIPT:-bench.py}" "$@"
