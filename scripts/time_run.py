"""Time `make run` the way a newcomer meets it, and stop it with Ctrl-C.

    python3 scripts/time_run.py                 # in this checkout (set up: the ≤ 5 s case)
    python3 scripts/time_run.py --fresh         # in a fresh clone in /tmp (its own .venv,
                                                #   var/ and node_modules; the uv, pip and npm
                                                #   caches of this machine are used)
    python3 scripts/time_run.py --fresh --cold  # the same with those caches emptied first

Starts `make run` in a session of its own, waits for the banner, prints the seconds to the
banner, the console's line count and each step's time (var/log/run-timings.txt), then sends
SIGINT to the whole process group as a terminal's Ctrl-C does and reports the exit status
of run.sh (make itself re-raises the interrupt, as make does). Standard library only.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fresh", action="store_true", help="clone this checkout into /tmp first")
    parser.add_argument("--cold", action="store_true", help="empty the uv, pip and npm caches first (with --fresh)")
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args()

    where = ROOT
    if args.fresh:
        where = Path(tempfile.mkdtemp(prefix="daihuo-fresh-"))
        where.chmod(0o755)
        subprocess.run(["git", "clone", "-q", str(ROOT), str(where / "app")], check=True)
        where = where / "app"
        if args.cold:
            for cmd in (["uv", "cache", "clean"], ["pip", "cache", "purge"], ["npm", "cache", "clean", "--force"]):
                exe = shutil.which(cmd[0]) or str(ROOT / ".venv/bin" / cmd[0])
                subprocess.run([exe, *cmd[1:]], capture_output=True)
    load = os.getloadavg()[0]
    env = {**os.environ, "PORT": os.environ.get("PORT", "8000")}
    start = time.monotonic()
    # Run through bash so that SIGINT is not inherited as ignored (a shell ignores it in its
    # background jobs) and run.sh's trap sees Ctrl-C.
    proc = subprocess.Popen(
        ["bash", "-c", "trap - INT; exec bash scripts/run.sh"], cwd=where, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: list[str] = []
    banner_at = None
    deadline = start + args.timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if "Ctrl-C stops everything" in line:
            banner_at = time.monotonic() - start
            break
    print("\n".join(lines))
    print("-" * 60)
    if banner_at is None:
        print(f"no banner (status {proc.poll()})")
        os.killpg(proc.pid, signal.SIGTERM)
        return 1
    print(f"banner after {banner_at:.1f} s; {len(lines)} console lines; load average {load:.1f} at the start")
    print((where / "var/log/run-timings.txt").read_text())
    time.sleep(2)
    stop = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    rest = proc.stdout.read()
    rc = proc.wait(timeout=60)
    print(rest.rstrip())
    print(f"after Ctrl-C: exit status {rc} in {time.monotonic() - stop:.1f} s")
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
