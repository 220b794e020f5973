#!/usr/bin/env bash
# The test command: the whole suite on PostgreSQL (a throwaway cluster) with a private
# Redis, JUnit report in reports/junit.xml. Extra arguments go to pytest.
# QUICK=1 (scripts/pytest.sh, `make quick`): the same PostgreSQL and Redis, without the
# installs of the browser, the code checks and the soak: an iteration on some tests.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
QUICK=${QUICK:-0}

ensure_venv
((QUICK)) || apt_install chromium fonts-wqy-microhei
compile_messages

((QUICK)) || {
say "checking the code: ruff, and the import contracts (domains -> shops -> core)"
"$VENV/bin/ruff" check . || die "ruff found problems (run: .venv/bin/ruff check . --fix)"
"$VENV/bin/lint-imports" --no-cache >/dev/null || { "$VENV/bin/lint-imports" --no-cache; die "an import breaks the layer contracts in .importlinter"; }
}

WORK=$(mktemp -d /tmp/daihuo-test.XXXXXX)
chmod 755 "$WORK"
PG_PORT=$(free_port)
R_PORT=$(free_port)
cleanup() { stop_postgres "$WORK/pg"; stop_redis "$R_PORT"; rm -rf "$WORK"; }
trap cleanup EXIT

((QUICK)) || say "starting PostgreSQL on 127.0.0.1:$PG_PORT and Redis on 127.0.0.1:$R_PORT"
start_postgres "$PG_PORT" "$WORK/pg"
start_redis "$R_PORT" "$WORK/redis"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/daihuo"
export CELERY_BROKER_URL="redis://127.0.0.1:$R_PORT/0"
export REDIS_URL="$CELERY_BROKER_URL"
export DAIHUO_REQUIRE_SERVICES=1

mkdir -p reports
set +e
"$PY" -m pytest -n 2 --junitxml=reports/junit.xml "$@"
rc=$?
set -e
# Keep the report of a failing run for diagnosis (the next run overwrites junit.xml).
((rc == 0)) || cp reports/junit.xml "reports/failed-$(date +%Y%m%d-%H%M%S).xml" 2>/dev/null || true
((rc == 0)) || exit $rc
# The date-bomb guard (tests/clock_guard.py): the test modules that build fixed instants or
# count working days run again with the whole clock moved ahead: past the working-day
# package's data (mid-2027) and years ahead (2030). A test that acts at the wall clock where
# it meant a fixed instant fails here, years before its date comes. Skipped with arguments.
if (($# == 0)) && [[ ${CLOCK_GUARD:-1} != 0 ]]; then
  mapfile -t fixed < <(grep -rlE '\bT0\b|datetime\(20[0-9]{2}|date\(20[0-9]{2}|travel\(|calendar' tests --include='test_*.py' | sort)
  for at in 2027-07-01T10:00 2030-01-15T10:00; do
    say "date-bomb guard: ${#fixed[@]} modules with fixed instants, the clock moved to $at"
    "$PY" -m pytest -n 2 -q --clock-at="$at" --junitxml="reports/junit-clock-${at%%-*}.xml" "${fixed[@]}" \
      || die "a test depends on today's date: it fails with the clock at $at (reports/junit-clock-${at%%-*}.xml)"
  done
fi
# The whole suite passed: the short soak (the stack under traffic and failures, about 75 s;
# reports/soak.json). Skipped when pytest was given arguments (an iteration on some tests).
if (($# == 0)) && ((QUICK == 0)) && [[ ${SOAK:-1} != 0 ]]; then
  stop_postgres "$WORK/pg"; stop_redis "$R_PORT"  # free the machine for the soak's own
  bash scripts/soak.sh --short
fi
