#!/usr/bin/env bash
# The platform-scale benchmark (issue #12; BENCHMARKS.md): a throwaway PostgreSQL and Redis,
# the big world (manage.py bench_world), then manage.py bench_run, which writes
# bench/results.json. Usage:
#   bash scripts/bench.sh                      # full scale: 1,000,000 requests (10–20 min)
#   bash scripts/bench.sh --scale 0.05 --due 1000,5000 --eta-requests 2000   # a quick run
# Options other than --scale go to bench_run (see: manage.py bench_run --help).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv
SCALE=1
ARGS=()
while (($#)); do
  case $1 in
    --scale) SCALE=$2; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
WORK=$(mktemp -d /tmp/daihuo-bench.XXXXXX); chmod 755 "$WORK"
PG_PORT=$(free_port); R_PORT=$(free_port)
cleanup() { stop_postgres "$WORK/pg"; stop_redis "$R_PORT"; rm -rf "$WORK"; }
trap cleanup EXIT
say "starting PostgreSQL on 127.0.0.1:$PG_PORT and Redis on 127.0.0.1:$R_PORT"
start_postgres "$PG_PORT" "$WORK/pg"
start_redis "$R_PORT" "$WORK/redis"
runuser -u postgres -- createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres bench 2>/dev/null \
  || createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres bench
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/bench"
export REDIS_URL="redis://127.0.0.1:$R_PORT/0"  # the broker and the cache (database 1) of this Redis
export DJANGO_SETTINGS_MODULE=bench.settings DJANGO_MEDIA_ROOT="$WORK/media" PYTHONPATH="$ROOT"
"$PY" manage.py migrate -v0
if [[ -n ${BENCH_SCRIPT:-} ]]; then
  # BENCH_SCRIPT=bench_order_feed.py runs the order feed's benchmark (#14) instead
  # (the options were consumed by the loop above: pass what it kept)
  PYTHONPATH="$ROOT" "$PY" "scripts/$BENCH_SCRIPT" "${ARGS[@]}"
  exit
fi
say "building the world (scale $SCALE)"
"$PY" manage.py bench_world --scale "$SCALE"
say "measuring"
"$PY" manage.py bench_run --scale "$SCALE" "${ARGS[@]}"
