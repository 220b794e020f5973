"""Browser journey of an appeal (AP1–AP3): the creator appeals a breach from the request's
page with evidence, a reviewer upholds it from the admin queue, the creator sees it excused
and asks for the same product again the same minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samples.models import SampleAppeal, SampleRequest
from tests import factories
from tests.conftest import png_bytes
from tests.samples import factories as sf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_journey_a_breach_appealed_with_evidence_and_upheld(journey, settings, tmp_path):
    settings.FILINGS_PRIVATE_ROOT = str(tmp_path / "private")
    sample = sf.outcome(SampleRequest.State.BREACHED, timezone.now() - timedelta(days=1))
    me = journey(sample.creator.user)
    me.open(f"/creator/samples/{sample.pk}/")
    form = f"form[action$='/samples/{sample.pk}/appeal/']"
    me.page.fill(f"{form} textarea[name=reason]", "收到的样品受潮发霉，无法推广")
    me.page.set_input_files(f"{form} input[name=evidence]", files=[{"name": "proof.png", "mimeType": "image/png", "buffer": png_bytes()}])
    me.submit(f"{form} button")
    appeal = SampleAppeal.objects.get(sample=sample)
    assert appeal.evidence.count() == 1
    me.check("creator sample, appeal filed")

    reviewer = journey(factories.StaffFactory(username="e2e-appeal-reviewer"), admin=True)
    reviewer.open("/admin/")
    reviewer.open(f"/admin/samples/sampleappeal/{appeal.pk}/change/")
    reviewer.page.fill("textarea[name=reason]", "物流破损属实")
    reviewer.submit("input[name=_uphold]")
    assert SampleRequest.objects.get(pk=sample.pk).state == SampleRequest.State.EXCUSED

    me.open(f"/creator/samples/{sample.pk}/")
    assert "物流破损属实" in me.text()
    me.check("creator sample, appeal upheld")
    me.screens("appeal-upheld")

    # AP3: the breach no longer counts (V1) and V3's wait is lifted: the same minute, the
    # creator asks for this very product again from the marketplace.
    me.open(f"/creator/marketplace/{sample.product.alliance_listing.pk}/")
    me.submit("[data-testid=ask-form] button")
    again = SampleRequest.objects.filter(creator=sample.creator, product=sample.product).exclude(pk=sample.pk).get()
    assert again.state == SampleRequest.State.REQUESTED
