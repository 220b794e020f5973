"""The marketplace's models, one module per concept; everything is re-exported here so that
`from shops.models import Product` works whatever module a model lives in.

- catalogue: merchants, shops, categories and qualification document types, products,
  alliance listings
- creators: creators and official accounts
- channels: live sessions and their carts, showcases, short videos and their carts
- official_accounts: shop-type changes and official-account changes (RULES.md C)
- alliance_removal: alliance removals and buyer announcements (RULES.md D)
- teams: a merchant's members with their roles, and the team's changes (RULES.md T)

Every state that changes over time (a shop open or closed, a product on or off sale, an
alliance listing listed or out, a live session scheduled/live/ended) is a django-fsm
field that only services change, through transitions.
"""

from shops.models.alliance_removal import AllianceRemoval, BuyerAnnouncement
from shops.models.catalogue import (
    NON_PROFESSIONAL_SHOP_TYPES,
    PROFESSIONAL_SHOP_TYPES,
    AllianceListing,
    Category,
    Merchant,
    Product,
    ProductImage,
    QualificationDocumentType,
    Shop,
    ShopType,
    product_image_path,
)
from shops.models.channels import LiveCartItem, LiveSession, ShortVideo, ShowcaseItem, VideoCartItem
from shops.models.creators import Creator
from shops.models.official_accounts import OfficialAccountChange, ShopTypeChange
from shops.models.orders import ChannelOrder, OrderEvent
from shops.models.teams import Member, Role, TeamEvent

__all__ = [
    "NON_PROFESSIONAL_SHOP_TYPES",
    "PROFESSIONAL_SHOP_TYPES",
    "AllianceListing",
    "AllianceRemoval",
    "ChannelOrder",
    "OrderEvent",
    "BuyerAnnouncement",
    "Category",
    "Creator",
    "LiveCartItem",
    "LiveSession",
    "Member",
    "Merchant",
    "OfficialAccountChange",
    "Product",
    "ProductImage",
    "Role",
    "TeamEvent",
    "QualificationDocumentType",
    "Shop",
    "ShopType",
    "ShopTypeChange",
    "ShortVideo",
    "ShowcaseItem",
    "VideoCartItem",
    "product_image_path",
]
