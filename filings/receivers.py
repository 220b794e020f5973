"""The scenario triggers: shops' domain events open and reopen filings (F4, F6, F8).
They run inside the sending service's transaction."""

from __future__ import annotations

from filings import services


def on_product_created(sender, *, product, by=None, **kwargs) -> None:
    services.filings_for_created_product(product=product, by=by)  # F4


def on_creator_became_specific(sender, *, creator, by=None, **kwargs) -> None:
    services.filings_for_new_specific_creator(creator=creator, by=by)  # F4 (ours)


def on_product_taken_up(sender, *, creator, product, by=None, **kwargs) -> None:
    services.filing_for_taken_up_product(creator=creator, product=product, by=by)  # F6


def on_product_edited(sender, *, product, changed_fields, by=None, **kwargs) -> None:
    services.filings_reopen_for_edit(product=product, changed_fields=changed_fields, by=by)  # F8
