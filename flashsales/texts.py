"""The refusals of the flash-sale domain, each kept in one place (tests compare against them)."""

from django.utils.translation import gettext_lazy as _

# FS1
CATEGORY_NOT_APPROVED = _("Flash sales are only for categories the platform approved as non-standard (e.g. jade and jewellery): “%(category)s” is not one.")
# FS2
CREATOR_NOT_INVITED = _("Flash sales are only for creators the platform invited: your account has not been invited.")
CREATOR_BELOW_STANDARD = _("Your account does not meet the flash-sale standard.")
MERCHANT_BELOW_STANDARD = _("The merchant of this product (%(merchant)s) does not meet the flash-sale standard.")
# FS4
SESSION_NOT_LIVE = _("Flash sales are created during a live session: this session is not live.")
NOT_YOUR_SESSION = _("This is not your live session.")
PRICE_NOT_POSITIVE = _("Enter a price above zero.")
QUANTITY_NOT_POSITIVE = _("Enter a quantity of at least 1.")
PRODUCT_NOT_ON_SALE = _("This product is not on sale, or its shop is closed.")
TEMPLATE_NOT_YOURS = _("Pick one of your own shipping templates.")
TEMPLATE_MISSING = _("Pick a shipping template or create one on the way.")
PICTURE_MISSING = _("Add the item's picture: capture it from the live stream or upload one.")
# FS3
TARGET_NOT_IN_COMMENTS = _("A targeted flash sale goes to a viewer who commented in this live session: pick one from its comments.")
TARGET_MISSING = _("A targeted flash sale needs the viewer it goes to.")
# FS5
FULL_CAP_REACHED = _("This product already has %(cap)s full flash sales, the most allowed per product.")
TARGETED_CAP_REACHED = _("This product already has %(cap)s targeted flash sales, the most allowed per product.")
# FS6 / buying
NOT_OPEN = _("This flash sale is no longer open.")
NOT_FOR_YOU = _("This flash sale is not for you.")
NOT_ENOUGH_LEFT = _("Only %(left)s left: lower the quantity.")
ROOM_NOT_LIVE = _("This live room is not live.")
# FS3/FS6: the reason recorded on each flash sale that ends with its session
ENDED_WITH_SESSION = _("ended with its live session “%(session)s”")
# FS8
APP_DETAILS_MISSING = _("When it happened in the app, give the phone model, the operating system and the app version.")
ATTACHMENT_NOT_MEDIA = _("Attach a screenshot (JPEG or PNG) or a video (MP4 or WebM): this file is neither, whatever its name says.")
REPLY_MISSING = _("Write the reply the reporter will read.")
ALREADY_ANSWERED = _("This report has already been answered.")
NOT_ANSWERED_YET = _("This report has not been answered yet: answer it first.")
