"""The merchant's sample inbox filters (S8): state, product, creator, deadline soon."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import parse_id
from core.rules import rules
from samples import clocks
from samples.models import SampleRequest

State = SampleRequest.State


class MerchantSampleFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=State.choices, empty_label=_("All states"))
    # A search box, not a list of every product of the merchant (that list grows with the shop).
    product = django_filters.CharFilter(label=_("Product"), method="filter_product", max_length=100)
    creator = django_filters.CharFilter(label=_("Creator"), method="filter_creator")
    attention = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=[("soon", _("About to expire")), ("late", _("Late (not shipped in time)"))],
        empty_label=_("Any deadline"),
        method="filter_attention",
    )

    # V4: the order is read by the view (triage score or newest); here it is a field of the bar.
    order = django_filters.ChoiceFilter(
        label=_("Sort"), empty_label=None, method="keep_order",
        choices=[("triage", _("Triage score (waiting first)")), ("newest", _("Newest first"))],
    )

    class Meta:
        model = SampleRequest
        fields = []

    def __init__(self, *args, merchant=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm")

    def keep_order(self, queryset, name, value):
        return queryset

    def filter_product(self, queryset, name, value):
        """The product's title (part of it), or its number (links from a product page)."""
        value = value.strip()
        if not value:
            return queryset
        if value.isascii() and value.isdigit():  # a number: the product's id, or none (10^30 is no id)
            number = parse_id(value)
            return queryset.filter(product_id=number) if number else queryset.none()
        return queryset.filter(product__title__icontains=value)

    def filter_creator(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(creator__nickname__icontains=value) | Q(creator__platform_id__icontains=value))

    def filter_attention(self, queryset, name, value):
        now = timezone.now()
        if value == "late":
            return queryset.filter(clocks.shipping_late(now))
        if value == "soon":
            return queryset.filter(clocks.about_to_expire(now, now + rules.duration("sample_due_soon")))
        return queryset
