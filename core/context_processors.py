from core.roles import creator_of, merchant_of


class _OnFirstUse:
    """A value a template reads only if it shows it: templates call callables, so the
    query runs the first time the value is read and never on pages that do not read it
    (the admin's pages read none of them; a merchant's page never reads ws_creator)."""

    __slots__ = ("_compute", "_value", "_done")

    def __init__(self, compute):
        self._compute = compute
        self._done = False

    def __call__(self):
        if not self._done:
            self._value = self._compute()
            self._done = True
        return self._value


def workspace_value(value):
    """A workspace value as Python code reads it from a template context."""
    return value() if isinstance(value, _OnFirstUse) else value


def workspace(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "ws_merchant": _OnFirstUse(lambda: merchant_of(user)),
        "ws_creator": _OnFirstUse(lambda: creator_of(user)),
        "ws_unread": _OnFirstUse(lambda: user.notifications.filter(read_at__isnull=True).count()),
    }
