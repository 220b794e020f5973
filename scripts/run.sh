#!/usr/bin/env bash
# The run command, production-shaped: installs, migrates, seeds the demo world, then runs
# what production runs (gunicorn behind whitenoise with debug off, Celery worker and beat,
# Redis with an append-only file) from the Procfile under honcho, and prints the logins.
#   bash scripts/run.sh          # `make run`
#   bash scripts/run.sh --dev    # `make dev`: debug on, the auto-reloading development server
# Listens on 127.0.0.1:8000; HOST=0.0.0.0 / PORT=… change that. Ctrl-C stops all.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

MODE=prod
[[ ${1:-} == --dev ]] && MODE=dev
PROCFILE=Procfile; [[ $MODE == dev ]] && PROCFILE=Procfile.dev

ensure_venv
compile_messages
command -v redis-server >/dev/null || apt_install redis-server
mkdir -p var/redis
export PATH="$VENV/bin:$PATH"

# A secret generated once and kept in var/ (mode 600), unless one is given.
if [[ -z ${DJANGO_SECRET_KEY:-} && -z ${DJANGO_SECRET_KEY_FILE:-} ]]; then
  if [[ ! -s var/secret_key ]]; then
    (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(64))' >var/secret_key)
    say "generated a secret key in var/secret_key"
  fi
  export DJANGO_SECRET_KEY_FILE="$ROOT/var/secret_key"
fi

export HOST=${HOST:-127.0.0.1}
export WEB_PORT=${PORT:-8000}  # honcho sets PORT for each process itself: the Procfile reads WEB_PORT
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}
if [[ $MODE == prod ]]; then
  export DJANGO_DEBUG=${DJANGO_DEBUG:-false}
  default_hosts="127.0.0.1,localhost"
  [[ $HOST != 0.0.0.0 && $HOST != 127.0.0.1 && $HOST != localhost ]] && default_hosts+=",$HOST"
  export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-$default_hosts}
  # Plain HTTP straight to gunicorn on this machine: no TLS proxy in front, so no redirect to
  # https, no Secure-only cookies and no HSTS. Behind a real proxy none of these is set.
  export DJANGO_SECURE_SSL_REDIRECT=${DJANGO_SECURE_SSL_REDIRECT:-false}
  export DJANGO_SECURE_COOKIES=${DJANGO_SECURE_COOKIES:-false}
  export DJANGO_HSTS_SECONDS=${DJANGO_HSTS_SECONDS:-0}
else
  export DJANGO_DEBUG=true
  export DJANGO_LOG_FORMAT=${DJANGO_LOG_FORMAT:-text}
fi

# Our own Redis, its data in var/redis (append-only file: queued tasks survive a restart).
# A port already taken (another Redis, another project) is left alone: we take a free one.
R_PORT=${REDIS_PORT:-6379}
if (exec 3<>"/dev/tcp/127.0.0.1/$R_PORT") 2>/dev/null; then
  R_PORT=$(free_port)
  say "port ${REDIS_PORT:-6379} is in use: this run's Redis listens on $R_PORT"
fi
export REDIS_PORT=$R_PORT REDIS_BIND=127.0.0.1 REDIS_DIR=var/redis
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:$R_PORT/0}
# gunicorn runs several web processes: their request metrics are added up through files here.
export PROMETHEUS_MULTIPROC_DIR="$ROOT/var/prometheus"

honcho_pid=""
cleanup() {
  trap - INT TERM EXIT
  if [[ -n $honcho_pid ]]; then
    say "stopping"
    kill -TERM "$honcho_pid" 2>/dev/null || true
    wait "$honcho_pid" 2>/dev/null || true
  fi
  stop_redis_saved "$R_PORT"
}
trap cleanup INT TERM EXIT

# Migrate and seed with Redis up (the seed queues e-mails; they wait in Redis for the worker).
start_redis_aof "$R_PORT" "$ROOT/var/redis"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
DJANGO_LOG_LEVEL=WARNING "$PY" manage.py seed_demo >var/seed.log || { cat var/seed.log; die "seed_demo failed"; }
stop_redis_saved "$R_PORT"  # honcho starts it again, from the same append-only file

rm -rf "$PROMETHEUS_MULTIPROC_DIR"; mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
say "starting $(grep -cE '^[a-z]+:' "$PROCFILE") processes from $PROCFILE (honcho)"
honcho start -f "$PROCFILE" &
honcho_pid=$!

for _ in $(seq 120); do
  "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://127.0.0.1:$WEB_PORT/healthz" 2>/dev/null && break
  kill -0 "$honcho_pid" 2>/dev/null || die "the processes stopped (see above)"
  sleep 0.5
done
sed -n '/^Demo logins/,$p' var/seed.log
say "Daihuo Desk is running at http://$HOST:$WEB_PORT/ ($MODE: $PROCFILE; /healthz, /readyz; Ctrl-C stops all)"
wait "$honcho_pid"
