"""The samples domain's models (样品服务), one module per concept; Django finds them here.

- addresses: the creator's address book (收货地址) and its masking
- requests: the sample request and its state machine (S3–S7, V9), carriers
- extensions: the creator's extension request (V7)
- appeals: the creator's appeal against a breach (AP1–AP4) and its evidence
- policy: score corrections, quotas, triage rules, blocks (V1–V5)
- ship_sheets: a shipping spreadsheet uploaded by a merchant (批量发货) and its per-row outcome
"""

from samples.models.addresses import ShippingAddress
from samples.models.appeals import SampleAppeal, SampleAppealEvidence
from samples.models.extensions import ExtensionRequest
from samples.models.policy import CreatorBlock, CreatorScore, SampleQuota, ScoreAdjustment, TriageRule
from samples.models.requests import CANCELLED_WITH_REASON, TRACKING_EXAMPLES, TRACKING_FORMATS, TRACKING_URLS, Carrier, SampleRequest
from samples.models.ship_sheets import ShipSheetUpload

__all__ = [
    "CANCELLED_WITH_REASON",
    "TRACKING_EXAMPLES",
    "TRACKING_FORMATS",
    "TRACKING_URLS",
    "Carrier",
    "CreatorBlock",
    "CreatorScore",
    "ExtensionRequest",
    "SampleAppeal",
    "SampleAppealEvidence",
    "SampleQuota",
    "SampleRequest",
    "ShippingAddress",
    "ShipSheetUpload",
    "ScoreAdjustment",
    "TriageRule",
]
