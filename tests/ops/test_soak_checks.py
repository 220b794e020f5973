"""The soak's database checks catch what they are meant to catch (the soak itself runs in
scripts/test.sh after the suite, on the real stack)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_fsm_log.models import StateLog

from ops import soak_world
from samples.models import SampleRequest
from tests.samples.factories import T0, H, request_at, travel


@pytest.mark.django_db
def test_a_fresh_soak_world_passes_every_check_but_says_its_clocks_were_never_exercised():
    soak_world.build(merchants=1, products_per_merchant=2, creators=2, sale_quantity=3)
    violations, counts = soak_world.check(started=timezone.now(), ended=timezone.now(), mail_messages=0)
    assert violations == [soak_world.NO_SAMPLE_REQUESTS] and counts["sample_requests"] == 0


@pytest.mark.django_db
def test_the_checks_report_a_deadline_left_unmoved_and_a_sweep_that_moved_a_row_twice():
    from samples.services import sweeps as services

    sample = request_at(T0)
    with travel(T0 + 49 * H):
        violations, _ = soak_world.check(started=T0, ended=timezone.now(), mail_messages=0)
        assert any("of clock s4_decide still due" in v for v in violations)
        services.sweep_expire_undecided()
        log = StateLog.objects.get(content_type=ContentType.objects.get_for_model(SampleRequest), object_id=sample.pk)
        log.pk = None
        log.save()  # a second record of the same expiry
        violations, _ = soak_world.check(started=T0, ended=timezone.now(), mail_messages=0)
    assert any("moved by expire 2 times" in v for v in violations)
    assert any("record expire from requested, state was expired" in v for v in violations)


@pytest.mark.django_db
def test_the_checks_report_e_mails_sent_twice_or_never():
    from core.models import Notification
    from tests import factories

    user = factories.UserFactory()
    Notification.objects.create(user=user, title="t", emailed_at=timezone.now())
    assert any("2 e-mails sent for 1 notifications" in v for v in soak_world.check(started=T0, ended=timezone.now(), mail_messages=2)[0])
    Notification.objects.create(user=user, title="u")
    assert any("never sent" in v for v in soak_world.check(started=T0, ended=timezone.now(), mail_messages=1)[0])


@pytest.mark.django_db
def test_an_e_mail_sent_again_is_allowed_only_for_sends_a_kill_cut():
    """A worker SIGKILLed after the mail left and before emailed_at committed sends it again on
    retry (at least once, by design): the soak allows one such duplicate per killed sender
    process, never a lost e-mail and never a duplicate without a kill."""
    from core.models import Notification
    from tests import factories

    user = factories.UserFactory()
    Notification.objects.create(user=user, title="t", emailed_at=timezone.now())

    def mail_violations(sent, killed):
        return [v for v in soak_world.check(started=T0, ended=timezone.now(), mail_messages=sent, killed_senders=killed)[0]
                if "e-mails sent for" in v]

    assert mail_violations(2, killed=1) == []
    assert mail_violations(3, killed=1) == ["3 e-mails sent for 1 notifications (at most 1 more allowed: sends cut by a kill)"]
    assert mail_violations(2, killed=0) != []
    assert mail_violations(0, killed=2) != []
