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

# Python packages: uv (from PyPI, pinned in requirements.txt) installs requirements.txt in a
# few seconds where pip took a minute and a half; pip only installs uv itself. Skipped when
# requirements.txt has not changed since the last install.
ensure_venv() {
  if [[ ! -x "$PY" ]]; then
    say "creating the virtualenv in .venv"
    python3 -m venv "$VENV" || die "python3 -m venv failed: apt-get install -y python3-venv"
  fi
  local stamp="$VENV/.requirements.sha"
  local want; want=$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)
  if [[ ! -f "$stamp" || $(cat "$stamp") != "$want" ]]; then
    say "installing Python packages (requirements.txt, with uv)"
    local uv_pin; uv_pin=$(grep -E '^uv==' "$ROOT/requirements.txt")
    if [[ $("$VENV/bin/uv" --version 2>/dev/null | cut -d' ' -f2) != "${uv_pin#uv==}" ]]; then
      "$PY" -m pip install -q --disable-pip-version-check "$uv_pin" 2>&1 | grep -v "is ignored" || true
    fi
    "$VENV/bin/uv" pip install -q --python "$PY" -r "$ROOT/requirements.txt" || die "uv pip install -r requirements.txt failed"
    "$PY" -c "import django, django_fsm, celery" || die "the Python packages did not install"
    echo "$want" >"$stamp"
  fi
}

# The mail catcher `make run` sends the app's e-mail to (MailDev, from npm, pinned in
# tools/maildev/package-lock.json): installed with `npm ci` when the lock file changed.
# Node.js and npm come from apt when missing.
ensure_maildev() {
  local dir="$ROOT/tools/maildev"
  command -v npm >/dev/null || apt_install nodejs npm
  local stamp="$dir/node_modules/.lock.sha"
  local want; want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [[ ! -f "$stamp" || $(cat "$stamp") != "$want" ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in tools/maildev failed"
    echo "$want" >"$stamp"
  fi
}

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Compile the translation catalogues that changed (polib: no gettext, no Django start).
compile_messages() { "$PY" "$ROOT/scripts/compile_messages.py"; }

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

# PostgreSQL's server binaries: on PATH, or where Debian's `postgresql` package puts them
# (installed with apt when neither has them).
pg_binaries() {
  if ! command -v initdb >/dev/null || ! command -v pg_ctl >/dev/null; then
    local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [[ -z $bin ]] && { apt_install postgresql; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1); }
    [[ -n $bin ]] && export PATH="$bin:$PATH"
  fi
  command -v initdb >/dev/null && command -v pg_ctl >/dev/null \
    || die "PostgreSQL server binaries (initdb, pg_ctl) are missing: apt-get install -y postgresql"
}

# pg_owner DIR: PostgreSQL refuses to run as root; then it runs as the unprivileged
# `postgres` user (created if missing), which owns DIR. Defines pg CMD... to run as it.
PG_USER=""
pg_owner() {
  local dir=$1
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$dir"
    PG_USER=postgres
    pg() { runuser -u postgres -- "$@"; }
  else
    pg() { "$@"; }
  fi
}

# start_postgres PORT DIR: a throwaway PostgreSQL cluster run by an unprivileged user.
start_postgres() {
  local port=$1 dir=$2
  pg_binaries
  pg_owner "$dir"
  pg initdb -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || die "initdb failed (see $dir/initdb.log)"
  pg pg_ctl -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
    || die "PostgreSQL did not start (see $dir/log)"
}

stop_postgres() { pg pg_ctl -D "$1/data" -m immediate stop >/dev/null 2>&1 || true; }

# run_postgres DIR: the run command's own cluster, kept in DIR between runs: created the
# first time, started again the next (on the port of the last run when free), left alone when it is already
# running (another run of this folder). Exports DATABASE_URL (database `daihuo`) and sets
# PG_STARTED=1 when this call started it (then stop_run_postgres DIR stops it).
PG_STARTED=0
run_postgres() {
  local dir=$1 port
  pg_binaries
  pg_owner "$dir"
  if [[ ! -s $dir/data/PG_VERSION ]]; then
    say "creating the PostgreSQL cluster in ${dir#"$ROOT"/} (kept between runs)"
    rm -rf "$dir/data"
    pg initdb -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || die "initdb failed (see $dir/initdb.log)"
  fi
  if pg pg_ctl -D "$dir/data" status >/dev/null 2>&1; then
    port=$(sed -n 4p "$dir/data/postmaster.pid")
  else
    # The port of the last run when it is free (a stable DATABASE_URL), else a free one.
    port=$(cat "$dir/port" 2>/dev/null || true)
    if [[ -z $port ]] || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then port=$(free_port); fi
    echo "$port" >"$dir/port"
    # Durable (fsync stays on); a crash loses at most the last commits (synchronous_commit off).
    pg pg_ctl -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c synchronous_commit=off" start >/dev/null \
      || die "PostgreSQL did not start (see ${dir#"$ROOT"/}/log)"
    PG_STARTED=1
  fi
  if [[ -z $(pg psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "select 1 from pg_database where datname = 'daihuo'") ]]; then
    pg psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "create database daihuo" >/dev/null || die "could not create the database daihuo"
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/daihuo"
}

stop_run_postgres() { ((PG_STARTED)) && pg pg_ctl -D "$1/data" -m fast stop >/dev/null 2>&1 || true; PG_STARTED=0; }

# redis_port PORT: PORT when it is free, else a free one (said). Another Redis, another
# project's, is left alone.
redis_port() {
  local port=$1
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    local other=$port
    port=$(free_port)
    say "port $other is in use: this run's Redis listens on $port"
  fi
  echo "$port"
}
