"""The marketplace core: merchants, shops, products, the alliance, creators, live sessions,
showcases, short videos, notifications and the platform rules object.

Every state that changes over time (a shop open or closed, a product on or off sale, an
alliance listing listed or out, a live session scheduled/live/ended) is a django-fsm
field that only services change, through transitions.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fsm import logged


class ShopType(models.TextChoices):
    MALL = "mall", _("Mall")
    OFFICIAL_FLAGSHIP = "official_flagship", _("Official flagship store")
    FLAGSHIP = "flagship", _("Flagship store")
    EXCLUSIVE = "exclusive", _("Exclusive store")
    SPECIALTY = "specialty", _("Specialty store")
    INDIVIDUAL = "individual", _("Individual shop")
    ENTERPRISE = "enterprise", _("Enterprise shop")


PROFESSIONAL_SHOP_TYPES = frozenset(
    {ShopType.MALL, ShopType.OFFICIAL_FLAGSHIP, ShopType.FLAGSHIP, ShopType.EXCLUSIVE, ShopType.SPECIALTY}
)
NON_PROFESSIONAL_SHOP_TYPES = frozenset({ShopType.INDIVIDUAL, ShopType.ENTERPRISE})


class Merchant(models.Model):
    """商家 / 货主: a business that owns one or more shops."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="merchant")
    name = models.CharField(_("name"), max_length=100)
    meets_alliance_standard = models.BooleanField(_("meets the alliance standard"), default=True)
    meets_flash_sale_standard = models.BooleanField(_("meets the flash-sale standard"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Shop(ConcurrentTransitionMixin, models.Model):
    """店铺: belongs to a merchant, has a shop type and may be cross-border."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="shops", verbose_name=_("merchant"))
    name = models.CharField(_("name"), max_length=100)
    shop_type = models.CharField(_("shop type"), max_length=32, choices=ShopType.choices)
    is_cross_border = models.BooleanField(_("cross-border"), default=False)
    status = FSMField(_("status"), default=Status.OPEN, choices=Status.choices, protected=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_professional(self) -> bool:
        return self.shop_type in PROFESSIONAL_SHOP_TYPES

    @logged
    @transition(field=status, source=Status.OPEN, target=Status.CLOSED)
    def close(self, **kwargs) -> None:
        """C5: closing a shop unbinds its official account (done by the service)."""


class QualificationDocumentType(models.Model):
    """资质: a kind of qualification document a category may require for filings."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("qualification document type")
        verbose_name_plural = _("qualification document types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """类目: which qualification documents its products need (F4), and whether the
    platform approved it as a non-standard category for flash sales (FS1)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    required_documents = models.ManyToManyField(
        QualificationDocumentType, blank=True, related_name="categories", verbose_name=_("required documents")
    )
    is_non_standard = models.BooleanField(_("approved non-standard category (flash sales)"), default=False)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def product_image_path(instance: models.Model, filename: str) -> str:
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"products/{uuid.uuid4().hex}.{ext}"


class Product(ConcurrentTransitionMixin, models.Model):
    """商品: belongs to one shop; on sale (上架) or off sale (下架)."""

    class SaleStatus(models.TextChoices):
        ON_SALE = "on_sale", _("On sale")
        OFF_SALE = "off_sale", _("Off sale")

    # F8: editing any of these puts the product's filings back to pending.
    FILING_WATCHED_FIELDS = ("title", "short_title", "main_image", "detail_images", "category", "attributes")

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="products", verbose_name=_("shop"))
    title = models.CharField(_("title"), max_length=200)
    short_title = models.CharField(_("short title"), max_length=60, blank=True)
    main_image = models.ImageField(_("main image"), upload_to=product_image_path, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category"))
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    stock = models.PositiveIntegerField(_("stock"), default=0)
    is_virtual = models.BooleanField(_("virtual product"), default=False)
    is_zero_price_lottery = models.BooleanField(_("zero-price lottery (0元购)"), default=False)
    # F11: the offline approval a platform reviewer gives a zero-price lottery product.
    lottery_approved_at = models.DateTimeField(_("0元购 approved at"), null=True, blank=True)
    lottery_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("0元购 approved by"),
    )
    sale_status = FSMField(_("sale status"), default=SaleStatus.OFF_SALE, choices=SaleStatus.choices, protected=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(
                condition=Q(is_zero_price_lottery=False) | Q(price=0), name="product_lottery_is_zero_price"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def merchant_id(self) -> int:
        return self.shop.merchant_id

    def lottery_cleared(self) -> bool:
        """F11: a 0元购 product needs the offline approval before it goes on sale."""
        return not self.is_zero_price_lottery or self.lottery_approved_at is not None

    @logged
    @transition(field=sale_status, source=SaleStatus.OFF_SALE, target=SaleStatus.ON_SALE, conditions=[lottery_cleared])
    def put_on_sale(self, **kwargs) -> None:
        pass

    @logged
    @transition(field=sale_status, source=SaleStatus.ON_SALE, target=SaleStatus.OFF_SALE)
    def take_off_sale(self, **kwargs) -> None:
        pass


class ProductImage(models.Model):
    """详情图: a product's detail images, in order."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="detail_images")
    image = models.ImageField(_("image"), upload_to=product_image_path)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("detail image")
        verbose_name_plural = _("detail images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.product_id}#{self.position}"


class AllianceListing(ConcurrentTransitionMixin, models.Model):
    """精选联盟: a product listed in the affiliate marketplace with a promotion plan."""

    class Status(models.TextChoices):
        LISTED = "listed", _("Listed")
        OUT = "out", _("Out of the alliance")

    product = models.OneToOneField(Product, on_delete=models.PROTECT, related_name="alliance_listing")
    commission_rate = models.DecimalField(
        _("commission rate (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    sample_support = models.BooleanField(_("sample support"), default=True)
    status = FSMField(_("status"), default=Status.LISTED, choices=Status.choices, protected=True)
    listed_at = models.DateTimeField(_("listed at"), default=timezone.now)
    out_at = models.DateTimeField(_("out of the alliance at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance listing")
        verbose_name_plural = _("alliance listings")
        ordering = ["-listed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0) & Q(commission_rate__lte=100), name="alliance_commission_0_100"
            ),
        ]

    def __str__(self) -> str:
        return str(self.product)

    @logged
    @transition(field=status, source=Status.LISTED, target=Status.OUT)
    def take_out(self, **kwargs) -> None:
        self.out_at = timezone.now()

    @logged
    @transition(field=status, source=Status.OUT, target=Status.LISTED)
    def relist(self, **kwargs) -> None:
        self.listed_at = timezone.now()
        self.out_at = None


class Creator(models.Model):
    """达人 / 主播 / 电商创作者: an account that promotes goods.

    An official account (官方账号 / 人店一体账号) is one bound to a shop.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="creator")
    nickname = models.CharField(_("nickname"), max_length=60)
    platform_id = models.CharField(_("platform ID"), max_length=32, unique=True)
    followers = models.PositiveIntegerField(_("followers"), default=0)
    product_sharing_enabled = models.BooleanField(_("product sharing (商品分享) on"), default=True)
    is_specific = models.BooleanField(_("specific creator (特定达人)"), default=False)
    is_risky = models.BooleanField(_("risk mark"), default=False)
    flash_sale_invited = models.BooleanField(_("invited to flash sales"), default=False)
    meets_flash_sale_standard = models.BooleanField(_("meets the flash-sale standard"), default=False)
    bound_shop = models.OneToOneField(
        Shop, null=True, blank=True, on_delete=models.SET_NULL, related_name="official_account",
        verbose_name=_("bound shop (official account)"),
    )
    pure_creator_mode = models.BooleanField(_("pure-creator mode (纯达人带货)"), default=False)
    carry_limits_on = models.BooleanField(_("carry limits switched on (C6)"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("creator")
        verbose_name_plural = _("creators")
        ordering = ["nickname"]

    def __str__(self) -> str:
        return f"{self.nickname} ({self.platform_id})"

    @property
    def display_name(self) -> str:
        """F3: a linked creator is shown as "nickname + ID"."""
        return f"{self.nickname} {self.platform_id}"

    @property
    def is_official_account(self) -> bool:
        return self.bound_shop_id is not None and not self.pure_creator_mode


class LiveSession(ConcurrentTransitionMixin, models.Model):
    """直播场次: one live broadcast of a creator, with its cart; may be a PK."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")

    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="live_sessions", verbose_name=_("creator"))
    title = models.CharField(_("title"), max_length=100)
    scheduled_start = models.DateTimeField(_("scheduled start"))
    went_live_at = models.DateTimeField(_("went live at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    status = FSMField(_("status"), default=Status.SCHEDULED, choices=Status.choices, protected=True)
    pk_partner = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("PK partner session")
    )
    peak_viewers = models.PositiveIntegerField(_("peak viewers"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["-scheduled_start"]
        indexes = [models.Index(fields=["creator", "status"])]

    def __str__(self) -> str:
        return f"{self.title} @ {timezone.localtime(self.scheduled_start):%Y-%m-%d %H:%M}"

    @logged
    @transition(field=status, source=Status.SCHEDULED, target=Status.LIVE)
    def go_live(self, **kwargs) -> None:
        self.went_live_at = timezone.now()

    @logged
    @transition(field=status, source=Status.LIVE, target=Status.ENDED)
    def end(self, **kwargs) -> None:
        self.ended_at = timezone.now()

    def pk_sessions(self) -> list[LiveSession]:
        """The sessions on the other side of a PK, in either direction."""
        others = list(LiveSession.objects.filter(pk_partner=self).select_related("creator"))
        if self.pk_partner_id and all(o.pk != self.pk_partner_id for o in others):
            others.append(self.pk_partner)
        return others


class LiveCartItem(models.Model):
    """购物车: a product in a live session's cart; removed items stay as history (C3, S7)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="cart_items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="live_cart_items")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("live cart item")
        verbose_name_plural = _("live cart items")
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "product"], condition=Q(removed_at__isnull=True), name="one_active_cart_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.session}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class ShowcaseItem(models.Model):
    """橱窗: a product in a creator's standing showcase (their on-sale list)."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="showcase_items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="showcase_items")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("showcase item")
        verbose_name_plural = _("showcase items")
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "product"], condition=Q(removed_at__isnull=True), name="one_active_showcase_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.creator}"


class ShortVideo(models.Model):
    """短视频: a creator's video that can carry products in its cart."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(_("title"), max_length=100)
    url = models.URLField(_("link"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    taken_down_at = models.DateTimeField(_("taken down at"), null=True, blank=True)

    class Meta:
        verbose_name = _("short video")
        verbose_name_plural = _("short videos")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class VideoCartItem(models.Model):
    """A product in a short video's cart."""

    video = models.ForeignKey(ShortVideo, on_delete=models.CASCADE, related_name="cart_items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="video_cart_items")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("video cart item")
        verbose_name_plural = _("video cart items")
        constraints = [
            models.UniqueConstraint(
                fields=["video", "product"], condition=Q(removed_at__isnull=True), name="one_active_video_cart_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.video}"


# ---------------------------------------------------------------------------------------
# C. Official accounts: what they may carry


class ShopTypeChange(models.Model):
    """店铺类型变更: a recorded change of a shop's type (C5).

    The row also tells which type was in force when a session went live: C5 gives C2 only
    to sessions that go live after the change.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="type_changes", verbose_name=_("shop"))
    old_type = models.CharField(_("old type"), max_length=32, choices=ShopType.choices)
    new_type = models.CharField(_("new type"), max_length=32, choices=ShopType.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("shop type change")
        verbose_name_plural = _("shop type changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["shop", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.shop}: {self.get_old_type_display()} → {self.get_new_type_display()}"


class OfficialAccountChange(models.Model):
    """官方账号变更: who switched an account's carry limits, unbound it or chose pure-creator mode (C5, C6)."""

    class Kind(models.TextChoices):
        LIMITS_ON = "limits_on", _("Carry limits switched on")
        LIMITS_OFF = "limits_off", _("Carry limits switched off")
        UNBOUND = "unbound", _("Unbound from its shop (shop closed)")
        PURE_CREATOR = "pure_creator", _("Chose pure-creator mode")

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="official_changes", verbose_name=_("creator"))
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    shop = models.ForeignKey(Shop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("shop"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("official account change")
        verbose_name_plural = _("official account changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.creator}: {self.get_kind_display()}"


# ---------------------------------------------------------------------------------------
# D. Taking products out of the alliance


class AllianceRemoval(ConcurrentTransitionMixin, models.Model):
    """下架精选联盟: a product taken out of the alliance, now or at a scheduled time (D1–D4)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("alliance removal", "Scheduled")
        DONE = "done", pgettext_lazy("alliance removal", "Done")
        CANCELLED = "cancelled", pgettext_lazy("alliance removal", "Cancelled")

    listing = models.ForeignKey(AllianceListing, on_delete=models.PROTECT, related_name="removals", verbose_name=_("alliance listing"))
    # D2: the moment it happens (a deadline: due while scheduled_at <= now).
    scheduled_at = models.DateTimeField(_("takes effect at"))
    compensation_note = models.TextField(_("compensation note"), blank=True)
    status = FSMField(_("status"), default=Status.SCHEDULED, choices=Status.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # What the merchant saw on the confirmation page, and what the removal did (audit).
    impact = models.JSONField(_("impact at confirmation"), default=dict, blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    class Meta:
        verbose_name = _("alliance removal")
        verbose_name_plural = _("alliance removals")
        ordering = ["-scheduled_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing"], condition=Q(status="scheduled"), name="one_scheduled_removal_per_listing"
            ),
        ]
        indexes = [
            # D2 sweep: only the removals still waiting are indexed.
            models.Index(fields=["scheduled_at"], condition=Q(status="scheduled"), name="alliance_removal_due"),
        ]

    def __str__(self) -> str:
        return f"{self.listing} @ {timezone.localtime(self.scheduled_at):%Y-%m-%d %H:%M}"

    @property
    def product(self) -> Product:
        return self.listing.product

    @logged
    @transition(field=status, source=Status.SCHEDULED, target=Status.DONE)
    def carry_out(self, **kwargs) -> None:
        self.done_at = timezone.now()

    @logged
    @transition(field=status, source=Status.SCHEDULED, target=Status.CANCELLED)
    def cancel(self, **kwargs) -> None:
        self.cancelled_at = timezone.now()


class BuyerAnnouncement(models.Model):
    """下架公告: the merchant's announcement to the buyers who follow or bought a product (D3)."""

    removal = models.ForeignKey(AllianceRemoval, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("alliance removal"))
    message = models.TextField(_("message"))
    # Copied from the removal when sent, so the record says what buyers were told.
    removal_time = models.DateTimeField(_("removal time announced"))
    compensation_note = models.TextField(_("compensation note"), blank=True)
    recipients = models.PositiveIntegerField(_("buyers reached"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("buyer announcement")
        verbose_name_plural = _("buyer announcements")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.message[:50]
