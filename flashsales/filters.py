import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from flashsales.models import FlashSale
from shops.models import Category


class FlashSaleFilter(django_filters.FilterSet):
    """FS7: the flash-sale list filters by category and by status."""

    category = django_filters.ModelChoiceFilter(
        label=_("Category"), field_name="product__category", queryset=Category.objects.all(),
        empty_label=_("All categories"), widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FlashSale.Status.choices, empty_label=_("All statuses"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=FlashSale.Mode.choices, empty_label=_("All modes"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    class Meta:
        model = FlashSale
        fields = []
