"""Filing submission with documents (F4, multipart through core.uploads' checks), a session's
carry-limit usage (C2) and the creator's promotion (S7) through the API: the owner's objects
only (404), the scope (403), a revoked key (401), and refusals naming their rule."""

from __future__ import annotations

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api.keys import api_key_revoke
from filings.models import Filing
from shops import services as shop_services
from tests import factories
from tests.filings.factories import FilingFactory
from tests.samples.factories import T0, H, received_at, travel, video_with_product
from tests.shops.helpers import alliance_product, official_account, session_for

pytestmark = pytest.mark.django_db

_calls = itertools.count()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _filing_needing_a_document():
    doc_type = factories.DocumentTypeFactory(name="质检报告")
    category = factories.CategoryFactory()
    category.required_documents.add(doc_type)
    return FilingFactory(product__category=category), doc_type


def _submit(api, filing, files=None, acknowledge="true"):
    return api.client.post(f"/api/v1/merchant/filings/{filing.pk}/submit/", {"acknowledge": acknowledge, **(files or {})},
                           headers={**api.headers, "Idempotency-Key": f"submit-{next(_calls)}"})


def test_f4_submit_with_the_document_the_category_asks_for(api_for, settings, tmp_path):
    settings.FILINGS_PRIVATE_ROOT = str(tmp_path)
    filing, doc_type = _filing_needing_a_document()
    api = api_for(filing.product.shop.merchant.user, scopes=["read", "filings"])
    assert api.get(f"/api/v1/merchant/filings/{filing.pk}/documents/").json() == [
        {"id": doc_type.pk, "name": "质检报告", "field": f"doc_{doc_type.pk}", "on_file": False}]
    missing = _submit(api, filing)
    assert missing.status_code == 422 and missing.json()["rule"] == "F4"
    assert missing.json()["errors"] == {f"doc_{doc_type.pk}": ["请上传此资质文件。"]}
    fake = _submit(api, filing, {f"doc_{doc_type.pk}": SimpleUploadedFile("x.pdf", b"not a pdf at all", content_type="application/pdf")})
    assert fake.status_code == 422 and "rule" not in fake.json()  # core.uploads: the bytes are no PDF
    done = _submit(api, filing, {f"doc_{doc_type.pk}": SimpleUploadedFile("licence.pdf", PDF, content_type="application/pdf")})
    assert done.status_code == 200, done.json()
    assert done.json()["state"] == Filing.State.UNDER_REVIEW
    assert filing.documents.count() == 1


def test_f12_submit_needs_the_notice_acknowledged_and_known_fields(api_for):
    filing, doc_type = _filing_needing_a_document()
    api = api_for(filing.product.shop.merchant.user, scopes=["read", "filings"])
    assert _submit(api, filing, acknowledge="false").status_code == 400
    odd = _submit(api, filing, {"passport": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")})
    assert odd.status_code == 400 and "passport" in odd.json()["errors"]
    assert Filing.objects.get(pk=filing.pk).state == Filing.State.PENDING


def test_f4_submit_permissions_other_merchant_scope_and_revoked_key(merchant, api_for):
    filing, doc_type = _filing_needing_a_document()
    owner = filing.product.shop.merchant.user
    files = {f"doc_{doc_type.pk}": SimpleUploadedFile("licence.pdf", PDF, content_type="application/pdf")}
    assert _submit(api_for(merchant.user, scopes=["read", "filings"]), filing, files).status_code == 404
    assert _submit(api_for(owner, scopes=["read", "samples"]), filing, files).status_code == 403
    revoked = api_for(owner, scopes=["read", "filings"])
    api_key_revoke(key=revoked.key, by=owner)
    assert _submit(revoked, filing, files).status_code == 401
    assert Filing.objects.get(pk=filing.pk).state == Filing.State.PENDING and not filing.documents.exists()


def test_c2_carry_limit_usage_of_the_creators_session(api_for):
    creator = official_account()
    session = session_for(creator)
    shop_services.cart_add(session=session, product=alliance_product(), by=None)
    api = api_for(creator.user, scopes=["read"])
    assert [s["id"] for s in api.get("/api/v1/creator/live-sessions/").json()["results"]] == [session.pk]
    usage = api.get(f"/api/v1/creator/live-sessions/{session.pk}/carry-limits/")
    assert usage.status_code == 200
    assert usage.json() == {"limited": True, "professional": False, "cap": 3, "used": 1, "left": 2, "locked_in": False}


def test_c2_carry_limits_permissions(creator, merchant, api_for):
    session = session_for(official_account())
    path = f"/api/v1/creator/live-sessions/{session.pk}/carry-limits/"
    assert api_for(creator.user, scopes=["read"]).get(path).status_code == 404  # another creator's session
    assert api_for(session.creator.user, scopes=["samples"]).get(path).status_code == 403  # no read scope
    assert api_for(merchant.user, scopes=["read"]).get(path).status_code == 403  # a merchant key
    revoked = api_for(session.creator.user, scopes=["read"])
    api_key_revoke(key=revoked.key, by=session.creator.user)
    assert revoked.get(path).status_code == 401


def test_s7_creator_records_a_video_promotion_and_a_second_one_is_refused_naming_s7(api_for):
    sample = received_at(T0)
    video = video_with_product(sample, T0 + H)
    api = api_for(sample.creator.user)
    with travel(T0 + 2 * H):
        done = api.post(f"/api/v1/creator/sample-requests/{sample.pk}/promotion/", {"video": video.pk})
        again = api.post(f"/api/v1/creator/sample-requests/{sample.pk}/promotion/", {"title": "第二个视频"})
    assert done.status_code == 200 and done.json()["promotion"] == "video"
    assert again.status_code == 422 and again.json()["rule"] == "S7"


def test_s7_promotion_permissions(creator, api_for):
    sample = received_at(T0)
    video = video_with_product(sample, T0 + H)
    path = f"/api/v1/creator/sample-requests/{sample.pk}/promotion/"
    with travel(T0 + 2 * H):
        assert api_for(creator.user).post(path, {"video": video.pk}).status_code == 404
        assert api_for(sample.creator.user, scopes=["read"]).post(path, {"video": video.pk}).status_code == 403
        revoked = api_for(sample.creator.user)
        api_key_revoke(key=revoked.key, by=sample.creator.user)
        assert revoked.post(path, {"video": video.pk}).status_code == 401
        others = video_with_product(received_at(T0), T0 + H)  # another creator's video
        assert api_for(sample.creator.user).post(path, {"video": others.pk}).status_code == 404
        both = api_for(sample.creator.user).post(path, {"video": video.pk, "title": "x"})
        assert both.status_code == 400
    from samples.models import SampleRequest

    assert SampleRequest.objects.get(pk=sample.pk).promotion == ""


def test_v7_deciding_an_extension_nobody_asked_for_is_a_404_not_a_500(api_for):
    """Found by the schema fuzz: grant/refuse on a sample without an extension request."""
    sample = received_at(T0)
    api = api_for(sample.merchant.user)
    for action in ("grant", "refuse"):
        response = api.post(f"/api/v1/merchant/sample-requests/{sample.pk}/extension/{action}/")
        assert response.status_code == 404 and response.json()["detail"] == "达人未对此样品申请申请延期。"
