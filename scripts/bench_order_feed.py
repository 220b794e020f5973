"""The order feed (#14, V10): one batch of 10,000 events posted to /api/v1/order-events/
through the whole HTTP path (key, validation, intake), then the same batch again (all
duplicates). Run: BENCH_SCRIPT=bench_order_feed.py bash scripts/bench.sh [--events N]"""

import argparse
import json
import time
from datetime import timedelta
from decimal import Decimal

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from api.keys import api_key_create  # noqa: E402
from shops.models import Category, ChannelOrder, Creator, LiveCartItem, LiveSession, Merchant, Product, Shop, ShopType  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10000)
    args = ap.parse_args()
    now = timezone.now()
    merchant = Merchant.objects.create(user=User.objects.create(username="bm"), name="商家")
    shop = Shop.objects.create(merchant=merchant, name="店铺", shop_type=ShopType.FLAGSHIP)
    cat = Category.objects.create(name="类目")
    products = Product.objects.bulk_create([Product(shop=shop, title=f"商品{i}", category=cat, price=Decimal(99), stock=9) for i in range(200)])
    users = User.objects.bulk_create([User(username=f"bc{i}") for i in range(200)])
    creators = Creator.objects.bulk_create([Creator(user=u, nickname=f"达人{i}", platform_id=f"BC{i}") for i, u in enumerate(users)])
    sessions = LiveSession.objects.bulk_create([LiveSession(creator=c, title="场次", scheduled_start=now - timedelta(days=1)) for c in creators])
    LiveCartItem.objects.bulk_create([LiveCartItem(session=s, product=products[(i + k) % 200], added_at=now - timedelta(days=1))
                                      for i, s in enumerate(sessions) for k in range(5)])
    staff = User.objects.create(username="platform", is_staff=True)
    _key, secret = api_key_create(owner=staff, name="orders", scopes=["orders"], days=30, kind="platform")
    events = []
    for n in range(args.events // 2):
        i = n % 200
        base = {"order_id": f"O{n}", "channel": "live", "creator": f"BC{i}", "product": products[(i + n % 7) % 200].pk,
                "session": sessions[i].pk, "quantity": 1, "amount": "99.00"}
        events.append({**base, "kind": "created", "occurred_at": (now - timedelta(hours=1)).isoformat()})
        events.append({**base, "kind": "paid", "occurred_at": (now - timedelta(minutes=59)).isoformat()})
    body = json.dumps({"events": events})
    client = Client()
    for label, idem in (("first", "b1"), ("again (all duplicates)", "b2")):
        start = time.perf_counter()
        response = client.post("/api/v1/order-events/", body, content_type="application/json",
                               headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": idem})
        took = time.perf_counter() - start
        print(f"order feed, {len(events)} events, {label}: {took:.1f} s, HTTP {response.status_code}, {response.json()}")
    print(f"orders: {ChannelOrder.objects.count()}, attributed: {ChannelOrder.objects.filter(attributed=True).count()}")


if __name__ == "__main__":
    main()
