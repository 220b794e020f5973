"""Every write of the samples domain (样品服务), one module per concept: keyword-only,
atomic, the only callers of the transitions (through core.fsm.apply_transition).

- requests: ask, withdraw, decide (by hand or by a triage rule, V4), staff override
- shipping: ship, confirm receipt, not arrived and re-ship (S5, S6, V9)
- promotion: record a video or a live promotion and decide it (S7, V8)
- extensions: the creator's extension and the merchant's answer (V7)
- sweeps: the clocks' sweeps (S4–S7, V7)
- reminders: the reminders before the deadlines (V6)
- policy: the merchant's quota, triage rules and blocklist, a reviewer's score correction (V1–V5)
- sales: the orders a creator's promotions brought (V10)
- appeals: the creator's appeal against a breach and the reviewer's decision (AP1–AP5)
- alliance: requests closed when their product leaves the alliance (D4)
- common: the row lock, who may act, how people are told
"""
