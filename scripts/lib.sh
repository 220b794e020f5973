#!/usr/bin/env bash
# Shared steps of the run and test commands: everything a fresh machine needs is
# installed here (pip into .venv, apt for system services), nothing by hand.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

apt_updated=0
apt_install() {
  # apt_install PKG...: install Debian packages that are missing.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
    die "missing system packages: ${missing[*]}. Install them with: apt-get install -y ${missing[*]}"
  fi
  local SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  say "installing ${missing[*]} (apt)"
  apt_wait_note
  # Another apt or dpkg (unattended upgrades, a colleague's install) may hold the lock: wait
  # for it, up to 10 minutes, instead of failing at once.
  local lock=(-o DPkg::Lock::Timeout=600)
  if ((apt_updated == 0)); then $SUDO apt-get "${lock[@]}" update -qq >/dev/null || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${lock[@]}" install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]} with apt-get; install them by hand: apt-get install -y ${missing[*]}"
}

# Say what an apt-get about to run will wait for, when another package manager is busy.
apt_wait_note() {
  local busy
  busy=$(pgrep -a -x 'apt|apt-get|dpkg|unattended-upgr|aptitude' 2>/dev/null || true)
  [[ -n $busy ]] && say "waiting (up to 10 min) for the dpkg/apt lock held by: $(echo "$busy" | tr '\n' ';')"
  return 0
}

ensure_venv() {
  if [[ ! -x "$PY" ]]; then
    say "creating the virtualenv in .venv"
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.requirements.sha"
  local want; want=$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)
  if [[ ! -f "$stamp" || $(cat "$stamp") != "$want" ]]; then
    say "installing Python packages (requirements.txt)"
    "$PY" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements.txt" 2>&1 | grep -v "is ignored" || true
    "$PY" -c "import django, django_fsm, celery" || die "pip install failed"
    echo "$want" >"$stamp"
  fi
}

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

compile_messages() {
  apt_install gettext
  (cd "$ROOT" && DJANGO_DEBUG=true "$PY" manage.py compilemessages -v0 --ignore=.venv)
}

# start_redis PORT DIR: a private Redis on loopback; exports REDIS_PORT.
start_redis() {
  local port=$1 dir=$2
  command -v redis-server >/dev/null || apt_install redis-server
  command -v redis-server >/dev/null || die "redis-server is missing: apt-get install -y redis-server"
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
    --save '' --appendonly no --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" ping >/dev/null 2>&1 || die "Redis did not start (see $dir/redis.log)"
  export REDIS_PORT=$port
}

stop_redis() { redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true; }

# start_redis_aof PORT DIR: like start_redis, keeping its data in DIR's append-only file.
start_redis_aof() {
  local port=$1 dir=$2
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
    --save '' --appendonly yes --appendfsync everysec --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" ping >/dev/null 2>&1 || die "Redis did not start (see $dir/redis.log)"
}

# stop_redis_saved PORT: stop a Redis after writing its append-only file out.
stop_redis_saved() { redis-cli -p "$1" shutdown >/dev/null 2>&1 || true; }

# start_postgres PORT DIR: a throwaway PostgreSQL cluster run by an unprivileged user.
PG_USER=""
start_postgres() {
  local port=$1 dir=$2
  command -v initdb >/dev/null && command -v pg_ctl >/dev/null \
    || die "PostgreSQL server binaries (initdb, pg_ctl) are not on PATH: apt-get install -y postgresql"
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$dir"
    PG_USER=postgres
    pg() { runuser -u postgres -- "$@"; }
  else
    pg() { "$@"; }
  fi
  pg initdb -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || die "initdb failed (see $dir/initdb.log)"
  pg pg_ctl -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
    || die "PostgreSQL did not start (see $dir/log)"
}

stop_postgres() { pg pg_ctl -D "$1/data" -m immediate stop >/dev/null 2>&1 || true; }
