"""The catalogue: merchants and their shops, categories and the qualification documents they
require, products and their images, and the alliance listing (精选联盟) of a product."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.forms import MAX_PRICE, MAX_QUANTITY
from core.fsm import logged
from core.uploads import RandomName


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

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="merchant", verbose_name=_("user"))
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


# Product pictures are public: a random name with the extension of the sniffed type.
PRODUCT_IMAGES = RandomName("products")


def product_image_path(instance: models.Model, filename: str) -> str:
    """Kept for the migrations that name it; the fields use PRODUCT_IMAGES."""
    return PRODUCT_IMAGES(instance, filename)


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
    main_image = models.ImageField(_("main image"), upload_to=PRODUCT_IMAGES, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category"))
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, validators=[MaxValueValidator(MAX_PRICE)])
    stock = models.PositiveIntegerField(_("stock"), default=0, validators=[MaxValueValidator(MAX_QUANTITY)])
    is_virtual = models.BooleanField(_("virtual product"), default=False)
    is_zero_price_lottery = models.BooleanField(_("zero-price lottery (0元购)"), default=False)
    # F11: the offline approval a platform reviewer gives a zero-price lottery product, written only by
    # shops.services.product_lottery_approve. Filings' reviewers give it, but it stays on Product:
    # put_on_sale's condition (lottery_cleared) reads it, and filings' admin queue (LotteryProduct, a
    # proxy of Product), the merchant's product page and filings' tests read these columns; moving
    # them is not cheap now.
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
            # Numbers a merchant types: sane maxima (core.forms), checked by the form too.
            models.CheckConstraint(condition=Q(price__lte=MAX_PRICE) & Q(stock__lte=MAX_QUANTITY), name="product_price_stock_sane"),
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

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="detail_images", verbose_name=_("product"))
    image = models.ImageField(_("image"), upload_to=PRODUCT_IMAGES)
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

    product = models.OneToOneField(Product, on_delete=models.PROTECT, related_name="alliance_listing", verbose_name=_("product"))
    commission_rate = models.DecimalField(
        _("commission rate (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    sample_support = models.BooleanField(_("sample support"), default=True)
    # S2: who last switched sample support and when (shops.services.alliance_set_sample_support).
    sample_support_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("sample support changed by"),
    )
    sample_support_changed_at = models.DateTimeField(_("sample support changed at"), null=True, blank=True)
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
        indexes = [
            # 选品广场: the newest listed first, read in index order until a page is full.
            models.Index(fields=["-listed_at", "-id"], condition=Q(status="listed"), name="alliance_listed_newest"),
        ]

    def __str__(self) -> str:
        return str(self.product)

    @property
    def earn_per_item(self) -> Decimal:
        """预估赚: the creator's commission on one item at the listed price."""
        return (self.product.price * self.commission_rate / 100).quantize(Decimal("0.01"))

    @logged
    @transition(field=status, source=Status.LISTED, target=Status.OUT)
    def take_out(self, **kwargs) -> None:
        self.out_at = timezone.now()

    @logged
    @transition(field=status, source=Status.OUT, target=Status.LISTED)
    def relist(self, **kwargs) -> None:
        self.listed_at = timezone.now()
        self.out_at = None
