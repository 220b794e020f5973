"""Soak: the whole stack on this machine under simulated traffic and failures, then checks.

Run by scripts/soak.sh (`make soak`; `--short` in the test command), which gives it a
throwaway PostgreSQL and the environment. It starts its own Redis (append-only file),
2 gunicorn processes, 2 Celery workers and, on purpose, 2 beats, each under
scripts/supervise.sh; sets the rules to seconds; drives the web over HTTP on 127.0.0.1
only with simulated merchants, creators and buyers; kills one worker and Redis once each
(the wrapper restarts them) and freezes the database for 5 s; lets the sweeps catch up;
then checks the database and writes reports/soak.json. Every loop is bounded in count
and time. Exit status 1 when a check fails.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

ROOT = Path(settings.BASE_DIR)
WORKER_CONCURRENCY = 2  # processes per Celery worker of the soak
LOOPBACK = "127.0.0.1"  # the only address this command ever sends to
MAX_REQUESTS = 20000


# Each simulated person acts until the traffic time is up; this only bounds a runaway loop.
ACTIONS_MAX = 20_000


class Stack:
    """The processes of the soak, each under scripts/supervise.sh in a session of its own."""

    def __init__(self, work: Path, env: dict):
        self.work, self.env = work, env
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *command: str) -> None:
        log = open(self.work / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(
            ["bash", str(ROOT / "scripts/supervise.sh"), name, *command],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def child(self, name: str) -> int | None:
        """The pid of the program the wrapper runs now."""
        out = subprocess.run(["pgrep", "-P", str(self.procs[name].pid)], capture_output=True, text=True).stdout.split()
        return int(out[0]) if out else None

    def stop(self) -> None:
        for proc in self.procs.values():
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 20
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class Client:
    """One simulated person: a cookie jar, CSRF handled, every request timed."""

    def __init__(self, base: str, stats: Stats):
        assert urllib.parse.urlsplit(base).hostname == LOOPBACK
        self.base, self.stats = base, stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        if not self.stats.allow():
            return 0, "", ""
        body = None
        headers = {"X-Request-ID": f"soak-{random.getrandbits(48):012x}"}
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
            headers["X-CSRFToken"] = self.csrf()
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        started = time.monotonic()
        try:
            with self.opener.open(req, timeout=30) as resp:
                status, text, location = resp.status, resp.read().decode(errors="replace"), resp.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            status, text, location = exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")
        except (urllib.error.URLError, OSError) as exc:
            status, text, location = -1, str(exc), ""
        self.stats.record(status, (time.monotonic() - started) * 1000, path)
        return status, text, location

    def login(self, username: str, password: str) -> bool:
        self.request("/accounts/login/")
        status, _, _ = self.request("/accounts/login/", {"username": username, "password": password})
        return status == 302


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Stats:
    def __init__(self, deadline: float):
        self.lock = threading.Lock()
        self.deadline = deadline
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors: list[str] = []

    def allow(self) -> bool:
        return time.monotonic() < self.deadline and len(self.latencies) < MAX_REQUESTS

    def record(self, status: int, ms: float, path: str) -> None:
        with self.lock:
            self.latencies.append(ms)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 500 and len(self.errors) < 20:
                self.errors.append(f"{status} {path}")

    def p95(self) -> float:
        values = sorted(self.latencies)
        return round(values[int(0.95 * (len(values) - 1))], 1) if values else 0.0


class Command(BaseCommand):
    help = "Run the whole stack under simulated traffic and failures, then check the database (scripts/soak.sh)."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=120, help="seconds of traffic (default 120)")
        parser.add_argument("--work", required=True, help="folder for the logs, Redis and e-mails")
        parser.add_argument("--redis-port", type=int, required=True)
        parser.add_argument("--web-ports", required=True, help="two free ports, comma-separated")
        parser.add_argument("--pg-data", required=True, help="the cluster's data folder (to freeze it)")
        parser.add_argument("--report", default=str(ROOT / "reports" / "soak.json"))

    def say(self, text: str) -> None:
        self.stdout.write(f"[soak {time.monotonic() - self.t0:5.1f}s] {text}")
        self.stdout.flush()

    def handle(self, *args, **opts):
        from ops import soak_world

        self.t0 = time.monotonic()
        self.workers_killed = 0
        work = Path(opts["work"])
        ports = [int(p) for p in opts["web_ports"].split(",")]
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("the soak needs PostgreSQL (scripts/soak.sh starts one)")
        world = soak_world.build()
        self.say(f"world: {len(world.merchants)} merchants, {len(world.creators)} creators, "
                 f"{len(world.products)} products, {len(world.sales)} flash sales; rules in seconds")

        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
        stack = Stack(work, env)
        (work / "redis").mkdir(exist_ok=True)
        stack.start("redis", "redis-server", "--port", str(opts["redis_port"]), "--bind", LOOPBACK, "--dir", str(work / "redis"),
                    "--appendonly", "yes", "--appendfsync", "everysec", "--save", "")
        for i, port in enumerate(ports, 1):
            stack.start(f"web{i}", "gunicorn", "config.wsgi", "--config", "config/gunicorn.py", "--bind", f"{LOOPBACK}:{port}", "--workers", "2",
                        "--timeout", "30", "--no-control-socket")
        for i in (1, 2):
            stack.start(f"worker{i}", "celery", "-A", "config", "worker", "--queues", "sweeps,email,default",
                        "--concurrency", str(WORKER_CONCURRENCY), "--loglevel", "INFO", f"--hostname=soak{i}@%h")
            stack.start(f"beat{i}", "celery", "-A", "config", "beat", "--loglevel", "INFO",
                        f"--schedule={work / f'beat{i}-schedule'}")
        report: dict = {"beats": 2}
        try:
            bases = [f"http://{LOOPBACK}:{p}" for p in ports]
            self.wait_ready(bases)
            self.say("stack ready: redis, 2 web, 2 workers, 2 beats")
            started = timezone.now()
            stats, restarts, lag = self.drive(world, bases, stack, opts["duration"], Path(opts["pg_data"]))
            self.say(f"traffic done: {len(stats.latencies)} requests; catching up")
            worst, ended = self.catch_up(timeout=45)
            lag_max = max(lag["max"], worst)
        finally:
            stack.stop()
        self.drain_emails()  # after the stop: no sweep can add a notification behind it
        mail = count_mail(Path(settings.EMAIL_FILE_PATH))
        # A killed worker may have been between sending and recording one e-mail per process.
        violations, counts = soak_world.check(started=started, ended=ended, mail_messages=mail,
                                              killed_senders=self.workers_killed * WORKER_CONCURRENCY)
        if stats.statuses.get(-1):
            self.say(f"note: {stats.statuses[-1]} request(s) got no answer (connection refused or timed out)")
        server_errors = sum(n for s, n in stats.statuses.items() if s >= 500)
        if server_errors:
            violations.append(f"{server_errors} answer(s) of status 5xx: {stats.errors[:5]}")
        logged_500 = sum(1 for i in (1, 2) for line in (work / f"web{i}.log").read_text(errors="replace").splitlines()
                         if '"status": 500' in line)
        if logged_500:
            violations.append(f"{logged_500} request(s) logged with status 500")
        report.update({
            "duration_s": round(time.monotonic() - self.t0, 1),
            "requests": len(stats.latencies),
            "transitions": counts["transitions"],
            "p95_ms": stats.p95(),
            "restarts_survived": restarts,
            "max_sweep_lag_s": round(lag_max, 1),
            "emails_sent_at_the_end": self.emails_drained,
            "violations": violations,
            "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
            "counts": counts,
        })
        Path(opts["report"]).parent.mkdir(parents=True, exist_ok=True)
        Path(opts["report"]).write_text(json.dumps(report, ensure_ascii=False, indent=2))
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if violations:
            raise CommandError(f"soak: {len(violations)} violation(s); see {opts['report']}")
        self.say("all checks hold")

    # -----------------------------------------------------------------------------------

    def wait_ready(self, bases: list[str], timeout: float = 120) -> None:
        # 120 s: on a loaded 2-core machine, 2 gunicorn, 2 workers and 2 beats starting at once
        # once took longer than 60 s. A failure says what /readyz last answered.
        deadline = time.monotonic() + timeout
        pending = set(bases)
        last: dict[str, str] = {}
        while pending and time.monotonic() < deadline:
            for base in list(pending):
                try:
                    with urllib.request.urlopen(base + "/readyz", timeout=3) as resp:
                        if resp.status == 200:
                            pending.discard(base)
                except urllib.error.HTTPError as exc:
                    last[base] = f"HTTP {exc.code}: {exc.read()[:300]!r}"
                except (urllib.error.URLError, OSError) as exc:
                    last[base] = repr(exc)[:300]
            time.sleep(0.5)
        if pending:
            raise CommandError(f"not ready within {timeout}s: {sorted(pending)}; last answers: {last}")

    def drive(self, world, bases, stack: Stack, duration: int, pg_data: Path):
        from ops import soak_world

        deadline = time.monotonic() + duration
        stats = Stats(deadline)
        stop = threading.Event()
        lag = {"max": 0.0}
        restarts = {"n": 0}

        def base(i: int) -> str:
            return bases[i % len(bases)]

        def creator(i: int, username: str) -> None:
            client = Client(base(i), stats)
            if not client.login(username, soak_world.PASSWORD):
                return
            products = list(world.products)
            random.Random(i).shuffle(products)
            for n in range(ACTIONS_MAX):  # bounded in count and, through stats.allow(), in time
                if stop.is_set() or not stats.allow():
                    return
                client.request(f"/creator/samples/request/{products[n % len(products)]}/", {"note": "soak"})
                client.request("/creator/samples/")
                time.sleep(random.uniform(0.2, 0.6))

        def merchant(i: int, username: str) -> None:
            from samples.models import SampleRequest

            client = Client(base(i), stats)
            if not client.login(username, soak_world.PASSWORD):
                return
            rng = random.Random(100 + i)
            seen: set[int] = set()
            for _ in range(ACTIONS_MAX):
                if stop.is_set() or not stats.allow():
                    return
                client.request("/merchant/samples/")
                mine = SampleRequest.objects.filter(merchant__user__username=username).exclude(pk__in=seen)
                for sample in mine.filter(state="requested")[:5]:
                    seen.add(sample.pk)
                    if rng.random() < 0.6:  # the rest wait for S4
                        client.request(f"/merchant/samples/{sample.pk}/decide/", {"action": "approve"})
                for sample in SampleRequest.objects.filter(merchant__user__username=username, state="approved")[:5]:
                    if rng.random() < 0.5:  # the rest wait for S5
                        client.request(f"/merchant/samples/{sample.pk}/ship/",
                                       {"carrier": "sf", "tracking_number": f"SF{rng.randrange(10**11, 10**12)}"})
                time.sleep(rng.uniform(0.3, 0.8))

        def buyer(i: int) -> None:
            client = Client(base(i), stats)
            room = f"/live/{world.session}/"
            for n in range(ACTIONS_MAX):
                if stop.is_set() or not stats.allow():
                    return
                client.request(room)
                status, _, location = client.request(f"{room}join/", {"nickname": f"买家{i}-{n}"})
                token = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("viewer", [""])[0]
                if token:
                    sale = random.choice(world.sales)
                    client.request(f"{room}buy/{sale}/", {"quantity": random.choice([1, 1, 2]), "viewer": token})
                time.sleep(random.uniform(0.1, 0.4))

        def lag_sampler() -> None:
            token = settings.METRICS_TOKEN
            while not stop.is_set() and time.monotonic() < deadline + 5:
                try:
                    req = urllib.request.Request(bases[0] + "/metrics", headers={"Authorization": f"Bearer {token}"})
                    with urllib.request.urlopen(req, timeout=10) as resp:
                        text = resp.read().decode()
                    values = [float(v) for v in re.findall(r"^daihuo_sweep_lag_seconds\{[^}]*\} (\S+)$", text, re.M)]
                    lag["max"] = max([lag["max"], *values])
                except (urllib.error.URLError, OSError, ValueError):
                    pass
                stop.wait(1)

        def chaos() -> None:
            plan = [(0.25, "worker"), (0.45, "redis"), (0.65, "database")]
            start = time.monotonic()
            for at, what in plan:
                if stop.wait(max(start + at * duration - time.monotonic(), 0)):
                    return
                if what == "database":
                    self.freeze_database(pg_data, seconds=5)
                    continue
                name = "worker1" if what == "worker" else "redis"
                pid = stack.child(name)
                if pid is None:
                    continue
                self.say(f"killing {name} (pid {pid}) with SIGKILL")
                os.kill(pid, signal.SIGKILL)
                if name.startswith("worker"):
                    self.workers_killed += 1
                back = time.monotonic() + 30
                while time.monotonic() < back and not stop.is_set():
                    new = stack.child(name)
                    if new and new != pid and self.answers(name, stack):
                        restarts["n"] += 1
                        self.say(f"{name} restarted by its supervisor (pid {new})")
                        break
                    time.sleep(0.5)

        threads = [threading.Thread(target=creator, args=(i, u), daemon=True) for i, u in enumerate(world.creators[:6])]
        threads += [threading.Thread(target=merchant, args=(i, u), daemon=True) for i, u in enumerate(world.merchants)]
        threads += [threading.Thread(target=buyer, args=(i,), daemon=True) for i in range(3)]
        threads += [threading.Thread(target=lag_sampler, daemon=True), threading.Thread(target=chaos, daemon=True)]
        for t in threads:
            t.start()
        while time.monotonic() < deadline and any(t.is_alive() for t in threads[:-2]):
            time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(timeout=35)
        return stats, restarts["n"], lag

    def answers(self, name: str, stack: Stack) -> bool:
        if name == "redis":
            import redis

            try:
                return bool(redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1).ping())
            except Exception:
                return False
        log = (stack.work / f"{name}.log").read_text(errors="replace")
        return log.rfind("ready.") > log.rfind("[supervise]")

    def freeze_database(self, pg_data: Path, seconds: float) -> None:
        """SIGSTOP every process of the cluster (postmaster and backends), then SIGCONT."""
        postmaster = int((pg_data / "postmaster.pid").read_text().split()[0])
        pids = [postmaster] + [int(p) for p in subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()]
        self.say(f"freezing PostgreSQL ({len(pids)} processes) for {seconds:.0f}s")
        try:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGSTOP)
                except ProcessLookupError:  # a backend that closed since pgrep
                    pass
            time.sleep(seconds)
        finally:  # whatever happens, the cluster runs again
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
        self.say("PostgreSQL running again")

    def catch_up(self, timeout: float):
        """Wait (bounded) for a moment when no clock has a due row; return the largest lag
        seen meanwhile and that moment (the checks ask about deadlines passed by then: with
        rules in seconds, rows still waiting keep coming due after it)."""
        from ops import clocks

        worst = 0.0
        deadline = time.monotonic() + timeout
        while True:
            at = timezone.now()
            readings = clocks.read_all(at, count=True)
            worst = max([worst, *(r.lag_seconds for r in readings)])
            if not any(r.due_rows for r in readings) or time.monotonic() >= deadline:
                return worst, at
            time.sleep(0.5)


    def drain_emails(self) -> None:
        """E-mails still unsent when the stack stops (asked for in the relay's last second, or
        while the killed Redis was away and not yet relayed): send them now through the task
        the worker runs (its row lock and emailed_at mark keep each to once), and say how many."""
        from core.models import Notification
        from core.tasks import send_notification_email

        left = list(Notification.objects.filter(emailed_at__isnull=True).exclude(user__email="").values_list("pk", flat=True))
        if left:
            self.say(f"{len(left)} e-mail(s) still pending after the stop: sending them as the pending sweep would")
            for pk in left:
                send_notification_email.run(pk)
        self.emails_drained = len(left)


def count_mail(folder: Path) -> int:
    """Messages written by the file-based e-mail backend (each ends with a line of 79 dashes)."""
    if not folder.exists():
        return 0
    return sum(f.read_text(errors="replace").count("\n" + "-" * 79 + "\n") for f in folder.iterdir() if f.is_file())
