import django_filters
from django.utils.translation import gettext_lazy as _

from filings.models import Filing, Reason
from shops.models import Creator


class MerchantFilingFilter(django_filters.FilterSet):
    """资质管理 filters: state, reason (进审原因), linked creator."""

    state = django_filters.ChoiceFilter(label=_("State"), choices=Filing.State.choices, empty_label=_("All states"))
    reason = django_filters.ChoiceFilter(
        label=_("Reason"), choices=Reason.choices, empty_label=_("All reasons"), method="filter_reason"
    )
    creator = django_filters.ModelChoiceFilter(label=_("Linked creator"), queryset=Creator.objects.none(), empty_label=_("All creators"))

    class Meta:
        model = Filing
        fields = []

    def __init__(self, *args, creators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if creators is not None:
            self.filters["creator"].queryset = creators
            self.form.fields["creator"].queryset = creators
            self.form.fields["creator"].label_from_instance = lambda c: c.display_name
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter_reason(self, queryset, name, value):
        return queryset.filter(reason_rows__code=value) if value else queryset
