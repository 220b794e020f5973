"""Official accounts (官方账号, RULES.md C1–C6): what an account bound to a shop may carry.

- limits: the platform's exact messages and the C1–C4 guard of the carry gate (registered
  in ShopsConfig.ready())
- services: shop-type changes and closing a shop (C5), pure-creator mode (C5), switching
  the limits on account by account (C6)
- selectors, forms, views, urls, admin: the pages and the reviewers' workspace
"""
