"""One small kernel registry for every extension point the apps fill in their
AppConfig.ready(): clocks, slots and columns, to-do and queue providers, the carry gate's
guards, sales sources, system tasks, seat resolvers…

Each registry is named and holds entries under a key (by default the entry itself):
registering the same key again is a no-op when it is the same entry (ready() may run twice
in tests) and, depending on the registry, replaces it (`replace=True`, for a single hook
such as the working-day calendar) or is refused (`strict=True`, for declarations that must
not be stated twice differently, such as clocks). Entries are read in `order`, then in the
order they were registered. `registries()` lists them all, so a test or a page can show
what every app plugged in.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_MISSING = object()


@dataclass(frozen=True)
class _Entry(Generic[T]):
    key: Hashable
    value: T
    order: int
    seq: int


class Registry(Generic[T]):
    def __init__(self, name: str, *, strict: bool = False, replace: bool = False) -> None:
        self.name = name
        self.strict = strict
        self.replace = replace
        self._entries: dict[Hashable, _Entry[T]] = {}
        self._seq = 0

    def add(self, value: T, *, key: Hashable = _MISSING, order: int = 100) -> T:
        key = value if key is _MISSING else key
        known = self._entries.get(key)
        if known is not None:
            if known.value is value or known.value == value:
                return known.value
            if self.strict:
                raise ValueError(f"{self.name}: {key!r} registered twice, differently")
            if not self.replace:
                return known.value
        self._seq += 1
        self._entries[key] = _Entry(key, value, order, known.seq if known is not None else self._seq)
        return value

    def remove(self, key: Hashable) -> None:
        self._entries.pop(key, None)

    def pop(self, key: Hashable, default: Any = None) -> T | Any:
        entry = self._entries.pop(key, None)
        return entry.value if entry is not None else default

    # A mapping's item access, so a test can swap one entry (monkeypatch.setitem) and have it
    # put back afterwards.
    def __getitem__(self, key: Hashable) -> T:
        return self._entries[key].value

    def __setitem__(self, key: Hashable, value: T) -> None:
        known = self._entries.get(key)
        self._entries[key] = _Entry(key, value, getattr(value, "order", known.order if known else 100),
                                    known.seq if known else self._next_seq())

    def __delitem__(self, key: Hashable) -> None:
        del self._entries[key]

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def values(self) -> list[T]:
        return [e.value for e in sorted(self._entries.values(), key=lambda e: (e.order, e.seq))]

    def items(self) -> list[tuple[Hashable, T]]:
        return [(e.key, e.value) for e in sorted(self._entries.values(), key=lambda e: (e.order, e.seq))]

    def get(self, key: Hashable, default: Any = None) -> T | Any:
        entry = self._entries.get(key)
        return entry.value if entry is not None else default

    def first(self, default: Any = None) -> T | Any:
        values = self.values()
        return values[0] if values else default

    def __iter__(self) -> Iterator[T]:
        return iter(self.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self)} entries>"


_registries: dict[str, Registry] = {}


def registry(name: str, *, strict: bool = False, replace: bool = False) -> Registry:
    """The registry called `name`, made on first use (a family such as "slot:<name>" too)."""
    found = _registries.get(name)
    if found is None:
        found = _registries[name] = Registry(name, strict=strict, replace=replace)
    return found


def registries() -> dict[str, Registry]:
    return dict(sorted(_registries.items()))
