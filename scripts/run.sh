#!/usr/bin/env bash
# The run command, production-shaped: installs, starts its own PostgreSQL (var/pg, kept
# between runs), migrates, seeds the demo world, then runs what production runs (gunicorn
# behind whitenoise with debug off, Celery worker and beat, Redis with an append-only file)
# from the Procfile under honcho, with a local mail catcher (MailDev), and prints one banner.
#   bash scripts/run.sh          # `make run`
#   bash scripts/run.sh --dev    # `make dev`: debug on, the auto-reloading development server
# Listens on 127.0.0.1:8000; HOST=0.0.0.0 / PORT=… change that. DATABASE_URL given: that
# database instead of var/pg. Each process's output: var/log/<name>.log. Each step's time:
# var/log/run-timings.txt. Ctrl-C stops all (exit status 0).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

MODE=prod
[[ ${1:-} == --dev ]] && MODE=dev
PROCFILE=Procfile; [[ $MODE == dev ]] && PROCFILE=Procfile.dev
LOG="$ROOT/var/log"
mkdir -p "$LOG" var/redis

# step NAME COMMAND...: run a step and write its duration to var/log/run-timings.txt.
T0=$(date +%s%N)
: >"$LOG/run-timings.txt"
since() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf '%d.%01d' $((ms / 1000)) $((ms % 1000 / 100)); }
timing() { printf '%-10s %6s s\n' "$1" "$(since "$2")" >>"$LOG/run-timings.txt"; }
step() {
  local name=$1 s; shift
  s=$(date +%s%N)
  "$@"
  timing "$name" "$s"
}

# Python packages (uv) and the mail catcher (npm) install side by side.
if [[ -z ${DJANGO_EMAIL_URL:-} ]]; then
  (step maildev ensure_maildev) >"$LOG/maildev-install.log" 2>&1 &
  maildev_install=$!
fi
step packages ensure_venv
if [[ -n ${maildev_install:-} ]]; then
  wait "$maildev_install" || { cat "$LOG/maildev-install.log"; die "the mail catcher did not install"; }
fi
step messages compile_messages
command -v redis-server >/dev/null || step redis-apt apt_install redis-server
export PATH="$VENV/bin:$PATH"

# A secret generated once and kept in var/ (mode 600), unless one is given.
if [[ -z ${DJANGO_SECRET_KEY:-} && -z ${DJANGO_SECRET_KEY_FILE:-} ]]; then
  if [[ ! -s var/secret_key ]]; then
    (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(64))' >var/secret_key)
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

honcho_pid="" tail_pid="" maildev_pid="" R_PORT=""
cleanup() {
  trap - INT TERM EXIT
  if [[ -n $honcho_pid ]]; then
    kill -TERM "$honcho_pid" 2>/dev/null || true
    wait "$honcho_pid" 2>/dev/null || true
  fi
  if [[ -n $maildev_pid ]]; then kill -TERM "$maildev_pid" 2>/dev/null || true; wait "$maildev_pid" 2>/dev/null || true; fi
  if [[ -n $tail_pid ]]; then kill -TERM "$tail_pid" 2>/dev/null || true; fi
  if [[ -n $R_PORT ]]; then stop_redis_saved "$R_PORT"; fi
  stop_run_postgres "$ROOT/var/pg"
}
trap cleanup EXIT
# Ctrl-C (or a TERM) is how this command is meant to end: stop everything, exit 0.
trap 'echo >&2; say "stopping"; cleanup; say "stopped"; exit 0' INT TERM

# PostgreSQL: the one given in DATABASE_URL, else our own cluster in var/pg (created once,
# its data kept between runs; stopped when this command ends).
if [[ -z ${DATABASE_URL:-} && -z ${DATABASE_URL_FILE:-} ]]; then
  step postgres run_postgres "$ROOT/var/pg"
fi

# Our own Redis, its data in var/redis (append-only file: queued tasks survive a restart).
# A port already taken (another Redis, another project) is left alone: we take a free one,
# and the broker and the cache (REDIS_URL, config/settings.py) follow it.
R_PORT=$(redis_port "${REDIS_PORT:-6379}")
export REDIS_PORT=$R_PORT REDIS_BIND=127.0.0.1 REDIS_DIR=var/redis
export REDIS_URL="redis://127.0.0.1:$R_PORT/0"
# A demo that stays alive: beat brings a new sample request every 3 minutes (config/celery.py).
export DAIHUO_DEMO=${DAIHUO_DEMO:-true}
# gunicorn runs several web processes: their request metrics are added up through files here.
export PROMETHEUS_MULTIPROC_DIR="$ROOT/var/prometheus"

