"""Taking products out of the alliance (下架精选联盟, RULES.md D1–D4).

- impact: the registry of what a removal touches (counters, creator and buyer audiences);
  every app fills it in its AppConfig.ready(), the marketplace in ShopsConfig.ready()
- services: removals now or scheduled, cancelling, the sweep, announcements to buyers
- selectors, forms, views, urls, admin: the pages and the reviewers' workspace
"""
