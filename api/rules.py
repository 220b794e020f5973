"""The open API's platform rules (ours, API1–API6): rate limits, key lifetime, order batches,
webhook retries.

Declared here, registered with the kernel's registry in ApiConfig.ready(); read with
`core.rules.rules`, so platform staff change them in the admin like any other rule.
"""

from django.utils.translation import gettext_lazy as _

from core.rules import Rule

RULES = [
    Rule("api_rate_per_minute", 120, "count", "API1", _("API: requests a key may make per minute")),
    Rule("api_key_max_lifetime", 365, "days", "API2", _("API: the longest a key may stay valid")),
    Rule("api_order_batch_max", 10000, "count", "API3", _("Order feed: the most order events in one batch")),
    Rule("api_rate_per_minute_platform", 600, "count", "API1", _("API: requests a platform key (order feed) may make per minute")),
    Rule("webhook_max_attempts", 8, "count", "API5", _("Webhooks: attempts at one delivery before it is parked"), maximum=20),
    Rule("webhook_retry_base", 60, "seconds", "API6", _("Webhooks: wait before the first retry (doubled after each failed attempt)"), maximum=3600),
]