# Outgoing e-mail: SMTP to the local mail catcher, read in the browser (unless a real
# DJANGO_EMAIL_URL is given).
MAIL_WEB=""
if [[ -z ${DJANGO_EMAIL_URL:-} ]]; then
  smtp_port=$(free_port); mail_web_port=${MAIL_WEB_PORT:-1080}
  (exec 3<>"/dev/tcp/127.0.0.1/$mail_web_port") 2>/dev/null && mail_web_port=$(free_port)
  node tools/maildev/node_modules/maildev/bin/maildev --ip 127.0.0.1 --smtp "$smtp_port" --web "$mail_web_port" \
    --mail-directory "$ROOT/var/mail-catcher" --silent >>"$LOG/mail.log" 2>&1 &
  maildev_pid=$!
  export DJANGO_EMAIL_URL="smtp://127.0.0.1:$smtp_port"
  MAIL_WEB="http://127.0.0.1:$mail_web_port/"
fi

# Migrate and seed with Redis up (the seed queues e-mails; they wait in Redis for the worker).
# One Django start for the three (ops prepare_run); collectstatic only when a static file
# or a package changed since the last run.
start_redis_aof "$R_PORT" "$ROOT/var/redis"
static_sum=$( (cat "$VENV/.requirements.sha" 2>/dev/null; find static ./*/static -type f -printf '%p %s %T@\n' 2>/dev/null | sort) | sha256sum | cut -d' ' -f1)
collect=(); [[ -f staticfiles/staticfiles.json && $(cat var/static.sha 2>/dev/null) == "$static_sum" ]] || collect=(--collectstatic)
# Nothing to do when the same database already has these migrations and the demo world,
# and the static files are collected: the set-up is skipped (its Django start costs seconds).
setup_sum=$( (echo "${DATABASE_URL:-file}"; cat "$VENV/.requirements.sha" 2>/dev/null; find ./*/migrations -name '*.py' -printf '%p %s %T@\n' | sort) | sha256sum | cut -d' ' -f1)
if ((${#collect[@]})) || [[ $(cat var/setup.sha 2>/dev/null) != "$setup_sum" || ! -s var/logins.txt ]]; then
  DJANGO_LOG_LEVEL=WARNING step setup "$PY" manage.py prepare_run "${collect[@]}" >"$LOG/setup.log" 2>&1 \
    || { cat "$LOG/setup.log"; die "the set-up (migrate, collectstatic, seed_demo) failed: var/log/setup.log"; }
  grep -E '^  (migrate|collectstatic|seed_demo) ' "$LOG/setup.log" >>"$LOG/run-timings.txt" || true
  echo "$static_sum" >var/static.sha
  sed -n '/^Demo logins/,$p' "$LOG/setup.log" >var/logins.txt
  echo "$setup_sum" >var/setup.sha
fi
stop_redis_saved "$R_PORT"  # honcho starts it again, from the same append-only file

rm -rf "$PROMETHEUS_MULTIPROC_DIR"; mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
export SUPERVISE_LOG_DIR="$LOG"  # each process's output: var/log/<name>.log
s=$(date +%s%N)
# honcho's own lines go to var/log/honcho.log; the console shows each process starting and
# any death the wrappers report (the rest of each process's output is in var/log/NAME.log).
: >"$LOG/honcho.log"
honcho start --no-colour -f "$PROCFILE" >>"$LOG/honcho.log" 2>&1 &
honcho_pid=$!
tail --pid="$honcho_pid" -n +1 -F "$LOG/honcho.log" 2>/dev/null | grep --line-buffered -E 'started \(pid|\[supervise\]' >&2 &
tail_pid=$!
"$PY" - "http://127.0.0.1:$WEB_PORT/healthz" "$honcho_pid" <<'EOF' || die "the processes stopped (see var/log/)"
import os, sys, time, urllib.request
for _ in range(600):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2)
        break
    except OSError:
        os.kill(int(sys.argv[2]), 0)  # honcho still running, else fail
        time.sleep(0.1)
EOF
timing start "$s"
timing total "$T0"

bold=$'\033[1m' off=$'\033[0m'
{
  echo
  echo "${bold}带货合规台 Daihuo Desk is running: http://$HOST:$WEB_PORT/${off}  ($MODE, $PROCFILE)"
  [[ -n $MAIL_WEB ]] && echo "  Mail sent by the app (MailDev): $MAIL_WEB"
  echo "  API docs: http://$HOST:$WEB_PORT/api/v1/docs/   health: /healthz /readyz"
  echo "  Logs: var/log/ (web, worker, beat, redis, mail, setup); step times: var/log/run-timings.txt"
  cat var/logins.txt
  echo "  Ctrl-C stops everything."
} >&2
wait "$honcho_pid"
