"""HTTP of the samples workspaces, one module per role (S8): parse (every input through a
form), call a service or a selector, render.

- creator: 选品广场-我的-样品申请, the creator's requests, promotion, extension, not arrived
- merchant: the sample inbox and a request's page (decide, ship, extension, re-ship)
- merchant_settings: the merchant's quotas (V2), triage rules (V4), blocklist (V5)
- returns: the merchant's return on samples (V10), on the page and in CSV
"""
