"""What people are told about samples at volume (V7–V10), each message in one place."""

from django.utils.translation import gettext_lazy as _

# V7: extension
EXTENSION_REASON_REQUIRED = _("Say why you need more time; the merchant sees it.")
EXTENSION_ONCE = _("You already asked for more time for this sample: an extension can be asked for once.")
EXTENSION_NOT_RECEIVED = _("More time can be asked for once the sample is received and until the promotion deadline.")
EXTENSION_TOO_LATE = _("The time to start promoting this sample has run out: it can no longer be extended.")
EXTENSION_REFUSE_TOO_LATE = _("The 48 hours to refuse have run out: the extension is granted.")

# V8: proof
LIVE_TOO_FEW_VIEWERS = _("A live promotion counts only if the session had at least %(count)s viewers; this one had %(viewers)s.")

# V9: not arrived
NOT_ARRIVED_TOO_LATE = _("Receipt has already been confirmed automatically (168 hours after shipping): it can no longer be reported as not arrived.")
RESHIP_SAME_TRACKING = _("Enter the new tracking number of the new parcel, not the one that did not arrive.")
DECISION_REASON_REQUIRED = _("Give the reason for the decision; it is recorded and shown to both sides.")

# V10
SHIPPING_COST_INVALID = _("Enter the shipping cost in yuan (0 or more), or leave it empty.")
SALE_NOT_IN_CART = _("The product was not in this live session's or video's cart.")
SALE_NOT_CREATORS = _("The live session or video belongs to another creator.")
