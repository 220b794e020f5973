"""Factories of the filings domain."""

import factory
from django.utils import timezone

from filings.models import Filing, FilingReason, Reason
from tests.factories import CreatorFactory, ProductFactory


class FilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Filing
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory)
    creator = factory.SubFactory(CreatorFactory, is_specific=True)

    @factory.post_generation
    def reasons(obj, create, extracted, **kwargs):
        if create:
            for code in extracted or [Reason.SELF_BUILT]:
                FilingReason.objects.get_or_create(filing=obj, code=code)


def set_state(filing: Filing, state: str, *, submitted_at=None) -> Filing:
    """Put a filing in a state directly (test setup only: production code transitions)."""
    values = {"state": state}
    if state in (Filing.State.UNDER_REVIEW, Filing.State.APPROVED, Filing.State.NOT_APPROVED):
        values["submitted_at"] = submitted_at or timezone.now()
    Filing.objects.filter(pk=filing.pk).update(**values)
    filing.refresh_from_db()
    return filing
