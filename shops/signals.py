"""Domain events other apps listen to (filings, samples, ...), sent by shops services
inside their transaction so that a listener's writes commit or roll back with them."""

from django.dispatch import Signal

# kwargs: product
product_created = Signal()
# kwargs: product, changed_fields (set of Product.FILING_WATCHED_FIELDS names and others), by
product_edited = Signal()
# kwargs: creator, product, via ("showcase" | "live" | "video"), by — a creator puts a product on sale
product_taken_up = Signal()
# kwargs: creator — the platform marked the creator as a specific creator
creator_became_specific = Signal()
# kwargs: product, removal (AllianceRemoval), by — D4: the product has left the alliance; listeners
# close what waits on it (samples: requests awaiting a decision; approved and shipped ones go on)
alliance_removed = Signal()
# kwargs: session, by — the session has just ended (inside live_session_end's transaction, with
# the session row locked); listeners close what lives only as long as it (flash sales: FS3/FS6)
live_session_ended = Signal()
