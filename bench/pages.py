"""The list-page benchmark on the big world: each page's queries with 10 rows and with
10,000 (they must be equal), its p50/p95 under 16 concurrent clients against gunicorn beside
a one-query view measured in the same run, and EXPLAIN of each of its queries (an index is
used; no sequential scan of a big table)."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shops.models import Category

ROOT = Path(__file__).resolve().parents[1]
BIG_TABLES = {
    "samples_samplerequest", "filings_filing", "shops_product", "shops_alliancelisting", "flashsales_flashsale",
    "django_fsm_log_statelog", "shops_notification", "auth_user", "shops_creator", "shops_merchant", "shops_shop",
    "filings_filingreason", "shops_livesession",
}


@dataclass
class Page:
    name: str
    user: str
    small: str
    big: str


def pages() -> list[Page]:
    small_cat = Category.objects.get(name="bench-small").pk
    big_cat = Category.objects.get(name="bench-big").pk
    return [
        Page("merchant_sample_inbox", "merchant", "/merchant/samples/", "/merchant/samples/"),
        Page("merchant_filing_tasks", "merchant", "/merchant/filings/", "/merchant/filings/"),
        Page("creator_marketplace", "creator", f"/creator/marketplace/?category={small_cat}", f"/creator/marketplace/?category={big_cat}"),
        Page("creator_flash_sales", "creator", "/creator/flash-sales/", "/creator/flash-sales/"),
        Page("merchant_flash_sales", "merchant", "/merchant/flash-sales/", "/merchant/flash-sales/"),
        Page("merchant_returns_on_samples", "merchant", "/merchant/samples/returns/", "/merchant/samples/returns/"),
        Page("admin_sample_requests", "staff", "/admin/samples/samplerequest/?carrier=ems", "/admin/samples/samplerequest/"),
        # state=all: the queue opens on 审核中 (#13); the benchmark reads the whole table
        Page("admin_filings", "staff", f"/admin/filings/filing/?state=all&product__category__id__exact={small_cat}", "/admin/filings/filing/?state=all"),
        Page("admin_flash_sales", "staff", f"/admin/flashsales/flashsale/?product__category__id__exact={small_cat}", "/admin/flashsales/flashsale/"),
    ]


def account(role: str, size: str) -> str:
    if role == "staff":
        return "bench_staff"
    return f"bench_{'m' if role == 'merchant' else 'c'}_{size}"


def session_cookie(username: str) -> str:
    user = get_user_model().objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


# ---------------------------------------------------------------------------------------
# Queries and plans (in process)


def captured(username: str, url: str) -> tuple[int, list[str], int]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.get(url)  # warm the per-process caches (rules, calendars)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} as {username}: HTTP {response.status_code}")
    return len(ctx), [q["sql"] for q in ctx.captured_queries], len(response.content)


def explain(sql: str) -> tuple[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    seq = sorted({t for t in re.findall(r"Seq Scan on (\w+)", plan) if t in BIG_TABLES})
    return plan, seq


def queries_and_plans(page: Page) -> dict:
    captured(account(page.user, "big"), page.big)  # warm: both sizes' pages have been seen once
    q_small, _sql, size_small = captured(account(page.user, "small"), page.small)
    q_big, sqls, size_big = captured(account(page.user, "big"), page.big)
    plans = []
    for sql in sqls:
        if not sql.lstrip().upper().startswith("SELECT") or "django_session" in sql:
            continue
        plan, seq = explain(sql)
        plans.append({"sql": sql, "plan": plan, "seq_scans_of_big_tables": seq})
    return {"queries_10": q_small, "queries_10000": q_big, "html_bytes_10": size_small, "html_bytes_10000": size_big,
            "plans": plans}


# ---------------------------------------------------------------------------------------
# Latency under load (gunicorn in a subprocess, 16 client threads)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def load(port: int, url: str, cookie: str | None, *, clients: int, per_client: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if cookie:
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
        mine = []
        for _ in range(per_client):
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers=headers)
                response = conn.getresponse()
                response.read()
            except OSError as exc:  # a timeout or a worker killed by gunicorn's timeout: counted, not fatal
                with lock:
                    errors.append(f"{url}: {exc.__class__.__name__}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                with lock:
                    errors.append(f"{url}: HTTP {response.status}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    if not latencies:
        return {"requests": 0, "errors": len(errors), "first_error": errors[0] if errors else None,
                "p50_ms": None, "p95_ms": None, "per_s": 0}
    return {
        "requests": len(latencies), "errors": len(errors), "first_error": errors[0] if errors else None,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[max(0, int(0.95 * len(latencies)) - 1)], "per_s": len(latencies) / wall,
    }


def measure(*, env: dict, clients: int, per_client: int, workers: int, log, names: list[str] | None = None) -> dict:
    """Every page (or `names`), each recorded whatever happens to another: a page that
    fails (an HTTP error, a timeout, an exception) is recorded with its error."""
    results: dict = {}
    todo = [page for page in pages() if not names or page.name in names]
    for page in todo:
        try:
            results[page.name] = queries_and_plans(page)
        except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
            results[page.name] = {"queries_10": None, "queries_10000": None, "plans": [], "error": f"{exc.__class__.__name__}: {exc}"}
            log(f"  {page.name}: FAILED {results[page.name]['error']}")
            continue
        r = results[page.name]
        log(f"  {page.name}: queries {r['queries_10']} / {r['queries_10000']}, "
            f"seq scans of big tables: {sorted({t for p in r['plans'] for t in p['seq_scans_of_big_tables']}) or 'none'}")
    cookies = {role: session_cookie(account(role, "big")) for role in ("merchant", "creator", "staff")}
    proc, port = start_gunicorn(env, workers)
    try:
        load(port, "/bench/minimal/", None, clients=clients, per_client=2)  # warm every worker
        minimal = load(port, "/bench/minimal/", None, clients=clients, per_client=per_client)
        log(f"  minimal view: p50 {minimal['p50_ms']:.1f} ms, p95 {minimal['p95_ms']:.1f} ms, load {os.getloadavg()[0]:.1f}")
        for page in todo:
            load(port, page.big, cookies[page.user], clients=clients, per_client=1)
            timing = load(port, page.big, cookies[page.user], clients=clients, per_client=per_client)
            timing["p95_ratio_vs_minimal"] = timing["p95_ms"] / minimal["p95_ms"] if timing["p95_ms"] and minimal["p95_ms"] else None
            timing["load_average"] = os.getloadavg()[0]
            results[page.name]["load"] = timing
            log(f"  {page.name}: {timing}")
        minimal_again = load(port, "/bench/minimal/", None, clients=clients, per_client=per_client)
    finally:
        stop(proc)
    return {"minimal": minimal, "minimal_after": minimal_again, "pages": results}
