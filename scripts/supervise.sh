#!/usr/bin/env bash
# supervise.sh NAME COMMAND...: run COMMAND, and when it dies, say so and start it again.
#
# Why: honcho (the process manager of the Procfile) stops every process as soon as one
# exits. Each Procfile line runs under this wrapper instead, so a worker or Redis that
# crashes is reported and restarted (1 s, doubling to 30 s between quick deaths) while
# the rest keep running. SIGTERM/SIGINT (honcho's Ctrl-C) stop the command and the
# wrapper for good.
# With SUPERVISE_LOG_DIR set (`make run`), the command's output goes to DIR/NAME.log instead
# of the console, and a death is reported with the last lines of that log.
set -uo pipefail

name=$1; shift
child=""
stopping=0
stop() {
  stopping=1
  [[ -n $child ]] && kill -TERM "$child" 2>/dev/null
}
trap stop TERM INT

note() { printf '[supervise] %s %s\n' "$name" "$*" >&2; }

delay=1
while :; do
  started=$(date +%s)
  if [[ -n ${SUPERVISE_LOG_DIR:-} ]]; then
    "$@" >>"$SUPERVISE_LOG_DIR/$name.log" 2>&1 &
  else
    "$@" &
  fi
  child=$!
  # A stop that arrived between the fork and the line above found no child to pass on to.
  ((stopping)) && kill -TERM "$child" 2>/dev/null
  # `wait` returns early when a trapped signal arrives: wait again until the child is gone.
  while kill -0 "$child" 2>/dev/null; do wait "$child"; done
  wait "$child" 2>/dev/null; rc=$?
  child=""
  ((stopping)) && exit 0
  # A process that ran a while before dying gets the short delay again.
  (($(date +%s) - started > 60)) && delay=1
  note "exited with status $rc; restarting in ${delay}s"
  [[ -n ${SUPERVISE_LOG_DIR:-} ]] && tail -n 5 "$SUPERVISE_LOG_DIR/$name.log" | sed "s/^/[supervise] $name: /" >&2
  sleep "$delay" & wait $! 2>/dev/null
  ((stopping)) && exit 0
  delay=$((delay * 2 > 30 ? 30 : delay * 2))
  note "restarting"
done
