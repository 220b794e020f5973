"""The demo world for C and D builds through the real services and is idempotent."""

import pytest

from shops import demo
from shops.management.commands.seed_demo import Command
from shops.models import AllianceRemoval, LiveSession
from shops.official_accounts.selectors import carry_status_for_session

pytestmark = pytest.mark.django_db


def test_c3_d2_demo_seeds_both_official_kinds_and_removals_once():
    for _ in range(2):
        world = Command().seed_core()
        demo.seed_demo(world)
    assert sorted(AllianceRemoval.objects.values_list("status", flat=True)) == ["done", "scheduled"]
    live = LiveSession.objects.get(title="川味官方午间直播")
    assert carry_status_for_session(session=live) == {
        "limited": True, "professional": False, "cap": 3, "used": 3, "left": 0, "locked_in": True,
    }
    beauty = LiveSession.objects.get(title="花漾新品发布会")
    assert carry_status_for_session(session=beauty) == {"limited": True, "professional": True}
    assert beauty.cart_items.count() == 2
