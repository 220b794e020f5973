#!/usr/bin/env bash
# Soak: the whole stack on this machine (a throwaway PostgreSQL, its own Redis, 2 gunicorn,
# 2 Celery workers and, on purpose, 2 beats) under simulated merchants, creators and buyers
# on 127.0.0.1, with one worker and Redis killed once each and the database frozen for 5 s;
# then the database is checked. Report: reports/soak.json. Exit status 1 on a violation.
#   bash scripts/soak.sh            # `make soak`: 10 minutes of traffic (SOAK_SECONDS to change)
#   bash scripts/soak.sh --short    # the test command's variant: 30 s of traffic, about 75 s in all
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

short=0; [[ ${1:-} == --short ]] && short=1
DURATION=${SOAK_SECONDS:-$((short ? 30 : 600))}

ensure_venv
command -v redis-server >/dev/null || apt_install redis-server
command -v pgrep >/dev/null || apt_install procps

WORK=$(mktemp -d /tmp/daihuo-soak.XXXXXX)
chmod 755 "$WORK"
PG_PORT=$(free_port); R_PORT=$(free_port); W1=$(free_port); W2=$(free_port)
cleanup() { stop_postgres "$WORK/pg"; stop_redis "$R_PORT"; rm -rf "$WORK"; }
trap cleanup EXIT

say "soak: PostgreSQL on 127.0.0.1:$PG_PORT, Redis on $R_PORT, web on $W1 and $W2; ${DURATION}s of traffic"
start_postgres "$PG_PORT" "$WORK/pg"

rand() { "$PY" -c 'import secrets; print(secrets.token_urlsafe(48))'; }
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export DJANGO_CONN_MAX_AGE=30 DJANGO_CONN_HEALTH_CHECKS=true
# The broker and the cache (database 1) of this Redis. A CELERY_BROKER_URL or DJANGO_CACHE_URL
# inherited from the caller (make test exports the suite's Redis, stopped by now) would win
# over REDIS_URL: the web's /readyz then failed its broker check for good.
unset CELERY_BROKER_URL DJANGO_CACHE_URL
export REDIS_URL="redis://127.0.0.1:$R_PORT/0"
export DJANGO_DEBUG=false DJANGO_SECRET_KEY="$(rand)" DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_HSTS_SECONDS=0
export DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend DJANGO_EMAIL_FILE_PATH="$WORK/mail"
export DJANGO_MEDIA_ROOT="$WORK/media" DJANGO_PRIVATE_ROOT="$WORK/private"
export METRICS_TOKEN="$(rand)" PROMETHEUS_MULTIPROC_DIR="$WORK/prometheus"
export DAIHUO_SWEEP_SECONDS=2  # the samples sweeps every 2 s instead of every minute
mkdir -p "$WORK/mail" "$WORK/media" "$WORK/private" "$WORK/prometheus"

DJANGO_LOG_LEVEL=WARNING "$PY" manage.py migrate --noinput -v0
DJANGO_LOG_LEVEL=WARNING "$PY" manage.py collectstatic --noinput -v0
DJANGO_LOG_LEVEL=WARNING "$PY" manage.py soak --duration "$DURATION" --work "$WORK" --redis-port "$R_PORT" \
  --web-ports "$W1,$W2" --pg-data "$WORK/pg/data"
