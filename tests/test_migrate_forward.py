"""The layout move keeps every row: a database filled by seed_demo on the schema that
landed before `core/` existed is migrated forward by today's code, and every row is there.

The old code is taken from git (the commit before the layout change), run in its own
folder against a database of its own on the test PostgreSQL server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
# The last commit with the pre-`core` layout (kernel inside shops).
LANDED = "f06f410f5cefafcdfd63473046558f48e34d5c30"

pytestmark = [pytest.mark.django_db(transaction=True)]


def _have_commit() -> bool:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return False
    return subprocess.run(["git", "cat-file", "-e", f"{LANDED}^{{commit}}"], cwd=ROOT, capture_output=True).returncode == 0


# New models add content types and permissions: there, every old row must still be there.
GROWING = ("auth_permission", "django_content_type", "shops_rulesetting")  # new platform rules add their rows (#14)
# Tables whose rows moved to another table (#14: the order feed took over the stand-in's sales).
MOVED = {"samples_promotionsale": "shops_channelorder"}


def _counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute("select tablename from pg_tables where schemaname = 'public' order by 1")]
        return {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}


def _ids(url: str, table: str) -> set[int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return {r[0] for r in conn.execute(f'select id from "{table}"')}


def _manage(cwd: Path, url: str, *args: str) -> None:
    env = {
        **os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings",
        # The e-mails seed_demo queues wait in a Redis database of their own.
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:1/0").rsplit("/", 1)[0] + "/14",
        "DJANGO_MEDIA_ROOT": str(cwd / "media"), "DJANGO_PRIVATE_ROOT": str(cwd / "private"),
    }
    proc = subprocess.run([sys.executable, "manage.py", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"manage.py {' '.join(args)} in {cwd}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"


@pytest.mark.skipif(not _have_commit(), reason=f"needs the git history with {LANDED[:7]} (a shallow clone lacks it)")
def test_a_seeded_database_of_the_old_layout_migrates_forward_with_every_row(tmp_path):
    params = connection.settings_dict
    name = f"fwd_{uuid.uuid4().hex[:10]}"
    base = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}"
    with connection.cursor() as cur:
        cur.execute(f'create database "{name}"')
    url = f"{base}/{name}"
    try:
        old = tmp_path / "old"
        old.mkdir()
        archive = subprocess.run(["git", "archive", LANDED], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        _manage(old, url, "migrate", "--noinput", "-v0")
        _manage(old, url, "seed_demo")
        before = _counts(url)
        kept = {t: _ids(url, t) for t in GROWING}
        assert before["shops_notification"] > 0 and before["shops_rulesetting"] > 0 and before["django_fsm_log_statelog"] > 0

        _manage(ROOT, url, "migrate", "--noinput", "-v0")
        after = _counts(url)
        lost = {t: (n, after.get(t)) for t, n in before.items()
                if t not in ("django_migrations", *GROWING, *MOVED) and after.get(t) != n}
        assert lost == {}, "tables whose rows changed on the way forward"
        assert {t: after.get(to) for t, to in MOVED.items()} == {t: before[t] for t in MOVED}
        assert {t: ids - _ids(url, t) for t, ids in kept.items()} == {t: set() for t in GROWING}

        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            # The moved models are core's now, with the same permission rows (no duplicates).
            labels = dict(conn.execute(
                "select model, app_label from django_content_type where model in ('notification', 'rulesetting', 'rulechange')"
            ).fetchall())
            assert labels == {"notification": "core", "rulesetting": "core", "rulechange": "core"}
            perms = conn.execute(
                "select count(*) from auth_permission p join django_content_type c on c.id = p.content_type_id"
                " where c.app_label = 'core' and p.codename = 'change_rulesetting'"
            ).fetchone()[0]
            assert perms == 1
        # Today's code reads the old rows through the moved models.
        _manage(ROOT, url, "shell", "-c", (
            "from core.models import Notification, RuleSetting;"
            f"assert Notification.objects.count() == {before['shops_notification']};"
            f"assert RuleSetting.objects.count() >= {before['shops_rulesetting']}"
        ))
    finally:
        connection.close()
        with connection.cursor() as cur:
            cur.execute(f'drop database if exists "{name}" with (force)')
