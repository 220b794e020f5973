"""Factories of the flash-sale domain: an eligible world by default (FS1/FS2 gates open)."""

from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from flashsales.models import FlashSale, LiveComment, ShippingTemplate, Viewer
from shops.models import LiveSession
from tests import factories
from tests.conftest import png_bytes


class JadeCategoryFactory(factories.CategoryFactory):
    name = "珠宝玉石"
    is_non_standard = True


class StandardMerchantFactory(factories.MerchantFactory):
    meets_flash_sale_standard = True


class JadeProductFactory(factories.ProductFactory):
    shop = factory.SubFactory(factories.ShopFactory, merchant=factory.SubFactory(StandardMerchantFactory))
    category = factory.SubFactory(JadeCategoryFactory)
    price = Decimal("2680.00")


class InvitedCreatorFactory(factories.CreatorFactory):
    flash_sale_invited = True
    meets_flash_sale_standard = True


class LiveSessionFactory(factories.LiveSessionFactory):
    creator = factory.SubFactory(InvitedCreatorFactory)
    status = LiveSession.Status.LIVE


class ViewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Viewer

    nickname = factory.Sequence(lambda n: f"观众{n}")


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveComment

    session = factory.SubFactory(LiveSessionFactory)
    viewer = factory.SubFactory(ViewerFactory)
    text = "这个镯子多少钱?"


class ShippingTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingTemplate

    creator = factory.SubFactory(InvitedCreatorFactory)
    name = factory.Sequence(lambda n: f"顺丰包邮{n}")
    fee = Decimal("12.00")


class FlashSaleFactory(factory.django.DjangoModelFactory):
    """A row written directly (for lists and counts); services are tested through services."""

    class Meta:
        model = FlashSale

    session = factory.SubFactory(LiveSessionFactory)
    product = factory.SubFactory(JadeProductFactory)
    mode = FlashSale.Mode.FULL
    title = factory.Sequence(lambda n: f"闪购{n}")
    price = Decimal("1999.00")
    quantity = 10
    picture = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="p.png"))
    picture_source = FlashSale.PictureSource.UPLOADED
    shipping_template = factory.SubFactory(ShippingTemplateFactory, creator=factory.SelfAttribute("..session.creator"))
