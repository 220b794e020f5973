"""flashsales 0003: reports answered before replies were recorded get their answer as the
first reply row, by whom the answer transition's log says."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_fsm_log.models import StateLog

from flashsales.models import ProblemReport
from tests import factories
from tests.conftest import png_bytes

BEFORE = [("flashsales", "0002_viewer_messages")]
AFTER = [("flashsales", "0003_problem_report_replies")]


@pytest.mark.django_db(transaction=True)
def test_fs8_answers_given_before_the_reply_records_become_the_first_reply():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        staff = factories.StaffFactory()
        creator = factories.CreatorFactory()
        common = {
            "reporter": creator.user, "desk": ProblemReport.Desk.CREATOR_SUPPORT, "shop": factories.ShopFactory(),
            "creator": creator, "description": "发不出去", "attachment_kind": ProblemReport.AttachmentKind.IMAGE,
        }
        answered_at = timezone.now().replace(microsecond=0)
        answered = ProblemReport.objects.create(
            **common, attachment=ContentFile(png_bytes(), name="a.png"), status="answered", reply="请重试。", answered_at=answered_at
        )
        ProblemReport.objects.create(**common, attachment=ContentFile(png_bytes(), name="b.png"))  # still open
        StateLog.objects.create(
            content_type=ContentType.objects.get_for_model(ProblemReport), object_id=answered.pk, transition="answer",
            source_state="open", state="answered", by=staff,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        rows = list(apps.get_model("flashsales", "ProblemReportReply").objects.values_list("report_id", "reply", "by_id", "created_at"))
        assert rows == [(answered.pk, "请重试。", staff.pk, answered_at)]
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
