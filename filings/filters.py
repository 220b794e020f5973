import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import parse_id
from filings.models import Filing, FilingReason, Reason


class MerchantFilingFilter(django_filters.FilterSet):
    """资质管理 filters: state, reason (进审原因), linked creator."""

    state = django_filters.ChoiceFilter(label=_("State"), choices=Filing.State.choices, empty_label=_("All states"))
    reason = django_filters.ChoiceFilter(
        label=_("Reason"), choices=Reason.choices, empty_label=_("All reasons"), method="filter_reason"
    )
    # A search box (nickname, platform id, or the creator's number from a link), not a list
    # of every creator linked to the merchant's filings (that list grows with the filings).
    creator = django_filters.CharFilter(label=_("Linked creator"), method="filter_creator", max_length=100)

    class Meta:
        model = Filing
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"

    def filter_creator(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isascii() and value.isdigit():  # a number: the creator's id, or none (10^30 is no id)
            number = parse_id(value)
            return queryset.filter(creator_id=number) if number else queryset.none()
        return queryset.filter(Q(creator__nickname__icontains=value) | Q(creator__platform_id__icontains=value))

    def filter_reason(self, queryset, name, value):
        # a subquery, not a join: a filing with the reason twice is listed once, with no DISTINCT over the list
        return queryset.filter(pk__in=FilingReason.objects.filter(code=value).values("filing_id")) if value else queryset
