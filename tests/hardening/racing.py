"""Racing many real people at once: PostgreSQL, one thread per racer, each with its own
database connection (closed when the racer is done), all released together by a barrier."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.hardening.plugin import recorder

# The floor: every invariant is raced by at least this many racers.
RACERS = 20
JOIN_SECONDS = 90


@dataclass
class Outcome:
    done: dict[int, object] = field(default_factory=dict)  # racer index -> what the call returned
    refused: dict[int, str] = field(default_factory=dict)  # racer index -> the message they were given
    crashed: dict[int, str] = field(default_factory=dict)  # racer index -> anything else (a bug)

    def refusals(self) -> Counter:
        return Counter(self.refused.values())


def race(n: int, work) -> Outcome:
    """Run work(i) for i in range(n) in n threads released at once. A ValidationError or
    PermissionDenied is a refusal (the person is told why); anything else is a crash, and
    the race asserts there were none."""
    assert n >= RACERS, f"a hardening race has at least {RACERS} racers"
    barrier = threading.Barrier(n, timeout=30)
    out = Outcome()
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            value = work(i)
            with lock:
                out.done[i] = value
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            with lock:
                out.refused[i] = text
        except Exception as exc:  # noqa: BLE001 - a crash fails the race below
            with lock:
                out.crashed[i] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,), name=f"racer-{i}") for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=JOIN_SECONDS)
    assert not [t.name for t in threads if t.is_alive()], "a racer hung"
    assert out.crashed == {}, f"racers crashed (a 500 for a person): {out.crashed}"
    assert len(out.done) + len(out.refused) == n
    recorder().racers(len(out.done) + len(out.refused))  # measured: the racers that ran to the end
    return out
