#!/usr/bin/env bash
# The run command: installs, migrates, seeds the demo world, then runs the web server,
# a Celery worker and Celery beat together against a local Redis. Ctrl-C stops all.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_venv
compile_messages

export DJANGO_DEBUG=${DJANGO_DEBUG:-true}
PORT=${PORT:-8000}
R_PORT=${REDIS_PORT:-6379}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:$R_PORT/0}
mkdir -p var

pids=()
started_redis=0
cleanup() {
  trap - INT TERM EXIT
  say "stopping"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ((started_redis)) && stop_redis "$R_PORT"
}
trap cleanup INT TERM EXIT

if ! redis-cli -p "$R_PORT" ping >/dev/null 2>&1; then
  say "starting Redis on 127.0.0.1:$R_PORT"
  start_redis "$R_PORT" "$ROOT/var/redis"
  started_redis=1
fi

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py seed_demo

"$PY" -m celery -A config worker --loglevel=INFO --concurrency=2 >var/worker.log 2>&1 & pids+=($!)
"$PY" -m celery -A config beat --loglevel=INFO --schedule=var/celerybeat-schedule >var/beat.log 2>&1 & pids+=($!)
"$PY" manage.py runserver "0.0.0.0:$PORT" --noreload & pids+=($!)

say "Daihuo Desk is running at http://127.0.0.1:$PORT/  (worker: var/worker.log, beat: var/beat.log; Ctrl-C stops all)"
wait -n "${pids[@]}"
