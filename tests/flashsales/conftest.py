from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from flashsales import services
from flashsales.models import FlashSale
from tests import factories
from tests.conftest import png_bytes
from tests.flashsales import factories as ff


@pytest.fixture
def world(db):
    """An invited creator live now, a jade product of a standard merchant, a template, a commenter."""
    session = ff.LiveSessionFactory()
    creator = session.creator
    product = ff.JadeProductFactory()
    factories.AllianceListingFactory(product=product)  # creators carry alliance goods
    template = ff.ShippingTemplateFactory(creator=creator, fee=Decimal("12.00"))
    comment = ff.CommentFactory(session=session)
    return {"session": session, "creator": creator, "product": product, "template": template, "viewer": comment.viewer}


def picture():
    return ContentFile(png_bytes(), name="capture.png")


def create(world, **overrides):
    kwargs = {
        "session": world["session"], "creator": world["creator"], "product": world["product"],
        "mode": FlashSale.Mode.FULL, "title": "和田玉手镯 56圈口", "price": Decimal("1999.00"), "quantity": 10,
        "picture": picture(), "picture_source": FlashSale.PictureSource.CAPTURED,
        "shipping_template": world["template"], "by": world["creator"].user,
    }
    kwargs.update(overrides)
    return services.flash_sale_create(**kwargs)
