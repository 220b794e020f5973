"""The sample policy: who may ask for which sample and what decides it, read by the
services before they write (RULES.md S1–S3, V1–V5, V8).

- eligibility: S1 creators, S2 products, and the V1/V2/V3/V5 checks of one request
- score: the fulfilment score (V1) and the triage score (V4)
- quota: the product's sample quota (V2)
- triage: which of the merchant's rules decides a request (V4)
- blocklist: the merchant's blocked creators (V5)
- proof: when a live promotion counts (V8)

Nothing here writes; the writes are samples.services.
"""
