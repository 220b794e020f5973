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


# F9: a year entered by platform staff. A made-up 2027 for the tests (the real one is not
# published yet): 1–3 January off, a week-long Spring Festival, make-up Sundays.
SAMPLE_2027 = """一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。1月31日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


def enter_year(text: str = SAMPLE_2027, *, year: int = 2027, by=None, **kwargs):
    """Enter a year through the service, as platform staff do in the admin."""
    from datetime import date

    from filings.workdays.notice_parser import parse_notice
    from filings.workdays.services import calendar_year_enter
    from tests.factories import StaffFactory

    kwargs.setdefault("source_title", f"国务院办公厅关于{year}年部分节假日安排的通知")
    kwargs.setdefault("source_date", date(year - 1, 11, 1))
    return calendar_year_enter(year=year, days=parse_notice(text, year=year), by=by or StaffFactory(), **kwargs)
