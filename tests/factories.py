"""factory_boy factories for the whole suite. Domain apps add theirs below their section."""

from decimal import Decimal

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from shops.models import (
    AllianceListing,
    Category,
    Creator,
    LiveSession,
    Merchant,
    Product,
    QualificationDocumentType,
    Shop,
    ShopType,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"商家{n}")


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    merchant = factory.SubFactory(MerchantFactory)
    name = factory.Sequence(lambda n: f"店铺{n}")
    shop_type = ShopType.INDIVIDUAL


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualificationDocumentType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"doc-{n}")
    name = factory.Sequence(lambda n: f"资质{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"类目{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    shop = factory.SubFactory(ShopFactory)
    title = factory.Sequence(lambda n: f"商品{n}")
    short_title = factory.LazyAttribute(lambda p: p.title[:10])
    category = factory.SubFactory(CategoryFactory)
    price = Decimal("99.00")
    stock = 100
    sale_status = Product.SaleStatus.ON_SALE


class AllianceListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllianceListing

    product = factory.SubFactory(ProductFactory)
    commission_rate = Decimal("20.00")
    sample_support = True


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creator

    user = factory.SubFactory(UserFactory)
    nickname = factory.Sequence(lambda n: f"达人{n}")
    platform_id = factory.Sequence(lambda n: f"DY{100000 + n}")
    followers = 10_000


class LiveSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveSession

    creator = factory.SubFactory(CreatorFactory)
    title = factory.Sequence(lambda n: f"直播{n}")
    scheduled_start = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=3))
