from core.roles import creator_of, merchant_of


def workspace(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "ws_merchant": merchant_of(user),
        "ws_creator": creator_of(user),
        "ws_unread": user.notifications.filter(read_at__isnull=True).count(),
    }
