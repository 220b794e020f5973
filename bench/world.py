"""The big world: at scale 1, 1,000,000 sample requests across every state, 200,000
filings, 50,000 products (all in the alliance), 20,000 creators, 5,000 shops, 20,000 flash
sales, loaded with COPY. Every clock still running is in the future: the benchmark makes
the rows it measures due itself.

Fixed accounts for the list pages, so each page is measured with 10 rows and with 10,000:
merchant `bench_m_small` (10 requests, filings, flash sales) and `bench_m_big` (10,000 of
each), creators `bench_c_small` / `bench_c_big` (10 / 10,000 flash sales), categories
`bench-small` (10 listings) / `bench-big` (10,000), staff `bench_staff`; the sample admin's
carrier filter `ems` holds 10 requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.copyload import copy_rows, next_id
from filings.models import Filing
from flashsales.models import FlashSale, ShippingTemplate
from samples.models import SampleRequest
from shops.models import AllianceListing, Category, Creator, LiveSession, Merchant, Product, Shop

SMALL, BIG = 10, 10_000
PASSWORD = "daihuo-bench-2026"
S = SampleRequest.State

# Share of each state among sample requests (per cent): every state is present.
STATE_SHARES = [
    (S.REQUESTED, 16), (S.APPROVED, 10), (S.SHIPPED, 10), (S.NOT_ARRIVED, 1), (S.RECEIVED, 13),
    (S.FULFILLED, 20), (S.REJECTED, 8), (S.EXPIRED, 8), (S.CANCELLED, 6), (S.WITHDRAWN, 4), (S.BREACHED, 4),
]
STATE_OF_BUCKET = [state for state, share in STATE_SHARES for _ in range(share)]
FILING_STATES = [Filing.State.PENDING, Filing.State.UNDER_REVIEW, Filing.State.APPROVED, Filing.State.NOT_APPROVED]


@dataclass
class Sizes:
    requests: int
    filings: int
    products: int
    creators: int
    shops: int
    flash_sales: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        def n(full: int, least: int) -> int:
            return max(least, int(full * scale))

        return cls(
            requests=n(1_000_000, 200), filings=n(200_000, 60), products=n(50_000, 80), creators=n(20_000, 40),
            shops=n(5_000, 6), flash_sales=n(20_000, 40),
        )


def build(scale: float = 1.0, *, log=print) -> dict:
    sizes = Sizes.at(scale)
    big = min(BIG, sizes.requests // 4)
    now = timezone.now()
    with transaction.atomic():
        ids = _people(sizes, now, log)
        _catalogue(sizes, ids, now, big, log)
        _requests(sizes, ids, now, big, log)
        _filings(sizes, ids, now, big, log)
        _flash_sales(sizes, ids, now, big, log)
    # A table just filled by COPY has no visibility map yet: index-only scans (the inbox's
    # count and page of ids) would read the heap for every row. Leave the world as autovacuum
    # leaves a live database, so a page measured first is not measured against a cold table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"scale": scale, **sizes.__dict__, "big": big}


def _people(sizes: Sizes, now, log) -> dict:
    User = get_user_model()
    password = make_password(PASSWORD)
    u0, m0, s0, c0 = next_id(User), next_id(Merchant), next_id(Shop), next_id(Creator)
    n_users = sizes.shops + sizes.creators + 1
    names = {0: "bench_m_big", 1: "bench_m_small"}
    cnames = {0: "bench_c_big", 1: "bench_c_small"}

    def users():
        for i in range(sizes.shops):
            username = names.get(i, f"bench_m{i}")
            yield {"id": u0 + i, "username": username, "password": password, "email": f"{username}@bench.example",
                   "is_active": True, "date_joined": now}
        for i in range(sizes.creators):
            username = cnames.get(i, f"bench_c{i}")
            yield {"id": u0 + sizes.shops + i, "username": username, "password": password,
                   "email": f"{username}@bench.example", "is_active": True, "date_joined": now}
        yield {"id": u0 + n_users - 1, "username": "bench_staff", "password": password, "email": "staff@bench.example",
               "is_active": True, "is_staff": True, "is_superuser": True, "date_joined": now}

    log(f"users: {copy_rows(User, users())}")
    log("merchants: " + str(copy_rows(Merchant, (
        {"id": m0 + i, "user_id": u0 + i, "name": f"商家{i}", "created_at": now} for i in range(sizes.shops)))))
    log("shops: " + str(copy_rows(Shop, (
        {"id": s0 + i, "merchant_id": m0 + i, "name": f"店铺{i}", "shop_type": "flagship", "created_at": now}
        for i in range(sizes.shops)))))
    log("creators: " + str(copy_rows(Creator, (
        {"id": c0 + i, "user_id": u0 + sizes.shops + i, "nickname": cnames.get(i, f"达人{i}"), "platform_id": f"BENCH{i}",
         "followers": 1000 + (i * 7919) % 900_000, "created_at": now}
        for i in range(sizes.creators)))))
    return {"user": u0, "merchant": m0, "shop": s0, "creator": c0}


def _product_layout(sizes: Sizes, big: int):
    """Products 0–9 the small merchant's; the next `nb` the big merchant's; the rest everyone's."""
    nb = max(10, min(50, sizes.products // 10))
    return nb, 10 + nb, sizes.products - 10 - nb


def _catalogue(sizes: Sizes, ids: dict, now, big: int, log) -> None:
    cat0 = next_id(Category)
    copy_rows(Category, (
        {"id": cat0 + i, "name": {0: "bench-small", 1: "bench-big"}.get(i, f"类目{i}")} for i in range(40)))
    ids["category"] = cat0
    p0 = next_id(Product)
    ids["product"] = p0
    nb, others_start, _others = _product_layout(sizes, big)
    big_category_end = others_start + min(BIG, sizes.products // 2)

    def shop_of(i):
        if i < 10:
            return ids["shop"] + 1
        if i < others_start:
            return ids["shop"]
        return ids["shop"] + 2 + (i % (sizes.shops - 2))

    def category_of(i):
        if i < 10:
            return cat0
        if i < big_category_end:
            return cat0 + 1
        return cat0 + 2 + i % 38

    log("products: " + str(copy_rows(Product, (
        {"id": p0 + i, "shop_id": shop_of(i), "title": f"商品{i}号", "short_title": f"商品{i}", "main_image": "products/bench.png",
         "category_id": category_of(i), "attributes": "{}", "price": Decimal(10 + i % 500), "stock": 100,
         "sale_status": "on_sale", "created_at": now, "updated_at": now}
        for i in range(sizes.products)))))
    a0 = next_id(AllianceListing)
    log("alliance listings: " + str(copy_rows(AllianceListing, (
        {"id": a0 + i, "product_id": p0 + i, "commission_rate": Decimal("20.00"), "sample_support": True,
         "listed_at": now - timedelta(minutes=i)}
        for i in range(sizes.products)))))


def _pair(j: int, sizes: Sizes, ids: dict, big: int) -> tuple[int, int, int]:
    """(merchant, product, creator) of the j-th request or filing: unique pairs per range."""
    nb, others_start, others = _product_layout(sizes, big)
    if j < SMALL:
        return ids["merchant"] + 1, ids["product"] + j, ids["creator"] + j
    if j < SMALL + big:
        k = j - SMALL
        return ids["merchant"], ids["product"] + 10 + k % nb, ids["creator"] + (k // nb) % sizes.creators
    o = j - SMALL - big
    product = others_start + o % others
    merchant = 2 + (product % (sizes.shops - 2))
    return ids["merchant"] + merchant, ids["product"] + product, ids["creator"] + (o // others) % sizes.creators


def _requests(sizes: Sizes, ids: dict, now, big: int, log) -> None:
    r0 = next_id(SampleRequest)
    H = timedelta(hours=1)

    def rows():
        for j in range(sizes.requests):
            merchant, product, creator = _pair(j, sizes, ids, big)
            state = S.SHIPPED if j < SMALL else STATE_OF_BUCKET[(j * 7919) % 100]
            requested = now - timedelta(minutes=(j * 37) % (60 * 24 * 40)) - 2 * H
            row = {"id": r0 + j, "creator_id": creator, "product_id": product, "merchant_id": merchant, "state": state,
                   "requested_at": requested, "decide_by": requested + 48 * H, "triage_score": j % 100}
            if state == S.REQUESTED:
                row["decide_by"] = now + H + timedelta(minutes=j % 2800)  # every running clock in the future
            elif state in (S.APPROVED, S.SHIPPED, S.NOT_ARRIVED, S.RECEIVED, S.FULFILLED, S.BREACHED):
                row.update(approved_at=requested + H, ship_by=now + 24 * H, ship_cancel_at=now + H + timedelta(minutes=j % 7000))
                if state != S.APPROVED:
                    row.update(shipped_at=requested + 2 * H, carrier="ems" if j < SMALL else ("jd" if j % 3 else "sf"),
                               tracking_number="EA123456789CN" if j < SMALL else ("JDVA12345678901" if j % 3 else "SF123456789012"),
                               auto_receive_at=now + H + timedelta(minutes=j % 10000), units_sent=1,
                               sample_cost=Decimal("99.00"))
                if state in (S.RECEIVED, S.FULFILLED, S.BREACHED):
                    row.update(received_at=requested + 3 * H, fulfil_by=now + H + timedelta(minutes=j % 21000))
                if state in (S.FULFILLED, S.BREACHED):
                    row.update(closed_at=requested + 4 * H)
            else:
                row.update(closed_at=requested + H, close_reason="bench")
            yield row

    log(f"sample requests: {copy_rows(SampleRequest, rows())}")


def _filings(sizes: Sizes, ids: dict, now, big: int, log) -> None:
    f0 = next_id(Filing)

    def rows():
        for j in range(sizes.filings):
            _merchant, product, creator = _pair(j, sizes, ids, big)
            state = FILING_STATES[(j * 7919) % 4]
            submitted = now - timedelta(minutes=j % 50000) if state != Filing.State.PENDING else None
            yield {"id": f0 + j, "product_id": product, "creator_id": creator, "state": state, "submitted_at": submitted,
                   "created_at": now, "updated_at": now - timedelta(seconds=j)}

    log(f"filings: {copy_rows(Filing, rows())}")


def _flash_sales(sizes: Sizes, ids: dict, now, big: int, log) -> None:
    """The big creator's 100 sessions carry 10,000 flash sales of the big merchant's products;
    the small creator's one session 10 of the small merchant's; the rest one session each."""
    nb, others_start, others = _product_layout(sizes, big)
    fs_big = min(BIG, sizes.flash_sales // 2)
    rest = max(0, sizes.flash_sales - fs_big - SMALL)
    other_sessions = max(1, min(sizes.creators - 2, rest // 10 or 1))
    l0, t0 = next_id(LiveSession), next_id(ShippingTemplate)
    big_sessions = 100
    sessions = [(ids["creator"], i) for i in range(big_sessions)] + [(ids["creator"] + 1, 0)]
    sessions += [(ids["creator"] + 2 + i, 0) for i in range(other_sessions)]
    copy_rows(LiveSession, (
        {"id": l0 + n, "creator_id": c, "title": f"直播{n}", "scheduled_start": now + timedelta(hours=n % 48), "created_at": now}
        for n, (c, _i) in enumerate(sessions)))
    creators = sorted({c for c, _i in sessions})
    template_of = {c: t0 + n for n, c in enumerate(creators)}
    copy_rows(ShippingTemplate, (
        {"id": template_of[c], "creator_id": c, "name": "包邮", "fee": Decimal("0.00"), "created_at": now} for c in creators))

    f0 = next_id(FlashSale)

    def rows():
        for j in range(fs_big + SMALL + rest):
            if j < fs_big:
                session, product = l0 + j % big_sessions, ids["product"] + 10 + j % nb
            elif j < fs_big + SMALL:
                session, product = l0 + big_sessions, ids["product"] + (j - fs_big)
            else:
                k = j - fs_big - SMALL
                session, product = l0 + big_sessions + 1 + k % other_sessions, ids["product"] + others_start + k % others
            creator = sessions[session - l0][0]
            yield {"id": f0 + j, "session_id": session, "product_id": product, "mode": "full", "title": f"闪购{j}",
                   "price": Decimal("9.90"), "quantity": 10, "picture": "flashsales/bench.png", "picture_source": "uploaded",
                   "shipping_template_id": template_of[creator], "created_at": now - timedelta(seconds=j)}

    log(f"flash sales: {copy_rows(FlashSale, rows())}")
