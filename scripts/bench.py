"""Figures for the two hot paths: the marketplace list and the sample sweeps.

Run through scripts/bench.sh (a throwaway PostgreSQL). Prints medians and rates.
"""

import argparse
import statistics
import time
from datetime import timedelta
from decimal import Decimal

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from samples.models import SampleRequest  # noqa: E402
from samples.services import sweeps as sample_sweeps  # noqa: E402
from shops.models import AllianceListing, Category, Creator, Merchant, Product, Shop, ShopType  # noqa: E402


def world(listings: int, creators: int):
    merchants = [Merchant.objects.create(user=User.objects.create(username=f"bm{i}", email=f"bm{i}@x.test"), name=f"商家{i}") for i in range(20)]
    shops = [Shop.objects.create(merchant=m, name=f"店铺{m.pk}", shop_type=ShopType.INDIVIDUAL if i % 2 else ShopType.FLAGSHIP) for i, m in enumerate(merchants)]
    cats = [Category.objects.create(name=f"类目{i}") for i in range(10)]
    products = Product.objects.bulk_create(
        [Product(shop=shops[i % 20], title=f"商品{i}", category=cats[i % 10], price=Decimal(10 + i % 500), stock=100, sale_status="on_sale") for i in range(listings)]
    )
    AllianceListing.objects.bulk_create([AllianceListing(product=p, commission_rate=Decimal("20")) for p in products])
    users = User.objects.bulk_create([User(username=f"bc{i}", email=f"bc{i}@x.test") for i in range(creators)])
    cs = Creator.objects.bulk_create([Creator(user=u, nickname=f"达人{i}", platform_id=f"BC{i}") for i, u in enumerate(users)])
    return products, cs


def bench_marketplace(creator_user, repeat=20):
    client = Client()
    client.force_login(creator_user)
    for params in [{}, {"q": "商品12", "price_min": "100", "price_max": "300", "shop_type": "individual", "sample_support": "yes"}]:
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                resp = client.get("/creator/marketplace/", params)
                times.append(time.perf_counter() - t)
            assert resp.status_code == 200
        print(f"  marketplace {params or '(no filter)'}: median {statistics.median(times) * 1000:.1f} ms, "
              f"p90 {sorted(times)[int(repeat * 0.9) - 1] * 1000:.1f} ms, {len(ctx.captured_queries)} queries")


def bench_sweep(products, creators, n):
    past = timezone.now() - timedelta(hours=49)
    rows = []
    for i in range(n):
        p = products[i % len(products)]
        rows.append(SampleRequest(creator=creators[i % len(creators)], product=p, merchant_id=p.shop.merchant_id,
                                  requested_at=past, decide_by=past + timedelta(hours=48)))
    # distinct (creator, product) pairs keep the one-open-request constraint
    SampleRequest.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    t = time.perf_counter()
    moved = sample_sweeps.sweep_expire_undecided()
    dt = time.perf_counter() - t
    print(f"  S4 expiry sweep: {moved} requests expired in {dt:.2f} s ({moved / dt:.0f} rows/s, "
          f"each with its transition record and 2 notifications)")
    t = time.perf_counter()
    again = sample_sweeps.sweep_expire_undecided()
    print(f"  same sweep again: {again} moved in {(time.perf_counter() - t) * 1000:.1f} ms (index range, nothing due)")


def main():
    import logging

    logging.disable(logging.INFO)  # the figures, not the worker chatter
    # E-mails leave through the Celery worker in production: count the hand-off, not the sending.
    from core import notifications as core_notifications

    core_notifications.queue_notification_email = lambda notification_id: None
    ap = argparse.ArgumentParser()
    ap.add_argument("--listings", type=int, default=5000)
    ap.add_argument("--samples", type=int, default=5000)
    args = ap.parse_args()
    t = time.perf_counter()
    products, creators = world(args.listings, max(500, args.samples // 10 + 1))
    for p in products[:50]:
        _ = p.shop  # warm
    products = list(Product.objects.select_related("shop").order_by("id"))
    print(f"world: {args.listings} listed products, {len(creators)} creators ({time.perf_counter() - t:.1f} s)")
    bench_marketplace(creators[0].user)
    bench_sweep(products, creators, args.samples)


if __name__ == "__main__":
    main()
